package org.chtsl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import org.chtsl.nn.Scalars;

/**
 * {@code mean(½·(label − prediction)²)}: the value of DJL's {@code Loss.l2Loss()}, safe to
 * backpropagate. DJL's {@code L2Loss} multiplies by ½ with {@code mul(Number)}, whose operand the
 * garbage collector may free before the backward pass reads it (see {@link Scalars}); this loss
 * passes ½ as an array PyTorch owns.
 */
public class HalfSquaredErrorLoss extends Loss {

    /** Creates the loss named {@code "L2Loss"}, as DJL's. */
    public HalfSquaredErrorLoss() {
        this("L2Loss");
    }

    /**
     * Creates the loss.
     *
     * @param name the name shown by evaluators and logs
     */
    public HalfSquaredErrorLoss(String name) {
        super(name);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.singletonOrThrow();
        NDArray label = labels.singletonOrThrow().reshape(prediction.getShape());
        NDArray squares = label.sub(prediction).square();
        return squares.mul(Scalars.like(squares, 0.5)).mean();
    }
}
