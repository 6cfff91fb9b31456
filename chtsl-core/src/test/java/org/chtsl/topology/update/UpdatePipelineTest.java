package org.chtsl.topology.update;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.chtsl.testing.ManagedTest;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.schedule.CubicDensityDecay;
import org.chtsl.topology.schedule.DecayWindow;
import org.chtsl.topology.score.MagnitudeScore;
import org.chtsl.topology.score.RandomScore;
import org.testng.annotations.Test;

public class UpdatePipelineTest extends ManagedTest {

    // 2 x 4, active at 0, 2, 5, 7 with |W| 0.9, 0.1, 0.5, 0.3
    private static final float[] MASK = {1, 0, 1, 0, 0, 1, 0, 1};
    private static final float[] WEIGHT = {0.9f, 0, -0.1f, 0, 0, 0.5f, 0, -0.3f};

    private SparseLayer layer(long target) {
        NDArray mask = manager.create(MASK, new Shape(2, 4));
        NDArray weight = manager.create(WEIGHT, new Shape(2, 4));
        return new SparseLayer("layer", new LayerState(mask, weight, null), target);
    }

    private static UpdatePipeline cubic(double finalSparsity) {
        return UpdatePipeline.builder()
                .setRules(
                        new TopKRemoval(new MagnitudeScore()),
                        ScoreRegrowth.topK(new RandomScore()))
                .optDensity(
                        new CubicDensityDecay(0.5, new MagnitudeScore()),
                        new DecayWindow(finalSparsity, 200, 100))
                .build();
    }

    @Test
    public void theDecayPrunesToTheScheduledCountByItsScoreAndLowersTheTarget() {
        // P = 2 updates; u = 1: s = 0.5 + 0.25·(1 − ½³) = 0.71875, keep floor(0.28125·8) = 2
        SparseLayer input = layer(4);
        LayerUpdate update =
                cubic(0.75).update(List.of(input), new UpdateStep(100, 300, 0), manager).get(0);
        assertEquals(
                update.mask().toBooleanArray(),
                new boolean[] {true, false, false, false, false, true, false, false});
        assertEquals(update.target(), 2);
        assertEquals(update.removed(), 2);
        assertEquals(update.regrown(), 0);
        assertEquals(update.before().toBooleanArray().length, 8);
        assertEquals(LinkCounts.count(update.before()), 4);
        // the inputs are not touched
        assertEquals(input.state().mask().toFloatArray(), MASK);
        assertEquals(input.state().weight().toFloatArray(), WEIGHT);
    }

    @Test
    public void removalAfterTheDecayThenRegrowsToTheLoweredTarget() {
        SparseLayer input = layer(4);
        LayerUpdate update =
                cubic(0.75).update(List.of(input), new UpdateStep(100, 300, 0.5), manager).get(0);
        // decay keeps 0.9 and 0.5; ζ = 0.5 removes floor(2·0.5) = 1 of them (0.5, the smaller)
        assertEquals(update.kept().toBooleanArray()[0], true);
        assertEquals(LinkCounts.count(update.kept()), 1);
        assertEquals(LinkCounts.count(update.mask()), 2);
        assertEquals(update.mask().toBooleanArray()[0], true);
        assertEquals(update.removed(), 3);
        assertEquals(update.regrown(), 1);
        assertEquals(update.mask().getDataType(), DataType.BOOLEAN);
    }

    @Test
    public void afterThePruningEndOnlyRemovalAndRegrowthRun() {
        LayerUpdate update =
                cubic(0.75)
                        .update(List.of(layer(-1)), new UpdateStep(300, 300, 0.5), manager)
                        .get(0);
        assertEquals(update.target(), 4); // -1: the mask's own count
        assertEquals(LinkCounts.count(update.mask()), 4);
        assertEquals(update.removed(), 2);
        assertEquals(update.regrown(), 2);
        // magnitude removal kept the two largest, 0.9 and 0.5
        boolean[] kept = update.kept().toBooleanArray();
        assertTrue(kept[0] && kept[5] && !kept[2] && !kept[7]);
    }

    @Test
    public void layersAreNamedOnceAndChainRemovalNamesOnlyThem() {
        UpdatePipeline plain =
                UpdatePipeline.builder()
                        .setRules(new TopKRemoval(), ScoreRegrowth.topK(new RandomScore()))
                        .build();
        UpdateStep step = new UpdateStep(1, 1, 0.5);
        IllegalArgumentException twice =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> plain.update(List.of(layer(4), layer(4)), step, manager));
        assertTrue(twice.getMessage().contains("'layer'"), twice.getMessage());
        UpdatePipeline stray =
                UpdatePipeline.builder()
                        .setRules(new TopKRemoval(), ScoreRegrowth.topK(new RandomScore()))
                        .optChainRemoval(kept -> java.util.Map.of("other", kept.get("layer")))
                        .build();
        IllegalArgumentException unknown =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> stray.update(List.of(layer(4)), step, manager));
        assertTrue(unknown.getMessage().contains("'other'"), unknown.getMessage());
    }

    @Test
    public void aDecayNeedsItsWindow() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                UpdatePipeline.builder()
                                        .setRules(
                                                new TopKRemoval(),
                                                ScoreRegrowth.topK(new RandomScore()))
                                        .optDensity(
                                                new CubicDensityDecay(0.5, new MagnitudeScore()),
                                                null)
                                        .build());
        assertTrue(e.getMessage().contains("DecayWindow"), e.getMessage());
        expectThrows(IllegalArgumentException.class, () -> UpdatePipeline.builder().build());
    }
}
