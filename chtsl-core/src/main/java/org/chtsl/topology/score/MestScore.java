package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.LayerState;

/** MEST's removal score (spec §2.3): {@code |W| + λ·|G|⊙M}, with λ = 0.01 by default. */
public final class MestScore implements LinkScore {

    /** The reference's λ ({@code factor}). */
    public static final float DEFAULT_LAMBDA = 0.01f;

    private final float lambda;

    /** Creates the score with λ = 0.01. */
    public MestScore() {
        this(DEFAULT_LAMBDA);
    }

    /**
     * Creates the score.
     *
     * @param lambda the gradient's weight λ, finite and ≥ 0
     * @throws IllegalArgumentException if λ is negative or not finite
     */
    public MestScore(float lambda) {
        if (!(lambda >= 0 && Float.isFinite(lambda))) {
            throw new IllegalArgumentException(
                    "MEST's gradient weight must be finite and >= 0, got " + lambda + ".");
        }
        this.lambda = lambda;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray score(LayerState layer) {
        NDArray weight = layer.requireWeight("MestScore");
        NDArray gradient = layer.requireGradient("MestScore");
        try (NDManager scope = NDManager.subManagerOf(weight)) {
            layer.tempAttach(scope);
            NDArray mask = layer.mask().toType(DataType.FLOAT32, false);
            NDArray activeGradient = gradient.abs().toType(DataType.FLOAT32, false).mul(mask);
            NDArray score =
                    weight.abs().toType(DataType.FLOAT32, false).add(activeGradient.mul(lambda));
            return scope.ret(score);
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean needsGradient() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "MestScore(λ=" + lambda + ")";
    }
}
