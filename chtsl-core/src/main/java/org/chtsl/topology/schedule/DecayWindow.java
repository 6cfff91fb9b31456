package org.chtsl.topology.schedule;

/**
 * Where a density decay runs: to which sparsity, until which step, on which update grid.
 *
 * @param finalSparsity s₁ in [0, 1), the sparsity at {@code pruningEnd}
 * @param pruningEnd the step at which the decay ends (≥ interval; chtsl's default is {@code T_end},
 *     the reference's LLaMA runs use 8000 of 10 000 steps)
 * @param interval ΔT ≥ 1, the topology update interval
 */
public record DecayWindow(double finalSparsity, long pruningEnd, long interval) {

    /**
     * Validates the window.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public DecayWindow {
        if (!(finalSparsity >= 0 && finalSparsity < 1)) {
            throw new IllegalArgumentException(
                    "The final sparsity must be in [0, 1), got " + finalSparsity + ".");
        }
        if (interval < 1 || pruningEnd < interval) {
            throw new IllegalArgumentException(
                    "A density decay needs interval >= 1 and pruningEnd >= interval, got interval "
                            + interval
                            + ", pruningEnd "
                            + pruningEnd
                            + ".");
        }
    }

    /**
     * Returns P, the number of topology updates the decay spans.
     *
     * @return {@code floor(pruningEnd/ΔT)}
     */
    public long updates() {
        return pruningEnd / interval;
    }

    /**
     * Returns the index of the update at a step, capped at P.
     *
     * @param step the optimizer step t ≥ 0
     * @return {@code min(floor(t/ΔT), P)}
     */
    public long updateAt(long step) {
        return Math.min(step / interval, updates());
    }
}
