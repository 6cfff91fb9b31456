package org.chtsl.topology.schedule;

/**
 * CHTss' sigmoid density decay (spec §2.6): the layer's target sparsity moves from {@code s₀} to
 * {@code s₁} along a normalised S-curve over the topology updates up to {@code pruningEnd}.
 *
 * <p>With {@code P = floor(pruningEnd/ΔT)}, {@code u = floor(t/ΔT)}, {@code c = P/2}, {@code κ =
 * k/c}: {@code φ(u) = (σ(κ(u − c)) − ½)/(σ(κc) − σ(−κc)) + ½} (φ(0) = 0, φ(P) = 1) and {@code s(t)
 * = s₀ + (s₁ − s₀)·φ(min(u, P))}. chtsl ends the decay at the last topology update by default
 * (§12.5), so the final density is the target exactly; the reference's later {@code pruningEnd}
 * (8000 for 10k-step runs) is reproduced by passing it.
 *
 * @param initialSparsity s₀ in [0, 1) (0.5 in the papers)
 * @param finalSparsity s₁ in [0, 1) (e.g. 0.9)
 * @param pruningEnd the step at which the decay ends (≥ interval)
 * @param interval ΔT, the topology update interval (≥ 1)
 * @param curvature k > 0 (6 in the papers)
 */
public record DensityDecaySchedule(
        double initialSparsity,
        double finalSparsity,
        long pruningEnd,
        long interval,
        double curvature) {

    /**
     * Validates the schedule.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public DensityDecaySchedule {
        for (double s : new double[] {initialSparsity, finalSparsity}) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("Sparsities must be in [0, 1), got " + s + ".");
            }
        }
        if (interval < 1 || pruningEnd < interval) {
            throw new IllegalArgumentException(
                    "The decay needs interval >= 1 and pruningEnd >= interval, got interval "
                            + interval
                            + ", pruningEnd "
                            + pruningEnd
                            + ".");
        }
        if (!(curvature > 0 && Double.isFinite(curvature))) {
            throw new IllegalArgumentException(
                    "The curvature k must be > 0, got " + curvature + ".");
        }
    }

    /**
     * Returns the scheduled sparsity at an optimizer step.
     *
     * @param step the global optimizer step t ≥ 0
     * @return s(t)
     */
    public double sparsityAt(long step) {
        long updates = pruningEnd / interval;
        long u = Math.min(step / interval, updates);
        double centre = updates / 2.0;
        double kappa = curvature / centre;
        double normaliser = sigmoid(kappa * centre) - sigmoid(-kappa * centre);
        double phi = (sigmoid(kappa * (u - centre)) - 0.5) / normaliser + 0.5;
        return initialSparsity + (finalSparsity - initialSparsity) * phi;
    }

    /**
     * Returns the scheduled density {@code 1 − s(t)}.
     *
     * @param step the global optimizer step t ≥ 0
     * @return d(t)
     */
    public double densityAt(long step) {
        return 1 - sparsityAt(step);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
