package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.score.GradientMagnitudeScore;
import org.chtsl.topology.score.MestScore;
import org.testng.annotations.Test;

/**
 * Clipping and gradient scores act on the mean gradient: the same data as one batch of 8 or as 4
 * micro-batches of 2 gives the same clipped gradient and the same MEST topology.
 */
public class GradientAccumulationTest {

    /** Below the mean gradient's norm at step 1, so clipping acts in both runs. */
    private static final float CLIP = 0.05f;

    /** Large enough that |W| and λ|G| are of one size, so a score off by GA ranks differently. */
    private static final float MEST_LAMBDA = 3f;

    /** What one run leaves: the clipped mean gradients of step 1, the masks, the weights. */
    private record Run(
            Map<String, float[]> gradients,
            Map<String, float[]> masks,
            Map<String, float[]> weights,
            double firstNorm) {}

    /** Records the mean gradient of every parameter after the first step's last micro-batch. */
    private static final class MeanGradients extends TrainingListenerAdapter {
        private final DstHarness harness;
        private final OptimizerStepCounter steps;
        private final int accumulation;
        private final Map<String, float[]> first = new LinkedHashMap<>();

        MeanGradients(DstHarness harness, int accumulation) {
            this.harness = harness;
            this.accumulation = accumulation;
            this.steps = new OptimizerStepCounter(accumulation);
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            if (steps.countBatch() && steps.getStep() == 1) {
                for (Pair<String, Parameter> pair : harness.network.getParameters()) {
                    NDArray array = pair.getValue().getArray();
                    if (pair.getValue().requiresGradient() && array.hasGradient()) {
                        try (NDArray gradient = array.getGradient();
                                NDArray mean = gradient.div(accumulation)) {
                            first.put(pair.getKey(), mean.toFloatArray());
                        }
                    }
                }
            }
        }
    }

    private static Run train(MethodPreset method, int accumulation) throws Exception {
        Engine.getInstance().setRandomSeed(5);
        try (DstHarness harness = new DstHarness(method)) {
            MaskedAdam adam =
                    MaskedAdam.builder()
                            .optLearningRateTracker(Tracker.fixed(0.01f))
                            .setRescaleGrad(1f / accumulation)
                            .build();
            DynamicSparseTraining topology =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(adam)
                            .setTotalSteps(6)
                            .optMethod(method)
                            .optUpdateInterval(3)
                            .optEndStep(5)
                            .optGradientAccumulation(accumulation)
                            .build();
            GlobalNormClipping clipping =
                    new GlobalNormClipping(harness.network, CLIP, accumulation);
            MeanGradients gradients = new MeanGradients(harness, accumulation);
            double[] firstNorm = {Double.NaN};
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(harness.loss)
                            .optOptimizer(adam)
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(topology, clipping, gradients);
            try (Trainer trainer = harness.model.newTrainer(config)) {
                trainer.initialize(new Shape(DstHarness.BATCH / accumulation, 16));
                new TrainingLoop(
                                trainer,
                                harness.data,
                                DstHarness.BATCH / accumulation,
                                accumulation)
                        .run(
                                new TrainingProgress(0, 3, 0),
                                6,
                                (progress, loss) -> {
                                    if (progress.step() == 1) {
                                        firstNorm[0] = clipping.getLastNorm();
                                    }
                                });
            }
            Map<String, float[]> masks = new LinkedHashMap<>();
            Map<String, float[]> weights = new LinkedHashMap<>();
            BlockSearch.findAllNamed(harness.network, SparseLinear.class)
                    .forEach(
                            (name, layer) -> {
                                masks.put(name, layer.getMask().toFloatArray());
                                weights.put(name, layer.getWeight().getArray().toFloatArray());
                            });
            return new Run(gradients.first, masks, weights, firstNorm[0]);
        }
    }

    private static MethodPreset mest() {
        return Methods.mest().toBuilder()
                .optRules(
                        new TopKRemoval(new MestScore(MEST_LAMBDA)),
                        ScoreRegrowth.topK(new GradientMagnitudeScore()))
                .build();
    }

    @Test
    public void clippingAndMestSeeTheMeanGradientWhateverTheAccumulation() throws Exception {
        Run whole = train(mest(), 1);
        Run accumulated = train(mest(), 4);

        assertTrue(whole.firstNorm() > CLIP, "clipping acts: mean norm " + whole.firstNorm());
        assertEquals(accumulated.firstNorm(), whole.firstNorm(), 1e-5 * whole.firstNorm());
        double clippedSquares = 0;
        for (Map.Entry<String, float[]> entry : whole.gradients().entrySet()) {
            float[] expected = entry.getValue();
            float[] actual = accumulated.gradients().get(entry.getKey());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(actual[i], expected[i], 1e-6f, entry.getKey() + "[" + i + "]");
                clippedSquares += (double) expected[i] * expected[i];
            }
        }
        assertEquals(Math.sqrt(clippedSquares), CLIP, 1e-4, "the mean gradient is clipped to C");

        for (Map.Entry<String, float[]> entry : whole.masks().entrySet()) {
            float[] expected = entry.getValue();
            float[] actual = accumulated.masks().get(entry.getKey());
            int differ = 0;
            for (int i = 0; i < expected.length; i++) {
                differ += expected[i] != actual[i] ? 1 : 0;
            }
            assertEquals(differ, 0, entry.getKey() + ": MEST picked other links with GA 4");
            float[] w1 = whole.weights().get(entry.getKey());
            float[] w4 = accumulated.weights().get(entry.getKey());
            for (int i = 0; i < w1.length; i++) {
                assertEquals(w4[i], w1[i], 1e-4f, entry.getKey() + " weight " + i);
            }
        }
    }
}
