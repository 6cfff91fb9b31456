package org.chtsl.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.translate.Batchifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * chtsl's step-based training loop around a DJL {@link Trainer}: every optimizer step runs {@code
 * gradientAccumulation} micro-batches through the trainer (listeners see each one, as with {@code
 * EasyTrain}), then {@code trainer.step()}.
 *
 * <p>It makes runs resumable to the last bit: the engine's random generator is reseeded from the
 * run's seed at every step, and samples are read in an order that depends only on the seed and the
 * epoch, so {@link TrainingProgress} (step, seed, samples seen) is the whole state besides the
 * model, optimizer and listeners ({@link TrainingCheckpoint}).
 */
public final class TrainingLoop {

    /** Called after every optimizer step. */
    @FunctionalInterface
    public interface StepListener {

        /**
         * A step finished.
         *
         * @param progress where the run stands after it
         * @param loss the step's mean training loss over its micro-batches
         * @throws IOException if the listener writes and fails
         */
        void onStep(TrainingProgress progress, float loss) throws IOException;
    }

    private final Trainer trainer;
    private final RandomAccessDataset data;
    private final int batchSize;
    private final int gradientAccumulation;
    private long[] order;
    private long orderSeed;
    private long orderEpoch = -1;

    /**
     * Creates a loop.
     *
     * @param trainer the trainer (its optimizer should be rescaled by 1/gradientAccumulation)
     * @param data the training samples
     * @param batchSize samples per micro-batch
     * @param gradientAccumulation micro-batches per optimizer step
     */
    public TrainingLoop(
            Trainer trainer, RandomAccessDataset data, int batchSize, int gradientAccumulation) {
        if (batchSize < 1 || gradientAccumulation < 1) {
            throw new IllegalArgumentException(
                    "Batch size and gradient accumulation must be >= 1, got "
                            + batchSize
                            + " and "
                            + gradientAccumulation
                            + ".");
        }
        if (data.size() < batchSize) {
            throw new IllegalArgumentException(
                    "The data has "
                            + data.size()
                            + " samples, fewer than one batch of "
                            + batchSize
                            + ".");
        }
        this.trainer = trainer;
        this.data = data;
        this.batchSize = batchSize;
        this.gradientAccumulation = gradientAccumulation;
    }

    /**
     * Trains from {@code start} up to {@code totalSteps} optimizer steps.
     *
     * @param start where to start (step 0 for a new run, or a checkpoint's progress)
     * @param totalSteps the step to stop at
     * @param listener called after every step, or {@code null}
     * @return where the run stands at the end
     * @throws IOException if reading data or the listener fails
     * @throws TrainingDivergedException at the first non-finite loss or gradient, before the
     *     optimizer applies it
     */
    public TrainingProgress run(TrainingProgress start, long totalSteps, StepListener listener)
            throws IOException {
        TrainingProgress progress = start;
        while (progress.step() < totalSteps) {
            Engine.getInstance().setRandomSeed(progress.engineSeedFor(progress.step()));
            double loss = 0;
            long seen = progress.samplesSeen();
            for (int micro = 0; micro < gradientAccumulation; micro++) {
                try (Batch batch = batchAt(progress.seed(), seen)) {
                    loss +=
                            trainBatch(
                                    batch, progress.step() + 1, micro == gradientAccumulation - 1);
                }
                seen += batchSize;
            }
            trainer.step();
            progress = new TrainingProgress(progress.step() + 1, progress.seed(), seen);
            if (listener != null) {
                listener.onStep(progress, (float) (loss / gradientAccumulation));
            }
        }
        return progress;
    }

    /**
     * One micro-batch: forward, backward and the listeners. A non-finite loss stops the run before
     * its backward pass; after the last micro-batch of a step, non-finite gradients stop it before
     * the listeners (topology updates, clipping) and the optimizer see them.
     */
    private float trainBatch(Batch batch, long step, boolean lastOfStep) {
        Device device = trainer.getDevices()[0];
        Block model = trainer.getModel().getBlock();
        Map<Device, NDList> labels = new ConcurrentHashMap<>();
        Map<Device, NDList> predictions = new ConcurrentHashMap<>();
        float value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList batchLabels = batch.getLabels();
            NDList output = trainer.forward(batch.getData(), batchLabels);
            NDArray loss = trainer.getLoss().evaluate(batchLabels, output);
            value = loss.getFloat();
            if (!Float.isFinite(value)) {
                String parameter = NonFiniteValues.firstNonFiniteWeight(model);
                throw new TrainingDivergedException(
                        step,
                        "the training loss is "
                                + value
                                + (parameter == null ? " (every weight is still finite)" : ""),
                        parameter);
            }
            collector.backward(loss);
            labels.put(device, batchLabels);
            predictions.put(device, output);
        }
        if (lastOfStep && !NonFiniteValues.gradientsFinite(model)) {
            String parameter = NonFiniteValues.firstNonFiniteGradient(model);
            throw new TrainingDivergedException(
                    step,
                    "a gradient is not finite",
                    parameter == null ? NonFiniteValues.firstNonFiniteWeight(model) : parameter);
        }
        BatchData batchData = new BatchData(batch, labels, predictions);
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, batchData));
        return value;
    }

    /** The batch starting at a global sample position, in the seed's order for its epoch. */
    private Batch batchAt(long seed, long position) throws IOException {
        long size = data.size();
        NDManager manager = trainer.getManager().newSubManager();
        List<NDList> inputs = new ArrayList<>();
        List<NDList> targets = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        for (long p = position; p < position + batchSize; p++) {
            long index = orderOf(seed, p / size)[(int) (p % size)];
            Record record = data.get(manager, index);
            inputs.add(record.getData());
            targets.add(record.getLabels());
            indices.add(index);
        }
        NDList batchData = Batchifier.STACK.batchify(inputs.toArray(new NDList[0]));
        NDList batchLabels = Batchifier.STACK.batchify(targets.toArray(new NDList[0]));
        return new Batch(
                manager,
                batchData,
                batchLabels,
                batchSize,
                Batchifier.STACK,
                Batchifier.STACK,
                position,
                size,
                indices);
    }

    /** The sample order of an epoch: a shuffle that depends only on the seed and the epoch. */
    private long[] orderOf(long seed, long epoch) {
        if (order == null || orderSeed != seed || orderEpoch != epoch) {
            int size = Math.toIntExact(data.size());
            order = new long[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Random random = new Random(seed * 0x5DEECE66DL + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            orderSeed = seed;
            orderEpoch = epoch;
        }
        return order;
    }
}
