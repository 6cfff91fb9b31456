package org.chtsl.topology.schedule;

import org.chtsl.topology.score.LinkScore;

/** A constant density: the sparse branch keeps its link count (SET, RigL, MEST, CHT, CHTs). */
public final class ConstantDensity implements DensitySchedule {

    private static final ConstantDensity INSTANCE = new ConstantDensity();

    private ConstantDensity() {}

    /**
     * Returns the constant density.
     *
     * @return the schedule
     */
    public static ConstantDensity get() {
        return INSTANCE;
    }

    /** {@inheritDoc} */
    @Override
    public boolean decays() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public double initialSparsity(double finalSparsity) {
        return finalSparsity;
    }

    /** {@inheritDoc} */
    @Override
    public double sparsityAt(long step, DecayWindow window) {
        return window.finalSparsity();
    }

    /** {@inheritDoc} */
    @Override
    public LinkScore pruningScore() {
        return null;
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "constant";
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return describe();
    }
}
