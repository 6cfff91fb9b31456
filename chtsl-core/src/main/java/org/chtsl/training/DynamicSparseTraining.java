package org.chtsl.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.LinkStateMap;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseStorage;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.rule.ChainRemovalPlan;
import org.chtsl.topology.schedule.DecayWindow;
import org.chtsl.topology.schedule.DropFractionSchedule;
import org.chtsl.topology.update.LayerUpdate;
import org.chtsl.topology.update.SparseLayer;
import org.chtsl.topology.update.UpdatePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic sparse training as a DJL {@code TrainingListener}: every ΔT optimizer steps up to {@code
 * T_end}, the method's {@link UpdatePipeline} (density pruning, removal, chain removal, regrowth)
 * runs over every {@link SparseLinear} of the model (also inside {@code SparseLowRankLinear} and
 * nested blocks); the new masks are applied, the optimizer moments masked and the iteration's
 * optimizer update skipped (spec §1.8).
 *
 * <p>It runs in {@code onTrainingBatch} (after backward, before {@code step()}), so it works with a
 * stock {@code Trainer} and {@code EasyTrain.fit}. With gradient accumulation it counts optimizer
 * steps, one every {@code gradientAccumulation} batches. Methods whose rules read the dense
 * gradient (RigL, MEST, GraNet) get it only for the update step's batches ({@link
 * SparseLinear#setDenseGradient}). Each update is recorded ({@link #getHistory()}).
 *
 * <p>Layers may use either {@link org.chtsl.nn.SparseStorage} form; methods that need the dense
 * gradient need {@code DENSE_MASKED} layers (checked when the listener is built). The topology is
 * enforced where it changes: {@link SparseLinear#setTopology} zeroes the weights of removed links
 * and returns how per-link state follows, with which {@link MaskedAdam#remapState} gives removed
 * and new links zero moments. Between updates nothing needs re-masking: the mask (or the compact
 * scatter) is inside the forward, so inactive links get an exactly zero gradient and Adam leaves
 * them at zero.
 *
 * <p>Train on one device, with the model created there, so that the masks edited here are the
 * arrays being trained.
 *
 * <p>The file is over 400 lines because it holds the nested {@code Builder} (DJL's idiom, ~180
 * lines of options and checks); the listener itself — counting, calling the pipeline, applying its
 * masks, checkpointing — is the rest.
 */
public class DynamicSparseTraining extends TrainingListenerAdapter implements CheckpointState {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicSparseTraining.class);
    private static final byte STATE_VERSION = 3;

    private final Block model;
    private final MaskedAdam optimizer;
    private final MethodPreset method;
    private final long interval;
    private final long endStep;
    private final OptimizerStepCounter steps;
    private final int accumulation;
    private final long pruningEnd;
    private final DropFractionSchedule zeta;
    private final UpdatePipeline pipeline;
    private final boolean needsGradient;

    private final List<Layer> layers = new ArrayList<>();
    private final TopologyMetrics metrics = new TopologyMetrics();
    private final List<TopologyUpdateRecord> history = new ArrayList<>();

    private DynamicSparseTraining(Builder builder) {
        model = builder.model;
        optimizer = builder.optimizer;
        method = builder.method;
        interval = builder.interval;
        endStep =
                builder.endStep < 0
                        ? (long) Math.floor(0.75 * builder.totalSteps)
                        : builder.endStep;
        steps = new OptimizerStepCounter(builder.gradientAccumulation);
        accumulation = builder.gradientAccumulation;
        pruningEnd =
                !method.getDensitySchedule().decays()
                        ? -1
                        : builder.pruningEnd < 0 ? Math.max(interval, endStep) : builder.pruningEnd;
        pipeline = method.isDynamic() ? pipeline(builder) : null;
        zeta = method.isDynamic() ? method.dropFraction(Math.max(1, endStep)) : null;
        needsGradient = pipeline != null && pipeline.needsGradient();
        discoverLayers();
    }

    private UpdatePipeline pipeline(Builder builder) {
        UpdatePipeline.Builder pipeline =
                UpdatePipeline.builder()
                        .setRules(method.getRemoval(), method.getRegrowth())
                        .optChainRemoval(builder.chainRemoval);
        if (pruningEnd >= 0) {
            pipeline.optDensity(
                    method.getDensitySchedule(),
                    new DecayWindow(builder.finalSparsity, pruningEnd, interval));
        }
        return pipeline.build();
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private void discoverLayers() {
        Map<String, SparseLinear> found = BlockSearch.findAllNamed(model, SparseLinear.class);
        if (method.isDynamic() && found.isEmpty()) {
            throw new IllegalArgumentException(
                    "Method "
                            + method.getName()
                            + " updates SparseLinear layers, but the model has none; build its"
                            + " projections with the method's projection kind ("
                            + method.getKind()
                            + ").");
        }
        found.forEach((name, layer) -> layers.add(new Layer(name, layer)));
        if (needsGradient) {
            found.forEach(this::checkDenseGradientAvailable);
        }
        optimizer.attach(model);
    }

    private void checkDenseGradientAvailable(String name, SparseLinear layer) {
        if (layer.getStorage() == SparseStorage.COMPACT) {
            throw new IllegalArgumentException(
                    "Method "
                            + method.getName()
                            + " ranks inactive links by their dense gradient, but layer '"
                            + name
                            + "' uses compact storage, which has none; build its projections with"
                            + " SparseStorage.DENSE_MASKED.");
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        for (Layer layer : layers) {
            if (layer.block.getStorage() == SparseStorage.DENSE_MASKED) {
                layer.block.getMaskParameter().freeze(true);
            }
        }
        setDenseGradient(isUpdateStep(steps.getStep() + 1));
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (!steps.countBatch()) {
            return;
        }
        long step = steps.getStep();
        if (isUpdateStep(step)) {
            updateTopology(step);
            optimizer.skipNextUpdate();
        }
        setDenseGradient(isUpdateStep(step + 1));
    }

    /**
     * Returns whether the topology changes at an optimizer step: {@code t mod ΔT = 0} and {@code t
     * ≤ T_end}.
     *
     * @param t the optimizer step (1-based)
     * @return whether step t is an update step
     */
    public boolean isUpdateStep(long t) {
        return method.isDynamic() && t > 0 && t % interval == 0 && t <= endStep;
    }

    private void setDenseGradient(boolean on) {
        if (needsGradient) {
            for (Layer layer : layers) {
                layer.block.setDenseGradient(on);
            }
        }
    }

    private void updateTopology(long t) {
        long start = System.nanoTime();
        List<LayerUpdateRecord> records = new ArrayList<>();
        UpdateStep at = new UpdateStep(t, Math.max(1, endStep), zeta.at(t));
        try (NDManager scope = NDManager.subManagerOf(layers.get(0).home())) {
            List<SparseLayer> inputs = new ArrayList<>();
            for (Layer layer : layers) {
                inputs.add(layer.input(scope));
            }
            List<LayerUpdate> updates = pipeline.update(inputs, at, scope);
            for (int i = 0; i < layers.size(); i++) {
                records.add(layers.get(i).apply(updates.get(i), scope));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        history.add(new TopologyUpdateRecord(t, seconds, Collections.unmodifiableList(records)));
        if (LOG.isInfoEnabled()) {
            long removed = 0;
            long regrown = 0;
            double density = 0;
            for (LayerUpdateRecord record : records) {
                removed += record.removed();
                regrown += record.regrown();
                density += record.density();
            }
            LOG.info(
                    "Topology update at step {} ({} {}): {} layers, {} links removed, {} regrown,"
                            + " mean density {}, {} ms",
                    t,
                    method.getName(),
                    String.format(Locale.ROOT, "ζ %.3f", at.zeta()),
                    records.size(),
                    removed,
                    regrown,
                    String.format(Locale.ROOT, "%.4f", density / records.size()),
                    Math.round(seconds * 1000));
        }
    }

    /**
     * Returns the method this listener trains.
     *
     * @return the preset
     */
    public MethodPreset getMethod() {
        return method;
    }

    /**
     * Returns the optimizer steps counted so far.
     *
     * @return the step
     */
    public long getStep() {
        return steps.getStep();
    }

    /**
     * Returns {@code T_end}, the last step at which topology may change.
     *
     * @return the end step
     */
    public long getEndStep() {
        return endStep;
    }

    /**
     * Returns the step at which the density decay ends.
     *
     * @return {@code pruningEnd}, or -1 if the method's density is constant
     */
    public long getPruningEnd() {
        return pruningEnd;
    }

    /**
     * Returns every topology update so far.
     *
     * @return an unmodifiable view of the history
     */
    public List<TopologyUpdateRecord> getHistory() {
        return Collections.unmodifiableList(history);
    }

    /**
     * Returns the managed layers by name.
     *
     * @return the names, in the order the layers are updated
     */
    public List<String> getLayerNames() {
        List<String> names = new ArrayList<>();
        layers.forEach(layer -> names.add(layer.name));
        return names;
    }

    /**
     * Returns the link count a layer is regrown to (changes with a density decay).
     *
     * @param name the layer's name
     * @return the target count
     * @throws IllegalArgumentException for an unknown name
     */
    public long getTargetLinks(String name) {
        for (Layer layer : layers) {
            if (layer.name.equals(name)) {
                return layer.target;
            }
        }
        throw new IllegalArgumentException("No sparse layer named '" + name + "'.");
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code "topology"}
     */
    @Override
    public String getStateName() {
        return "topology";
    }

    /**
     * Writes the listener's state (counters, layer targets, coverage masks, history).
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    @Override
    public void saveState(DataOutputStream os) throws IOException {
        os.writeByte(STATE_VERSION);
        steps.save(os);
        os.writeInt(layers.size());
        for (Layer layer : layers) {
            os.writeUTF(layer.name);
            os.writeLong(layer.target);
        }
        metrics.save(os, getLayerNames());
        TopologyHistoryCodec.write(os, history);
    }

    /**
     * Restores the state written by {@link #saveState} into a listener of the same model.
     *
     * @param is the stream
     * @throws IOException if reading fails
     * @throws MalformedModelException if the saved state is of another version or its layers are
     *     not this model's
     */
    @Override
    public void loadState(DataInputStream is) throws IOException, MalformedModelException {
        CheckpointState.readVersion(is, "topology", STATE_VERSION);
        long batches = steps.readSaved(is);
        int count = is.readInt();
        if (count != layers.size()) {
            throw new MalformedModelException(
                    "The checkpoint has "
                            + count
                            + " sparse layers, the model "
                            + layers.size()
                            + ".");
        }
        long[] targets = new long[layers.size()];
        List<NDManager> homes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String name = is.readUTF();
            if (!name.equals(layer.name)) {
                throw new MalformedModelException(
                        "The checkpoint's layer '"
                                + name
                                + "' is not the model's '"
                                + layer.name
                                + "'.");
            }
            targets[i] = is.readLong();
            homes.add(layer.home().getManager());
        }
        Map<String, NDArray> coverage = TopologyMetrics.read(is, getLayerNames(), homes);
        List<TopologyUpdateRecord> records;
        try {
            records = TopologyHistoryCodec.read(is);
        } catch (IOException | RuntimeException e) {
            coverage.values().forEach(NDArray::close);
            throw e;
        }
        // everything read and checked: only now does the listener change
        steps.restore(batches);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).target = targets[i];
        }
        metrics.replace(coverage);
        history.clear();
        history.addAll(records);
        setDenseGradient(isUpdateStep(steps.getStep() + 1));
    }

    /** One managed layer and the link count it is regrown to. */
    private final class Layer {
        private final String name;
        private final SparseLinear block;
        private long target = -1;

        Layer(String name, SparseLinear block) {
            this.name = name;
            this.block = block;
        }

        /** The layer's weight array: its manager and device are where the layer's state lives. */
        NDArray home() {
            return block.getWeight().getArray();
        }

        SparseLayer input(NDManager scope) {
            NDArray gradient = needsGradient ? home().getGradient() : null;
            if (gradient != null) {
                gradient.attach(scope);
                // DJL sums the step's micro-batch gradients; scores read the mean, as the
                // reference's dense_grad += grad / GA does (MEST's |W| + λ|G| is not scale-free)
                if (accumulation > 1) {
                    gradient = gradient.div(accumulation);
                }
            }
            LayerState state =
                    block.getStorage() == SparseStorage.COMPACT
                            // built transiently: the rules read dense arrays
                            ? new LayerState(block.denseMask(scope), block.denseWeight(scope), null)
                            : new LayerState(block.getMask(), home(), gradient);
            return new SparseLayer(name, state, target);
        }

        LayerUpdateRecord apply(LayerUpdate update, NDManager scope) {
            // links the density decay pruned restart at 0 with zero moments even if regrown now,
            // as the reference masks W and moments right after that prune (spec §7): only the
            // carried links keep weight and state
            LinkStateMap map = block.setTopology(update.mask(), update.carried(), scope);
            optimizer.remapState(block.getWeight().getId(), map);
            target = update.target();
            return metrics.record(update, home().getManager());
        }
    }

    /** The builder of a {@link DynamicSparseTraining} listener. */
    public static final class Builder {

        private Block model;
        private MaskedAdam optimizer;
        private MethodPreset method = Methods.chts();
        private long totalSteps;
        private long interval = 100;
        private long endStep = -1;
        private int gradientAccumulation = 1;
        private double finalSparsity = Double.NaN;
        private long pruningEnd = -1;
        private ChainRemovalPlan chainRemoval;

        Builder() {}

        /**
         * Adds chain removal between removal and regrowth (default none; the MLP recipe uses {@link
         * ChainRemovalPlan#stack}).
         *
         * @param chainRemoval the layers it couples
         * @return this builder
         */
        public Builder optChainRemoval(ChainRemovalPlan chainRemoval) {
            this.chainRemoval = chainRemoval;
            return this;
        }

        /**
         * Sets the model whose sparse layers are trained (required).
         *
         * @param model the model block
         * @return this builder
         */
        public Builder setModel(Block model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the optimizer the trainer uses (required; its state is masked and reset here).
         *
         * @param optimizer the optimizer
         * @return this builder
         */
        public Builder setOptimizer(MaskedAdam optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * Sets the number of optimizer steps of the run (required; {@code T_end} defaults to 75% of
         * it).
         *
         * @param totalSteps the optimizer steps
         * @return this builder
         */
        public Builder setTotalSteps(long totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /**
         * Sets the method (default CHTs).
         *
         * @param method the method preset
         * @return this builder
         */
        public Builder optMethod(MethodPreset method) {
            this.method = method;
            return this;
        }

        /**
         * Sets the topology update interval ΔT (default 100).
         *
         * @param interval ΔT ≥ 1
         * @return this builder
         */
        public Builder optUpdateInterval(long interval) {
            this.interval = interval;
            return this;
        }

        /**
         * Sets {@code T_end}, the last step at which topology may change (default 75% of the run).
         *
         * @param endStep T_end in [0, total steps]
         * @return this builder
         */
        public Builder optEndStep(long endStep) {
            this.endStep = endStep;
            return this;
        }

        /**
         * Sets the step at which a density decay ends (default {@code max(ΔT, T_end)}, so the final
         * density is the target; the reference's LLaMA runs use 8000 of 10 000 steps).
         *
         * @param pruningEnd the step, ≥ ΔT
         * @return this builder
         */
        public Builder optPruningEnd(long pruningEnd) {
            this.pruningEnd = pruningEnd;
            return this;
        }

        /**
         * Sets how many batches make one optimizer step (default 1).
         *
         * @param gradientAccumulation ≥ 1
         * @return this builder
         */
        public Builder optGradientAccumulation(int gradientAccumulation) {
            this.gradientAccumulation = gradientAccumulation;
            return this;
        }

        /**
         * Sets the sparsity CHTss' decay ends at (required for methods with a density decay).
         *
         * @param finalSparsity s₁ in (0, 1)
         * @return this builder
         */
        public Builder optFinalSparsity(double finalSparsity) {
            this.finalSparsity = finalSparsity;
            return this;
        }

        /**
         * Builds the listener and finds the model's sparse layers.
         *
         * @return the listener
         * @throws IllegalArgumentException if a setting is invalid or the model lacks the layers
         *     the method updates
         */
        public DynamicSparseTraining build() {
            if (model == null || optimizer == null || method == null) {
                throw new IllegalArgumentException(
                        "DynamicSparseTraining needs setModel, setOptimizer and a method.");
            }
            if (totalSteps < 1) {
                throw new IllegalArgumentException(
                        "setTotalSteps needs the run's optimizer steps (>= 1), got "
                                + totalSteps
                                + ".");
            }
            if (interval < 1) {
                throw new IllegalArgumentException(
                        "The update interval ΔT must be >= 1, got " + interval + ".");
            }
            if (endStep > totalSteps) {
                throw new IllegalArgumentException(
                        "T_end "
                                + endStep
                                + " is beyond the run's "
                                + totalSteps
                                + " steps; allowed: 0 to "
                                + totalSteps
                                + ".");
            }
            if (gradientAccumulation < 1) {
                throw new IllegalArgumentException(
                        "Gradient accumulation must be >= 1, got " + gradientAccumulation + ".");
            }
            if (pruningEnd >= 0 && !method.getDensitySchedule().decays()) {
                throw new IllegalArgumentException(
                        method.getName()
                                + " keeps a constant density; a pruning end applies only to methods"
                                + " that decay density.");
            }
            if (pruningEnd >= 0 && (pruningEnd < interval || pruningEnd > totalSteps)) {
                throw new IllegalArgumentException(
                        "The pruning end must be in [ΔT, total steps] = ["
                                + interval
                                + ", "
                                + totalSteps
                                + "], got "
                                + pruningEnd
                                + ".");
            }
            if (method.getDensitySchedule().decays() && !(finalSparsity > 0 && finalSparsity < 1)) {
                throw new IllegalArgumentException(
                        method.getName()
                                + " decays density: set optFinalSparsity(s) with s in (0, 1), got "
                                + finalSparsity
                                + ".");
            }
            return new DynamicSparseTraining(this);
        }
    }
}
