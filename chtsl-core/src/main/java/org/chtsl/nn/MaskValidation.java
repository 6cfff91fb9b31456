package org.chtsl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Checks that an array is a usable connectivity mask: right shape, a known type, only 0 and 1. */
final class MaskValidation {

    private MaskValidation() {}

    /**
     * Checks a mask.
     *
     * @param mask the candidate mask
     * @param expected the shape it must have
     * @param what how to name the mask in the message
     * @throws IllegalArgumentException if the mask is null, has another shape or type, or holds a
     *     value other than 0 and 1
     */
    static void check(NDArray mask, Shape expected, String what) {
        if (mask == null) {
            throw new IllegalArgumentException(
                    what + " is null; expected a 0/1 array of shape " + expected + ".");
        }
        DataType type = SupportedDataTypes.checkMaskType(mask.getDataType());
        if (!mask.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    what
                            + " has shape "
                            + mask.getShape()
                            + "; expected "
                            + expected
                            + " (output features, input features).");
        }
        if (type == DataType.BOOLEAN) {
            return;
        }
        try (NDManager scope = NDManager.subManagerOf(mask)) {
            scope.tempAttachAll(mask);
            NDArray notBinary = mask.neq(0).logicalAnd(mask.neq(1));
            long offending = notBinary.countNonzero().getLong();
            if (offending > 0) {
                double example =
                        mask.booleanMask(notBinary)
                                .get(0)
                                .toType(DataType.FLOAT64, false)
                                .getDouble();
                throw new IllegalArgumentException(
                        what
                                + " must hold only 0 and 1, but "
                                + offending
                                + " entries do not (for example "
                                + example
                                + ").");
            }
        }
    }
}
