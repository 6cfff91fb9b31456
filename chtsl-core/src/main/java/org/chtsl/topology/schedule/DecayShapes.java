package org.chtsl.topology.schedule;

import org.chtsl.topology.score.LinkScore;

/** What the density decays share: their checks and the interpolation from s₀ to s₁. */
final class DecayShapes {

    private DecayShapes() {}

    static void check(double initialSparsity, LinkScore pruningScore) {
        if (!(initialSparsity >= 0 && initialSparsity < 1)) {
            throw new IllegalArgumentException(
                    "The initial sparsity s0 must be in [0, 1), got " + initialSparsity + ".");
        }
        if (pruningScore == null) {
            throw new IllegalArgumentException("A density decay needs a pruning score, got null.");
        }
    }

    static double interpolate(double start, DecayWindow window, double phi) {
        return start + (window.finalSparsity() - start) * phi;
    }
}
