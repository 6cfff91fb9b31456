package org.chtsl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for arrays in an autograd graph.
 *
 * <p>DJL's {@code NDArray.mul(Number)} and {@code div(Number)} wrap the number in a temporary array
 * whose memory belongs to a Java direct buffer, and close it right after the operation. PyTorch's
 * autograd keeps that operand for the backward pass ({@code d(x·c)/dx = c}); once the garbage
 * collector has freed the buffer, the backward pass reads freed memory, and the gradient is garbage
 * (measured: 0.5 became 12345 after a collection). Which steps are hit depends on when the
 * collector runs, so runs diverge at random. An array from {@link #like} holds its value in memory
 * that PyTorch owns and counts references to, so the saved operand stays valid.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * Returns a 0-d array of a value, of an array's type, on its device and manager.
     *
     * @param array the array the value is combined with
     * @param value the value
     * @return the scalar array (closed with the array's manager)
     */
    public static NDArray like(NDArray array, double value) {
        return array.getManager().full(new Shape(), (float) value, array.getDataType());
    }
}
