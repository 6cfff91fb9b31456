package org.chtsl.nn;

import ai.djl.ndarray.NDArray;

/**
 * How per-link state follows a topology change of a {@link SparseLinear}: given state laid out like
 * the layer's weight parameter before the change (an Adam moment, say), it returns that state laid
 * out for the new topology — kept links keep theirs, removed and new links get 0.
 *
 * <p>For {@link SparseStorage#DENSE_MASKED} the layout does not change and the map multiplies by
 * the carried links; for {@link SparseStorage#COMPACT} it moves values between slots. A map is
 * valid until the scope its topology change ran in closes.
 */
@FunctionalInterface
public interface LinkStateMap {

    /**
     * Maps one array of per-link state.
     *
     * @param state the state before the change, of the weight parameter's shape
     * @return a new array of the weight parameter's shape, attached to {@code state}'s manager
     */
    NDArray apply(NDArray state);
}
