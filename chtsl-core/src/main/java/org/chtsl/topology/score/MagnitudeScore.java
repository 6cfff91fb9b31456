package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.LayerState;

/** {@code |W|}: the removal score of SET, RigL, CHT and CHTs. */
public final class MagnitudeScore implements LinkScore {

    /** {@inheritDoc} */
    @Override
    public NDArray score(LayerState layer) {
        return layer.requireWeight("MagnitudeScore").abs().toType(DataType.FLOAT32, false);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "MagnitudeScore";
    }
}
