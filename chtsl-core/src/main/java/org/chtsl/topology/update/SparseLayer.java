package org.chtsl.topology.update;

import org.chtsl.topology.LayerState;

/**
 * One sparse layer given to an {@link UpdatePipeline}: its name, what the rules may look at, and
 * the link count regrowth restores.
 *
 * @param name the layer's name (chain removal pairs layers by it)
 * @param state the mask, weight and (for gradient rules) dense gradient
 * @param target the link count to regrow to, or {@code -1} for the mask's current count
 */
public record SparseLayer(String name, LayerState state, long target) {

    /**
     * Validates the layer.
     *
     * @throws IllegalArgumentException if the name or state is missing or the target below -1
     */
    public SparseLayer {
        if (name == null || state == null || state.mask() == null) {
            throw new IllegalArgumentException("A sparse layer needs a name and a mask.");
        }
        if (target < -1) {
            throw new IllegalArgumentException(
                    "The target link count must be >= 0 (or -1 for the current count), got "
                            + target
                            + ".");
        }
    }
}
