package org.chtsl.topology;

import ai.djl.ndarray.NDArray;

/** A Cannistraci-Hebb predictor as a regrowth score: node-based L3n or exact path-based L3. */
public final class ChScore implements LinkScore {

    private final ChVariant variant;
    private final boolean exact;

    private ChScore(ChVariant variant, boolean exact) {
        if (variant == null) {
            throw new IllegalArgumentException("A CH score needs a variant (CH2, CH3, CH3_1).");
        }
        this.variant = variant;
        this.exact = exact;
    }

    /**
     * The node-based predictor {@link ChScores#l3n}; {@code l3n(CH2)} is CHTs' default.
     *
     * @param variant the CH weighting
     * @return the score
     */
    public static ChScore l3n(ChVariant variant) {
        return new ChScore(variant, false);
    }

    /**
     * The exact path-based predictor {@link ChScores#l3Exact} (CHT's CH3-L3), for small layers.
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
        return exact
                ? ChScores.l3Exact(layer.mask(), variant)
                : ChScores.l3n(layer.mask(), variant);
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
        return variant + (exact ? "-L3" : "-L3n");
    }
}
