package org.chtsl.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.chtsl.nn.LinkStateMap;
import org.chtsl.nn.SparseLinear;

/**
 * Adam and AdamW with PyTorch's semantics (spec §12.12) and state that dynamic sparse training can
 * reach: moments masked after every update, reset at given positions, saved and loaded by parameter
 * name, and an update that can be skipped for one iteration.
 *
 * <p>Per parameter: {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²}, {@code w ← w −
 * lr·m̂/(√v̂ + ε)} with bias-corrected {@code m̂, v̂} and a per-parameter step count that is never
 * reset. Adam adds {@code wd·w} to the gradient; AdamW ({@link Builder#optDecoupledWeightDecay})
 * multiplies {@code w} by {@code 1 − lr·wd}. Weight decay skips the parameters the filter excludes
 * (by default norm gains, biases and embeddings).
 *
 * <p>The update is DJL's fused Adam, one native call per parameter. Inactive weights of a {@link
 * SparseLinear} stay exactly zero without re-masking (see {@link #update}); a topology change moves
 * the moments with {@link #remapState}. The learning rate is read from the tracker at the
 * <em>global iteration</em> (every {@code Trainer.step()}, skipped ones included), as the
 * reference's LR schedule counts.
 *
 * <p>The class is over 400 lines because it carries its nested {@code Builder} (DJL's idiom) and
 * the state codec of a resumable optimizer; the update itself is one method.
 */
public class MaskedAdam extends Optimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupled;
    private final Predicate<Parameter> decayFilter;

    private final Map<String, MomentState> states = new LinkedHashMap<>();
    private final Map<String, Parameter> parameters = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();

    private final Set<String> updatedThisIteration = new HashSet<>();
    private long iteration;
    private boolean skipRequested;
    private boolean skipping;

    /**
     * Creates the optimizer from its builder.
     *
     * @param builder the builder
     */
    protected MaskedAdam(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
        decoupled = builder.decoupled;
        decayFilter = builder.decayFilter;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Learns the model's parameters: their names (for saving state) and which of them weight decay
     * skips. Call it once the model's blocks exist; {@link DynamicSparseTraining} does it for you.
     *
     * @param model the model
     * @return this optimizer
     */
    public MaskedAdam attach(Block model) {
        for (Pair<String, Parameter> pair : model.getParameters()) {
            parameters.put(pair.getValue().getId(), pair.getValue());
            names.put(pair.getValue().getId(), pair.getKey());
        }
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String key = parameterId + "@" + weight.getDevice();
        // DJL's Trainer.step() calls update once per parameter and device, in a fixed order, with
        // no call before or after the round; a parameter seen again is the only sign that a new
        // step began. Counting here (not in a listener) keeps the LR schedule right under any
        // trainer, skipped steps included.
        if (updatedThisIteration.isEmpty() || updatedThisIteration.contains(key)) {
            if (!updatedThisIteration.isEmpty()) {
                iteration++;
            }
            updatedThisIteration.clear();
            skipping = skipRequested;
            skipRequested = false;
        }
        updatedThisIteration.add(key);
        if (skipping) {
            discard(weight, grad);
            return;
        }
        MomentState state = states.computeIfAbsent(key, k -> new MomentState(weight));
        long step = ++state.step;
        float lr = learningRate.getNewValue(parameterId, Math.toIntExact(iteration));
        float decay = decayFor(parameterId);
        double correction1 = 1 - Math.pow(beta1, step);
        double root2 = Math.sqrt(1 - Math.pow(beta2, step));
        // One native call (DJL's fused Adam): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w −
        // lr'·m/(√v + ε') with lr' = lr·√c₂/c₁ and ε' = ε·√c₂, which is PyTorch's
        // w − (lr/c₁)·m/(√v/√c₂ + ε) rewritten; AdamW first does w ← w − lr·wd·w, Adam adds wd·w to
        // g. It also zeroes the weight's own gradient. No mask is applied: an inactive weight of
        // a SparseLinear is 0 with zero moments after every topology change (setTopology and the
        // LinkStateMap), its gradient is exactly 0 (the mask, or the compact scatter, is inside
        // the forward; the one dense-gradient batch before an update is skipped), so both weight
        // decays and the step leave it at 0.
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, state.mean, state.variance),
                        new NDList(weight),
                        lr,
                        (float) (lr * root2 / correction1),
                        decay,
                        rescaleGrad,
                        -1f,
                        beta1,
                        beta2,
                        (float) (epsilon * root2),
                        false,
                        decoupled);
    }

    /**
     * Zeroes the gradient for the next iteration. DJL's parameter server hands the optimizer a copy
     * of the gradient, so the weight's own gradient is zeroed too, as PyTorch's {@code zero_grad}
     * would (gradients otherwise accumulate across backward passes).
     */
    private static void discard(NDArray weight, NDArray grad) {
        grad.muli(0);
        if (weight.hasGradient()) {
            try (NDArray own = weight.getGradient()) {
                own.muli(0);
            }
        }
    }

    private float decayFor(String parameterId) {
        float decay = getWeightDecay();
        Parameter parameter = parameters.get(parameterId);
        return decay != 0 && parameter != null && !decayFilter.test(parameter) ? 0 : decay;
    }

    /**
     * Skips the optimizer update of the next {@code Trainer.step()} for every parameter (its
     * gradients are discarded); the iteration still counts for the learning-rate schedule.
     */
    public void skipNextUpdate() {
        skipRequested = true;
    }

    /**
     * Moves both moments of a parameter to a new topology (no-op before its first update).
     *
     * @param parameterId the weight parameter's id
     * @param map how the layer's per-link state follows its topology change
     */
    public void remapState(String parameterId, LinkStateMap map) {
        for (Map.Entry<String, MomentState> entry : states.entrySet()) {
            if (entry.getKey().startsWith(parameterId + "@")) {
                MomentState state = entry.getValue();
                NDArray mean = map.apply(state.mean);
                NDArray variance = map.apply(state.variance);
                state.mean.close();
                state.variance.close();
                state.mean = mean;
                state.variance = variance;
            }
        }
    }

    /**
     * Multiplies both moments of a parameter by a mask (no-op before its first update).
     *
     * @param parameterId the parameter's id
     * @param mask a 0/1 array of the parameter's shape
     */
    public void maskState(String parameterId, NDArray mask) {
        remapState(parameterId, state -> state.mul(mask.toType(state.getDataType(), false)));
    }

    /**
     * Zeroes both moments of a parameter at the given positions.
     *
     * @param parameterId the parameter's id
     * @param positions a 0/1 or boolean array, true where the state is reset
     */
    public void resetState(String parameterId, NDArray positions) {
        try (NDManager scope = NDManager.subManagerOf(positions)) {
            scope.tempAttachAll(positions);
            maskState(
                    parameterId,
                    positions.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false).logicalNot());
        }
    }

    /**
     * Returns the first and second moments of a parameter on its first device.
     *
     * @param parameterId the parameter's id
     * @return {@code {mean, variance}}, or {@code null} before its first update
     */
    public NDArray[] getMoments(String parameterId) {
        for (Map.Entry<String, MomentState> entry : states.entrySet()) {
            if (entry.getKey().startsWith(parameterId + "@")) {
                return new NDArray[] {entry.getValue().mean, entry.getValue().variance};
            }
        }
        return null;
    }

    /**
     * Returns the global iteration: how many {@code Trainer.step()} calls have updated (or skipped)
     * parameters before the current one.
     *
     * @return the iteration index
     */
    public long getIteration() {
        return iteration;
    }

    /**
     * Writes the state (iteration, every moment and step count, keyed by parameter name).
     *
     * @param os the stream
     * @throws IOException if writing fails
     * @throws IllegalStateException if the optimizer was not attached to the model
     */
    public void saveState(DataOutputStream os) throws IOException {
        os.writeLong(iteration + (updatedThisIteration.isEmpty() ? 0 : 1));
        os.writeInt(states.size());
        for (Map.Entry<String, MomentState> entry : states.entrySet()) {
            String id = entry.getKey().substring(0, entry.getKey().lastIndexOf('@'));
            String name = names.get(id);
            if (name == null) {
                throw new IllegalStateException(
                        "MaskedAdam must be attached to the model (attach(block)) to save state.");
            }
            os.writeUTF(name);
            os.writeLong(entry.getValue().step);
            os.write(entry.getValue().mean.encode());
            os.write(entry.getValue().variance.encode());
        }
    }

    /**
     * Restores the state written by {@link #saveState} into an optimizer attached to the same model
     * structure.
     *
     * @param is the stream
     * @param manager where the moments are created (the parameters' manager)
     * @throws IOException if reading fails
     * @throws MalformedModelException if a saved parameter does not exist in the model
     */
    public void loadState(DataInputStream is, NDManager manager)
            throws IOException, MalformedModelException {
        Map<String, String> ids = new HashMap<>();
        names.forEach((id, name) -> ids.put(name, id));
        states.clear();
        updatedThisIteration.clear();
        iteration = is.readLong();
        int count = is.readInt();
        for (int i = 0; i < count; i++) {
            String name = is.readUTF();
            String id = ids.get(name);
            if (id == null) {
                throw new MalformedModelException(
                        "Optimizer state names parameter '" + name + "', which the model lacks.");
            }
            long step = is.readLong();
            NDArray mean = manager.decode(is);
            NDArray variance = manager.decode(is);
            states.put(id + "@" + mean.getDevice(), new MomentState(mean, variance, step));
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "MaskedAdam%s(β₁=%s, β₂=%s, ε=%s, wd=%s)",
                decoupled ? "W" : "",
                beta1,
                beta2,
                epsilon,
                getWeightDecay());
    }

    /** The moments and step count of one parameter on one device. */
    private static final class MomentState {
        private NDArray mean;
        private NDArray variance;
        private long step;

        MomentState(NDArray weight) {
            this(weight.zerosLike(), weight.zerosLike(), 0);
        }

        MomentState(NDArray mean, NDArray variance, long step) {
            this.mean = mean;
            this.variance = variance;
            this.step = step;
        }
    }

    /** The builder of a {@link MaskedAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private boolean decoupled;
        private Predicate<Parameter> decayFilter = Builder::decayedByDefault;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning rate schedule (default: fixed 1e-3); it is queried at the global
         * iteration.
         *
         * @param learningRate the tracker
         * @return this builder
         */
        public Builder optLearningRateTracker(ParameterTracker learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets β₁ (default 0.9).
         *
         * @param beta1 β₁ in [0, 1)
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets β₂ (default 0.999).
         *
         * @param beta2 β₂ in [0, 1)
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε (default 1e-8), added to {@code √v̂}.
         *
         * @param epsilon ε &gt; 0
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Uses AdamW's decoupled weight decay instead of Adam's L2 term (default Adam).
         *
         * @param decoupled whether weight decay is decoupled
         * @return this builder
         */
        public Builder optDecoupledWeightDecay(boolean decoupled) {
            this.decoupled = decoupled;
            return this;
        }

        /**
         * Chooses the parameters weight decay applies to (default: all but norm gains and betas,
         * biases and embeddings).
         *
         * @param decayFilter true for parameters that decay
         * @return this builder
         */
        public Builder optWeightDecayFilter(Predicate<Parameter> decayFilter) {
            this.decayFilter = decayFilter;
            return this;
        }

        private static boolean decayedByDefault(Parameter parameter) {
            Parameter.Type type = parameter.getType();
            return type != Parameter.Type.GAMMA
                    && type != Parameter.Type.BETA
                    && type != Parameter.Type.BIAS
                    && !parameter.getName().toLowerCase(Locale.ROOT).contains("embed");
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         * @throws IllegalArgumentException if β₁, β₂ or ε are out of range, or the tracker or
         *     filter is null
         */
        public MaskedAdam build() {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0)) {
                throw new IllegalArgumentException(
                        "Adam needs β₁, β₂ in [0, 1) and ε > 0, got "
                                + beta1
                                + ", "
                                + beta2
                                + ", "
                                + epsilon
                                + ".");
            }
            if (learningRate == null || decayFilter == null) {
                throw new IllegalArgumentException(
                        "Adam needs a learning-rate tracker and a weight-decay filter.");
            }
            return new MaskedAdam(this);
        }
    }
}
