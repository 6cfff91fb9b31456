package org.chtsl.training;

/**
 * What one topology update did to one layer.
 *
 * @param name the layer's name (its path in the model, e.g. {@code layers.3.mlp.up_proj})
 * @param density the layer's density after the update
 * @param removed the links removed (density decay, ζ removal and chain removal)
 * @param regrown the links grown
 * @param seconds the time the layer's update took
 * @param churn the fraction of the layer's links that are new, {@code |M' ∖ M| / |M'|} (0 when
 *     nothing changed)
 * @param overlap the Jaccard similarity of the masks before and after, {@code |M ∧ M'| / |M ∨ M'|}
 *     (1 when nothing changed)
 * @param coverage the fraction of positions that have ever been active (in-time
 *     over-parameterisation)
 */
public record LayerUpdateRecord(
        String name,
        double density,
        long removed,
        long regrown,
        double seconds,
        double churn,
        double overlap,
        double coverage) {}
