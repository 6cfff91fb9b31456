package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.LayerState;

/** {@code |G|}, the magnitude of the dense gradient: RigL's regrowth score (spec §2.2). */
public final class GradientMagnitudeScore implements LinkScore {

    /** {@inheritDoc} */
    @Override
    public NDArray score(LayerState layer) {
        return layer.requireGradient("GradientMagnitudeScore")
                .abs()
                .toType(DataType.FLOAT32, false);
    }

    /** {@inheritDoc} */
    @Override
    public boolean needsGradient() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "GradientMagnitudeScore";
    }
}
