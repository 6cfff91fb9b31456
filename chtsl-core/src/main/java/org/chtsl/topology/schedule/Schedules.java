package org.chtsl.topology.schedule;

/** Checks shared by the schedules. */
final class Schedules {

    private Schedules() {}

    static void checkEndStep(long endStep) {
        if (endStep < 1) {
            throw new IllegalArgumentException(
                    "T_end (the last topology update step) must be >= 1, got " + endStep + ".");
        }
    }
}
