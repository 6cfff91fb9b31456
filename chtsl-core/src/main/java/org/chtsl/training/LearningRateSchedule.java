package org.chtsl.training;

import ai.djl.training.tracker.Tracker;

/**
 * The LLaMA runs' learning rate as a DJL {@link Tracker}: {@code base · λ(τ)} with linear warm-up,
 * cosine decay to a minimum ratio and iterative warm-up restarts after every topology update (spec
 * §2.10). τ is the global iteration — {@link MaskedAdam} counts skipped iterations too, as the
 * reference's scheduler does.
 */
public class LearningRateSchedule implements Tracker {

    private final float base;
    private final LearningRateMultiplier multiplier;

    /**
     * Creates the schedule.
     *
     * @param base the peak learning rate (&gt; 0)
     * @param multiplier the shape of the schedule
     * @throws IllegalArgumentException if the base rate is not positive
     */
    public LearningRateSchedule(float base, LearningRateMultiplier multiplier) {
        if (!(base > 0 && Float.isFinite(base))) {
            throw new IllegalArgumentException("The learning rate must be > 0, got " + base + ".");
        }
        this.base = base;
        this.multiplier = multiplier;
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        return (float) (base * multiplier.at(numUpdate));
    }

    /**
     * Returns the schedule's shape.
     *
     * @return the multiplier
     */
    public LearningRateMultiplier getMultiplier() {
        return multiplier;
    }
}
