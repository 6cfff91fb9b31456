package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.UpdateStep;

/** Decides which active links of a layer survive a topology update. */
public interface RemovalRule {

    /**
     * Chooses the links to keep.
     *
     * @param layer the layer before removal
     * @param keep how many active links to keep, {@code 0 ≤ keep ≤ nnz(mask)}
     * @param step when the update happens (a schedule of the rule, e.g. soft removal's temperature,
     *     reads it)
     * @return a boolean mask with exactly {@code keep} links, all of them active in {@code layer}
     */
    NDArray keep(LayerState layer, long keep, UpdateStep step);

    /**
     * Returns whether the rule reads the dense gradient (MEST).
     *
     * @return whether a gradient is needed
     */
    default boolean needsGradient() {
        return false;
    }
}
