package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkSelection;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.score.LinkScore;
import org.chtsl.topology.score.MagnitudeScore;
import org.chtsl.topology.score.MestScore;
import org.chtsl.topology.score.RelativeImportanceScore;

/**
 * Hard removal: keeps the active links with the highest score (ties broken at random). With {@link
 * MagnitudeScore} it is the removal of SET, RigL and CHT; with {@link MestScore} MEST's, with
 * {@link RelativeImportanceScore} the RI variant.
 */
public final class TopKRemoval implements RemovalRule {

    private final LinkScore score;

    /** Keeps the largest {@code |W|}. */
    public TopKRemoval() {
        this(new MagnitudeScore());
    }

    /**
     * Keeps the highest {@code score}.
     *
     * @param score the removal score
     */
    public TopKRemoval(LinkScore score) {
        if (score == null) {
            throw new IllegalArgumentException("TopKRemoval needs a score, got null.");
        }
        this.score = score;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray keep(LayerState layer, long keep, UpdateStep step) {
        try (NDManager scope = NDManager.subManagerOf(layer.mask())) {
            layer.tempAttach(scope);
            NDArray scores = score.score(layer);
            return scope.ret(LinkSelection.topK(scores, layer.mask(), keep));
        }
    }

    /**
     * Returns the removal score.
     *
     * @return the score
     */
    public LinkScore getScore() {
        return score;
    }

    /** {@inheritDoc} */
    @Override
    public boolean needsGradient() {
        return score.needsGradient();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "TopKRemoval(" + score + ")";
    }
}
