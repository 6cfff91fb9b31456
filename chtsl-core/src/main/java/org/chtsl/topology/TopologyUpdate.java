package org.chtsl.topology;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.rule.RegrowthRule;
import org.chtsl.topology.rule.RemovalRule;

/**
 * One topology update of one layer (spec §1.5, §7): remove a fraction ζ of the active links, then
 * regrow back to the layer's target link count. Chain removal, which couples layers, goes between
 * {@link #remove} and {@link #regrow}; {@link #update} does both for a layer on its own.
 */
public final class TopologyUpdate {

    private TopologyUpdate() {}

    /**
     * How many links survive removal: {@code max(1, a − floor(a·ζ))} for {@code a} active links.
     *
     * @param active the active links
     * @param zeta the drop fraction ζ in [0, 1]
     * @return the number to keep
     * @throws IllegalArgumentException if ζ is outside [0, 1]
     */
    public static long keepCount(long active, double zeta) {
        if (!(zeta >= 0 && zeta <= 1)) {
            throw new IllegalArgumentException(
                    "The drop fraction ζ must be in [0, 1], got " + zeta + ".");
        }
        long drop = (long) Math.floor(active * zeta);
        return Math.max(Math.min(1, active), active - drop);
    }

    /**
     * Removes a fraction ζ of the layer's active links.
     *
     * @param layer the layer
     * @param removal the removal rule
     * @param zeta the drop fraction ζ in [0, 1]
     * @param temperature the removal temperature (soft removal only)
     * @return the boolean mask of the kept links
     */
    public static NDArray remove(
            LayerState layer, RemovalRule removal, double zeta, double temperature) {
        long active = countLinks(layer.mask());
        return removal.keep(layer, keepCount(active, zeta), temperature);
    }

    /**
     * Regrows a layer back to its target link count (nothing if it already has as many).
     *
     * @param layer the layer after removal
     * @param regrowth the regrowth rule
     * @param targetLinks the layer's target count, {@code floor((1 − s_l)·N)}
     * @return the boolean mask after regrowth
     */
    public static NDArray regrow(LayerState layer, RegrowthRule regrowth, long targetLinks) {
        return regrow(layer, regrowth, targetLinks, null);
    }

    /**
     * Regrows a layer back to its target count, only at allowed positions.
     *
     * @param layer the layer after removal
     * @param regrowth the regrowth rule
     * @param targetLinks the layer's target count
     * @param allowed a boolean array of the mask's shape, true where links may grow, or null
     * @return the boolean mask after regrowth
     */
    public static NDArray regrow(
            LayerState layer, RegrowthRule regrowth, long targetLinks, NDArray allowed) {
        NDArray mask = layer.mask();
        try (NDManager scope = NDManager.subManagerOf(mask)) {
            layer.tempAttach(scope);
            NDArray current = mask.toType(DataType.BOOLEAN, false);
            long missing = targetLinks - countLinks(current);
            NDArray result =
                    missing > 0
                            ? current.logicalOr(regrowth.grow(layer, missing, allowed))
                            : current.duplicate();
            return scope.ret(result);
        }
    }

    /**
     * Removes, then regrows to the target count.
     *
     * @param layer the layer
     * @param removal the removal rule
     * @param regrowth the regrowth rule
     * @param zeta the drop fraction ζ in [0, 1]
     * @param temperature the removal temperature (soft removal only)
     * @param targetLinks the layer's target count
     * @return the new mask and the counts
     */
    public static LayerUpdateResult update(
            LayerState layer,
            RemovalRule removal,
            RegrowthRule regrowth,
            double zeta,
            double temperature,
            long targetLinks) {
        try (NDManager scope = NDManager.subManagerOf(layer.mask())) {
            layer.tempAttach(scope);
            long before = countLinks(layer.mask());
            NDArray kept = remove(layer, removal, zeta, temperature);
            long keptLinks = countLinks(kept);
            NDArray grown = regrow(layer.withMask(kept), regrowth, targetLinks);
            long after = countLinks(grown);
            return new LayerUpdateResult(scope.ret(grown), before - keptLinks, after - keptLinks);
        }
    }

    /**
     * Counts the links of a mask (a device synchronisation).
     *
     * @param mask a 0/1 or boolean mask
     * @return the number of non-zero entries
     */
    public static long countLinks(NDArray mask) {
        try (NDArray count = mask.countNonzero()) {
            return count.getLong();
        }
    }
}
