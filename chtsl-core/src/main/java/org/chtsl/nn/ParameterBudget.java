package org.chtsl.nn;

import org.chtsl.topology.LinkCounts;

/**
 * The parameter budget of an {@code m × n} projection with a sparse branch of sparsity {@code s}
 * and a low-rank branch of rank {@code r} (CHTsL paper, Appendix A; spec §13).
 *
 * <p>{@code d_connectivity = 1 − s}, {@code d_spectral = r(m + n)/(m n)}, and {@code s_total = 1 −
 * d_connectivity − d_spectral}. The static methods go the other way: from a total sparsity and a
 * {@code d_conn : d_spec} ratio to {@code (s, r)} of one matrix; model-specific splits (LLaMA's
 * rank steps) build on {@link #sparseBranchSparsity} and {@link #spectralBudget}.
 */
public final class ParameterBudget {

    private final long rows;
    private final long columns;
    private final double sparsity;
    private final long rank;

    private ParameterBudget(long rows, long columns, double sparsity, long rank) {
        this.rows = rows;
        this.columns = columns;
        this.sparsity = sparsity;
        this.rank = rank;
    }

    /**
     * Describes one projection.
     *
     * @param rows the output features m, at least 1
     * @param columns the input features n, at least 1
     * @param sparsity the sparse branch's sparsity s in [0, 1] (1: no sparse branch)
     * @param rank the low-rank branch's rank r in [0, min(m, n)] (0: no low-rank branch)
     * @return the budget
     * @throws IllegalArgumentException if a value is out of range
     */
    public static ParameterBudget of(long rows, long columns, double sparsity, long rank) {
        checkShape(rows, columns);
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("Sparsity must be in [0, 1], got " + sparsity + ".");
        }
        if (rank < 0 || rank > Math.min(rows, columns)) {
            throw new IllegalArgumentException(
                    "Rank must be in [0, min(rows, columns) = "
                            + Math.min(rows, columns)
                            + "], got "
                            + rank
                            + ".");
        }
        return new ParameterBudget(rows, columns, sparsity, rank);
    }

    /**
     * Returns the density of the sparse branch, {@code 1 − s}.
     *
     * @return the connectivity density
     */
    public double connectivityDensity() {
        return 1 - sparsity;
    }

    /**
     * Returns the low-rank branch's parameters as a fraction of the dense matrix, {@code r(m +
     * n)/(m n)}.
     *
     * @return the spectral density
     */
    public double spectralDensity() {
        return spectralDensity(rows, columns, rank);
    }

    /**
     * Returns {@code d_connectivity + d_spectral}.
     *
     * @return the total density
     */
    public double totalDensity() {
        return connectivityDensity() + spectralDensity();
    }

    /**
     * Returns {@code 1 − d_connectivity − d_spectral}.
     *
     * @return the total sparsity
     */
    public double totalSparsity() {
        return 1 - totalDensity();
    }

    /**
     * Returns the trainable parameters of the projection: the sparse branch's links ({@link
     * LinkCounts#targetLinks(double, long)}) plus {@code r(m + n)}.
     *
     * @return the number of active parameters
     */
    public long activeParameters() {
        long links = sparsity >= 1 ? 0 : LinkCounts.targetLinks(1 - sparsity, rows * columns);
        return links + rank * (rows + columns);
    }

    /**
     * The spectral density of a rank-r factorisation of an {@code m × n} matrix, {@code r(m + n)/(m
     * n)}.
     *
     * @param rows m
     * @param columns n
     * @param rank r
     * @return the fraction of the dense parameters the two factors hold
     */
    public static double spectralDensity(long rows, long columns, long rank) {
        checkShape(rows, columns);
        return (double) rank * (rows + columns) / ((double) rows * columns);
    }

    /**
     * The sparse branch's sparsity when the budget {@code d_total = 1 − s_total} is shared {@code
     * connShare : specShare}: {@code s = 1 − d_total·connShare/(connShare + specShare)}, rounded to
     * 12 decimals so that {@code 1 − 0.1·½} reads 0.95, not 0.9500000000000001.
     *
     * @param totalSparsity the total sparsity in [0, 1)
     * @param connShare the sparse branch's share of the budget, ≥ 0
     * @param specShare the low-rank branch's share of the budget, ≥ 0 (not both 0)
     * @return the sparse branch's sparsity (1 when {@code connShare} is 0)
     * @throws IllegalArgumentException if a value is out of range
     */
    public static double sparseBranchSparsity(double totalSparsity, int connShare, int specShare) {
        double totalDensity = checkSplit(totalSparsity, connShare, specShare);
        double sparsity = 1 - totalDensity * connShare / (connShare + specShare);
        return Math.round(sparsity * 1e12) / 1e12;
    }

    /**
     * The low-rank branch's share of the dense budget when {@code d_total = 1 − s_total} is shared
     * {@code connShare : specShare}: {@code d_spec = d_total·specShare/(connShare + specShare)}.
     *
     * @param totalSparsity the total sparsity in [0, 1)
     * @param connShare the sparse branch's share of the budget, ≥ 0
     * @param specShare the low-rank branch's share of the budget, ≥ 0 (not both 0)
     * @return the spectral density {@code d_spec}
     * @throws IllegalArgumentException if a value is out of range
     */
    public static double spectralBudget(double totalSparsity, int connShare, int specShare) {
        double totalDensity = checkSplit(totalSparsity, connShare, specShare);
        return totalDensity * specShare / (connShare + specShare);
    }

    /**
     * Splits a total sparsity between the branches of one {@code m × n} projection: the sparse
     * branch gets exactly its share, the rank is the nearest whole rank to the low-rank share
     * ({@code d_spec·m·n/(m + n)}), at least 1 when {@code specShare > 0} and at most {@code min(m,
     * n)}.
     *
     * @param rows m
     * @param columns n
     * @param totalSparsity the total sparsity in [0, 1)
     * @param connShare the sparse branch's share of the budget, ≥ 0
     * @param specShare the low-rank branch's share of the budget, ≥ 0 (not both 0)
     * @return the sparsity and rank
     * @throws IllegalArgumentException if a value is out of range
     */
    public static SparsityRankSplit split(
            long rows, long columns, double totalSparsity, int connShare, int specShare) {
        checkShape(rows, columns);
        double specDensity = spectralBudget(totalSparsity, connShare, specShare);
        long rank =
                specShare == 0
                        ? 0
                        : Math.max(1, Math.round(specDensity * rows * columns / (rows + columns)));
        return new SparsityRankSplit(
                sparseBranchSparsity(totalSparsity, connShare, specShare),
                Math.min(rank, Math.min(rows, columns)));
    }

    private static double checkSplit(double totalSparsity, int connShare, int specShare) {
        if (!(totalSparsity >= 0 && totalSparsity < 1)) {
            throw new IllegalArgumentException(
                    "Total sparsity must be in [0, 1), got " + totalSparsity + ".");
        }
        if (connShare < 0 || specShare < 0 || connShare + specShare == 0) {
            throw new IllegalArgumentException(
                    "The d_conn : d_spec ratio needs non-negative shares, not both 0, got "
                            + connShare
                            + ":"
                            + specShare
                            + ".");
        }
        return 1 - totalSparsity;
    }

    private static void checkShape(long rows, long columns) {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException(
                    "A matrix needs at least one row and one column, got "
                            + rows
                            + " × "
                            + columns
                            + ".");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                "ParameterBudget(%d×%d, s=%.4f, r=%d: d_conn=%.4f, d_spec=%.4f, s_total=%.4f)",
                rows,
                columns,
                sparsity,
                rank,
                connectivityDensity(),
                spectralDensity(),
                totalSparsity());
    }
}
