package org.chtsl.nn;

import ai.djl.ndarray.types.DataType;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data types chtsl blocks accept, checked before any native call.
 *
 * <p>DJL's PyTorch engine has no bfloat16 support: creating such an array aborts the JVM. So every
 * block checks the requested parameter type here and fails with an exception instead.
 */
public final class SupportedDataTypes {

    /** The floating-point types a block's parameters may have. */
    public static final Set<DataType> PARAMETER_TYPES =
            EnumSet.of(DataType.FLOAT32, DataType.FLOAT16, DataType.FLOAT64);

    /** The types a connectivity mask may be given in (it is converted to the weight's type). */
    public static final Set<DataType> MASK_TYPES =
            EnumSet.of(
                    DataType.BOOLEAN,
                    DataType.FLOAT32,
                    DataType.FLOAT16,
                    DataType.FLOAT64,
                    DataType.INT8,
                    DataType.UINT8,
                    DataType.INT32,
                    DataType.INT64);

    private SupportedDataTypes() {}

    /**
     * Checks that a block's parameters can be created in the given type.
     *
     * @param dataType the requested type
     * @param where the block, for the message
     * @return the type, for chaining
     * @throws IllegalArgumentException if the type is not one of {@link #PARAMETER_TYPES}
     */
    public static DataType checkParameterType(DataType dataType, String where) {
        if (!PARAMETER_TYPES.contains(dataType)) {
            throw new IllegalArgumentException(
                    where
                            + " cannot use data type "
                            + dataType.name()
                            + "; supported: FLOAT32 (default), FLOAT16, FLOAT64"
                            + bfloat16Hint(dataType));
        }
        return dataType;
    }

    /**
     * Checks that a mask given by a user has a type chtsl can convert.
     *
     * @param dataType the mask's type
     * @return the type, for chaining
     * @throws IllegalArgumentException if the type is not one of {@link #MASK_TYPES}
     */
    public static DataType checkMaskType(DataType dataType) {
        if (!MASK_TYPES.contains(dataType)) {
            throw new IllegalArgumentException(
                    "A connectivity mask cannot have data type "
                            + dataType.name()
                            + "; supported: "
                            + MASK_TYPES
                            + bfloat16Hint(dataType));
        }
        return dataType;
    }

    private static String bfloat16Hint(DataType dataType) {
        return dataType == DataType.BFLOAT16
                ? " (DJL's PyTorch engine aborts the JVM on bfloat16 arrays)."
                : ".";
    }
}
