package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkSelection;
import org.chtsl.topology.schedule.RemovalTemperatureSchedule;
import org.chtsl.topology.score.LinkScore;
import org.chtsl.topology.score.MagnitudeScore;

/**
 * CHTs' soft removal (spec §2.5): the kept links are a sample without replacement of the active
 * links, with probability ∝ {@code score^T} — exactly the sequential-draw distribution, through
 * Gumbel-top-k on {@code T·log(max(score, 1e-12))}. A higher temperature T brings it closer to
 * magnitude top-k; the temperature grows over training ({@link RemovalTemperatureSchedule}).
 */
public final class SoftRemoval implements RemovalRule {

    /** Floor of the score before the power, as in the reference. */
    public static final float SCORE_FLOOR = 1e-12f;

    private final LinkScore score;

    /** Samples ∝ {@code |W|^T}. */
    public SoftRemoval() {
        this(new MagnitudeScore());
    }

    /**
     * Samples ∝ {@code score^T}.
     *
     * @param score the removal score (magnitude, or relative importance for {@code ri_soft})
     */
    public SoftRemoval(LinkScore score) {
        if (score == null) {
            throw new IllegalArgumentException("SoftRemoval needs a score, got null.");
        }
        this.score = score;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the temperature is not finite and positive
     */
    @Override
    public NDArray keep(LayerState layer, long keep, double temperature) {
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException(
                    "Soft removal needs a finite temperature > 0, got " + temperature + ".");
        }
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
        return "SoftRemoval(" + score + ")";
    }
}
