package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.LinkSelection;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.rule.ChainRemovalPlan;
import org.chtsl.topology.rule.RegrowthRule;
import org.chtsl.topology.rule.RemovalRule;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.schedule.DecayWindow;
import org.chtsl.topology.schedule.DensitySchedule;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class DynamicSparseTrainingTest {

    private static final int EPOCHS = 10; // 8 batches each: 80 optimizer steps
    private static final long TOTAL = 80;
    private static final long INTERVAL = 5;
    private static final long END = 30;

    /** Checks, after every step, that inactive weights and moments are exactly zero. */
    private static final class InvariantCheck extends TrainingListenerAdapter {
        private final DstHarness harness;
        private int checks;

        InvariantCheck(DstHarness harness) {
            this.harness = harness;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            for (SparseLinear layer : BlockSearch.findAll(harness.network, SparseLinear.class)) {
                NDArray inactive = layer.getMask().eq(0);
                assertEquals(layer.getWeight().getArray().get(inactive).abs().sum().getFloat(), 0f);
                NDArray[] moments = harness.optimizer.getMoments(layer.getWeight().getId());
                if (moments != null) {
                    for (NDArray moment : moments) {
                        assertEquals(moment.get(inactive).abs().sum().getFloat(), 0f);
                    }
                }
                checks++;
            }
        }
    }

    private static DynamicSparseTraining listener(DstHarness harness, MethodPreset method) {
        return DynamicSparseTraining.builder()
                .setModel(harness.network)
                .setOptimizer(harness.optimizer)
                .setTotalSteps(TOTAL)
                .optMethod(method)
                .optUpdateInterval(INTERVAL)
                .optEndStep(END)
                .optFinalSparsity(0.8)
                .build();
    }

    @DataProvider
    public Object[][] methods() {
        return Methods.names().stream().map(name -> new Object[] {name}).toArray(Object[][]::new);
    }

    @Test(dataProvider = "methods")
    public void everyMethodKeepsItsDensityAndZeroInactiveStateAndLearns(String name)
            throws Exception {
        Engine.getInstance().setRandomSeed(21);
        MethodPreset method = Methods.forName(name);
        try (DstHarness harness = new DstHarness(method)) {
            DynamicSparseTraining dst = listener(harness, method);
            InvariantCheck check = new InvariantCheck(harness);
            try (Trainer trainer = harness.trainer(dst, check)) {
                float before = harness.taskLoss();
                EasyTrain.fit(trainer, EPOCHS, harness.data, null);
                float after = harness.taskLoss();
                assertTrue(after < 0.7f * before, name + ": loss " + before + " -> " + after);
            }
            List<Long> steps = new ArrayList<>();
            dst.getHistory().forEach(record -> steps.add(record.step()));
            if (method.isDynamic()) {
                assertEquals(steps, List.of(5L, 10L, 15L, 20L, 25L, 30L), name);
            } else {
                assertTrue(steps.isEmpty(), name + " never changes topology");
            }
            DensitySchedule schedule = method.getDensitySchedule();
            DecayWindow window = new DecayWindow(0.8, END, INTERVAL);
            Map<String, SparseLinear> layers =
                    BlockSearch.findAllNamed(harness.network, SparseLinear.class);
            boolean changed = false;
            for (TopologyUpdateRecord update : dst.getHistory()) {
                for (LayerUpdateRecord layer : update.layers()) {
                    long size = layers.get(layer.name()).getMask().getShape().size();
                    double expected =
                            schedule.decays()
                                    ? LinkCounts.targetLinks(
                                                    1 - schedule.sparsityAt(update.step(), window),
                                                    size)
                                            / (double) size
                                    : LinkCounts.targetLinks(0.3, size) / (double) size;
                    assertEquals(layer.density(), expected, 1e-12, name + " " + layer);
                    // churn counts the new links: at most the regrown ones, none without change
                    double links = layer.density() * size;
                    assertTrue(layer.churn() >= 0 && layer.churn() <= 1, layer.toString());
                    assertTrue(layer.churn() * links <= layer.regrown() + 1e-9, layer.toString());
                    assertTrue(layer.overlap() > 0 && layer.overlap() <= 1, layer.toString());
                    if (layer.removed() == 0 && layer.regrown() == 0) {
                        assertEquals(layer.churn(), 0.0, layer.toString());
                        assertEquals(layer.overlap(), 1.0, layer.toString());
                    }
                    changed |= layer.churn() > 0;
                    assertTrue(layer.coverage() >= layer.density(), layer.toString());
                }
            }
            assertEquals(changed, method.isDynamic(), name + ": some update brings new links");
            assertTrue(
                    check.checks > 0
                            || method.getKind() == ProjectionKind.DENSE
                            || method.getKind() == ProjectionKind.LOW_RANK);
        }
    }

    /** Captures masks, weights and gradients before the topology listener runs. */
    private static final class Snapshot extends TrainingListenerAdapter {
        private final SparseLinear layer;
        private final MaskedAdam optimizer;
        private final NDManager manager;
        private long batches;
        final List<NDArray[]> perStep = new ArrayList<>(); // mask, weight, gradient, mean

        Snapshot(SparseLinear layer, MaskedAdam optimizer, NDManager manager) {
            this.layer = layer;
            this.optimizer = optimizer;
            this.manager = manager;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            batches++;
            NDArray[] moments = optimizer.getMoments(layer.getWeight().getId());
            NDArray[] copies = {
                layer.getMask().duplicate(),
                layer.getWeight().getArray().duplicate(),
                layer.getWeight().getArray().getGradient().duplicate(),
                moments == null ? null : moments[0].duplicate()
            };
            for (NDArray copy : copies) {
                if (copy != null) {
                    copy.attach(manager);
                }
            }
            perStep.add(copies);
        }
    }

    @Test
    public void updateStepsSkipTheOptimizerStartNewLinksAtZeroAndRiglUsesTheDenseGradient()
            throws Exception {
        Engine.getInstance().setRandomSeed(22);
        MethodPreset rigl = Methods.rigl();
        try (DstHarness harness = new DstHarness(rigl);
                NDManager keep = NDManager.newBaseManager()) {
            SparseLinear layer = BlockSearch.findAll(harness.network, SparseLinear.class).get(1);
            Snapshot before = new Snapshot(layer, harness.optimizer, keep);
            DynamicSparseTraining dst = listener(harness, rigl);
            Snapshot after = new Snapshot(layer, harness.optimizer, keep);
            try (Trainer trainer = harness.trainer(before, dst, after)) {
                EasyTrain.fit(trainer, 2, harness.data, null); // 16 steps: updates at 5, 10, 15
            }
            int update = 4; // index of step 5
            NDArray oldMask = before.perStep.get(update)[0];
            NDArray gradient = before.perStep.get(update)[2];
            NDArray newMask = after.perStep.get(update)[0];
            // the gradient at the update step is dense; at an ordinary step it is masked
            assertTrue(gradient.get(oldMask.eq(0)).abs().sum().getFloat() > 0);
            NDArray ordinary = before.perStep.get(2)[2];
            assertEquals(ordinary.get(before.perStep.get(2)[0].eq(0)).abs().sum().getFloat(), 0f);
            // RigL: magnitude removal, then regrowth where |G| is largest (independent recompute)
            long active = LinkCounts.count(oldMask);
            UpdateStep step =
                    new UpdateStep(5, END, rigl.getZeta() / 2 * (1 + Math.cos(Math.PI * 5 / END)));
            long keepCount = step.keepCount(active);
            NDArray kept =
                    new TopKRemoval()
                            .keep(
                                    new LayerState(oldMask, before.perStep.get(update)[1], null),
                                    keepCount,
                                    step);
            NDArray expectedGrown =
                    LinkSelection.topK(gradient.abs(), kept.logicalNot(), active - keepCount);
            assertTrue(
                    kept.logicalOr(expectedGrown)
                            .contentEquals(newMask.toType(DataType.BOOLEAN, false)));
            // new links start at 0 with zero moments
            NDArray grown = newMask.toType(DataType.BOOLEAN, false).logicalAnd(oldMask.eq(0));
            assertTrue(LinkCounts.count(grown) > 0);
            assertEquals(after.perStep.get(update)[1].get(grown).abs().sum().getFloat(), 0f);
            assertEquals(after.perStep.get(update)[3].get(grown).abs().sum().getFloat(), 0f);
            // the update step's optimizer update was skipped: the next step sees the same weights
            assertTrue(
                    before.perStep.get(update + 1)[1].contentEquals(after.perStep.get(update)[1]));
            assertTrue(
                    !before.perStep.get(update)[1].contentEquals(
                            before.perStep.get(update - 1)[1]));
        }
    }

    @Test
    public void aRemovedAndReselectedLinkKeepsItsValueAndMoments() throws Exception {
        Engine.getInstance().setRandomSeed(23);
        // removal drops the first active link; regrowth picks exactly that position again
        long[] dropped = {-1};
        RemovalRule dropFirst =
                (layer, count, temperature) -> {
                    boolean[] values =
                            layer.mask().toType(DataType.BOOLEAN, false).toBooleanArray();
                    int first = 0;
                    while (!values[first]) {
                        first++;
                    }
                    dropped[0] = first;
                    values[first] = false;
                    return layer.mask().getManager().create(values, layer.mask().getShape());
                };
        RegrowthRule sameAgain =
                new RegrowthRule() {
                    @Override
                    public NDArray grow(LayerState layer, long count) {
                        boolean[] grown = new boolean[(int) layer.mask().getShape().size()];
                        grown[(int) dropped[0]] = true;
                        return layer.mask().getManager().create(grown, layer.mask().getShape());
                    }

                    @Override
                    public boolean needsGradient() {
                        return false;
                    }
                };
        MethodPreset method = Methods.chts().toBuilder().optRules(dropFirst, sameAgain).build();
        try (DstHarness harness = new DstHarness(method);
                NDManager keep = NDManager.newBaseManager()) {
            SparseLinear layer = BlockSearch.findAll(harness.network, SparseLinear.class).get(2);
            Snapshot before = new Snapshot(layer, harness.optimizer, keep);
            Snapshot after = new Snapshot(layer, harness.optimizer, keep);
            try (Trainer trainer = harness.trainer(before, listener(harness, method), after)) {
                EasyTrain.fit(trainer, 1, harness.data, null);
            }
            int update = 4; // step 5; the last layer is updated last, so dropped[0] is its link
            NDArray mask = before.perStep.get(update)[0];
            int position = (int) dropped[0];
            assertTrue(
                    after.perStep.get(update)[0].contentEquals(mask), "the topology is unchanged");
            float weightBefore = before.perStep.get(update)[1].toFloatArray()[position];
            float weightAfter = after.perStep.get(update)[1].toFloatArray()[position];
            assertTrue(weightBefore != 0);
            assertEquals(weightAfter, weightBefore);
            float meanBefore = before.perStep.get(update)[3].toFloatArray()[position];
            assertTrue(meanBefore != 0);
            assertEquals(after.perStep.get(update)[3].toFloatArray()[position], meanBefore);
        }
    }

    @Test
    public void chainRemovalRunsBetweenRemovalAndRegrowth() throws Exception {
        Engine.getInstance().setRandomSeed(25);
        // removal empties the outgoing links of hidden unit 0 (column 0 of the 32 × 32 layer) and
        // keeps everything else; chain removal must then drop that unit's incoming links too
        RemovalRule cutUnitZero =
                (layer, count, temperature) -> {
                    NDArray mask = layer.mask().toType(DataType.FLOAT32, true);
                    if (mask.getShape().get(1) == 32) {
                        mask.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 0f);
                    }
                    return mask.toType(DataType.BOOLEAN, false);
                };
        List<NDArray> seen = new ArrayList<>();
        RegrowthRule recording =
                new RegrowthRule() {
                    @Override
                    public NDArray grow(LayerState layer, long count) {
                        return grow(layer, count, null);
                    }

                    @Override
                    public NDArray grow(LayerState layer, long count, NDArray allowed) {
                        NDArray copy = layer.mask().duplicate();
                        copy.detach();
                        seen.add(copy);
                        return org.chtsl.topology.rule.ScoreRegrowth.topK(
                                        new org.chtsl.topology.score.RandomScore())
                                .grow(layer, count, allowed);
                    }

                    @Override
                    public boolean needsGradient() {
                        return false;
                    }
                };
        MethodPreset method = Methods.set().toBuilder().optRules(cutUnitZero, recording).build();
        try (DstHarness harness = new DstHarness(method)) {
            List<String> names =
                    new ArrayList<>(
                            BlockSearch.findAllNamed(harness.network, SparseLinear.class).keySet());
            DynamicSparseTraining dst =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(harness.optimizer)
                            .setTotalSteps(8)
                            .optMethod(method)
                            .optUpdateInterval(5)
                            .optEndStep(5)
                            .optChainRemoval(ChainRemovalPlan.stack(names))
                            .build();
            SparseLinear first = BlockSearch.findAll(harness.network, SparseLinear.class).get(0);
            long unitZeroInputs;
            try (Trainer trainer = harness.trainer(dst)) {
                unitZeroInputs = first.getMask().get("0, :").countNonzero().getLong();
                EasyTrain.fit(trainer, 1, harness.data, null);
            }
            assertEquals(seen.size(), 3);
            assertEquals(
                    seen.get(0).get("0, :").countNonzero().getLong(), 0, "unit 0 lost its inputs");
            assertTrue(unitZeroInputs > 0);
            LayerUpdateRecord firstLayer = dst.getHistory().get(0).layers().get(0);
            assertEquals(
                    firstLayer.removed(), unitZeroInputs, "only chain removal touched layer 1");
            assertEquals(firstLayer.regrown(), unitZeroInputs);
            // regrowth only joins living neurons, so unit 0 stays dead after the update too
            List<SparseLinear> sparse = BlockSearch.findAll(harness.network, SparseLinear.class);
            assertEquals(sparse.get(0).getMask().get("0, :").countNonzero().getLong(), 0);
            assertEquals(sparse.get(1).getMask().get(":, 0").countNonzero().getLong(), 0);
            seen.forEach(NDArray::close);
        }
    }

    @Test
    public void gradientAccumulationCountsOptimizerSteps() throws Exception {
        Engine.getInstance().setRandomSeed(24);
        MethodPreset method = Methods.set();
        try (DstHarness harness = new DstHarness(method)) {
            DynamicSparseTraining dst =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(harness.optimizer)
                            .setTotalSteps(16)
                            .optMethod(method)
                            .optUpdateInterval(INTERVAL)
                            .optGradientAccumulation(2)
                            .build();
            try (Trainer trainer = harness.trainer(dst)) {
                for (int epoch = 0; epoch < 4; epoch++) { // 32 batches, 16 optimizer steps
                    int micro = 0;
                    for (Batch batch : trainer.iterateDataset(harness.data)) {
                        EasyTrain.trainBatch(trainer, batch);
                        batch.close();
                        if (++micro % 2 == 0) {
                            trainer.step();
                        }
                    }
                }
            }
            List<Long> steps = new ArrayList<>();
            dst.getHistory().forEach(record -> steps.add(record.step()));
            assertEquals(steps, List.of(5L, 10L)); // T_end = floor(0.75 · 16) = 12
            assertEquals(dst.getStep(), 16);
        }
    }

    @DataProvider
    public Object[][] decayingMethods() {
        return Methods.all().stream()
                .filter(method -> method.getDensitySchedule().decays())
                .map(method -> new Object[] {method.getName()})
                .toArray(Object[][]::new);
    }

    /** Runs a decaying method and returns each update's density of the first layer. */
    private static List<Double> densities(String name, double finalSparsity, long pruningEnd) {
        Engine.getInstance().setRandomSeed(21);
        MethodPreset method = Methods.forName(name);
        try (DstHarness harness = new DstHarness(method, finalSparsity)) {
            DynamicSparseTraining.Builder builder =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(harness.optimizer)
                            .setTotalSteps(TOTAL)
                            .optMethod(method)
                            .optUpdateInterval(INTERVAL)
                            .optEndStep(END)
                            .optFinalSparsity(finalSparsity);
            if (pruningEnd > 0) {
                builder.optPruningEnd(pruningEnd);
            }
            DynamicSparseTraining dst = builder.build();
            try (Trainer trainer = harness.trainer(dst)) {
                EasyTrain.fit(trainer, EPOCHS, harness.data, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            List<Double> densities = new ArrayList<>();
            dst.getHistory().forEach(update -> densities.add(update.layers().get(0).density()));
            return densities;
        }
    }

    @Test(dataProvider = "decayingMethods")
    public void belowItsInitialSparsityADecayPrunesNothing(String name) {
        // s₁ = 0.3 < s₀ = 0.5: the layers start at density 0.7 and keep it (first layer 16 x 32)
        double expected = LinkCounts.targetLinks(0.7, 16 * 32) / (16.0 * 32);
        for (double density : densities(name, 0.3, -1)) {
            assertEquals(density, expected, 1e-12, name);
        }
    }

    @Test(dataProvider = "decayingMethods")
    public void aLaterPruningEndLeavesTheLastScheduledDensitiesUnapplied(String name) {
        // the reference's quirk (spec §2.6): T_end 30 < pruning end 40, so the decay stops short
        MethodPreset method = Methods.forName(name);
        List<Double> densities = densities(name, 0.8, 40);
        DecayWindow window = new DecayWindow(0.8, 40, INTERVAL);
        double last =
                LinkCounts.targetLinks(
                                1 - method.getDensitySchedule().sparsityAt(END, window), 16 * 32)
                        / (16.0 * 32);
        assertEquals(densities.get(densities.size() - 1), last, 1e-12, name);
        assertTrue(last > LinkCounts.targetLinks(0.2, 16 * 32) / (16.0 * 32), name);
    }

    private static DynamicSparseTraining.Builder hundredSteps(DstHarness harness) {
        return DynamicSparseTraining.builder()
                .setModel(harness.network)
                .setOptimizer(harness.optimizer)
                .setTotalSteps(100);
    }

    @Test
    public void badConfigurationsFailAtConstruction() {
        try (DstHarness sparse = new DstHarness(Methods.chts());
                DstHarness dense = new DstHarness(Methods.dense())) {
            IllegalArgumentException zero =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> hundredSteps(sparse).optUpdateInterval(0).build());
            assertTrue(zero.getMessage().contains("ΔT"), zero.getMessage());
            IllegalArgumentException beyond =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> hundredSteps(sparse).optEndStep(150).build());
            assertTrue(beyond.getMessage().contains("beyond"), beyond.getMessage());
            IllegalArgumentException kind =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> hundredSteps(dense).optMethod(Methods.chts()).build());
            assertTrue(kind.getMessage().contains("has none"), kind.getMessage());
            IllegalArgumentException constant =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> hundredSteps(sparse).optPruningEnd(80).build());
            assertTrue(constant.getMessage().contains("constant density"), constant.getMessage());
        }
        try (DstHarness decaying = new DstHarness(Methods.chtss())) {
            IllegalArgumentException late =
                    expectThrows(
                            IllegalArgumentException.class,
                            () ->
                                    hundredSteps(decaying)
                                            .optMethod(Methods.chtss())
                                            .optFinalSparsity(0.8)
                                            .optPruningEnd(150)
                                            .build());
            assertTrue(late.getMessage().contains("[100, 100]"), late.getMessage());
        }
        IllegalArgumentException zeta =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> Methods.set().toBuilder().optZeta(1.0, false).build());
        assertTrue(zeta.getMessage().contains("[0, 1)"), zeta.getMessage());
        IllegalArgumentException lambda =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> Methods.chtsl().toBuilder().optAlignmentWeight(-0.5f).build());
        assertTrue(lambda.getMessage().contains("λ"), lambda.getMessage());
        expectThrows(IllegalArgumentException.class, () -> Methods.forName("magic"));
    }
}
