package org.chtsl.nn;

/**
 * How a parameter budget is split between the two branches of a {@link SparseLowRankLinear}.
 *
 * @param sparsity the sparsity s of the sparse branch (its density is {@code 1 − s}); 1 means no
 *     sparse branch
 * @param rank the rank r of the low-rank branch; 0 means no low-rank branch
 */
public record SparsityRankSplit(double sparsity, long rank) {}
