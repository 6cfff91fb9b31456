package org.chtsl.training;

import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLowRankLinear;

/**
 * Records the overlap cancellation ratio of every {@link SparseLowRankLinear} of a model every
 * {@code K} optimizer steps (the CHTsL paper's Figure 2). Tracking is switched on only for the
 * batch of a recorded step, since reading the ratio synchronises with the device.
 */
public class OverlapRecorder extends TrainingListenerAdapter {

    /**
     * The ratios of one step.
     *
     * @param step the optimizer step
     * @param layers the ratio of each projection, by name
     */
    public record Entry(long step, Map<String, Double> layers) {}

    private final Map<String, SparseLowRankLinear> layers;
    private final long every;
    private final int gradientAccumulation;
    private final List<Entry> history = new ArrayList<>();
    private long batches;
    private long step;

    /**
     * Creates the recorder.
     *
     * @param model the model
     * @param every K, record every K optimizer steps (≥ 1)
     * @param gradientAccumulation batches per optimizer step (≥ 1)
     */
    public OverlapRecorder(Block model, long every, int gradientAccumulation) {
        if (every < 1 || gradientAccumulation < 1) {
            throw new IllegalArgumentException(
                    "OCR recording needs an interval >= 1 and gradient accumulation >= 1.");
        }
        this.layers = BlockSearch.findAllNamed(model, SparseLowRankLinear.class);
        this.every = every;
        this.gradientAccumulation = gradientAccumulation;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        track((step + 1) % every == 0);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (++batches % gradientAccumulation != 0) {
            return;
        }
        step++;
        if (step % every == 0) {
            Map<String, Double> ratios = new LinkedHashMap<>();
            layers.forEach(
                    (name, layer) -> ratios.put(name, layer.getLastOverlapCancellationRatio()));
            history.add(new Entry(step, Collections.unmodifiableMap(ratios)));
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
}
