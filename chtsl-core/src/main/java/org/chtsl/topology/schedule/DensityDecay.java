package org.chtsl.topology.schedule;

/**
 * A density schedule that decays from an initial sparsity {@code s₀} to the final one: what CHTss'
 * {@link SigmoidDensityDecay} and GraNet's {@link CubicDensityDecay} share. A decay never starts
 * sparser than it ends: below {@code s₀} it starts at the final sparsity and prunes nothing.
 */
public interface DensityDecay extends DensitySchedule {

    /**
     * Returns s₀, the sparsity the decay starts from.
     *
     * @return s₀ in [0, 1)
     */
    double initialSparsity();

    /** {@inheritDoc} */
    @Override
    default boolean decays() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    default double initialSparsity(double finalSparsity) {
        return Math.min(initialSparsity(), finalSparsity);
    }
}
