package org.chtsl.topology;

import ai.djl.ndarray.NDArray;

/** Decides where a layer grows new links after removal. */
public interface RegrowthRule {

    /**
     * Chooses new links among the inactive positions.
     *
     * @param layer the layer after removal
     * @param count how many links to grow, {@code 0 ≤ count ≤} number of inactive positions
     * @return a boolean mask of exactly {@code count} new links, all inactive in {@code layer}
     */
    NDArray grow(LayerState layer, long count);

    /**
     * Returns whether the rule reads the dense gradient (RigL).
     *
     * @return whether a gradient is needed
     */
    boolean needsGradient();
}
