package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.TrainingRecipe;
import org.chtsl.topology.rule.ChainRemovalPlan;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.GlobalNormClipping;
import org.chtsl.training.MaskedAdam;

/**
 * How every chtsl program wires a training run, in one place: a {@link MaskedAdam} as the method's
 * recipe names it (Adam or AdamW, weight decay) with a learning-rate tracker (gradients averaged
 * over the accumulated micro-batches), the loss, the devices, the topology listener of a dynamic
 * method (a static method's masks are attached to the optimizer instead), further listeners, and
 * global-norm clipping last.
 */
final class TrainingWiring {

    final MaskedAdam optimizer;
    final DefaultTrainingConfig config;

    /** The topology listener, or {@code null} for a static method. */
    final DynamicSparseTraining topology;

    private TrainingWiring(Builder builder) {
        TrainingRecipe recipe = builder.method.getRecipe();
        MaskedAdam.Builder adam =
                MaskedAdam.builder()
                        .optLearningRateTracker(builder.learningRate)
                        .setRescaleGrad(1f / builder.accumulation);
        if (recipe.weightDecay() > 0) {
            adam.optWeightDecays((float) recipe.weightDecay());
        }
        if (recipe.optimizer() == TrainingRecipe.Optimizer.ADAMW) {
            // torch.optim.AdamW over every trainable parameter, as the references build it
            adam.optDecoupledWeightDecay(true).optWeightDecayFilter(parameter -> true);
        }
        optimizer = adam.build();
        config =
                new DefaultTrainingConfig(builder.loss)
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {builder.device});
        if (builder.method.isDynamic()) {
            DynamicSparseTraining.Builder listener =
                    DynamicSparseTraining.builder()
                            .setModel(builder.model)
                            .setOptimizer(optimizer)
                            .setTotalSteps(builder.totalSteps)
                            .optMethod(builder.method)
                            .optUpdateInterval(builder.updateInterval)
                            .optGradientAccumulation(builder.accumulation);
            if (builder.endStep >= 0) {
                listener.optEndStep(builder.endStep);
            }
            if (builder.pruningEnd > 0) {
                listener.optPruningEnd(builder.pruningEnd);
            }
            if (!Double.isNaN(builder.finalSparsity)) {
                listener.optFinalSparsity(builder.finalSparsity);
            }
            if (builder.chainRemoval != null) {
                listener.optChainRemoval(builder.chainRemoval);
            }
            topology = listener.build();
            config.addTrainingListeners(topology);
        } else {
            topology = null;
            optimizer.attach(builder.model);
        }
        builder.listeners.forEach(config::addTrainingListeners);
        if (!Float.isNaN(builder.clipNorm)) {
            config.addTrainingListeners(
                    new GlobalNormClipping(builder.model, builder.clipNorm, builder.accumulation));
        }
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /** The builder of a {@link TrainingWiring}. */
    static final class Builder {

        private Block model;
        private MethodPreset method;
        private Loss loss;
        private Tracker learningRate;
        private Device device = Device.cpu();
        private long totalSteps;
        private int accumulation = 1;
        private long updateInterval = 100;
        private long endStep = -1;
        private long pruningEnd = -1;
        private double finalSparsity = Double.NaN;
        private ChainRemovalPlan chainRemoval;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private float clipNorm = Float.NaN;

        private Builder() {}

        /**
         * Sets the model, its method and the run's optimizer steps (required).
         *
         * @param model the model block
         * @param method the method it is trained with
         * @param totalSteps the run's optimizer steps
         * @return this builder
         */
        Builder setModel(Block model, MethodPreset method, long totalSteps) {
            this.model = model;
            this.method = method;
            this.totalSteps = totalSteps;
            return this;
        }

        /**
         * Sets the loss and the learning-rate tracker (required).
         *
         * @param loss the training loss
         * @param learningRate the tracker
         * @return this builder
         */
        Builder setObjective(Loss loss, Tracker learningRate) {
            this.loss = loss;
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the device the trainer runs on (default the CPU).
         *
         * @param device the device
         * @return this builder
         */
        Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Sets how many micro-batches make one optimizer step (default 1).
         *
         * @param accumulation at least 1
         * @return this builder
         */
        Builder optGradientAccumulation(int accumulation) {
            this.accumulation = accumulation;
            return this;
        }

        /**
         * Sets the topology update interval ΔT (default 100).
         *
         * @param updateInterval at least 1
         * @return this builder
         */
        Builder optUpdateInterval(long updateInterval) {
            this.updateInterval = updateInterval;
            return this;
        }

        /**
         * Sets T_end, the last step topology may change at (default the listener's, 75% of the
         * run).
         *
         * @param endStep T_end
         * @return this builder
         */
        Builder optEndStep(long endStep) {
            this.endStep = endStep;
            return this;
        }

        /**
         * Sets the step a density decay ends at (methods that decay density; default T_end).
         *
         * @param pruningEnd the step
         * @return this builder
         */
        Builder optPruningEnd(long pruningEnd) {
            this.pruningEnd = pruningEnd;
            return this;
        }

        /**
         * Sets the sparsity a density decay ends at (methods that decay density).
         *
         * @param finalSparsity the sparsity
         * @return this builder
         */
        Builder optFinalSparsity(double finalSparsity) {
            this.finalSparsity = finalSparsity;
            return this;
        }

        /**
         * Adds chain removal to the topology updates.
         *
         * @param chainRemoval the layers it couples
         * @return this builder
         */
        Builder optChainRemoval(ChainRemovalPlan chainRemoval) {
            this.chainRemoval = chainRemoval;
            return this;
        }

        /**
         * Adds a listener, after the topology listener and before clipping.
         *
         * @param listener the listener
         * @return this builder
         */
        Builder addListener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Clips the mean gradient to a global norm after every optimizer step's backward (default
         * none).
         *
         * @param clipNorm the largest global norm of the mean gradient, &gt; 0
         * @return this builder
         */
        Builder optClipping(float clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /**
         * Wires the run.
         *
         * @return the optimizer, training configuration and topology listener
         * @throws IllegalArgumentException if the model, method, loss or tracker is missing, or the
         *     topology listener refuses a setting
         */
        TrainingWiring build() {
            if (model == null || method == null || loss == null || learningRate == null) {
                throw new IllegalArgumentException(
                        "TrainingWiring needs setModel(...) and setObjective(...).");
            }
            return new TrainingWiring(this);
        }
    }
}
