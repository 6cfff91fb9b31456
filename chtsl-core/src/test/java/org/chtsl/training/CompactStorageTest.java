package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseStorage;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Compact storage is the same training as dense-masked storage: same seed, same losses, same
 * weights and moments after prune-and-regrow (and density decay), bit for bit on the CPU.
 */
public class CompactStorageTest {

    private static final long TOTAL = 80;

    /** Records the training loss of every batch and checks the compact invariants. */
    private static final class Recorder extends TrainingListenerAdapter {
        private final DstHarness harness;
        final List<Float> losses = new ArrayList<>();

        Recorder(DstHarness harness) {
            this.harness = harness;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            float sum = 0;
            for (ai.djl.Device device : batchData.getLabels().keySet()) {
                NDArray loss =
                        trainer.getLoss()
                                .evaluate(
                                        batchData.getLabels().get(device),
                                        batchData.getPredictions().get(device));
                sum += loss.getFloat();
                loss.close();
            }
            losses.add(sum);
            for (SparseLinear layer : BlockSearch.findAll(harness.network, SparseLinear.class)) {
                if (layer.getStorage() == SparseStorage.COMPACT) {
                    checkSlots(layer, harness.optimizer);
                }
            }
        }
    }

    /**
     * Positions ascending and distinct; unused slots hold the spare position, value 0, moments 0.
     */
    static void checkSlots(SparseLinear layer, MaskedAdam optimizer) {
        long spare = layer.getUnits() * layer.getInputFeatures();
        long[] positions = layer.getPositions().toLongArray();
        float[] values = layer.getWeight().getArray().toFloatArray();
        NDArray[] moments = optimizer.getMoments(layer.getWeight().getId());
        float[] mean = moments == null ? null : moments[0].toFloatArray();
        float[] variance = moments == null ? null : moments[1].toFloatArray();
        long active = 0;
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] == spare) {
                assertEquals(values[i], 0f, "unused slot " + i + " of " + layer);
                if (mean != null) {
                    assertEquals(mean[i], 0f);
                    assertEquals(variance[i], 0f);
                }
                continue;
            }
            active++;
            assertTrue(positions[i] >= 0 && positions[i] < spare, "position " + positions[i]);
            assertTrue(i == 0 || positions[i] > positions[i - 1], "ascending at slot " + i);
        }
        assertEquals(layer.getActiveLinks(), active);
    }

    @DataProvider
    public Object[][] compactMethods() {
        return new Object[][] {{"chts"}, {"set"}, {"chtss"}, {"chtsl"}, {"sltrain"}};
    }

    @Test(dataProvider = "compactMethods")
    public void compactAndDenseMaskedTrainTheSameNetwork(String name) throws Exception {
        MethodPreset method = Methods.forName(name);
        assertEquals(method.defaultStorage(), SparseStorage.COMPACT, name);
        Run dense = train(method, SparseStorage.DENSE_MASKED);
        Run compact = train(method, SparseStorage.COMPACT);
        try {
            assertFalse(dense.losses.isEmpty());
            assertEquals(compact.losses, dense.losses, name + ": losses per batch");
            assertEquals(compact.updates, dense.updates, name + ": removed/regrown per update");
            assertEquals(compact.weights.size(), dense.weights.size());
            for (int i = 0; i < dense.weights.size(); i++) {
                assertEquals(compact.weights.get(i), dense.weights.get(i), name + " layer " + i);
            }
        } finally {
            compact.close();
            dense.close();
        }
    }

    /** What one training run leaves: losses, update counts, dense weights and moments. */
    private static final class Run implements AutoCloseable {
        final List<Float> losses;
        final List<String> updates = new ArrayList<>();
        final List<List<Float>> weights = new ArrayList<>();
        private final NDManager manager = NDManager.newBaseManager();

        Run(List<Float> losses) {
            this.losses = losses;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private static Run train(MethodPreset method, SparseStorage storage) throws Exception {
        Engine.getInstance().setRandomSeed(33);
        try (DstHarness harness = new DstHarness(method, 0.8, storage)) {
            DynamicSparseTraining dst =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(harness.optimizer)
                            .setTotalSteps(TOTAL)
                            .optMethod(method)
                            .optUpdateInterval(5)
                            .optEndStep(40)
                            .optFinalSparsity(0.8)
                            .build();
            Recorder recorder = new Recorder(harness);
            try (Trainer trainer = harness.trainer(dst, recorder)) {
                EasyTrain.fit(trainer, (int) (TOTAL / 8), harness.data, null);
            }
            Run run = new Run(recorder.losses);
            dst.getHistory()
                    .forEach(
                            record ->
                                    record.layers()
                                            .forEach(
                                                    layer ->
                                                            run.updates.add(
                                                                    layer.name()
                                                                            + ":"
                                                                            + layer.removed()
                                                                            + "/"
                                                                            + layer.regrown())));
            for (SparseLinear layer : BlockSearch.findAll(harness.network, SparseLinear.class)) {
                assertEquals(layer.getStorage(), storage);
                run.weights.add(floats(layer.denseWeight(run.manager)));
                run.weights.add(floats(layer.denseMask(run.manager)));
                NDArray[] moments = harness.optimizer.getMoments(layer.getWeight().getId());
                for (NDArray moment : moments) {
                    run.weights.add(floats(dense(layer, moment, run.manager)));
                }
            }
            return run;
        }
    }

    /** Spreads per-slot state over the dense shape (the dense-masked form's state is dense). */
    private static NDArray dense(SparseLinear layer, NDArray state, NDManager manager) {
        if (layer.getStorage() == SparseStorage.DENSE_MASKED) {
            return state;
        }
        long size = layer.getUnits() * layer.getInputFeatures();
        NDArray spread =
                manager.zeros(new ai.djl.ndarray.types.Shape(size + 1), state.getDataType());
        return spread.scatter(layer.getPositions(), state, 0)
                .get(new ai.djl.ndarray.index.NDIndex().addSliceDim(0, size));
    }

    private static List<Float> floats(NDArray array) {
        List<Float> list = new ArrayList<>();
        for (float value : array.toFloatArray()) {
            list.add(value + 0.0f); // -0.0 (a masked negative weight) and 0.0 are the same
        }
        return list;
    }

    @Test
    public void denseGradientMethodsRefuseCompactLayers() {
        MethodPreset rigl = Methods.rigl();
        assertEquals(rigl.defaultStorage(), SparseStorage.DENSE_MASKED);
        try (DstHarness harness = new DstHarness(rigl, 0.8, SparseStorage.COMPACT)) {
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DynamicSparseTraining.builder()
                                            .setModel(harness.network)
                                            .setOptimizer(harness.optimizer)
                                            .setTotalSteps(TOTAL)
                                            .optMethod(rigl)
                                            .build());
            assertTrue(e.getMessage().contains("DENSE_MASKED"), e.getMessage());
        }
    }
}
