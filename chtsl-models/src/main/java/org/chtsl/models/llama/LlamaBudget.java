package org.chtsl.models.llama;

import org.chtsl.nn.ParameterBudget;
import org.chtsl.nn.SparsityRankSplit;

/**
 * The parameter budget of a LLaMA block's seven projections (CHTsL paper, Table A3; spec §13): q,
 * k, v, o are {@code h × h}, gate, up and down {@code h × f}. A total sparsity's budget is shared
 * between the sparse and the low-rank branch as {@link ParameterBudget} does for one matrix, except
 * that the rank moves in whole rank steps ({@link #rankStep(long, long)}).
 */
public final class LlamaBudget {

    /** The share of the dense budget one rank step moves between the branches. */
    public static final double RANK_STEP_SHARE = 0.05;

    /** Makes 1 − 0.9 = 0.0999… count as the decimal 0.1 when rounding to rank steps. */
    private static final double ROUNDING_SLACK = 1e-9;

    private LlamaBudget() {}

    /**
     * The rank step of a LLaMA block: the rank that moves {@link #RANK_STEP_SHARE 5%} of the
     * block's dense budget between the branches, {@code 0.05·(4h² + 3hf) / (4·2h + 3·(h + f))},
     * rounded. 16 for LLaMA-60M (h 512, f 1376), 24 for LLaMA-130M (h 768, f 2048).
     *
     * @param hidden the hidden size h (q, k, v, o are h × h)
     * @param ffn the feed-forward size f (gate, up, down are h × f)
     * @return the rank step, at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public static long rankStep(long hidden, long ffn) {
        if (hidden < 1 || ffn < 1) {
            throw new IllegalArgumentException(
                    "A LLaMA block needs hidden and feed-forward sizes >= 1, got "
                            + hidden
                            + " and "
                            + ffn
                            + ".");
        }
        double denseBudget = 4.0 * hidden * hidden + 3.0 * hidden * ffn;
        double paramsPerRank = 4.0 * (2 * hidden) + 3.0 * (hidden + ffn);
        return Math.max(1, Math.round(RANK_STEP_SHARE * denseBudget / paramsPerRank));
    }

    /**
     * Splits a total sparsity between the branches of every projection of a LLaMA block, as Table
     * A3 does: {@code d_total = 1 − s_total} is shared {@code connShare : specShare}; the sparse
     * branch gets exactly its share ({@link ParameterBudget#sparseBranchSparsity}), and the rank is
     * the nearest whole number of rank steps, at least one step when {@code specShare > 0}.
     *
     * <p>Example: LLaMA-60M, s_total 0.9, 1:1 gives (s 0.95, r 16); 0.7 with 1:5 gives (0.95, 80).
     *
     * @param hidden the hidden size h
     * @param ffn the feed-forward size f
     * @param totalSparsity the total sparsity in [0, 1)
     * @param connShare the sparse branch's share of the budget, ≥ 0
     * @param specShare the low-rank branch's share of the budget, ≥ 0 (not both 0)
     * @return the sparse branch's sparsity (1 when {@code connShare} is 0) and the rank
     * @throws IllegalArgumentException if a value is out of range
     */
    public static SparsityRankSplit split(
            long hidden, long ffn, double totalSparsity, int connShare, int specShare) {
        double specDensity = ParameterBudget.spectralBudget(totalSparsity, connShare, specShare);
        long steps =
                specShare == 0
                        ? 0
                        : Math.max(1, Math.round(specDensity / RANK_STEP_SHARE + ROUNDING_SLACK));
        return new SparsityRankSplit(
                ParameterBudget.sparseBranchSparsity(totalSparsity, connShare, specShare),
                steps * rankStep(hidden, ffn));
    }
}
