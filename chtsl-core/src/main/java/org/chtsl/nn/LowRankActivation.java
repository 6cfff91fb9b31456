package org.chtsl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The nonlinearity between the two factors of a {@link LowRankLinear}. */
public enum LowRankActivation {
    /** {@code x·sigmoid(x)}, CoLA's choice and the CHTsL default. */
    SILU {
        @Override
        public NDArray apply(NDArray input) {
            return input.mul(Activation.sigmoid(input));
        }
    },
    /** No nonlinearity: {@code B·A·x}, the "naive" sparse + low-rank integration. */
    IDENTITY {
        @Override
        public NDArray apply(NDArray input) {
            return input;
        }
    };

    /**
     * Applies the activation.
     *
     * @param input the array
     * @return the activated array (the input itself for {@link #IDENTITY})
     */
    public abstract NDArray apply(NDArray input);
}
