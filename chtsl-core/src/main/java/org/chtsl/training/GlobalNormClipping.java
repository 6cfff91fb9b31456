package org.chtsl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Clips gradients by their global L2 norm, like {@code torch.nn.utils.clip_grad_norm_}: when {@code
 * ‖g‖ = √(Σ_p ‖g_p‖²)} exceeds the limit, every gradient is scaled by {@code limit / ‖g‖}. DJL's
 * own {@code optClipGrad} clamps elements, and on PyTorch only from above.
 *
 * <p>A training listener: it runs after backward and before the optimizer step. It clips the
 * <em>mean</em> gradient over a step's micro-batches, as {@code clip_grad_norm_} does after {@code
 * (loss / GA).backward()} in the reference drivers: DJL sums the micro-batches' gradients (each of
 * a mean loss), so with accumulation GA the norm compared with the limit is {@code ‖Σ g‖ / GA}, and
 * the sum is scaled by the same factor as the mean would be. Pass the number of batches per step.
 */
public class GlobalNormClipping extends TrainingListenerAdapter {

    private final Block model;
    private final float maxNorm;
    private final OptimizerStepCounter steps;
    private final int accumulation;
    private double lastNorm = Double.NaN;

    /**
     * Creates the clipping.
     *
     * @param model the model whose parameters are clipped
     * @param maxNorm the largest allowed global norm (&gt; 0)
     * @param gradientAccumulation batches per optimizer step (≥ 1)
     */
    public GlobalNormClipping(Block model, float maxNorm, int gradientAccumulation) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("Clipping needs a norm > 0, got " + maxNorm + ".");
        }
        this.model = model;
        this.maxNorm = maxNorm;
        this.steps = new OptimizerStepCounter(gradientAccumulation);
        this.accumulation = gradientAccumulation;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (steps.countBatch()) {
            lastNorm = clip(model, maxNorm, accumulation);
        }
    }

    /**
     * Clips the gradients of a model in place.
     *
     * @param model the model
     * @param maxNorm the largest allowed global norm
     * @return the global norm before clipping
     */
    public static double clip(Block model, float maxNorm) {
        return clip(model, maxNorm, 1);
    }

    /**
     * Clips the mean of gradients that hold the sum over {@code accumulation} micro-batches.
     *
     * @param model the model
     * @param maxNorm the largest allowed global norm of the mean gradient
     * @param accumulation the micro-batches the gradients are summed over (≥ 1)
     * @return the mean gradient's global norm before clipping
     */
    public static double clip(Block model, float maxNorm, int accumulation) {
        List<NDArray> gradients = new ArrayList<>();
        for (Parameter parameter : model.getParameters().values()) {
            NDArray array = parameter.getArray();
            if (parameter.requiresGradient() && array != null && array.hasGradient()) {
                gradients.add(array.getGradient());
            }
        }
        if (gradients.isEmpty()) {
            return 0;
        }
        try (NDManager scope = NDManager.subManagerOf(gradients.get(0))) {
            double squares = 0;
            for (NDArray gradient : gradients) {
                gradient.attach(scope);
                squares += gradient.toType(DataType.FLOAT64, false).square().sum().getDouble();
            }
            double norm = Math.sqrt(squares) / accumulation;
            if (!Double.isFinite(norm)) {
                String parameter = NonFiniteValues.firstNonFiniteGradient(model);
                throw new IllegalStateException(
                        "The gradients' global norm is "
                                + norm
                                + (parameter == null
                                        ? ""
                                        : " (first non-finite: " + parameter + ")")
                                + ": training diverged; lower the learning rate or lengthen the"
                                + " warm-up.");
            }
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                gradients.forEach(gradient -> gradient.muli(scale));
            }
            return norm;
        }
    }

    /**
     * Returns the global norm measured at the last optimizer step, before clipping.
     *
     * @return the norm, or NaN before the first step
     */
    public double getLastNorm() {
        return lastNorm;
    }
}
