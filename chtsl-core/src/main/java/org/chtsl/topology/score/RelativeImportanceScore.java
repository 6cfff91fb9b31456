package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.LayerState;

/**
 * Relative importance (spec §2.7): {@code |W_ia| / (Σ_i' |W_i'a| + ε) + |W_ia| / (Σ_a' |W_ia'| +
 * ε)}, ε = 1e-5 — the magnitude normalised by its column and by its row. CHTss prunes with it.
 */
public final class RelativeImportanceScore implements LinkScore {

    /** The ε of both denominators. */
    public static final float EPSILON = 1e-5f;

    /** {@inheritDoc} */
    @Override
    public NDArray score(LayerState layer) {
        NDArray weight = layer.requireWeight("RelativeImportanceScore");
        try (NDManager scope = NDManager.subManagerOf(weight)) {
            scope.tempAttachAll(weight);
            NDArray magnitude = weight.abs().toType(DataType.FLOAT32, false);
            NDArray byColumn = magnitude.div(magnitude.sum(new int[] {0}, true).add(EPSILON));
            NDArray byRow = magnitude.div(magnitude.sum(new int[] {1}, true).add(EPSILON));
            return scope.ret(byColumn.add(byRow));
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "RelativeImportanceScore";
    }
}
