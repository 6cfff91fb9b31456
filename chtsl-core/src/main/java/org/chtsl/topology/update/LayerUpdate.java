package org.chtsl.topology.update;

import ai.djl.ndarray.NDArray;
import org.chtsl.topology.LinkCounts;

/**
 * What one topology update did to one layer: boolean masks before, after removal (density decay, ζ
 * removal and chain removal) and after regrowth, and the link count regrowth restored.
 *
 * @param name the layer's name
 * @param before the mask before the update
 * @param kept the links that survived removal
 * @param mask the new mask
 * @param target the link count regrown to (the density decay lowers it)
 * @param nanos the time the layer's removal and regrowth took
 */
public record LayerUpdate(
        String name, NDArray before, NDArray kept, NDArray mask, long target, long nanos) {

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
