package org.chtsl.topology.schedule;

import org.chtsl.topology.score.LinkScore;

/**
 * How the sparse branch's density moves over training: constant ({@link ConstantDensity}), or
 * decayed from an initial sparsity {@code s₀} to the final one by pruning the lowest-scored links
 * at each topology update up to {@code pruningEnd} (CHTss' {@link SigmoidDensityDecay}, GraNet's
 * {@link CubicDensityDecay}).
 *
 * <p>A decay is a shape {@code φ(u)} over the updates {@code u = floor(t/ΔT) ≤ P = floor(pruningEnd
 * /ΔT)} with {@code φ(0) = 0} and {@code φ(P) = 1}: {@code s(t) = s₀ + (s₁ − s₀)·φ(min(u, P))}.
 */
public interface DensitySchedule {

    /**
     * Returns whether the density changes during training.
     *
     * @return whether links are pruned to a schedule
     */
    boolean decays();

    /**
     * Returns the sparsity the sparse branch starts at.
     *
     * @param finalSparsity the sparsity it must end at, in [0, 1)
     * @return {@code min(s₀, finalSparsity)} for a decay, {@code finalSparsity} if constant
     */
    double initialSparsity(double finalSparsity);

    /**
     * Returns the scheduled sparsity at an optimizer step.
     *
     * @param step the optimizer step t ≥ 0
     * @param window the final sparsity, {@code pruningEnd} and ΔT
     * @return s(t)
     */
    double sparsityAt(long step, DecayWindow window);

    /**
     * Returns the score by which the decay keeps links (the highest scored survive); null if the
     * density is constant.
     *
     * @return the pruning score
     */
    LinkScore pruningScore();

    /**
     * Returns a short description for reports, e.g. {@code sigmoid(s0=0.5, k=6, RI)}.
     *
     * @return the description
     */
    String describe();
}
