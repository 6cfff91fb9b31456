package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.AlignmentForm;
import org.chtsl.nn.SparseLowRankLinear;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.Test;

public class TrainingUtilitiesTest extends ManagedTest {

    @Test
    public void learningRateScheduleScalesTheMultiplier() {
        LearningRateSchedule schedule =
                new LearningRateSchedule(
                        3e-3f, new LearningRateMultiplier(1000, 10000, 0.1, 100, 20));
        assertEquals(schedule.getNewValue(1000), 0f);
        assertEquals(schedule.getNewValue(1005), 3e-3f * 0.25f, 1e-9f);
        assertEquals(schedule.getNewValue(9999), 3e-4f, 1e-8f);
        expectThrows(
                IllegalArgumentException.class,
                () -> new LearningRateSchedule(0, new LearningRateMultiplier(0, 10, 0.1, 5, 0)));
    }

    @Test
    public void globalNormClippingScalesEveryGradientByOneFactor() {
        Linear layer = Linear.builder().setUnits(2).optBias(false).build();
        SequentialBlock model = new SequentialBlock().add(layer);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        layer.getParameters()
                .get("weight")
                .getArray()
                .muli(0)
                .addi(manager.create(new float[][] {{1, 2}, {3, 4}}));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = manager.create(new float[][] {{3, 4}});
            NDArray y =
                    model.forward(new ParameterStore(manager, false), new NDList(x), true).head();
            collector.backward(y.sum()); // d/dW = [[3, 4], [3, 4]], norm √50
        }
        double norm = GlobalNormClipping.clip(model, 1f);
        assertEquals(norm, Math.sqrt(50), 1e-5);
        NDArray clipped = layer.getParameters().get("weight").getArray().getGradient();
        assertEquals(clipped.square().sum().getFloat(), 1f, 1e-5f);
        assertEquals(clipped.toFloatArray()[1] / clipped.toFloatArray()[0], 4f / 3, 1e-5f);
        assertEquals(GlobalNormClipping.clip(model, 10f), 1, 1e-5, "below the limit: unchanged");
        clipped.muli(Float.POSITIVE_INFINITY);
        IllegalStateException diverged =
                expectThrows(IllegalStateException.class, () -> GlobalNormClipping.clip(model, 1f));
        assertTrue(diverged.getMessage().contains("diverged"), diverged.getMessage());
        expectThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(model, 0, 1));
    }

    @Test
    public void theAlignmentGradientShareIsLambdaTimesItsNormOverTheOutputGradient()
            throws Exception {
        Engine.getInstance().setRandomSeed(3);
        float lambda = 0.5f;
        MethodPreset perToken =
                Methods.chtsl().toBuilder().optAlignmentForm(AlignmentForm.NORM_PER_TOKEN).build();
        try (DstHarness harness = new DstHarness(perToken)) {
            OverlapRecorder recorder = new OverlapRecorder(harness.network, 3, 1, lambda);
            double[] independent = new double[1];
            SparseLowRankLinear last =
                    (SparseLowRankLinear)
                            harness.network.getChildren().get(4).getValue(); // "third", 32 → 4
            TrainingListenerAdapter check =
                    new TrainingListenerAdapter() {
                        private int batches;

                        @Override
                        public void onTrainingBatch(Trainer trainer, BatchData data) {
                            if (++batches != 3) {
                                return;
                            }
                            // the last layer's output is the prediction: ∂(½·mean((O−y)²))/∂O
                            NDArray o = data.getPredictions().values().iterator().next().head();
                            NDArray y = data.getLabels().values().iterator().next().head();
                            independent[0] =
                                    o.sub(y.reshape(o.getShape())).square().sum().sqrt().getFloat()
                                            / o.size();
                            assertEquals(last.getLastOutputGradientNorm(), independent[0], 1e-6);
                            assertEquals(
                                    last.getLastAlignmentGradientNorm(), 4.0 / o.size(), 1e-12);
                        }
                    };
            try (Trainer trainer = harness.trainer(check, recorder)) {
                EasyTrain.fit(trainer, 1, harness.data, null);
            }
            assertTrue(independent[0] > 0, "the check ran");
            java.util.Map<String, Double> shares = recorder.getHistory().get(0).gradientShares();
            assertEquals(shares.size(), 3);
            double lastShare = new java.util.ArrayList<>(shares.values()).get(2);
            assertEquals(lastShare, lambda * (1.0 / DstHarness.BATCH) / independent[0], 1e-6);
            shares.values().forEach(share -> assertTrue(share > 0 && Double.isFinite(share)));
        }
    }

    @Test
    public void overlapRatiosAreRecordedEveryKStepsAndLossComponentsNamed() throws Exception {
        Engine.getInstance().setRandomSeed(3);
        try (DstHarness harness = new DstHarness(Methods.chtsl())) {
            OverlapRecorder recorder = new OverlapRecorder(harness.network, 3, 1);
            try (Trainer trainer = harness.trainer(recorder)) {
                EasyTrain.fit(trainer, 1, harness.data, null); // 8 steps: records at 3 and 6
            }
            assertEquals(recorder.getHistory().size(), 2);
            assertEquals(recorder.getHistory().get(1).step(), 6);
            for (double ratio : recorder.getHistory().get(0).layers().values()) {
                assertTrue(ratio >= 0 && ratio <= 1, "OCR " + ratio);
            }
            assertEquals(recorder.getHistory().get(0).layers().size(), 3);
            for (SparseLowRankLinear layer :
                    org.chtsl.nn.BlockSearch.findAll(harness.network, SparseLowRankLinear.class)) {
                assertTrue(!layer.isOverlapTracking(), "tracking is off between recorded steps");
            }
        }
        SimpleCompositeLoss loss =
                AlignmentLoss.withTask(Loss.l2Loss("task"), new SequentialBlock(), 0.5f);
        expectThrows(
                IllegalArgumentException.class,
                () -> new OverlapRecorder(new SequentialBlock(), 3, 1, -1f));
        assertEquals(loss.getComponents().get(0).getName(), "task");
        assertEquals(loss.getComponents().get(1).getName(), "alignment");
    }
}
