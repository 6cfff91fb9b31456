package org.chtsl.topology.init;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.chtsl.topology.LinkCounts;

/**
 * Erdős–Rényi random topology: the active positions are a uniformly random subset of exactly {@link
 * LinkCounts#targetLinks(double, long)} positions.
 *
 * <p>The subset is the first {@code k} entries of a random permutation, drawn on the manager's
 * device with the engine's random generator (seed it with {@code
 * Engine.getInstance().setRandomSeed}). Unlike thresholding uniform noise, this never produces ties
 * and so always gives the exact count.
 */
public final class ErdosRenyiTopology implements InitialTopology {

    private static final ErdosRenyiTopology INSTANCE = new ErdosRenyiTopology();

    private ErdosRenyiTopology() {}

    /**
     * Returns the Erdős–Rényi topology.
     *
     * @return the shared, stateless instance
     */
    public static ErdosRenyiTopology get() {
        return INSTANCE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray create(NDManager manager, long rows, long columns, double density) {
        long size = Math.multiplyExact(rows, columns);
        long links = LinkCounts.targetLinks(density, size);
        try (NDManager scope = manager.newSubManager()) {
            NDArray permutation = scope.randomPermutation(size);
            NDArray mask = permutation.lt(links).reshape(new Shape(rows, columns));
            return scope.ret(mask);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ErdosRenyiTopology";
    }
}
