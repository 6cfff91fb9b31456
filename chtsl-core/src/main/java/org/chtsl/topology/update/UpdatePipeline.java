package org.chtsl.topology.update;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.rule.ChainRemovalPlan;
import org.chtsl.topology.rule.RegrowthRule;
import org.chtsl.topology.rule.RemovalRule;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.schedule.ConstantDensity;
import org.chtsl.topology.schedule.DecayWindow;
import org.chtsl.topology.schedule.DensitySchedule;

/**
 * One topology update of a set of sparse layers, on plain NDArrays (spec §1.5, §2.6, §2.8, §7): for
 * every layer, the density schedule's pruning (CHTss, GraNet; up to {@code pruningEnd}), then
 * removal of a fraction ζ of the active links; then chain removal across the layers, if any; then,
 * for every layer, regrowth back to its target count.
 *
 * <p>The same pipeline runs in training ({@code DynamicSparseTraining}), in the benchmarks and in
 * tests. It never modifies its inputs: it returns the new masks, and the caller applies them.
 */
public final class UpdatePipeline {

    private final RemovalRule removal;
    private final RegrowthRule regrowth;
    private final DensitySchedule density;
    private final DecayWindow window;
    private final RemovalRule pruning;
    private final ChainRemovalPlan chainRemoval;

    private UpdatePipeline(Builder builder) {
        removal = builder.removal;
        regrowth = builder.regrowth;
        density = builder.density;
        window = builder.window;
        pruning = density.decays() ? new TopKRemoval(density.pruningScore()) : null;
        chainRemoval = builder.chainRemoval;
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
     * Returns whether a rule of the pipeline reads the dense gradient (RigL, MEST, GraNet).
     *
     * @return whether the layers' states need a gradient
     */
    public boolean needsGradient() {
        return removal.needsGradient()
                || regrowth.needsGradient()
                || (pruning != null && pruning.needsGradient());
    }

    /**
     * Updates the layers' topology.
     *
     * @param layers the layers, in the order their rules draw random numbers
     * @param step when the update happens
     * @param manager where the returned masks live (the caller closes them)
     * @return what the update did to each layer, in the order given
     * @throws IllegalArgumentException if two layers share a name, or chain removal names a layer
     *     that is not given
     */
    public List<LayerUpdate> update(List<SparseLayer> layers, UpdateStep step, NDManager manager) {
        Set<String> names = new HashSet<>();
        for (SparseLayer layer : layers) {
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException(
                        "Two layers are named '"
                                + layer.name()
                                + "'; chain removal and the results pair layers by name, so each"
                                + " needs its own.");
            }
        }
        List<LayerUpdate> updates = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            Map<String, Removed> removed = new LinkedHashMap<>();
            for (SparseLayer layer : layers) {
                removed.put(layer.name(), remove(layer, step, scope));
            }
            if (chainRemoval != null) {
                removeChains(removed, scope);
            }
            for (SparseLayer layer : layers) {
                updates.add(regrow(layer.name(), removed.get(layer.name()), manager));
            }
        }
        return updates;
    }

    private Removed remove(SparseLayer layer, UpdateStep step, NDManager scope) {
        long start = System.nanoTime();
        NDArray before = layer.state().mask().toType(DataType.BOOLEAN, true);
        before.attach(scope);
        long active = LinkCounts.count(before);
        long target = layer.target() < 0 ? active : layer.target();
        LayerState state = layer.state().withMask(before);
        long links = active;
        if (pruning != null && step.step() <= window.pruningEnd()) {
            double scheduled = 1 - density.sparsityAt(step.step(), window);
            long keep = LinkCounts.targetLinks(scheduled, before.getShape().size());
            keep = Math.min(keep, active);
            NDArray pruned = pruning.keep(state, keep, step); // exactly keep links
            pruned.attach(scope);
            state = state.withMask(pruned);
            target = keep;
            links = keep;
        }
        NDArray kept = removal.keep(state, step.keepCount(links), step);
        kept.attach(scope);
        return new Removed(state, before, kept, target, System.nanoTime() - start);
    }

    private void removeChains(Map<String, Removed> removed, NDManager scope) {
        Map<String, NDArray> kept = new LinkedHashMap<>();
        removed.forEach((name, layer) -> kept.put(name, layer.kept));
        Map<String, NDArray> cleaned = chainRemoval.apply(kept);
        for (Map.Entry<String, NDArray> entry : cleaned.entrySet()) {
            Removed layer = removed.get(entry.getKey());
            if (layer == null) {
                throw new IllegalArgumentException(
                        "Chain removal returned a mask for '"
                                + entry.getKey()
                                + "', which is not one of the layers updated: "
                                + removed.keySet()
                                + ".");
            }
            entry.getValue().attach(scope);
            layer.kept = entry.getValue();
        }
        for (Map.Entry<String, Removed> entry : removed.entrySet()) {
            NDArray allowed = chainRemoval.allowedRegrowth(entry.getKey(), cleaned);
            if (allowed != null) {
                allowed.attach(scope);
            }
            entry.getValue().allowed = allowed;
        }
    }

    private LayerUpdate regrow(String name, Removed layer, NDManager manager) {
        long start = System.nanoTime();
        NDArray kept = layer.kept.toType(DataType.BOOLEAN, false);
        long missing = layer.target - LinkCounts.count(kept);
        NDArray mask =
                missing > 0
                        ? kept.logicalOr(
                                regrowth.grow(layer.state.withMask(kept), missing, layer.allowed))
                        : kept.duplicate();
        NDArray decayed = layer.state.mask();
        // out of the update's scope, to the caller
        for (NDArray array : new NDArray[] {layer.before, decayed, kept, mask}) {
            array.attach(manager);
        }
        return new LayerUpdate(
                name,
                layer.before,
                decayed,
                kept,
                mask,
                layer.target,
                layer.nanos + System.nanoTime() - start);
    }

    /** A layer between removal and regrowth. */
    private static final class Removed {
        private final LayerState state;
        private final NDArray before;
        private final long target;
        private final long nanos;
        private NDArray kept;
        private NDArray allowed;

        Removed(LayerState state, NDArray before, NDArray kept, long target, long nanos) {
            this.state = state;
            this.before = before;
            this.kept = kept;
            this.target = target;
            this.nanos = nanos;
        }
    }

    /** The builder of an {@link UpdatePipeline}. */
    public static final class Builder {

        private RemovalRule removal;
        private RegrowthRule regrowth;
        private DensitySchedule density = ConstantDensity.get();
        private DecayWindow window;
        private ChainRemovalPlan chainRemoval;

        Builder() {}

        /**
         * Sets the removal and regrowth rules (required).
         *
         * @param removal which active links survive
         * @param regrowth where new links grow
         * @return this builder
         */
        public Builder setRules(RemovalRule removal, RegrowthRule regrowth) {
            this.removal = removal;
            this.regrowth = regrowth;
            return this;
        }

        /**
         * Sets the density schedule (default constant) and, for a decay, where it runs.
         *
         * @param density the schedule
         * @param window the final sparsity, {@code pruningEnd} and ΔT (required for a decay)
         * @return this builder
         */
        public Builder optDensity(DensitySchedule density, DecayWindow window) {
            this.density = density;
            this.window = window;
            return this;
        }

        /**
         * Adds chain removal between removal and regrowth (default none).
         *
         * @param chainRemoval the layers it couples
         * @return this builder
         */
        public Builder optChainRemoval(ChainRemovalPlan chainRemoval) {
            this.chainRemoval = chainRemoval;
            return this;
        }

        /**
         * Builds the pipeline.
         *
         * @return the pipeline
         * @throws IllegalArgumentException if a rule is missing, or a decay has no window
         */
        public UpdatePipeline build() {
            if (removal == null || regrowth == null || density == null) {
                throw new IllegalArgumentException(
                        "An update pipeline needs a removal rule, a regrowth rule and a density"
                                + " schedule.");
            }
            if (density.decays() && window == null) {
                throw new IllegalArgumentException(
                        "The density schedule "
                                + density.describe()
                                + " decays: give its DecayWindow (final sparsity, pruning end,"
                                + " ΔT).");
            }
            return new UpdatePipeline(this);
        }
    }
}
