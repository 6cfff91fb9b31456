package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import org.chtsl.topology.LayerState;

/**
 * Scores every position of a sparse layer; removal and regrowth rules select by these scores.
 *
 * <p>A method is a choice of a removal rule and a regrowth rule, each driven by one score: SET
 * regrows by {@link RandomScore}, RigL by {@link GradientMagnitudeScore}, CHT/CHTs by {@link
 * ChScore}; removal uses {@link MagnitudeScore}, {@link RelativeImportanceScore} or {@link
 * MestScore}.
 */
public interface LinkScore {

    /**
     * Scores the positions of a layer.
     *
     * @param layer the layer
     * @return a non-negative float32 array of the mask's shape, on the mask's manager
     */
    NDArray score(LayerState layer);

    /**
     * Returns whether this score reads the dense gradient of the weight.
     *
     * @return {@code true} for gradient-based scores (RigL, MEST)
     */
    default boolean needsGradient() {
        return false;
    }
}
