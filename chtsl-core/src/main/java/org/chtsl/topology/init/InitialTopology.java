package org.chtsl.topology.init;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.chtsl.topology.LinkCounts;

/**
 * Creates the connectivity mask a sparse layer starts training with.
 *
 * <p>A mask has the layer's weight shape, {@code (rows = output features, columns = input
 * features)}, and holds 1 where a link exists and 0 elsewhere. Implementations must create exactly
 * {@link LinkCounts#targetLinks(double, long)} links for the requested density, so that the density
 * a user asks for is the density the layer has.
 */
@FunctionalInterface
public interface InitialTopology {

    /**
     * Creates a 0/1 mask.
     *
     * @param manager the manager (and so the device) the mask is created on
     * @param rows the number of output features of the layer
     * @param columns the number of input features of the layer
     * @param density the fraction of links to create, in (0, 1]
     * @return a {@code rows × columns} array of 0s and 1s, of any numeric or boolean data type
     */
    NDArray create(NDManager manager, long rows, long columns, double density);
}
