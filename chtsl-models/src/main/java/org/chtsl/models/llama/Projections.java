package org.chtsl.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Runs a projection block on one array. */
final class Projections {

    private Projections() {}

    static NDArray apply(Block projection, ParameterStore ps, NDArray input, boolean training) {
        return projection.forward(ps, new NDList(input), training).head();
    }
}
