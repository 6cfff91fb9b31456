package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.score.MagnitudeScore;
import org.testng.annotations.Test;

/**
 * CHTss (spec §7): links the density decay prunes lose their weight and Adam moments at once, so
 * one that regrowth picks again in the same update restarts at zero, while one that ζ removal took
 * away and regrowth picked again keeps its state (spec §1.6).
 */
public class DensityDecayStateTest {

    /** Weights and masks of every sparse layer just before the topology update. */
    private static final class BeforeUpdate extends TrainingListenerAdapter {
        private final DstHarness harness;
        private final Map<String, float[]> weights = new LinkedHashMap<>();
        private final Map<String, float[]> masks = new LinkedHashMap<>();
        private final Map<String, float[]> variances = new LinkedHashMap<>();
        private int batches;

        BeforeUpdate(DstHarness harness) {
            this.harness = harness;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            if (++batches == 3) {
                BlockSearch.findAllNamed(harness.network, SparseLinear.class)
                        .forEach(
                                (name, layer) -> {
                                    weights.put(name, layer.getWeight().getArray().toFloatArray());
                                    masks.put(name, layer.getMask().toFloatArray());
                                    variances.put(
                                            name,
                                            harness.optimizer
                                                    .getMoments(layer.getWeight().getId())[1]
                                                    .toFloatArray());
                                });
            }
        }
    }

    @Test
    public void decayPrunedLinksRestartAtZeroEvenWhenRegrown() throws Exception {
        Engine.getInstance().setRandomSeed(8);
        // regrowth by the old |W| picks removed links back: the decay's among them
        MethodPreset method =
                Methods.chtss().toBuilder()
                        .optRules(
                                new TopKRemoval(new MagnitudeScore()),
                                ScoreRegrowth.topK(new MagnitudeScore()))
                        .optZeta(0.3, false)
                        .build();
        try (DstHarness harness = new DstHarness(method, 0.8)) {
            DynamicSparseTraining topology =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(harness.optimizer)
                            .setTotalSteps(12)
                            .optMethod(method)
                            .optUpdateInterval(3)
                            .optEndStep(9)
                            .optFinalSparsity(0.8)
                            .build();
            BeforeUpdate before = new BeforeUpdate(harness);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(harness.loss)
                            .optOptimizer(harness.optimizer)
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(before, topology);
            try (Trainer trainer = harness.model.newTrainer(config)) {
                trainer.initialize(new Shape(DstHarness.BATCH, 16));
                // three steps: the third updates topology and skips its optimizer step
                new TrainingLoop(trainer, harness.data, DstHarness.BATCH, 1)
                        .run(new TrainingProgress(0, 3, 0), 3, null);
            }
            long restarted = 0;
            long carried = 0;
            for (Map.Entry<String, SparseLinear> entry :
                    BlockSearch.findAllNamed(harness.network, SparseLinear.class).entrySet()) {
                SparseLinear layer = entry.getValue();
                float[] oldWeights = before.weights.get(entry.getKey());
                float[] oldMask = before.masks.get(entry.getKey());
                float[] oldVariance = before.variances.get(entry.getKey());
                float[] weights = layer.getWeight().getArray().toFloatArray();
                float[] mask = layer.getMask().toFloatArray();
                float[][] moments = {
                    harness.optimizer.getMoments(layer.getWeight().getId())[0].toFloatArray(),
                    harness.optimizer.getMoments(layer.getWeight().getId())[1].toFloatArray()
                };
                for (int i = 0; i < mask.length; i++) {
                    if (mask[i] == 0 || oldMask[i] == 0) {
                        continue;
                    }
                    // active before and after: either carried over untouched or restarted
                    if (weights[i] == 0) {
                        restarted++;
                        assertEquals(moments[0][i], 0f, entry.getKey() + " m1 at " + i);
                        assertEquals(moments[1][i], 0f, entry.getKey() + " m2 at " + i);
                        assertTrue(oldWeights[i] != 0, "a restarted link had a weight");
                    } else {
                        carried++;
                        assertEquals(weights[i], oldWeights[i], entry.getKey() + " at " + i);
                        assertEquals(moments[1][i], oldVariance[i], "carried moments at " + i);
                    }
                }
            }
            assertTrue(restarted > 0, "some decay-pruned links were regrown: " + restarted);
            assertTrue(carried > restarted, "most links carry over: " + carried);
        }
    }
}
