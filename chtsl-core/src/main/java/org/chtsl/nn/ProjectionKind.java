package org.chtsl.nn;

/** What a projection of the model is made of. */
public enum ProjectionKind {
    /** DJL's dense {@code Linear}: the dense baseline. */
    DENSE,
    /** {@link SparseLinear}: SET, RigL, MEST, CHT, CHTs, CHTss. */
    SPARSE,
    /** {@link LowRankLinear} with SiLU: CoLA. */
    LOW_RANK,
    /** {@link SparseLowRankLinear} with SiLU and alignment: CHTsL. */
    SPARSE_LOW_RANK,
    /**
     * SLTrain: a fixed random sparse support plus {@code (α/r)·B·A}, i.e. a {@link
     * SparseLowRankLinear} with the identity activation, SLTrain's initialization and no alignment
     * (spec §4.2). Its support never changes.
     */
    SLTRAIN
}
