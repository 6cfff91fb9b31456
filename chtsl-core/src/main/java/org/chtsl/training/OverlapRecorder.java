package org.chtsl.training;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLowRankLinear;

/**
 * Records the overlap cancellation ratio of every {@link SparseLowRankLinear} of a model every
 * {@code K} optimizer steps (the CHTsL paper's Figure 2), and the alignment term's share of the
 * gradient: {@code λ·‖∂term/∂S‖ / ‖∂ℒ/∂O‖}, what the term adds to the sparse branch's output
 * gradient against the gradient that reaches the projection's output from the rest of the network.
 * Both are read from the last micro-batch of the step. Tracking is switched on only for the batches
 * of a recorded step, since reading the values synchronises with the device.
 */
public class OverlapRecorder extends TrainingListenerAdapter implements CheckpointState {

    /**
     * The ratios of one step.
     *
     * @param step the optimizer step
     * @param layers the ratio of each projection, by name
     * @param gradientShares the alignment term's share of each projection's output gradient, by
     *     name (NaN where it could not be measured)
     */
    public record Entry(
            long step, Map<String, Double> layers, Map<String, Double> gradientShares) {}

    private static final byte STATE_VERSION = 2;

    private final Map<String, SparseLowRankLinear> layers;
    private final long every;
    private final float lambda;
    private final OptimizerStepCounter steps;
    private final List<Entry> history = new ArrayList<>();

    /**
     * Creates the recorder.
     *
     * @param model the model
     * @param every K, record every K optimizer steps (≥ 1)
     * @param gradientAccumulation batches per optimizer step (≥ 1)
     */
    public OverlapRecorder(Block model, long every, int gradientAccumulation) {
        this(model, every, gradientAccumulation, 0);
    }

    /**
     * Creates the recorder for a run whose alignment loss has weight λ.
     *
     * @param model the model
     * @param every K, record every K optimizer steps (≥ 1)
     * @param gradientAccumulation batches per optimizer step (≥ 1)
     * @param lambda the alignment loss's λ (≥ 0), for the gradient shares
     */
    public OverlapRecorder(Block model, long every, int gradientAccumulation, float lambda) {
        if (every < 1) {
            throw new IllegalArgumentException(
                    "OCR recording needs an interval >= 1 step, got " + every + ".");
        }
        this.layers = BlockSearch.findAllNamed(model, SparseLowRankLinear.class);
        this.every = every;
        if (!(lambda >= 0 && Float.isFinite(lambda))) {
            throw new IllegalArgumentException(
                    "The alignment weight λ must be finite and >= 0, got " + lambda + ".");
        }
        this.lambda = lambda;
        this.steps = new OptimizerStepCounter(gradientAccumulation);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        track((steps.getStep() + 1) % every == 0);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (!steps.countBatch()) {
            return;
        }
        long step = steps.getStep();
        if (step % every == 0) {
            Map<String, Double> ratios = new LinkedHashMap<>();
            Map<String, Double> shares = new LinkedHashMap<>();
            layers.forEach(
                    (name, layer) -> {
                        ratios.put(name, layer.getLastOverlapCancellationRatio());
                        shares.put(
                                name,
                                lambda
                                        * layer.getLastAlignmentGradientNorm()
                                        / layer.getLastOutputGradientNorm());
                    });
            history.add(
                    new Entry(
                            step,
                            Collections.unmodifiableMap(ratios),
                            Collections.unmodifiableMap(shares)));
        }
        track((step + 1) % every == 0);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        track(false);
    }

    private void track(boolean on) {
        layers.values().forEach(layer -> layer.setOverlapTracking(on));
    }

    /**
     * Returns the recorded ratios.
     *
     * @return an unmodifiable view of the entries, by step
     */
    public List<Entry> getHistory() {
        return Collections.unmodifiableList(history);
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code "overlap"}
     */
    @Override
    public String getStateName() {
        return "overlap";
    }

    /**
     * Writes the counters and every recorded ratio.
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    @Override
    public void saveState(DataOutputStream os) throws IOException {
        os.writeByte(STATE_VERSION);
        steps.save(os);
        os.writeInt(history.size());
        for (Entry entry : history) {
            os.writeLong(entry.step());
            os.writeInt(entry.layers().size());
            for (Map.Entry<String, Double> layer : entry.layers().entrySet()) {
                os.writeUTF(layer.getKey());
                os.writeDouble(layer.getValue());
                os.writeDouble(entry.gradientShares().getOrDefault(layer.getKey(), Double.NaN));
            }
        }
    }

    /**
     * Restores the counters and ratios written by {@link #saveState}.
     *
     * @param is the stream
     * @throws IOException if reading fails
     * @throws MalformedModelException if a saved ratio names a layer the model lacks
     */
    @Override
    public void loadState(DataInputStream is) throws IOException, MalformedModelException {
        CheckpointState.readVersion(is, "overlap", STATE_VERSION);
        steps.load(is);
        history.clear();
        int entries = is.readInt();
        for (int i = 0; i < entries; i++) {
            long at = is.readLong();
            int count = is.readInt();
            Map<String, Double> ratios = new LinkedHashMap<>();
            Map<String, Double> shares = new LinkedHashMap<>();
            for (int l = 0; l < count; l++) {
                String name = is.readUTF();
                if (!layers.containsKey(name)) {
                    throw new MalformedModelException(
                            "The saved overlap ratios name layer '"
                                    + name
                                    + "', which the model lacks.");
                }
                ratios.put(name, is.readDouble());
                shares.put(name, is.readDouble());
            }
            history.add(
                    new Entry(
                            at,
                            Collections.unmodifiableMap(ratios),
                            Collections.unmodifiableMap(shares)));
        }
    }
}
