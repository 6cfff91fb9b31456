package org.chtsl.training;

import ai.djl.MalformedModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Counts optimizer steps from the micro-batches a training listener sees. DJL calls {@code
 * onTrainingBatch} once per micro-batch and has no hook after {@code Trainer.step()}, so the
 * listeners that act once per optimizer step (the topology update, OCR recording, clipping) share
 * this one rule: a step completes with every {@code accumulation}-th batch. It works the same under
 * {@link TrainingLoop} and a stock {@code EasyTrain.fit}.
 */
public final class OptimizerStepCounter {

    private final int accumulation;
    private long batches;

    /**
     * Creates a counter.
     *
     * @param accumulation micro-batches per optimizer step (≥ 1)
     * @throws IllegalArgumentException if {@code accumulation < 1}
     */
    public OptimizerStepCounter(int accumulation) {
        if (accumulation < 1) {
            throw new IllegalArgumentException(
                    "Gradient accumulation must be >= 1 micro-batch per step, got "
                            + accumulation
                            + ".");
        }
        this.accumulation = accumulation;
    }

    /**
     * Counts one micro-batch.
     *
     * @return whether it completes an optimizer step (the gradients are then the step's sum)
     */
    public boolean countBatch() {
        batches++;
        return batches % accumulation == 0;
    }

    /**
     * Returns the optimizer steps completed so far.
     *
     * @return the step count
     */
    public long getStep() {
        return batches / accumulation;
    }

    /**
     * Returns the micro-batches per optimizer step.
     *
     * @return the accumulation
     */
    public int getAccumulation() {
        return accumulation;
    }

    /**
     * Writes the count, for checkpoints.
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    public void save(DataOutputStream os) throws IOException {
        os.writeInt(accumulation);
        os.writeLong(batches);
    }

    /**
     * Reads what {@link #save} wrote.
     *
     * @param is the stream
     * @throws IOException if reading fails
     * @throws MalformedModelException if the count was saved with another accumulation (the steps
     *     would no longer line up with the optimizer's)
     */
    public void load(DataInputStream is) throws IOException, MalformedModelException {
        batches = readSaved(is);
    }

    /**
     * Reads what {@link #save} wrote without applying it (see {@link #restore}).
     *
     * @param is the stream
     * @return the saved count of micro-batches
     * @throws IOException if reading fails
     * @throws MalformedModelException if it was saved with another accumulation
     */
    long readSaved(DataInputStream is) throws IOException, MalformedModelException {
        int saved = is.readInt();
        if (saved != accumulation) {
            throw new MalformedModelException(
                    "The checkpoint counted "
                            + saved
                            + " micro-batches per optimizer step, this run "
                            + accumulation
                            + "; resume with the same batch and micro-batch.");
        }
        return is.readLong();
    }

    /**
     * Sets the count of micro-batches seen (one {@link #readSaved} returned).
     *
     * @param count the micro-batches
     */
    void restore(long count) {
        batches = count;
    }
}
