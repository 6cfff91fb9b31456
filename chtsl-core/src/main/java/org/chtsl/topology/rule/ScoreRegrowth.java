package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkSelection;
import org.chtsl.topology.score.LinkScore;

/**
 * Regrowth by a score among the inactive positions (spec §2, §3.4, §12.1, §12.11), either the top
 * {@code count} scores or a sample without replacement ∝ score. Never selects an active position;
 * when fewer candidates have a positive score than are needed, the rest are drawn uniformly at
 * random from the zero-score candidates (in top-k mode, through the random tie-break).
 *
 * <p>SET: {@code topK(new RandomScore())}; RigL: {@code topK(new GradientMagnitudeScore())}; CHT:
 * {@code topK(ChScore.l3Exact(CH3))}; CHTs (LLM reference): {@code topK(ChScore.l3n(CH2))}; CHTs
 * (paper wording, MLP code): {@code sampled(ChScore.l3n(CH2))}.
 */
public final class ScoreRegrowth implements RegrowthRule {

    /** How the new links are chosen from the scores. */
    public enum Selection {
        /** The highest scores, ties at random. */
        TOP_K,
        /** A sample without replacement with probability ∝ score. */
        SAMPLED
    }

    private final LinkScore score;
    private final Selection selection;

    private ScoreRegrowth(LinkScore score, Selection selection) {
        if (score == null || selection == null) {
            throw new IllegalArgumentException("ScoreRegrowth needs a score and a selection.");
        }
        this.score = score;
        this.selection = selection;
    }

    /**
     * Regrowth at the highest scores.
     *
     * @param score the regrowth score
     * @return the rule
     */
    public static ScoreRegrowth topK(LinkScore score) {
        return new ScoreRegrowth(score, Selection.TOP_K);
    }

    /**
     * Regrowth sampled ∝ score, without replacement.
     *
     * @param score the regrowth score
     * @return the rule
     */
    public static ScoreRegrowth sampled(LinkScore score) {
        return new ScoreRegrowth(score, Selection.SAMPLED);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray grow(LayerState layer, long count) {
        return grow(layer, count, null);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray grow(LayerState layer, long count, NDArray allowed) {
        NDArray mask = layer.mask();
        try (NDManager scope = NDManager.subManagerOf(mask)) {
            layer.tempAttach(scope);
            NDArray scores = score.score(layer);
            NDArray keys =
                    selection == Selection.TOP_K ? scores : LinkSelection.sampledKeys(scores);
            NDArray candidates = mask.eq(0);
            if (allowed != null) {
                candidates = candidates.logicalAnd(allowed);
            }
            return scope.ret(LinkSelection.topK(keys, candidates, count));
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean needsGradient() {
        return score.needsGradient();
    }

    /**
     * Returns the regrowth score.
     *
     * @return the score
     */
    public LinkScore getScore() {
        return score;
    }

    /**
     * Returns how links are selected.
     *
     * @return the selection
     */
    public Selection getSelection() {
        return selection;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ScoreRegrowth(" + score + ", " + selection + ")";
    }
}
