package org.chtsl.topology.schedule;

/**
 * The drop fraction ζ_t of each topology update (spec §1.4): fixed, or cosine-decayed from ζ at
 * step 0 to 0 at {@code T_end} ({@code ζ_t = (ζ/2)·(1 + cos(π·t/T_end))}), as RigL, CHTs and CHTss
 * use.
 *
 * @param zeta the initial drop fraction ζ in [0, 1] (0.1 in the LLaMA runs; SET's classic 0.3)
 * @param endStep {@code T_end}, the last step at which topology changes (≥ 1)
 * @param cosineDecay whether ζ decays; if not, ζ_t = ζ until {@code T_end}
 */
public record DropFractionSchedule(double zeta, long endStep, boolean cosineDecay) {

    /**
     * Validates the schedule.
     *
     * @throws IllegalArgumentException if ζ is outside [0, 1] or {@code endStep < 1}
     */
    public DropFractionSchedule {
        if (!(zeta >= 0 && zeta <= 1)) {
            throw new IllegalArgumentException("ζ must be in [0, 1], got " + zeta + ".");
        }
        Schedules.checkEndStep(endStep);
    }

    /**
     * The cosine-decayed schedule.
     *
     * @param zeta the initial ζ
     * @param endStep {@code T_end}
     * @return the schedule
     */
    public static DropFractionSchedule cosine(double zeta, long endStep) {
        return new DropFractionSchedule(zeta, endStep, true);
    }

    /**
     * Returns ζ at an optimizer step; 0 after {@code T_end}, when topology is frozen.
     *
     * @param step the global optimizer step t ≥ 0
     * @return ζ_t
     */
    public double at(long step) {
        if (step > endStep) {
            return 0;
        }
        return cosineDecay ? zeta / 2 * (1 + Math.cos(Math.PI * step / endStep)) : zeta;
    }
}
