package org.chtsl.nn;

import ai.djl.nn.Block;

/**
 * Creates the projections of a model: given a projection's stable name ({@code
 * layers.3.self_attn.q_proj}) and shape, returns the block that computes it. Any block mapping
 * {@code [..., in]} to {@code [..., out]} with a single output will do.
 */
@FunctionalInterface
public interface ProjectionFactory {

    /**
     * Creates one projection.
     *
     * @param name the projection's stable name, e.g. {@code layers.0.mlp.up_proj}
     * @param inputFeatures the input size
     * @param outputFeatures the output size
     * @return a new block
     */
    Block create(String name, long inputFeatures, long outputFeatures);
}
