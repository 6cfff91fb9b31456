package org.chtsl.topology;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.chtsl.testing.Arrays2D;
import org.chtsl.testing.ManagedTest;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.rule.RegrowthRule;
import org.chtsl.topology.rule.RemovalRule;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.SoftRemoval;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.score.ChLinkPredictorsTest;
import org.chtsl.topology.score.ChScore;
import org.chtsl.topology.score.ChVariant;
import org.chtsl.topology.score.GradientMagnitudeScore;
import org.chtsl.topology.score.LinkScore;
import org.chtsl.topology.score.MagnitudeScore;
import org.chtsl.topology.score.MestScore;
import org.chtsl.topology.score.RandomScore;
import org.chtsl.topology.score.RelativeImportanceScore;
import org.chtsl.topology.update.LayerUpdate;
import org.chtsl.topology.update.SparseLayer;
import org.chtsl.topology.update.UpdatePipeline;
import org.testng.annotations.Test;

public class RemovalAndRegrowthTest extends ManagedTest {

    private static final UpdateStep STEP = new UpdateStep(1, 1, 0);

    @Override
    protected int seed() {
        return 2026;
    }

    /** A 1 × 3 layer with the given weights, all active. */
    private LayerState row(float... weights) {
        NDArray weight = manager.create(weights, new Shape(1, weights.length));
        return new LayerState(manager.ones(weight.getShape()), weight, null);
    }

    private static int firstSelected(NDArray mask) {
        boolean[] values = mask.toBooleanArray();
        for (int k = 0; k < values.length; k++) {
            if (values[k]) {
                return k;
            }
        }
        return -1;
    }

    private double[] firstDrawFrequencies(double temperature, int draws) {
        LayerState layer = row(0.1f, 0.2f, 0.4f);
        SoftRemoval removal = SoftRemoval.atTemperature(new MagnitudeScore(), temperature);
        double[] counts = new double[3];
        for (int d = 0; d < draws; d++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray kept = removal.keep(layer, 1, STEP);
                kept.attach(scope);
                counts[firstSelected(kept)]++;
            }
        }
        for (int k = 0; k < 3; k++) {
            counts[k] /= draws;
        }
        return counts;
    }

    @Test
    public void softRemovalFirstDrawFollowsSpec83() {
        // 4000 draws: the standard error of a frequency is at most 0.008; allow 3 of them
        double[] hot = firstDrawFrequencies(2, 4000);
        assertEquals(hot[0], 0.047619, 0.024);
        assertEquals(hot[1], 0.190476, 0.024);
        assertEquals(hot[2], 0.761905, 0.024);
        double[] cool = firstDrawFrequencies(1, 4000);
        assertEquals(cool[0], 0.142857, 0.024);
        assertEquals(cool[1], 0.285714, 0.024);
        assertEquals(cool[2], 0.571429, 0.024);
    }

    @Test
    public void softRemovalKeepingTwoFollowsSequentialDraws() {
        // Plackett–Luce with p = [1, 2, 4]/7 (T = 1): P(drop i) = P(keep the other two)
        double[] p = {1 / 7.0, 2 / 7.0, 4 / 7.0};
        double[] expectedDrop = new double[3];
        for (int dropped = 0; dropped < 3; dropped++) {
            for (int first = 0; first < 3; first++) {
                if (first == dropped) {
                    continue;
                }
                int second = 3 - dropped - first;
                expectedDrop[dropped] += p[first] * p[second] / (1 - p[first]);
            }
        }
        LayerState layer = row(0.1f, 0.2f, 0.4f);
        double[] dropCounts = new double[3];
        int draws = 4000;
        for (int d = 0; d < draws; d++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray kept =
                        SoftRemoval.atTemperature(new MagnitudeScore(), 1).keep(layer, 2, STEP);
                kept.attach(scope);
                boolean[] values = kept.toBooleanArray();
                for (int k = 0; k < 3; k++) {
                    dropCounts[k] += values[k] ? 0 : 1;
                }
            }
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(dropCounts[k] / draws, expectedDrop[k], 0.024, "dropped " + k);
        }
    }

    @Test
    public void removalKeepsOnlyActiveLinksEvenWithJunkWeights() {
        NDArray mask = manager.create(new float[] {1, 0, 1, 0, 1, 1}, new Shape(2, 3));
        NDArray weight =
                manager.create(new float[] {0.5f, 9, -0.1f, 9, 0.3f, -0.8f}, new Shape(2, 3));
        LayerState layer = new LayerState(mask, weight, null);
        NDArray hard = new TopKRemoval().keep(layer, 2, STEP);
        assertEquals(hard.toBooleanArray(), new boolean[] {true, false, false, false, false, true});
        for (int d = 0; d < 50; d++) {
            NDArray soft = SoftRemoval.atTemperature(new MagnitudeScore(), 1).keep(layer, 3, STEP);
            assertEquals(LinkCounts.count(soft), 3);
            assertEquals(LinkCounts.count(soft.logicalAnd(mask.eq(0))), 0);
        }
    }

    @Test
    public void topKBreaksTiesUniformly() {
        NDArray keys = manager.zeros(new Shape(2, 2));
        NDArray candidates = manager.ones(new Shape(2, 2));
        int[] counts = new int[4];
        for (int d = 0; d < 2000; d++) {
            counts[firstSelected(LinkSelection.topK(keys, candidates, 1))]++;
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(counts[k] / 2000.0, 0.25, 0.04, "position " + k);
        }
        IllegalArgumentException tooMany =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> LinkSelection.topK(keys, candidates.mul(0), 1));
        assertTrue(tooMany.getMessage().contains("0 candidates"), tooMany.getMessage());
    }

    @Test
    public void keepCountMatchesSpec83() {
        assertEquals(new UpdateStep(1, 1, 0.0957).keepCount(1000), 905);
        assertEquals(new UpdateStep(1, 1, 0.9).keepCount(3), 1); // never below one link
        assertEquals(new UpdateStep(1, 1, 0.5).keepCount(0), 0);
        expectThrows(IllegalArgumentException.class, () -> new UpdateStep(1, 1, 1.5));
    }

    @Test
    public void regrowthOfSpec82PicksPositiveScoresFirst() {
        NDArray mask = ChLinkPredictorsTest.mask(manager, ChLinkPredictorsTest.MASK_82);
        LayerState layer = LayerState.ofMask(mask);
        // positives (0,2) (1,0) (1,3) (2,1); zero-score candidates (0,3) (2,0)
        boolean[] positive = new boolean[12];
        positive[0 * 4 + 2] = true;
        positive[1 * 4 + 0] = true;
        positive[1 * 4 + 3] = true;
        positive[2 * 4 + 1] = true;
        for (ScoreRegrowth rule :
                List.of(
                        ScoreRegrowth.topK(ChScore.l3n(ChVariant.CH2)),
                        ScoreRegrowth.sampled(ChScore.l3n(ChVariant.CH3)),
                        ScoreRegrowth.topK(ChScore.l3Exact(ChVariant.CH3)))) {
            for (int d = 0; d < 20; d++) {
                assertEquals(rule.grow(layer, 4).toBooleanArray(), positive, rule.toString());
                boolean[] five = rule.grow(layer, 5).toBooleanArray();
                int zeroPicks = (five[3] ? 1 : 0) + (five[8] ? 1 : 0);
                assertEquals(zeroPicks, 1, rule + " picks one zero-score candidate");
                for (int k = 0; k < 12; k++) {
                    if (positive[k]) {
                        assertTrue(five[k], rule + " keeps positive " + k);
                    }
                }
            }
        }
    }

    @Test
    public void topTwoRegrowthOfSpec81PicksTheHandCheckedLinks() {
        LayerState layer =
                LayerState.ofMask(ChLinkPredictorsTest.mask(manager, ChLinkPredictorsTest.MASK_81));
        boolean[] expected = new boolean[12];
        expected[1 * 4 + 1] = true;
        expected[0 * 4 + 2] = true;
        for (ChScore score :
                List.of(
                        ChScore.l3n(ChVariant.CH3),
                        ChScore.l3n(ChVariant.CH2),
                        ChScore.l3Exact(ChVariant.CH3),
                        ChScore.l3Exact(ChVariant.CH2))) {
            assertEquals(ScoreRegrowth.topK(score).grow(layer, 2).toBooleanArray(), expected);
        }
    }

    @Test
    public void sampledRegrowthIsProportionalToScore() {
        // two candidates with CH-like scores 1 and 3 → 25% / 75%
        NDArray mask = manager.create(new float[] {1, 0, 0}, new Shape(1, 3));
        LinkScore fixed = layer -> manager.create(new float[] {0, 1, 3}, new Shape(1, 3));
        ScoreRegrowth rule = ScoreRegrowth.sampled(fixed);
        int third = 0;
        for (int d = 0; d < 3000; d++) {
            boolean[] grown = rule.grow(LayerState.ofMask(mask), 1).toBooleanArray();
            assertFalse(grown[0], "never an active position");
            third += grown[2] ? 1 : 0;
        }
        assertEquals(third / 3000.0, 0.75, 0.025);
    }

    @Test
    public void scoresNeedWhatTheyRead() {
        LayerState maskOnly = LayerState.ofMask(manager.ones(new Shape(2, 2)));
        IllegalArgumentException gradient =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new GradientMagnitudeScore().score(maskOnly));
        assertTrue(gradient.getMessage().contains("dense gradient"), gradient.getMessage());
        expectThrows(IllegalArgumentException.class, () -> new MagnitudeScore().score(maskOnly));
        assertTrue(ScoreRegrowth.topK(new GradientMagnitudeScore()).needsGradient());
        assertFalse(ScoreRegrowth.topK(new RandomScore()).needsGradient());
        assertTrue(new TopKRemoval(new MestScore()).needsGradient());
        assertFalse(new TopKRemoval().needsGradient());
        assertFalse(new SoftRemoval(new MagnitudeScore(), 1, 9).needsGradient());
        expectThrows(IllegalArgumentException.class, () -> new MestScore(-1));
    }

    @Test
    public void relativeImportanceAndMestScoresByHand() {
        NDArray weight = manager.create(new float[][] {{1, -3}, {0, 2}});
        NDArray mask = manager.create(new float[][] {{1, 1}, {0, 1}});
        NDArray gradient = manager.create(new float[][] {{10, -20}, {30, 40}});
        LayerState layer = new LayerState(mask, weight, gradient);
        double e = RelativeImportanceScore.EPSILON;
        double[][] ri = Arrays2D.toMatrix(new RelativeImportanceScore().score(layer));
        // column sums 1, 5; row sums 4, 2
        assertEquals(ri[0][0], 1 / (1 + e) + 1 / (4 + e), 1e-6);
        assertEquals(ri[0][1], 3 / (5 + e) + 3 / (4 + e), 1e-6);
        assertEquals(ri[1][0], 0.0, 1e-6);
        assertEquals(ri[1][1], 2 / (5 + e) + 2 / (2 + e), 1e-6);
        double[][] mest = Arrays2D.toMatrix(new MestScore().score(layer));
        assertTrue(Arrays2D.maxAbsDifference(mest, new double[][] {{1.1, 3.2}, {0, 2.4}}) < 1e-6);
    }

    @Test
    public void updatesKeepTheExactTargetCountForEveryRuleCombination() {
        NDArray mask = ErdosRenyiTopology.get().create(manager, 64, 48, 0.2);
        NDArray weight =
                manager.randomNormal(new Shape(64, 48)).mul(mask.toType(DataType.FLOAT32, false));
        NDArray gradient = manager.randomNormal(new Shape(64, 48));
        LayerState layer = new LayerState(mask, weight, gradient);
        long target = LinkCounts.targetLinks(0.2, 64 * 48);
        List<RemovalRule> removals =
                List.of(
                        new TopKRemoval(),
                        SoftRemoval.atTemperature(new MagnitudeScore(), 3),
                        new TopKRemoval(new MestScore()));
        List<RegrowthRule> regrowths =
                List.of(
                        ScoreRegrowth.topK(new RandomScore()),
                        ScoreRegrowth.topK(new GradientMagnitudeScore()),
                        ScoreRegrowth.topK(ChScore.l3n(ChVariant.CH2)),
                        ScoreRegrowth.sampled(ChScore.l3n(ChVariant.CH2)),
                        ScoreRegrowth.topK(ChScore.l3Exact(ChVariant.CH3)));
        for (RemovalRule removal : removals) {
            for (RegrowthRule regrowth : regrowths) {
                LayerUpdate result = updateOne(layer, removal, regrowth, 0.3, target);
                assertEquals(LinkCounts.count(result.mask()), target);
                assertEquals(result.removed(), (long) Math.floor(target * 0.3));
                assertEquals(result.regrown(), result.removed());
                assertEquals(result.mask().getDataType(), DataType.BOOLEAN);
            }
        }
        // a layer below its target (CHTss, chain removal) grows back to the target
        LayerUpdate grow =
                updateOne(
                        layer,
                        new TopKRemoval(),
                        ScoreRegrowth.topK(new RandomScore()),
                        0,
                        target + 40);
        assertEquals(grow.regrown(), 40);
        assertEquals(LinkCounts.count(grow.mask()), target + 40);
    }

    private LayerUpdate updateOne(
            LayerState layer,
            RemovalRule removal,
            RegrowthRule regrowth,
            double zeta,
            long target) {
        UpdatePipeline pipeline = UpdatePipeline.builder().setRules(removal, regrowth).build();
        return pipeline.update(
                        List.of(new SparseLayer("layer", layer, target)),
                        new UpdateStep(1, 1, zeta),
                        manager)
                .get(0);
    }
}
