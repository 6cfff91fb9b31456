package org.chtsl.topology.schedule;

import org.chtsl.topology.score.LinkScore;

/**
 * GraNet's cubic density decay (Zhu &amp; Gupta's gradual magnitude pruning, as GraNet and the
 * reference's {@code --pruning_scheduler granet} use it): {@code φ(u) = 1 − (1 − u/P)³}, fast
 * pruning first and a gentle approach to the final sparsity, pruning by magnitude.
 *
 * @param initialSparsity s₀ in [0, 1) (0.5 in the reference's commands)
 * @param pruningScore the score the decay keeps links by
 */
public record CubicDensityDecay(double initialSparsity, LinkScore pruningScore)
        implements DensityDecay {

    /**
     * Validates the decay.
     *
     * @throws IllegalArgumentException if s₀ is out of range or the score is null
     */
    public CubicDensityDecay {
        DecayShapes.check(initialSparsity, pruningScore);
    }

    /** {@inheritDoc} */
    @Override
    public double sparsityAt(long step, DecayWindow window) {
        double remaining = 1 - (double) window.updateAt(step) / window.updates();
        double phi = 1 - remaining * remaining * remaining;
        return DecayShapes.interpolate(initialSparsity(window.finalSparsity()), window, phi);
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "cubic(s0=" + initialSparsity + ", " + pruningScore + ")";
    }
}
