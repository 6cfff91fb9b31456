package org.chtsl.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.TopologyUpdate;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.schedule.DensityDecaySchedule;
import org.chtsl.topology.schedule.DropFractionSchedule;
import org.chtsl.topology.schedule.RemovalTemperatureSchedule;
import org.chtsl.topology.score.RelativeImportanceScore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic sparse training as a DJL {@code TrainingListener}: every ΔT optimizer steps up to {@code
 * T_end}, each {@link SparseLinear} of the model (also inside {@code SparseLowRankLinear} and
 * nested blocks) gets the method's topology update (spec §1.8): CHTss' density decay, removal,
 * regrowth back to the layer's target, then the new mask, with weights and optimizer moments masked
 * and the iteration's optimizer update skipped.
 *
 * <p>It runs in {@code onTrainingBatch} (after backward, before {@code step()}), so it works with a
 * stock {@code Trainer} and {@code EasyTrain.fit}. With gradient accumulation it counts optimizer
 * steps, one every {@code gradientAccumulation} batches. Methods whose regrowth reads the dense
 * gradient (RigL, MEST) get it only for the update step's batches ({@link
 * SparseLinear#setDenseGradient}). Each update is recorded: per layer density, removed, regrown,
 * seconds, churn and coverage ({@link #getHistory()}).
 *
 * <p>Train on one device, with the model created there, so that the masks edited here are the
 * arrays being trained.
 */
public class DynamicSparseTraining extends TrainingListenerAdapter implements CheckpointState {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicSparseTraining.class);

    private final Block model;
    private final MaskedAdam optimizer;
    private final MethodPreset method;
    private final long interval;
    private final long endStep;
    private final int gradientAccumulation;
    private final DropFractionSchedule zeta;
    private final RemovalTemperatureSchedule temperature;
    private final DensityDecaySchedule decay;
    private final boolean needsGradient;
    private final ChainRemovalPlan chainRemoval;

    private final List<Layer> layers = new ArrayList<>();
    private final List<TopologyUpdateRecord> history = new ArrayList<>();
    private long batches;
    private long step;

    private DynamicSparseTraining(Builder builder) {
        model = builder.model;
        optimizer = builder.optimizer;
        method = builder.method;
        interval = builder.interval;
        endStep =
                builder.endStep < 0
                        ? (long) Math.floor(0.75 * builder.totalSteps)
                        : builder.endStep;
        gradientAccumulation = builder.gradientAccumulation;
        chainRemoval = builder.chainRemoval;
        zeta =
                new DropFractionSchedule(
                        method.getZeta(), Math.max(1, endStep), method.isCosineZeta());
        temperature =
                new RemovalTemperatureSchedule(
                        method.getTemperatureStart(),
                        method.getTemperatureEnd(),
                        Math.max(1, endStep));
        decay =
                method.hasDensityDecay()
                        ? new DensityDecaySchedule(
                                method.getDecayInitialSparsity(),
                                builder.finalSparsity,
                                Math.max(interval, endStep),
                                interval,
                                method.getDecayCurvature())
                        : null;
        needsGradient = method.getRemoval().needsGradient() || method.getRegrowth().needsGradient();
        discoverLayers();
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
        optimizer.attach(model);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        for (Layer layer : layers) {
            layer.block.getMaskParameter().freeze(true);
        }
        setDenseGradient(isUpdateStep(step + 1));
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        batches++;
        if (batches % gradientAccumulation != 0) {
            return;
        }
        step++;
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
        try (NDManager scope = NDManager.subManagerOf(layers.get(0).block.getMask())) {
            Map<String, Pending> pending = new LinkedHashMap<>();
            for (Layer layer : layers) {
                pending.put(layer.name, layer.remove(t, scope));
            }
            if (chainRemoval != null) {
                Map<String, NDArray> kept = new LinkedHashMap<>();
                pending.forEach((name, removal) -> kept.put(name, removal.kept));
                Map<String, NDArray> cleaned = chainRemoval.apply(kept);
                for (Map.Entry<String, NDArray> entry : cleaned.entrySet()) {
                    entry.getValue().attach(scope);
                    pending.get(entry.getKey()).kept = entry.getValue();
                }
                for (Map.Entry<String, Pending> entry : pending.entrySet()) {
                    NDArray allowed = chainRemoval.allowedRegrowth(entry.getKey(), cleaned);
                    if (allowed != null) {
                        allowed.attach(scope);
                    }
                    entry.getValue().allowed = allowed;
                }
            }
            for (Layer layer : layers) {
                records.add(layer.regrow(pending.get(layer.name), scope));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        history.add(new TopologyUpdateRecord(t, seconds, Collections.unmodifiableList(records)));
        LOG.debug("Topology update at step {} took {} s", t, seconds);
    }

    /** A layer between removal and regrowth. */
    private static final class Pending {
        private final LayerState state;
        private final NDArray before;
        private NDArray kept;
        private NDArray allowed;
        private final long nanos;

        Pending(LayerState state, NDArray before, NDArray kept, long nanos) {
            this.state = state;
            this.before = before;
            this.kept = kept;
            this.nanos = nanos;
        }
    }

    /**
     * Returns the optimizer steps counted so far.
     *
     * @return the step
     */
    public long getStep() {
        return step;
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
     * Returns the link count a layer is regrown to (changes with CHTss' decay).
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
     * Writes the listener's state (counters, layer targets, ever-active masks, history).
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    @Override
    public void saveState(DataOutputStream os) throws IOException {
        os.writeLong(batches);
        os.writeLong(step);
        os.writeInt(layers.size());
        for (Layer layer : layers) {
            os.writeUTF(layer.name);
            os.writeLong(layer.target);
            os.writeBoolean(layer.everActive != null);
            if (layer.everActive != null) {
                os.write(layer.everActive.encode());
            }
        }
        os.writeInt(history.size());
        for (TopologyUpdateRecord record : history) {
            os.writeLong(record.step());
            os.writeDouble(record.seconds());
            os.writeInt(record.layers().size());
            for (LayerUpdateRecord layer : record.layers()) {
                os.writeUTF(layer.name());
                os.writeDouble(layer.density());
                os.writeLong(layer.removed());
                os.writeLong(layer.regrown());
                os.writeDouble(layer.seconds());
                os.writeDouble(layer.churn());
                os.writeDouble(layer.coverage());
            }
        }
    }

    /**
     * Restores the state written by {@link #saveState} into a listener of the same model.
     *
     * @param is the stream
     * @throws IOException if reading fails
     * @throws MalformedModelException if the saved layers are not this model's
     */
    @Override
    public void loadState(DataInputStream is) throws IOException, MalformedModelException {
        batches = is.readLong();
        step = is.readLong();
        int count = is.readInt();
        if (count != layers.size()) {
            throw new MalformedModelException(
                    "The checkpoint has "
                            + count
                            + " sparse layers, the model "
                            + layers.size()
                            + ".");
        }
        for (Layer layer : layers) {
            String name = is.readUTF();
            if (!name.equals(layer.name)) {
                throw new MalformedModelException(
                        "The checkpoint's layer '"
                                + name
                                + "' is not the model's '"
                                + layer.name
                                + "'.");
            }
            layer.target = is.readLong();
            if (layer.everActive != null) {
                layer.everActive.close();
                layer.everActive = null;
            }
            if (is.readBoolean()) {
                NDManager manager = layer.block.getMask().getManager();
                layer.everActive = manager.decode(is);
            }
        }
        history.clear();
        int updates = is.readInt();
        for (int u = 0; u < updates; u++) {
            long at = is.readLong();
            double seconds = is.readDouble();
            int size = is.readInt();
            List<LayerUpdateRecord> records = new ArrayList<>();
            for (int l = 0; l < size; l++) {
                records.add(
                        new LayerUpdateRecord(
                                is.readUTF(),
                                is.readDouble(),
                                is.readLong(),
                                is.readLong(),
                                is.readDouble(),
                                is.readDouble(),
                                is.readDouble()));
            }
            history.add(
                    new TopologyUpdateRecord(at, seconds, Collections.unmodifiableList(records)));
        }
        setDenseGradient(isUpdateStep(step + 1));
    }

    /** One managed layer with its target and the positions it has ever used. */
    private final class Layer {
        private final String name;
        private final SparseLinear block;
        private long target = -1;
        private NDArray everActive;

        Layer(String name, SparseLinear block) {
            this.name = name;
            this.block = block;
        }

        Pending remove(long t, NDManager scope) {
            long start = System.nanoTime();
            NDArray mask = block.getMask();
            long size = mask.getShape().size();
            if (target < 0) {
                target = TopologyUpdate.countLinks(mask);
            }
            NDArray before = mask.toType(DataType.BOOLEAN, true);
            before.attach(scope);
            NDArray gradient = needsGradient ? block.getWeight().getArray().getGradient() : null;
            if (gradient != null) {
                gradient.attach(scope);
            }
            LayerState state = new LayerState(before, block.getWeight().getArray(), gradient);
            if (decay != null && t <= decay.pruningEnd()) {
                long keep = Math.max(1, LinkCounts.targetLinks(decay.densityAt(t), size));
                keep = Math.min(keep, TopologyUpdate.countLinks(before));
                NDArray decayed =
                        new TopKRemoval(new RelativeImportanceScore()).keep(state, keep, 1);
                decayed.attach(scope);
                state = state.withMask(decayed);
                target = keep;
            }
            NDArray kept =
                    TopologyUpdate.remove(
                            state, method.getRemoval(), zeta.at(t), temperature.at(t));
            kept.attach(scope);
            return new Pending(state, before, kept, System.nanoTime() - start);
        }

        LayerUpdateRecord regrow(Pending pending, NDManager scope) {
            long start = System.nanoTime();
            NDArray mask = block.getMask();
            long size = mask.getShape().size();
            NDArray grown =
                    TopologyUpdate.regrow(
                            pending.state.withMask(pending.kept),
                            method.getRegrowth(),
                            target,
                            pending.allowed);
            grown.attach(scope);
            block.setMask(grown);
            optimizer.maskState(block.getWeight().getId(), grown);
            NDArray before = pending.before;
            NDArray widened = (everActive == null ? before : everActive).logicalOr(grown);
            widened.attach(mask.getManager());
            if (everActive != null) {
                everActive.close();
            }
            everActive = widened;
            long keptLinks = TopologyUpdate.countLinks(pending.kept);
            long after = TopologyUpdate.countLinks(grown);
            long shared = TopologyUpdate.countLinks(before.logicalAnd(grown));
            long union = TopologyUpdate.countLinks(before.logicalOr(grown));
            return new LayerUpdateRecord(
                    name,
                    (double) after / size,
                    TopologyUpdate.countLinks(before) - keptLinks,
                    after - keptLinks,
                    (pending.nanos + System.nanoTime() - start) / 1e9,
                    union == 0 ? 1 : (double) shared / union,
                    (double) TopologyUpdate.countLinks(everActive) / size);
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
            if (method.hasDensityDecay() && !(finalSparsity > 0 && finalSparsity < 1)) {
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
