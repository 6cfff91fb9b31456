package org.chtsl.topology;

import ai.djl.ndarray.NDArray;

/**
 * The outcome of one topology update of one layer.
 *
 * @param mask the new boolean mask
 * @param removed how many links removal took away
 * @param regrown how many links regrowth added
 */
public record LayerUpdateResult(NDArray mask, long removed, long regrown) {}
