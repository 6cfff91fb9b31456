package org.chtsl.topology;

/**
 * What the rules of one topology update may know about when it happens: the optimizer step, the
 * last step at which topology may change, and the drop fraction in force.
 *
 * @param step the optimizer step t ≥ 0 of the update
 * @param endStep {@code T_end} ≥ 1, the last step at which topology may change
 * @param zeta ζ_t in [0, 1], the fraction of active links removal takes away at this step
 */
public record UpdateStep(long step, long endStep, double zeta) {

    /**
     * Validates the step.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public UpdateStep {
        if (step < 0 || endStep < 1) {
            throw new IllegalArgumentException(
                    "An update step needs t >= 0 and T_end >= 1, got t = "
                            + step
                            + ", T_end = "
                            + endStep
                            + ".");
        }
        if (!(zeta >= 0 && zeta <= 1)) {
            throw new IllegalArgumentException("ζ must be in [0, 1], got " + zeta + ".");
        }
    }

    /**
     * How many of {@code active} links survive removal at this step: {@code max(1, a − floor(a·ζ))}
     * (0 for an empty layer).
     *
     * @param active the active links a
     * @return the number to keep
     */
    public long keepCount(long active) {
        long drop = (long) Math.floor(active * zeta);
        return Math.max(Math.min(1, active), active - drop);
    }
}
