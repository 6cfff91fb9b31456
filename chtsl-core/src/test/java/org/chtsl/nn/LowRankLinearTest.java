package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.chtsl.testing.Arrays2D;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.Test;

public class LowRankLinearTest extends ManagedTest {

    @Override
    protected int seed() {
        return 7;
    }

    private LowRankLinear initialized(long units, long rank, long in, LowRankActivation act) {
        LowRankLinear block =
                LowRankLinear.builder().setUnits(units).setRank(rank).optActivation(act).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, in));
        return block;
    }

    private static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    private double[][] expected(LowRankLinear block, NDArray x, boolean silu) {
        double[][] hidden =
                Arrays2D.linear(
                        Arrays2D.toMatrix(x), Arrays2D.toMatrix(block.getA().getArray()), null);
        for (double[] row : hidden) {
            for (int j = 0; j < row.length; j++) {
                row[j] = silu ? silu(row[j]) : row[j];
            }
        }
        return Arrays2D.linear(hidden, Arrays2D.toMatrix(block.getB().getArray()), null);
    }

    @Test
    public void forwardIsBTimesSiluOfAx() {
        LowRankLinear block = initialized(7, 3, 5, LowRankActivation.SILU);
        assertEquals(block.getA().getArray().getShape(), new Shape(3, 5));
        assertEquals(block.getB().getArray().getShape(), new Shape(7, 3));
        NDArray x = manager.randomNormal(new Shape(4, 5)).mul(3);
        NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertTrue(
                Arrays2D.maxAbsDifference(Arrays2D.toMatrix(y), expected(block, x, true)) < 1e-5);
        // differs from the naive (identity) map, so the activation is really applied
        assertTrue(
                Arrays2D.maxAbsDifference(Arrays2D.toMatrix(y), expected(block, x, false)) > 1e-3);
    }

    @Test
    public void identityActivationGivesTheNaiveProductOn3dInput() {
        LowRankLinear block = initialized(6, 2, 4, LowRankActivation.IDENTITY);
        NDArray x = manager.randomNormal(new Shape(2, 3, 4));
        NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertEquals(y.getShape(), new Shape(2, 3, 6));
        assertTrue(
                Arrays2D.maxAbsDifference(
                                Arrays2D.toMatrix(y.reshape(6, 6)),
                                expected(block, x.reshape(6, 4), false))
                        < 1e-5);
    }

    @Test
    public void scaleMultipliesTheOutput() {
        LowRankLinear plain = initialized(4, 2, 3, LowRankActivation.IDENTITY);
        LowRankLinear scaled =
                LowRankLinear.builder()
                        .setUnits(4)
                        .setRank(2)
                        .optActivation(LowRankActivation.IDENTITY)
                        .optScale(16f)
                        .build();
        scaled.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        scaled.getA().getArray().muli(0).addi(plain.getA().getArray());
        scaled.getB().getArray().muli(0).addi(plain.getB().getArray());
        NDArray x = manager.randomNormal(new Shape(5, 3));
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray expected = plain.forward(ps, new NDList(x), false).head().mul(16);
        NDArray actual = scaled.forward(ps, new NDList(x), false).head();
        assertTrue(
                Arrays2D.maxAbsDifference(Arrays2D.toMatrix(actual), Arrays2D.toMatrix(expected))
                        < 1e-4);
        expectThrows(
                IllegalArgumentException.class,
                () -> LowRankLinear.builder().setUnits(4).setRank(2).optScale(0f).build());
    }

    @Test
    public void colaInitializationHasTheSpecifiedSpread() {
        // r = 64, in = 512, out = 1376: std = (64 · 1888)^(-1/4) ≈ 0.0519
        LowRankLinear block = initialized(1376, 64, 512, LowRankActivation.SILU);
        double expectedStd = Math.pow(64.0 * (512 + 1376), -0.25);
        assertEquals(LowRankLinear.colaStandardDeviation(64, 512, 1376), expectedStd, 1e-7);
        for (NDArray factor : new NDArray[] {block.getA().getArray(), block.getB().getArray()}) {
            double[] values = factor.toType(DataType.FLOAT64, false).toDoubleArray();
            double mean = 0;
            double square = 0;
            for (double v : values) {
                mean += v;
                square += v * v;
            }
            mean /= values.length;
            double std = Math.sqrt(square / values.length - mean * mean);
            // tens of thousands of samples: the sample std is within 3% of the target
            assertEquals(std, expectedStd, 0.03 * expectedStd);
            assertEquals(mean, 0, 0.05 * expectedStd);
        }
    }

    @Test
    public void rankIsValidated() {
        for (long rank : new long[] {0, -1, 9}) {
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> LowRankLinear.builder().setUnits(8).setRank(rank).build());
            assertTrue(e.getMessage().contains("got " + rank), e.getMessage());
            assertTrue(e.getMessage().contains("1 <= rank"), e.getMessage());
        }
        LowRankLinear wide = LowRankLinear.builder().setUnits(8).setRank(6).build();
        IllegalArgumentException input =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> wide.initialize(manager, DataType.FLOAT32, new Shape(2, 4)));
        assertTrue(
                input.getMessage().contains("min(inputFeatures, units) = 4"), input.getMessage());
        expectThrows(
                IllegalArgumentException.class, () -> LowRankLinear.builder().setRank(1).build());
        expectThrows(
                IllegalArgumentException.class,
                () -> LowRankLinear.builder().setUnits(2).setRank(1).optActivation(null).build());
    }

    @Test
    public void bfloat16IsRejected() {
        LowRankLinear block = LowRankLinear.builder().setUnits(4).setRank(2).build();
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> block.initialize(manager, DataType.BFLOAT16, new Shape(1, 4)));
        assertTrue(e.getMessage().contains("BFLOAT16"), e.getMessage());
    }

    @Test
    public void saveLoadRoundTripIsBitExact() throws IOException, MalformedModelException {
        LowRankLinear block = initialized(5, 2, 3, LowRankActivation.SILU);
        byte[] saved = SparseLinearTest.save(block);
        LowRankLinear loaded = LowRankLinear.builder().setUnits(5).setRank(2).build();
        loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));
        assertTrue(loaded.getA().getArray().contentEquals(block.getA().getArray()));
        assertTrue(loaded.getB().getArray().contentEquals(block.getB().getArray()));
        assertEquals(loaded.getInputFeatures(), 3);

        LowRankLinear naive =
                LowRankLinear.builder()
                        .setUnits(5)
                        .setRank(2)
                        .optActivation(LowRankActivation.IDENTITY)
                        .build();
        MalformedModelException e =
                expectThrows(
                        MalformedModelException.class,
                        () ->
                                naive.loadParameters(
                                        manager,
                                        new DataInputStream(new ByteArrayInputStream(saved))));
        assertTrue(e.getMessage().contains("activation=SILU"), e.getMessage());
    }
}
