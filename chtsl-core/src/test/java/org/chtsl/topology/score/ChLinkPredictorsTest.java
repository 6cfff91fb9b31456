package org.chtsl.topology.score;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.chtsl.testing.Arrays2D;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.Test;

public class ChLinkPredictorsTest extends ManagedTest {

    /** Spec §8.1: rows = outputs o0..o2, columns = inputs i0..i3. */
    public static final float[][] MASK_81 = {{0, 1, 0, 1}, {1, 0, 1, 1}, {0, 1, 1, 1}};

    /** Spec §8.2. */
    public static final float[][] MASK_82 = {{1, 1, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 1}};

    private static final int[][] CANDIDATES_81 = {{0, 0}, {0, 2}, {1, 1}, {2, 0}};
    private static final int[][] CANDIDATES_82 = {{0, 2}, {0, 3}, {1, 0}, {1, 3}, {2, 0}, {2, 1}};

    @Override
    protected int seed() {
        return 5;
    }

    public static NDArray mask(NDManager manager, float[][] rows) {
        return manager.create(rows);
    }

    private static void assertCandidates(
            NDArray scores, float[][] mask, int[][] candidates, double[] expected) {
        double[][] s = Arrays2D.toMatrix(scores);
        for (int k = 0; k < candidates.length; k++) {
            int i = candidates[k][0];
            int b = candidates[k][1];
            assertEquals(s[i][b], expected[k], 1e-5, "score at (" + i + "," + b + ")");
        }
        for (int i = 0; i < mask.length; i++) {
            for (int b = 0; b < mask[i].length; b++) {
                if (mask[i][b] == 1) {
                    assertEquals(s[i][b], 0.0, "active position (" + i + "," + b + ")");
                }
            }
        }
    }

    @Test
    public void nodeBasedScoresOfSpec81() {
        NDArray m = mask(manager, MASK_81);
        assertCandidates(
                ChLinkPredictors.l3n(m, ChVariant.CH3),
                MASK_81,
                CANDIDATES_81,
                new double[] {1, 3.5, 4, 2.5});
        assertCandidates(
                ChLinkPredictors.l3n(m, ChVariant.CH2),
                MASK_81,
                CANDIDATES_81,
                new double[] {2, 9, 10, 6});
        assertCandidates(
                ChLinkPredictors.l3n(m, ChVariant.CH3_1),
                MASK_81,
                CANDIDATES_81,
                new double[] {1.414214, 8.707107, 10.0, 5.707107});
    }

    @Test
    public void exactScoresOfSpec81() {
        NDArray m = mask(manager, MASK_81);
        assertCandidates(
                ChLinkPredictors.l3Exact(m, ChVariant.CH3),
                MASK_81,
                CANDIDATES_81,
                new double[] {0.5, 2.707107, 3.0, 1.707107});
        assertCandidates(
                ChLinkPredictors.l3Exact(m, ChVariant.CH2),
                MASK_81,
                CANDIDATES_81,
                new double[] {1.0, 7.181541, 7.898979, 4.181541});
    }

    @Test
    public void scoresOfSpec82WithZeroCandidates() {
        NDArray m = mask(manager, MASK_82);
        assertCandidates(
                ChLinkPredictors.l3n(m, ChVariant.CH3),
                MASK_82,
                CANDIDATES_82,
                new double[] {2, 0, 2, 2, 0, 2});
        assertCandidates(
                ChLinkPredictors.l3n(m, ChVariant.CH2),
                MASK_82,
                CANDIDATES_82,
                new double[] {4, 0, 4, 4, 0, 4});
        assertCandidates(
                ChLinkPredictors.l3Exact(m, ChVariant.CH3),
                MASK_82,
                CANDIDATES_82,
                new double[] {1, 0, 1, 1, 0, 1});
        assertCandidates(
                ChLinkPredictors.l3Exact(m, ChVariant.CH2),
                MASK_82,
                CANDIDATES_82,
                new double[] {2, 0, 2, 2, 0, 2});
    }

    @Test
    public void emptyRowsAndIsolatedNodesScoreZero() {
        float[][] rows = {{0, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {0, 1, 1, 0, 0}, {1, 0, 1, 0, 0}};
        NDArray m = mask(manager, rows); // output o0 has no link; inputs i3, i4 have none
        for (ChVariant variant : ChVariant.values()) {
            double[][] s = Arrays2D.toMatrix(ChLinkPredictors.l3n(m, variant));
            for (int b = 0; b < 5; b++) {
                assertEquals(s[0][b], 0.0, variant + " empty row at " + b);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(s[i][3], 0.0, variant + " isolated input i3");
                assertEquals(s[i][4], 0.0, variant + " isolated input i4");
            }
            assertTrue(s[1][2] > 0, variant + ": (o1, i2) has L3 paths");
        }
        double[][] exact = Arrays2D.toMatrix(ChLinkPredictors.l3Exact(m, ChVariant.CH3));
        assertEquals(exact[0][2], 0.0);
        assertTrue(exact[1][2] > 0);
        NDArray empty = manager.zeros(new Shape(3, 4));
        assertEquals(ChLinkPredictors.l3n(empty, ChVariant.CH2).abs().sum().getFloat(), 0f);
        NDArray full = manager.ones(new Shape(3, 4));
        assertEquals(ChLinkPredictors.l3n(full, ChVariant.CH2).abs().sum().getFloat(), 0f);
    }

    /** Spec §3.3's meaning of L3n, written independently: node sums over both sides. */
    private static double[][] nodeSums(float[][] m, boolean ch2) {
        int rows = m.length;
        int cols = m[0].length;
        int[] degOut = new int[rows];
        int[] degIn = new int[cols];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < cols; a++) {
                if (m[i][a] == 1) {
                    degOut[i]++;
                    degIn[a]++;
                }
            }
        }
        double[][] s = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int b = 0; b < cols; b++) {
                if (m[i][b] == 1) {
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < rows; j++) { // output-side LC nodes j ∈ N(b)
                    if (j == i || m[j][b] == 0) {
                        continue;
                    }
                    int shared = 0;
                    for (int a = 0; a < cols; a++) {
                        shared += m[i][a] == 1 && m[j][a] == 1 ? 1 : 0;
                    }
                    if (shared > 0) {
                        int external = degOut[j] - shared - 1;
                        sum += (ch2 ? 1.0 + shared : 1.0) / (1 + external);
                    }
                }
                for (int a = 0; a < cols; a++) { // input-side LC nodes a ∈ N(i)
                    if (m[i][a] == 0) {
                        continue;
                    }
                    int shared = 0;
                    for (int j = 0; j < rows; j++) {
                        shared += m[j][a] == 1 && m[j][b] == 1 ? 1 : 0;
                    }
                    if (shared > 0) {
                        int external = degIn[a] - shared - 1;
                        sum += (ch2 ? 1.0 + shared : 1.0) / (1 + external);
                    }
                }
                s[i][b] = sum;
            }
        }
        return s;
    }

    @Test
    public void propertiesOnRandomMasks() {
        Random random = new Random(17);
        for (int trial = 0; trial < 25; trial++) {
            int rows = 3 + random.nextInt(10);
            int cols = 3 + random.nextInt(10);
            double density = 0.15 + 0.5 * random.nextDouble();
            float[][] rowsArray = new float[rows][cols];
            for (int i = 0; i < rows; i++) {
                for (int b = 0; b < cols; b++) {
                    rowsArray[i][b] = random.nextDouble() < density ? 1 : 0;
                }
            }
            NDArray m = manager.create(rowsArray);
            for (ChVariant variant : ChVariant.values()) {
                NDArray scores = ChLinkPredictors.l3n(m, variant);
                NDArray transposed = ChLinkPredictors.l3n(m.transpose(), variant);
                assertTrue(
                        Arrays2D.maxAbsDifference(
                                        Arrays2D.toMatrix(transposed),
                                        Arrays2D.toMatrix(scores.transpose()))
                                < 1e-4,
                        "l3n(Mᵀ) = l3n(M)ᵀ for " + variant);
                assertEquals(scores.mul(m).abs().sum().getFloat(), 0f, "active positions");
                assertTrue(scores.min().getFloat() >= 0, "non-negative");
                NDArray exact = ChLinkPredictors.l3Exact(m, variant);
                assertTrue(
                        Arrays2D.maxAbsDifference(
                                        Arrays2D.toMatrix(
                                                ChLinkPredictors.l3Exact(m.transpose(), variant)),
                                        Arrays2D.toMatrix(exact.transpose()))
                                < 1e-4,
                        "exact symmetry for " + variant);
                assertEquals(exact.mul(m).abs().sum().getFloat(), 0f);
            }
            assertTrue(
                    Arrays2D.maxAbsDifference(
                                    Arrays2D.toMatrix(ChLinkPredictors.l3n(m, ChVariant.CH3)),
                                    nodeSums(rowsArray, false))
                            < 1e-4);
            assertTrue(
                    Arrays2D.maxAbsDifference(
                                    Arrays2D.toMatrix(ChLinkPredictors.l3n(m, ChVariant.CH2)),
                                    nodeSums(rowsArray, true))
                            < 1e-4);
        }
    }

    @Test
    public void badInputsAreRejected() {
        IllegalArgumentException dims =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                ChLinkPredictors.l3n(
                                        manager.ones(new Shape(2, 3, 4)), ChVariant.CH2));
        assertTrue(dims.getMessage().contains("2-D"), dims.getMessage());
        NDArray big = manager.randomUniform(0f, 1f, new Shape(2000, 2000)).lt(0.5f);
        IllegalArgumentException tooLarge =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ChLinkPredictors.l3Exact(big, ChVariant.CH3));
        assertTrue(tooLarge.getMessage().contains("l3n"), tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().contains("limit"), tooLarge.getMessage());
    }
}
