package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkSelection;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.schedule.RemovalTemperatureSchedule;
import org.chtsl.topology.score.LinkScore;

/**
 * CHTs' soft removal (spec §2.5): the kept links are a sample without replacement of the active
 * links, with probability ∝ {@code score^T} — exactly the sequential-draw distribution, through
 * Gumbel-top-k on {@code T·log(max(score, 1e-12))}. A higher temperature T brings it closer to
 * magnitude top-k; the temperature grows linearly over training from {@code T₀} at step 0 to {@code
 * T₁} at {@code T_end} ({@link RemovalTemperatureSchedule}; the LLaMA runs use 1 → 9).
 */
public final class SoftRemoval implements RemovalRule {

    /** Floor of the score before the power, as in the reference. */
    public static final float SCORE_FLOOR = 1e-12f;

    private final LinkScore score;
    private final double temperatureStart;
    private final double temperatureEnd;

    /**
     * Samples ∝ {@code score^T}, T from {@code temperatureStart} to {@code temperatureEnd}.
     *
     * @param score the removal score (magnitude, or relative importance for {@code ri_soft})
     * @param temperatureStart T₀ &gt; 0, the temperature at step 0
     * @param temperatureEnd T₁ &gt; 0, the temperature at {@code T_end} and after
     * @throws IllegalArgumentException if the score is null or a temperature is not finite and
     *     positive
     */
    public SoftRemoval(LinkScore score, double temperatureStart, double temperatureEnd) {
        if (score == null) {
            throw new IllegalArgumentException("SoftRemoval needs a score, got null.");
        }
        new RemovalTemperatureSchedule(temperatureStart, temperatureEnd, 1);
        this.score = score;
        this.temperatureStart = temperatureStart;
        this.temperatureEnd = temperatureEnd;
    }

    /**
     * Samples ∝ {@code score^T} at one temperature throughout.
     *
     * @param score the removal score
     * @param temperature T &gt; 0
     * @return the rule
     */
    public static SoftRemoval atTemperature(LinkScore score, double temperature) {
        return new SoftRemoval(score, temperature, temperature);
    }

    /**
     * Returns the temperature at a step of training.
     *
     * @param step the update step
     * @return T_t
     */
    public double temperatureAt(UpdateStep step) {
        return new RemovalTemperatureSchedule(temperatureStart, temperatureEnd, step.endStep())
                .at(step.step());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray keep(LayerState layer, long keep, UpdateStep step) {
        double temperature = temperatureAt(step);
        try (NDManager scope = NDManager.subManagerOf(layer.mask())) {
            layer.tempAttach(scope);
            NDArray scores = score.score(layer);
            NDArray logWeights = scores.maximum(SCORE_FLOOR).log().mul((float) temperature);
            NDArray keys = LinkSelection.gumbelKeys(logWeights);
            return scope.ret(LinkSelection.topK(keys, layer.mask(), keep));
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean needsGradient() {
        return score.needsGradient();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "SoftRemoval(" + score + ", T " + temperatureStart + " -> " + temperatureEnd + ")";
    }
}
