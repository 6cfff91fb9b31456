package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.LayerState;

/**
 * Uniform random scores in [0, 1): top-k regrowth by them is SET's (and MEST's) uniformly random
 * regrowth. Drawn on the mask's device with the engine's random generator.
 */
public final class RandomScore implements LinkScore {

    /** {@inheritDoc} */
    @Override
    public NDArray score(LayerState layer) {
        NDArray mask = layer.mask();
        return mask.getManager().randomUniform(0f, 1f, mask.getShape(), DataType.FLOAT32);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "RandomScore";
    }
}
