package org.chtsl.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.tracker.Tracker;
import org.chtsl.method.MethodPreset;
import org.chtsl.nn.LowRankActivation;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparseStorage;
import org.chtsl.nn.UniformProjections;

/** A small regression network built the way a method wants, with its data and trainer. */
final class DstHarness implements AutoCloseable {

    static final int SAMPLES = 64;
    static final int BATCH = 8;

    final Model model;
    final SequentialBlock network;
    final MaskedAdam optimizer;
    final ArrayDataset data;
    final NDArray inputs;
    final NDArray targets;
    final Loss loss;

    DstHarness(MethodPreset method) {
        this(method, 0.8);
    }

    /** A harness whose decaying methods start where a decay to {@code finalSparsity} starts. */
    DstHarness(MethodPreset method, double finalSparsity) {
        this(method, finalSparsity, SparseStorage.DENSE_MASKED);
    }

    /** A harness whose sparse layers use the given storage. */
    DstHarness(MethodPreset method, double finalSparsity, SparseStorage storage) {
        model = Model.newInstance("dst", Device.cpu());
        UniformProjections projections =
                new UniformProjections(
                        new ProjectionSpec(
                                method.getKind(),
                                method.getDensitySchedule().decays()
                                        ? 1 - method.initialSparsity(finalSparsity)
                                        : 0.3,
                                4,
                                method.getTopology(),
                                4f,
                                LowRankActivation.SILU,
                                storage),
                        0.3f);
        network =
                new SequentialBlock()
                        .add(projections.create("first", 16, 32))
                        .add(Activation::relu)
                        .add(projections.create("second", 32, 32))
                        .add(Activation::relu)
                        .add(projections.create("third", 32, 4));
        model.setBlock(network);
        NDManager manager = model.getNDManager();
        // the data does not depend on the engine's seed: runs with other initializations see it too
        java.util.Random random = new java.util.Random(99);
        float[] values = new float[SAMPLES * 16];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        inputs = manager.create(values, new Shape(SAMPLES, 16));
        targets = inputs.get(":, 0:4").mul(2).sub(inputs.get(":, 4:8"));
        data =
                new ArrayDataset.Builder()
                        .setData(inputs)
                        .optLabels(targets)
                        .setSampling(BATCH, false)
                        .build();
        optimizer = MaskedAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build();
        loss =
                new SimpleCompositeLoss("dst")
                        .addLoss(new HalfSquaredErrorLoss("task"))
                        .addLoss(
                                new AlignmentLoss(
                                        "AlignmentLoss",
                                        network,
                                        method.getAlignmentWeight(),
                                        method.getAlignmentForm()));
    }

    Trainer trainer(TrainingListener... listeners) {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {Device.cpu()})
                        .addTrainingListeners(listeners);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(BATCH, 16));
        return trainer;
    }

    float taskLoss() {
        NDArray predictions =
                network.forward(
                                new ai.djl.training.ParameterStore(model.getNDManager(), false),
                                new ai.djl.ndarray.NDList(inputs),
                                false)
                        .head();
        return predictions.sub(targets).square().mean().getFloat();
    }

    @Override
    public void close() {
        model.close();
    }
}
