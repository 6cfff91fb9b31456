package org.chtsl.topology.update;

import ai.djl.ndarray.NDArray;
import org.chtsl.topology.LinkCounts;

/**
 * What one topology update did to one layer: boolean masks before, after removal (density decay, ζ
 * removal and chain removal) and after regrowth, and the link count regrowth restored.
 *
 * @param name the layer's name
 * @param before the mask before the update
 * @param decayed the mask after the density decay's pruning, before ζ removal ({@code before}
 *     itself when the density is constant)
 * @param kept the links that survived removal
 * @param mask the new mask
 * @param target the link count regrown to (the density decay lowers it)
 * @param nanos the time the layer's removal and regrowth took
 */
public record LayerUpdate(
        String name,
        NDArray before,
        NDArray decayed,
        NDArray kept,
        NDArray mask,
        long target,
        long nanos) {

    /**
     * Returns the links whose weights and optimizer state carry over: the new mask without the
     * links the density decay pruned. A link that ζ removal took away and regrowth picked again
     * keeps its state (spec §1.6); one the decay pruned restarts at zero (spec §7, the reference
     * masks W and the moments right after that prune).
     *
     * @return {@code mask ∧ decayed}, a new boolean array on the manager of {@code mask}
     */
    public NDArray carried() {
        return mask.logicalAnd(decayed.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false));
    }

    /**
     * Returns how many links removal took away.
     *
     * @return {@code |before| − |kept|}
     */
    public long removed() {
        return LinkCounts.count(before) - LinkCounts.count(kept);
    }

    /**
     * Returns how many links regrowth added.
     *
     * @return {@code |mask| − |kept|}
     */
    public long regrown() {
        return LinkCounts.count(mask) - LinkCounts.count(kept);
    }
}
