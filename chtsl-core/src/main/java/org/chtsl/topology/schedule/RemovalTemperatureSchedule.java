package org.chtsl.topology.schedule;

/**
 * The temperature of CHTs' soft removal (spec §2.5, §12.2): linear from {@code T₀} at step 0 to
 * {@code T₁} at {@code T_end}, {@code T(t) = T₀ + t·(T₁ − T₀)/T_end}; constant after {@code T_end}.
 * Defaults of the LLaMA runs: 1 → 9.
 *
 * @param start T₀ > 0
 * @param end T₁ > 0
 * @param endStep {@code T_end} ≥ 1
 */
public record RemovalTemperatureSchedule(double start, double end, long endStep) {

    /**
     * Validates the schedule.
     *
     * @throws IllegalArgumentException if a temperature is not finite and positive or {@code
     *     endStep < 1}
     */
    public RemovalTemperatureSchedule {
        if (!(start > 0 && end > 0 && Double.isFinite(start) && Double.isFinite(end))) {
            throw new IllegalArgumentException(
                    "Removal temperatures must be finite and > 0, got "
                            + start
                            + " → "
                            + end
                            + ".");
        }
        Schedules.checkEndStep(endStep);
    }

    /**
     * Returns T at an optimizer step.
     *
     * @param step the global optimizer step t ≥ 0
     * @return T_t
     */
    public double at(long step) {
        return start + Math.min(step, endStep) * (end - start) / endStep;
    }
}
