package org.chtsl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chtsl.nn.BlockSearch;

/**
 * Finds NaN and infinite values among a model's parameters and gradients, by readable parameter
 * name ({@code layers.0.self_attn.q_proj.sparse.weight}), to say where a run diverged.
 */
public final class NonFiniteValues {

    private NonFiniteValues() {}

    /**
     * Checks every gradient at once (one reduction per parameter and one read).
     *
     * @param model the model
     * @return whether every gradient of a trainable parameter is finite
     */
    public static boolean gradientsFinite(Block model) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> pair : model.getParameters()) {
            NDArray gradient = gradientOf(pair.getValue());
            if (gradient != null) {
                gradients.add(gradient);
            }
        }
        if (gradients.isEmpty()) {
            return true;
        }
        try (NDManager scope = NDManager.subManagerOf(gradients.get(0))) {
            NDList sums = new NDList();
            for (NDArray gradient : gradients) {
                gradient.attach(scope);
                // a NaN or an infinity makes the sum non-finite (inf - inf is NaN too); half
                // precision is summed in float32, where finite gradients cannot overflow
                NDArray values =
                        gradient.getDataType() == DataType.FLOAT16
                                ? gradient.toType(DataType.FLOAT32, false)
                                : gradient;
                sums.add(values.sum().toType(DataType.FLOAT32, false));
            }
            return Float.isFinite(NDArrays.stack(sums).sum().getFloat());
        }
    }

    /**
     * Returns the first trainable parameter, in model order, whose gradient holds a NaN or an
     * infinity.
     *
     * @param model the model
     * @return its readable name, or {@code null} if all are finite
     */
    public static String firstNonFiniteGradient(Block model) {
        return first(model, true);
    }

    /**
     * Returns the first parameter, in model order, whose value holds a NaN or an infinity.
     *
     * @param model the model
     * @return its readable name, or {@code null} if all are finite
     */
    public static String firstNonFiniteWeight(Block model) {
        return first(model, false);
    }

    private static String first(Block model, boolean gradients) {
        for (Map.Entry<String, Block> block :
                BlockSearch.findAllNamed(model, Block.class).entrySet()) {
            for (Pair<String, Parameter> pair : block.getValue().getDirectParameters()) {
                Parameter parameter = pair.getValue();
                if (!parameter.isInitialized()) {
                    continue;
                }
                NDArray values = gradients ? gradientOf(parameter) : parameter.getArray();
                if (values != null && !allFinite(values, gradients)) {
                    String prefix = block.getKey();
                    return prefix.isEmpty() ? pair.getKey() : prefix + "." + pair.getKey();
                }
            }
        }
        return null;
    }

    private static boolean allFinite(NDArray values, boolean owned) {
        try (NDManager scope = NDManager.subManagerOf(values)) {
            if (owned) {
                values.attach(scope);
            } else {
                scope.tempAttachAll(values); // the results belong to the scope, not the model
            }
            return !values.isInfinite().logicalOr(values.isNaN()).any().getBoolean();
        }
    }

    private static NDArray gradientOf(Parameter parameter) {
        NDArray array = parameter.getArray();
        if (!parameter.requiresGradient() || array == null || !array.hasGradient()) {
            return null;
        }
        return array.getGradient();
    }
}
