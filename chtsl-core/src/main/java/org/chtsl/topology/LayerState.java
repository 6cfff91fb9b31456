package org.chtsl.topology;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.chtsl.util.Scopes;

/**
 * What a topology rule may look at for one sparse layer: its mask, its weight and, for rules that
 * need it (RigL, MEST), the dense gradient of the masked weight.
 *
 * <p>All arrays have the layer's shape {@code (output features, input features)} and live on the
 * same device; the mask holds 0/1 values of any numeric or boolean type. Rules never modify them.
 *
 * @param mask the current 0/1 connectivity mask
 * @param weight the weight (0 at inactive positions), or {@code null} for rules that use only the
 *     mask (CH predictors, random scores)
 * @param gradient the dense gradient (not masked), or {@code null} when no rule needs it
 */
public record LayerState(NDArray mask, NDArray weight, NDArray gradient) {

    /**
     * A state with only a mask, for rules that look at the topology alone.
     *
     * @param mask the 0/1 mask
     * @return the state
     */
    public static LayerState ofMask(NDArray mask) {
        return new LayerState(mask, null, null);
    }

    /**
     * The same layer with another mask (for example after removal, before regrowth).
     *
     * @param newMask the mask
     * @return a new state sharing the weight and gradient
     */
    public LayerState withMask(NDArray newMask) {
        return new LayerState(newMask, weight, gradient);
    }

    /**
     * Temporarily attaches the layer's arrays to a scope, so that everything a rule computes from
     * them is freed with the scope.
     *
     * @param scope the scope
     */
    public void tempAttach(NDManager scope) {
        Scopes.tempAttachDistinct(scope, mask, weight, gradient);
    }

    /**
     * Returns the weight, or fails with a message naming the rule that needs it.
     *
     * @param rule the rule, for the message
     * @return the weight
     * @throws IllegalArgumentException if the state has no weight
     */
    public NDArray requireWeight(String rule) {
        if (weight == null) {
            throw new IllegalArgumentException(rule + " needs the layer's weight; got none.");
        }
        return weight;
    }

    /**
     * Returns the dense gradient, or fails with a message naming the rule that needs it.
     *
     * @param rule the rule, for the message
     * @return the gradient
     * @throws IllegalArgumentException if the state has no gradient
     */
    public NDArray requireGradient(String rule) {
        if (gradient == null) {
            throw new IllegalArgumentException(
                    rule
                            + " needs the dense gradient of the layer's weight; got none (enable"
                            + " dense gradients for the update step).");
        }
        return gradient;
    }
}
