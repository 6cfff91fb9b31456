package org.chtsl.topology.schedule;

import org.chtsl.topology.score.LinkScore;

/**
 * CHTss' sigmoid density decay (spec §2.6): a normalised S-curve over the updates, {@code c = P/2},
 * {@code κ = k/c}, {@code φ(u) = (σ(κ(u − c)) − ½)/(σ(κc) − σ(−κc)) + ½}, pruning by relative
 * importance in the papers. chtsl ends the decay at the last topology update by default (§12.5), so
 * the final density is the target exactly; the reference's later {@code pruningEnd} (8000 for
 * 10k-step runs) is reproduced by passing it in the {@link DecayWindow}.
 *
 * @param initialSparsity s₀ in [0, 1) (0.5 in the papers)
 * @param curvature k &gt; 0 (6 in the papers)
 * @param pruningScore the score the decay keeps links by
 */
public record SigmoidDensityDecay(double initialSparsity, double curvature, LinkScore pruningScore)
        implements DensityDecay {

    /**
     * Validates the decay.
     *
     * @throws IllegalArgumentException if a value is out of range or the score is null
     */
    public SigmoidDensityDecay {
        DecayShapes.check(initialSparsity, pruningScore);
        if (!(curvature > 0 && Double.isFinite(curvature))) {
            throw new IllegalArgumentException(
                    "The curvature k must be > 0, got " + curvature + ".");
        }
    }

    /** {@inheritDoc} */
    @Override
    public double sparsityAt(long step, DecayWindow window) {
        double centre = window.updates() / 2.0;
        double kappa = curvature / centre;
        double normaliser = sigmoid(kappa * centre) - sigmoid(-kappa * centre);
        double phi = (sigmoid(kappa * (window.updateAt(step) - centre)) - 0.5) / normaliser + 0.5;
        return DecayShapes.interpolate(initialSparsity(window.finalSparsity()), window, phi);
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "sigmoid(s0=" + initialSparsity + ", k=" + curvature + ", " + pruningScore + ")";
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
