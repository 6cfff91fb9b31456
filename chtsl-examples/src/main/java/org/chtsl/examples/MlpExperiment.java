package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.chtsl.data.Mnist;
import org.chtsl.method.Methods;
import org.chtsl.models.mlp.SparseMlp;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.rule.ChainRemovalPlan;

/**
 * One MNIST run of the CHTs paper's MLP experiment: a method (dense, SET, CHT, CHTs), with or
 * without chain removal, topology updated once per epoch (the reference MLP code's ΔT), ζ = 0.3.
 */
final class MlpExperiment {

    /**
     * What a run measured after each epoch.
     *
     * @param accuracy test accuracy per epoch
     * @param activeNeurons per epoch: active inputs, then active neurons of each hidden layer
     * @param links per epoch: links of each hidden layer
     */
    record Result(List<Double> accuracy, List<int[]> activeNeurons, List<long[]> links) {

        double finalAccuracy() {
            return accuracy.get(accuracy.size() - 1);
        }
    }

    private MlpExperiment() {}

    static Result run(
            Mnist data,
            String method,
            boolean chainRemoval,
            int epochs,
            int batch,
            long seed,
            double density,
            int trainingLimit)
            throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed((int) seed);
        boolean dense = "dense".equals(method.toLowerCase(Locale.ROOT));
        SparseMlp mlp = SparseMlp.builder().optDensity(density).optDense(dense).build();
        try (Model model = Model.newInstance("mlp", Device.cpu())) {
            model.setBlock(mlp);
            NDManager manager = model.getNDManager();
            Mnist.Split train = data.training();
            int n = Math.min(trainingLimit, train.size());
            NDArray images =
                    manager.create(
                            java.util.Arrays.copyOf(train.images(), n * Mnist.PIXELS),
                            new Shape(n, Mnist.PIXELS));
            NDArray labels =
                    manager.create(java.util.Arrays.copyOf(train.labels(), n))
                            .toType(DataType.FLOAT32, false);
            ArrayDataset dataset =
                    new ArrayDataset.Builder()
                            .setData(images)
                            .optLabels(labels)
                            .setSampling(batch, true)
                            .build();
            long stepsPerEpoch = (n + batch - 1) / batch;
            TrainingWiring.Builder wiring =
                    TrainingWiring.builder()
                            .setModel(
                                    mlp,
                                    Methods.forName(method).toBuilder().optZeta(0.3, false).build(),
                                    stepsPerEpoch * epochs)
                            .setObjective(Loss.softmaxCrossEntropyLoss(), Tracker.fixed(1e-3f))
                            .optUpdateInterval(stepsPerEpoch)
                            .optEndStep(stepsPerEpoch * epochs);
            if (chainRemoval) {
                List<String> names =
                        new ArrayList<>(BlockSearch.findAllNamed(mlp, SparseLinear.class).keySet());
                wiring.optChainRemoval(ChainRemovalPlan.stack(names));
            }
            DefaultTrainingConfig config = wiring.build().config;
            List<Double> accuracy = new ArrayList<>();
            List<int[]> active = new ArrayList<>();
            List<long[]> links = new ArrayList<>();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, Mnist.PIXELS));
                for (int epoch = 0; epoch < epochs; epoch++) {
                    EasyTrain.fit(trainer, 1, dataset, null);
                    accuracy.add(testAccuracy(trainer, data.test()));
                    List<SparseLinear> layers = BlockSearch.findAll(mlp, SparseLinear.class);
                    active.add(activeNeurons(mlp, layers));
                    long[] counts = new long[layers.size()];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = layers.get(i).getActiveLinks();
                    }
                    links.add(counts);
                }
            }
            return new Result(accuracy, active, links);
        }
    }

    private static double testAccuracy(Trainer trainer, Mnist.Split test) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray images = scope.create(test.images(), new Shape(test.size(), Mnist.PIXELS));
            NDArray predicted = trainer.evaluate(new NDList(images)).head().argMax(1);
            NDArray truth = scope.create(test.labels()).toType(DataType.INT64, false);
            return predicted.toType(DataType.INT64, false).eq(truth).countNonzero().getLong()
                    / (double) test.size();
        }
    }

    /**
     * Active inputs (with links into fc1), then hidden neurons with both incoming and outgoing
     * links.
     */
    static int[] activeNeurons(SparseMlp mlp, List<SparseLinear> layers) {
        List<Block> hidden = mlp.getHiddenLayers();
        int[] active = new int[hidden.size() + 1];
        if (layers.size() != hidden.size()) { // dense: every neuron is active
            active[0] = Mnist.PIXELS;
            for (int i = 0; i < hidden.size(); i++) {
                active[i + 1] =
                        (int)
                                hidden.get(i)
                                        .getOutputShapes(new Shape[] {new Shape(1, Mnist.PIXELS)})[
                                        0]
                                        .get(1);
            }
            return active;
        }
        try (NDManager scope = NDManager.subManagerOf(layers.get(0).getWeight().getArray())) {
            List<NDArray> masks = new ArrayList<>();
            for (SparseLinear layer : layers) {
                masks.add(layer.denseMask(scope));
            }
            active[0] = countNonZero(masks.get(0).sum(new int[] {0}));
            for (int i = 0; i < masks.size(); i++) {
                NDArray alive = masks.get(i).sum(new int[] {1}).gt(0);
                if (i + 1 < masks.size()) {
                    alive = alive.logicalAnd(masks.get(i + 1).sum(new int[] {0}).gt(0));
                }
                active[i + 1] = countNonZero(alive);
            }
        }
        return active;
    }

    private static int countNonZero(NDArray array) {
        return (int) array.countNonzero().getLong();
    }
}
