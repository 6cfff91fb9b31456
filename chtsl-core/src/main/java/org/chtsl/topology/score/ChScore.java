package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import org.chtsl.topology.LayerState;

/** A Cannistraci-Hebb predictor as a regrowth score: node-based L3n or exact path-based L3. */
public final class ChScore implements LinkScore {

    private final ChVariant variant;
    private final boolean exact;
    private final boolean fallBack;

    private ChScore(ChVariant variant, boolean exact) {
        this(variant, exact, false);
    }

    private ChScore(ChVariant variant, boolean exact, boolean fallBack) {
        if (variant == null) {
            throw new IllegalArgumentException("A CH score needs a variant (CH2, CH3, CH3_1).");
        }
        this.variant = variant;
        this.exact = exact;
        this.fallBack = fallBack;
    }

    /**
     * The exact predictor where a layer is small enough for it ({@link
     * ChLinkPredictors#EXACT_PATH_LIMIT}), the node-based one elsewhere: CHT's CH3-L3 made usable
     * on large models.
     *
     * @param variant the CH weighting
     * @return the score
     */
    public static ChScore exactWhereFeasible(ChVariant variant) {
        return new ChScore(variant, true, true);
    }

    /**
     * The node-based predictor {@link ChLinkPredictors#l3n}; {@code l3n(CH2)} is CHTs' default.
     *
     * @param variant the CH weighting
     * @return the score
     */
    public static ChScore l3n(ChVariant variant) {
        return new ChScore(variant, false);
    }

    /**
     * The exact path-based predictor {@link ChLinkPredictors#l3Exact} (CHT's CH3-L3), for small
     * layers.
     *
     * @param variant the CH weighting
     * @return the score
     */
    public static ChScore l3Exact(ChVariant variant) {
        return new ChScore(variant, true);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray score(LayerState layer) {
        if (exact && (!fallBack || ChLinkPredictors.exactIsFeasible(layer.mask()))) {
            return ChLinkPredictors.l3Exact(layer.mask(), variant);
        }
        return ChLinkPredictors.l3n(layer.mask(), variant);
    }

    /**
     * Returns the CH weighting.
     *
     * @return the variant
     */
    public ChVariant getVariant() {
        return variant;
    }

    /**
     * Returns whether the exact path-based form is used.
     *
     * @return {@code true} for L3 (exact), {@code false} for L3n
     */
    public boolean isExact() {
        return exact;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return variant + (exact ? (fallBack ? "-L3 (L3n on large layers)" : "-L3") : "-L3n");
    }
}
