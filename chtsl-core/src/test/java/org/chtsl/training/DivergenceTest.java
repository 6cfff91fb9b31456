package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.testng.annotations.Test;

/** The training loop stops at the first non-finite value and names where it is. */
public class DivergenceTest {

    @Test
    public void aNonFiniteWeightStopsTheStepBeforeTheOptimizerAndIsNamed() throws Exception {
        try (DstHarness harness = new DstHarness(Methods.chts());
                Trainer trainer = harness.trainer()) {
            List<String> names =
                    new ArrayList<>(
                            BlockSearch.findAllNamed(harness.network, SparseLinear.class).keySet());
            SparseLinear third = BlockSearch.findAll(harness.network, SparseLinear.class).get(2);
            assertNull(NonFiniteValues.firstNonFiniteWeight(harness.network));
            NDArray weight = third.getWeight().getArray();
            weight.set(new NDIndex("0, :"), Float.NaN); // a whole row, so an active link is hit
            TrainingLoop loop = new TrainingLoop(trainer, harness.data, DstHarness.BATCH, 1);
            List<Float> losses = new ArrayList<>();
            TrainingDivergedException e =
                    expectThrows(
                            TrainingDivergedException.class,
                            () ->
                                    loop.run(
                                            new TrainingProgress(0, 3, 0),
                                            5,
                                            (p, loss) -> losses.add(loss)));
            assertEquals(e.getStep(), 1);
            assertEquals(e.getParameter(), names.get(2) + ".weight");
            assertTrue(e.getMessage().contains("the training loss is NaN"), e.getMessage());
            assertTrue(losses.isEmpty(), "no step was completed");
            assertNull(
                    harness.optimizer.getMoments(third.getWeight().getId()),
                    "the optimizer never ran");
        }
    }

    @Test
    public void aNonFiniteGradientIsFoundByName() throws Exception {
        try (DstHarness harness = new DstHarness(Methods.set());
                Trainer trainer = harness.trainer()) {
            List<String> names =
                    new ArrayList<>(
                            BlockSearch.findAllNamed(harness.network, SparseLinear.class).keySet());
            try (ai.djl.training.GradientCollector collector = trainer.newGradientCollector()) {
                collector.backward(
                        trainer.forward(new ai.djl.ndarray.NDList(harness.inputs)).head().sum());
            }
            assertTrue(NonFiniteValues.gradientsFinite(harness.network));
            SparseLinear second = BlockSearch.findAll(harness.network, SparseLinear.class).get(1);
            NDArray weight = second.getWeight().getArray();
            try (NDArray gradient = weight.getGradient()) {
                gradient.set(new NDIndex("1, 2"), Float.POSITIVE_INFINITY);
            }
            assertTrue(!NonFiniteValues.gradientsFinite(harness.network));
            assertEquals(
                    NonFiniteValues.firstNonFiniteGradient(harness.network),
                    names.get(1) + ".weight");
            assertNull(NonFiniteValues.firstNonFiniteWeight(harness.network));
        }
    }

    @Test
    public void aNonFiniteGradientWithAFiniteLossStopsBeforeListenersAndOptimizer()
            throws Exception {
        try (DstHarness harness = new DstHarness(Methods.chts())) {
            // √(ŷ − ŷ) is 0, but its gradient is ∞ · 0 = NaN
            Loss poisoned =
                    new Loss("poisoned") {
                        @Override
                        public NDArray evaluate(NDList labels, NDList predictions) {
                            NDArray prediction = predictions.head();
                            return new HalfSquaredErrorLoss()
                                    .evaluate(labels, predictions)
                                    .add(prediction.sub(prediction).sqrt().sum());
                        }
                    };
            int[] listenerCalls = {0};
            TrainingListenerAdapter counter =
                    new TrainingListenerAdapter() {
                        @Override
                        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                            listenerCalls[0]++;
                        }
                    };
            try (Trainer trainer =
                    harness.model.newTrainer(
                            new DefaultTrainingConfig(poisoned)
                                    .optOptimizer(harness.optimizer)
                                    .optDevices(new Device[] {Device.cpu()})
                                    .addTrainingListeners(counter))) {
                trainer.initialize(new ai.djl.ndarray.types.Shape(DstHarness.BATCH, 16));
                harness.optimizer.attach(harness.network);
                TrainingLoop loop = new TrainingLoop(trainer, harness.data, DstHarness.BATCH, 1);
                TrainingDivergedException e =
                        expectThrows(
                                TrainingDivergedException.class,
                                () -> loop.run(new TrainingProgress(0, 3, 0), 5, null));
                assertEquals(e.getStep(), 1);
                assertTrue(e.getMessage().contains("a gradient is not finite"), e.getMessage());
                List<String> names =
                        new ArrayList<>(
                                BlockSearch.findAllNamed(harness.network, SparseLinear.class)
                                        .keySet());
                assertTrue(e.getParameter().startsWith(names.get(0)), e.getParameter());
                assertEquals(listenerCalls[0], 0, "no listener saw the gradients");
                SparseLinear first =
                        BlockSearch.findAll(harness.network, SparseLinear.class).get(0);
                assertNull(harness.optimizer.getMoments(first.getWeight().getId()));
            }
        }
    }
}
