package org.chtsl.nn;

import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.init.InitialTopology;

/**
 * What every projection of a model is made of: the kind, the sparse branch's initial density and
 * topology, and the low-rank branch's rank.
 *
 * @param kind the projection kind
 * @param density the sparse branch's initial density in (0, 1] (ignored by dense and low-rank)
 * @param rank the low-rank branch's rank (ignored by dense and sparse)
 * @param topology the sparse branch's initial topology
 * @param sltrainAlpha SLTrain's α; the low-rank branch is scaled by α/r (SLTRAIN only)
 * @param activation the low-rank branch's nonlinearity (LOW_RANK and SPARSE_LOW_RANK; SLTrain's
 *     branch has none): {@link LowRankActivation#SILU}, or {@link LowRankActivation#IDENTITY} for
 *     the "naive" sum
 * @param storage how the sparse branch holds its weight ({@link SparseStorage}; the method presets
 *     choose compact wherever their rules allow)
 */
public record ProjectionSpec(
        ProjectionKind kind,
        double density,
        long rank,
        InitialTopology topology,
        float sltrainAlpha,
        LowRankActivation activation,
        SparseStorage storage) {

    /** SLTrain's α for LLaMA-60M (its scripts use 32; 16 for 130M). */
    public static final float DEFAULT_SLTRAIN_ALPHA = 32f;

    /**
     * Validates the spec.
     *
     * @throws IllegalArgumentException if the kind or topology is missing, or the density or rank a
     *     kind needs is out of range
     */
    public ProjectionSpec {
        if (kind == null || topology == null || activation == null || storage == null) {
            throw new IllegalArgumentException(
                    "A projection spec needs a kind, a topology, an activation and a storage.");
        }
        boolean sparse = kind != ProjectionKind.DENSE && kind != ProjectionKind.LOW_RANK;
        boolean lowRank = kind != ProjectionKind.DENSE && kind != ProjectionKind.SPARSE;
        if (sparse && !(density > 0 && density <= 1)) {
            throw new IllegalArgumentException(
                    kind + " projections need a density in (0, 1], got " + density + ".");
        }
        if (lowRank && rank < 1) {
            throw new IllegalArgumentException(
                    kind + " projections need a rank >= 1, got " + rank + ".");
        }
    }

    /**
     * A spec whose low-rank branch, if any, uses SiLU.
     *
     * @param kind the projection kind
     * @param density the sparse branch's initial density
     * @param rank the low-rank branch's rank
     * @param topology the sparse branch's initial topology
     * @param sltrainAlpha SLTrain's α
     */
    public ProjectionSpec(
            ProjectionKind kind,
            double density,
            long rank,
            InitialTopology topology,
            float sltrainAlpha) {
        this(kind, density, rank, topology, sltrainAlpha, LowRankActivation.SILU);
    }

    /**
     * The same spec with another sparse-branch density.
     *
     * @param newDensity the density, in (0, 1]
     * @return a new spec
     */
    public ProjectionSpec withDensity(double newDensity) {
        return new ProjectionSpec(
                kind, newDensity, rank, topology, sltrainAlpha, activation, storage);
    }

    /**
     * A spec with dense-masked storage, the given low-rank activation.
     *
     * @param kind the projection kind
     * @param density the sparse branch's initial density
     * @param rank the low-rank branch's rank
     * @param topology the sparse branch's initial topology
     * @param sltrainAlpha SLTrain's α
     * @param activation the low-rank branch's activation
     */
    public ProjectionSpec(
            ProjectionKind kind,
            double density,
            long rank,
            InitialTopology topology,
            float sltrainAlpha,
            LowRankActivation activation) {
        this(kind, density, rank, topology, sltrainAlpha, activation, SparseStorage.DENSE_MASKED);
    }

    /**
     * The same spec with another storage for its sparse branch.
     *
     * @param newStorage the storage
     * @return a new spec
     */
    public ProjectionSpec withStorage(SparseStorage newStorage) {
        return new ProjectionSpec(
                kind, density, rank, topology, sltrainAlpha, activation, newStorage);
    }

    /**
     * Dense projections.
     *
     * @return the spec
     */
    public static ProjectionSpec dense() {
        return new ProjectionSpec(
                ProjectionKind.DENSE, 1, 0, ErdosRenyiTopology.get(), DEFAULT_SLTRAIN_ALPHA);
    }

    /**
     * Sparse projections.
     *
     * @param density the initial density
     * @param topology the initial topology
     * @return the spec
     */
    public static ProjectionSpec sparse(double density, InitialTopology topology) {
        return new ProjectionSpec(
                ProjectionKind.SPARSE, density, 0, topology, DEFAULT_SLTRAIN_ALPHA);
    }

    /**
     * Low-rank (CoLA) projections.
     *
     * @param rank the rank
     * @return the spec
     */
    public static ProjectionSpec lowRank(long rank) {
        return new ProjectionSpec(
                ProjectionKind.LOW_RANK, 1, rank, ErdosRenyiTopology.get(), DEFAULT_SLTRAIN_ALPHA);
    }

    /**
     * Sparse + low-rank (CHTsL) projections.
     *
     * @param density the sparse branch's initial density
     * @param rank the low-rank branch's rank
     * @param topology the sparse branch's initial topology
     * @return the spec
     */
    public static ProjectionSpec sparseLowRank(
            double density, long rank, InitialTopology topology) {
        return new ProjectionSpec(
                ProjectionKind.SPARSE_LOW_RANK, density, rank, topology, DEFAULT_SLTRAIN_ALPHA);
    }

    /**
     * SLTrain projections: fixed random support plus scaled low-rank.
     *
     * @param density δ, the sparse support's density
     * @param rank r
     * @param alpha α (the low-rank branch is scaled by α/r)
     * @return the spec
     */
    public static ProjectionSpec slTrain(double density, long rank, float alpha) {
        return new ProjectionSpec(
                ProjectionKind.SLTRAIN, density, rank, ErdosRenyiTopology.get(), alpha);
    }
}
