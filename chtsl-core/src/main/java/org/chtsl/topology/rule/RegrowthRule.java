package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import org.chtsl.topology.LayerState;

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
     * Chooses new links among the inactive positions that are also allowed (for example, only
     * between neurons that chain removal left alive). The default ignores the restriction when
     * {@code allowed} is null and otherwise requires the rule to support it.
     *
     * @param layer the layer after removal
     * @param count how many links to grow
     * @param allowed a boolean array of the mask's shape, true where links may grow, or null
     * @return a boolean mask of exactly {@code count} new links
     * @throws UnsupportedOperationException if the rule cannot restrict its candidates
     */
    default NDArray grow(LayerState layer, long count, NDArray allowed) {
        if (allowed == null) {
            return grow(layer, count);
        }
        throw new UnsupportedOperationException(
                this + " cannot restrict regrowth to allowed positions.");
    }

    /**
     * Returns whether the rule reads the dense gradient (RigL).
     *
     * @return whether a gradient is needed
     */
    boolean needsGradient();
}
