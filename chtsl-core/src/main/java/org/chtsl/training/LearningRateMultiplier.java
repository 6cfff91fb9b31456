package org.chtsl.training;

/**
 * The learning-rate multiplier of the LLaMA runs (spec §2.10): linear warm-up, cosine decay to a
 * minimum ratio, and an "iterative warm-up" that restarts a short linear ramp after every topology
 * update.
 *
 * <p>{@code λ(τ) = g(τ)·ℓ(τ)} at scheduler step τ (every iteration counts, skipped updates
 * included): {@code g(τ) = τ/W} for τ &lt; W, else {@code ρ + (1 − ρ)·½(1 + cos(π(τ − W)/(S −
 * W)))}; {@code ℓ(τ) = (τ mod ΔT)/R} while {@code τ mod ΔT < R}, else 1 (R = 0 disables it).
 *
 * @param warmupSteps W ≥ 0
 * @param totalSteps S &gt; W
 * @param minRatio ρ in [0, 1] (0.1 in the papers)
 * @param interval ΔT ≥ 1, the topology update interval
 * @param restartWarmup R ≥ 0, the iterative warm-up length (20 in the CHTsL paper; 0 disables)
 */
public record LearningRateMultiplier(
        long warmupSteps, long totalSteps, double minRatio, long interval, long restartWarmup) {

    /**
     * Validates the schedule.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public LearningRateMultiplier {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException(
                    "The LR schedule needs 0 <= warmup < total steps, got warmup "
                            + warmupSteps
                            + ", total "
                            + totalSteps
                            + ".");
        }
        if (!(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException(
                    "The minimum LR ratio must be in [0, 1], got " + minRatio + ".");
        }
        if (interval < 1 || restartWarmup < 0) {
            throw new IllegalArgumentException(
                    "The LR restarts need interval >= 1 and warm-up >= 0, got interval "
                            + interval
                            + ", warm-up "
                            + restartWarmup
                            + ".");
        }
    }

    /**
     * Returns the multiplier at a scheduler step.
     *
     * @param step τ ≥ 0, the number of scheduler steps so far
     * @return λ(τ)
     */
    public double at(long step) {
        return global(step) * restart(step);
    }

    private double global(long step) {
        if (step < warmupSteps) {
            return (double) step / warmupSteps;
        }
        double progress =
                (double) (Math.min(step, totalSteps) - warmupSteps) / (totalSteps - warmupSteps);
        return minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    private double restart(long step) {
        long sinceUpdate = step % interval;
        return sinceUpdate < restartWarmup ? (double) sinceUpdate / restartWarmup : 1;
    }
}
