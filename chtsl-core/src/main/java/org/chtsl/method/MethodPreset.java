package org.chtsl.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.nn.AlignmentForm;
import org.chtsl.nn.LowRankActivation;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.SparseStorage;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.init.InitialTopology;
import org.chtsl.topology.rule.RegrowthRule;
import org.chtsl.topology.rule.RemovalRule;
import org.chtsl.topology.schedule.ConstantDensity;
import org.chtsl.topology.schedule.DensitySchedule;
import org.chtsl.topology.schedule.DropFractionSchedule;

/**
 * A training method as data (spec §1, §2, §4, §12): the projections it trains, how their budget is
 * split, the initial topology, and — for dynamic sparse methods — the removal and regrowth rules,
 * the drop fraction ζ and the density schedule. Nothing is implied: a dynamic method states its
 * rules and ζ. The presets are in {@link Methods}; {@link #toBuilder()} adjusts one.
 *
 * <p>The file is over 400 lines because the nested {@code Builder} (DJL's idiom) documents and
 * checks every setting; the preset itself is data and getters.
 */
public final class MethodPreset {

    private final String name;
    private final ProjectionKind kind;
    private final boolean dynamic;
    private final RemovalRule removal;
    private final RegrowthRule regrowth;
    private final double zeta;
    private final boolean cosineZeta;
    private final InitialTopology topology;
    private final DensitySchedule density;
    private final float alignmentWeight;
    private final int connectivityShare;
    private final int spectralShare;
    private final PerModelSize slTrainAlpha;
    private final AlignmentForm alignmentForm;
    private final LowRankActivation activation;
    private final TrainingRecipe recipe;

    private MethodPreset(Builder builder) {
        name = builder.name;
        kind = builder.kind;
        dynamic = builder.dynamic;
        removal = builder.removal;
        regrowth = builder.regrowth;
        zeta = builder.zeta;
        cosineZeta = builder.cosineZeta;
        topology = builder.topology;
        density = builder.density;
        alignmentWeight = builder.alignmentWeight;
        connectivityShare = builder.connectivityShare;
        spectralShare = builder.spectralShare;
        slTrainAlpha = builder.slTrainAlpha;
        alignmentForm = builder.alignmentForm;
        activation = builder.activation;
        recipe = builder.recipe;
    }

    /**
     * Creates a builder. A dynamic method must set its rules ({@link Builder#optRules}) and ζ
     * ({@link Builder#optZeta}); sparse methods their topology.
     *
     * @param name the method's name, as command lines spell it
     * @param kind the projections it trains
     * @return a new builder
     */
    public static Builder builder(String name, ProjectionKind kind) {
        return new Builder(name, kind);
    }

    /**
     * Returns a builder holding this preset's settings.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder(name, kind);
        builder.dynamic = dynamic;
        builder.removal = removal;
        builder.regrowth = regrowth;
        builder.zeta = zeta;
        builder.cosineZeta = cosineZeta;
        builder.topology = topology;
        builder.density = density;
        builder.alignmentWeight = alignmentWeight;
        builder.connectivityShare = connectivityShare;
        builder.spectralShare = spectralShare;
        builder.slTrainAlpha = slTrainAlpha;
        builder.alignmentForm = alignmentForm;
        builder.activation = activation;
        builder.recipe = recipe;
        return builder;
    }

    /**
     * Returns the method's name.
     *
     * @return the name
     */
    public String getName() {
        return name;
    }

    /**
     * Returns the projections the method trains.
     *
     * @return the kind
     */
    public ProjectionKind getKind() {
        return kind;
    }

    /**
     * Returns whether the sparse branch's topology changes during training.
     *
     * @return whether the method is dynamic
     */
    public boolean isDynamic() {
        return dynamic;
    }

    /**
     * Returns whether a rule of the method ranks links by the dense gradient (RigL's and MEST's
     * regrowth, GraNet's): such a method needs {@link SparseStorage#DENSE_MASKED} layers.
     *
     * @return whether the method reads dense gradients
     */
    public boolean needsDenseGradient() {
        if (!dynamic) {
            return false;
        }
        boolean pruningNeeds = density.decays() && density.pruningScore().needsGradient();
        return removal.needsGradient() || regrowth.needsGradient() || pruningNeeds;
    }

    /**
     * Returns the storage the method's sparse layers get by default: {@link SparseStorage#COMPACT}
     * (state proportional to the links) unless a rule needs the dense gradient.
     *
     * @return the default storage
     */
    public SparseStorage defaultStorage() {
        return needsDenseGradient() ? SparseStorage.DENSE_MASKED : SparseStorage.COMPACT;
    }

    /**
     * Returns the removal rule (null for static methods).
     *
     * @return the rule
     */
    public RemovalRule getRemoval() {
        return removal;
    }

    /**
     * Returns the regrowth rule (null for static methods).
     *
     * @return the rule
     */
    public RegrowthRule getRegrowth() {
        return regrowth;
    }

    /**
     * Returns the drop fraction's schedule up to {@code T_end}.
     *
     * @param endStep {@code T_end} ≥ 1
     * @return ζ_t, fixed or cosine-decayed
     * @throws IllegalStateException for a static method
     */
    public DropFractionSchedule dropFraction(long endStep) {
        if (!dynamic) {
            throw new IllegalStateException(name + " does not update topology; it has no ζ.");
        }
        return new DropFractionSchedule(zeta, endStep, cosineZeta);
    }

    /**
     * Returns the initial drop fraction ζ (NaN for static methods).
     *
     * @return ζ
     */
    public double getZeta() {
        return zeta;
    }

    /**
     * Returns the initial topology of the sparse branch.
     *
     * @return the topology
     */
    public InitialTopology getTopology() {
        return topology;
    }

    /**
     * Returns how the sparse branch's density moves (constant but for CHTss and GraNet).
     *
     * @return the density schedule
     */
    public DensitySchedule getDensitySchedule() {
        return density;
    }

    /**
     * Returns the sparsity the sparse branch starts at, given the sparsity it must end at: the same
     * for a constant density, the density schedule's initial sparsity (at most the final one) for
     * methods that decay density (CHTss, GraNet).
     *
     * @param finalSparsity the sparse branch's final sparsity, in [0, 1)
     * @return the initial sparsity
     */
    public double initialSparsity(double finalSparsity) {
        return density.initialSparsity(finalSparsity);
    }

    /**
     * Returns the alignment weight λ (0 for methods without alignment).
     *
     * @return λ
     */
    public float getAlignmentWeight() {
        return alignmentWeight;
    }

    /**
     * Returns the sparse branch's share of the {@code d_conn : d_spec} budget split.
     *
     * @return d_conn
     */
    public int getConnectivityShare() {
        return connectivityShare;
    }

    /**
     * Returns the low-rank branch's share of the {@code d_conn : d_spec} budget split.
     *
     * @return d_spec
     */
    public int getSpectralShare() {
        return spectralShare;
    }

    /**
     * Returns SLTrain's α for a model (the low-rank branch is scaled by α/r).
     *
     * @param hiddenSize the model's hidden size
     * @return α
     */
    public float getSlTrainAlpha(long hiddenSize) {
        return (float) slTrainAlpha.at(hiddenSize);
    }

    /**
     * Returns the low-rank branch's nonlinearity (SiLU; identity for the "naive" sum).
     *
     * @return the activation
     */
    public LowRankActivation getLowRankActivation() {
        return activation;
    }

    /**
     * Returns the form of the alignment term λ weighs.
     *
     * @return the form
     */
    public AlignmentForm getAlignmentForm() {
        return alignmentForm;
    }

    /**
     * Returns how the method is trained: optimizer, clipping, iterative warm-up, ΔT, T_end and
     * learning rate.
     *
     * @return the recipe
     */
    public TrainingRecipe getRecipe() {
        return recipe;
    }

    /**
     * Describes the recipe as plain values, for reports and checkpoints: the name, projection kind,
     * initial topology, budget split, alignment weight and, for dynamic methods, the rules and
     * their schedules. Values are strings, numbers or booleans, keyed in a fixed order.
     *
     * @return an ordered, unmodifiable map
     */
    public Map<String, Object> describe() {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("name", name);
        recipe.put("projections", kind.toString());
        recipe.put("dynamic", dynamic);
        recipe.put("initial_topology", topology.toString());
        recipe.put("budget_split", connectivityShare + ":" + spectralShare);
        if (kind == ProjectionKind.SPARSE_LOW_RANK || kind == ProjectionKind.LOW_RANK) {
            recipe.put("low_rank_activation", activation.toString());
        }
        if (kind == ProjectionKind.SPARSE_LOW_RANK) {
            recipe.put("alignment_weight", (double) alignmentWeight);
            recipe.put("alignment_form", alignmentForm.toString());
        }
        if (kind == ProjectionKind.SLTRAIN) {
            recipe.put("sltrain_alpha", slTrainAlpha.describe());
        }
        if (dynamic) {
            recipe.put("removal", removal.toString());
            recipe.put("regrowth", regrowth.toString());
            recipe.put("zeta", zeta);
            recipe.put("zeta_schedule", cosineZeta ? "cosine" : "constant");
            recipe.put("density_schedule", density.describe());
        }
        recipe.putAll(this.recipe.describe());
        return Collections.unmodifiableMap(recipe);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name
                + "("
                + kind
                + (dynamic ? ", " + removal + " + " + regrowth + ", ζ=" + zeta : "")
                + (density.decays() ? ", " + density.describe() : "")
                + ")";
    }

    /** The builder of a {@link MethodPreset}. */
    public static final class Builder {

        private final String name;
        private final ProjectionKind kind;
        private boolean dynamic;
        private RemovalRule removal;
        private RegrowthRule regrowth;
        private double zeta = Double.NaN;
        private boolean cosineZeta;
        private InitialTopology topology;
        private DensitySchedule density = ConstantDensity.get();
        private float alignmentWeight;
        private int connectivityShare = 1;
        private int spectralShare;
        private PerModelSize slTrainAlpha = new PerModelSize(32, 16);
        private AlignmentForm alignmentForm = AlignmentForm.DEFAULT;
        private LowRankActivation activation = LowRankActivation.SILU;
        private TrainingRecipe recipe;

        Builder(String name, ProjectionKind kind) {
            this.name = name;
            this.kind = kind;
        }

        /**
         * Sets whether topology changes during training (default static).
         *
         * @param dynamic whether the sparse branch is updated every ΔT steps
         * @return this builder
         */
        public Builder optDynamic(boolean dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        /**
         * Sets the removal and regrowth rules (required for a dynamic method).
         *
         * @param removal the removal rule
         * @param regrowth the regrowth rule
         * @return this builder
         */
        public Builder optRules(RemovalRule removal, RegrowthRule regrowth) {
            this.removal = removal;
            this.regrowth = regrowth;
            return this;
        }

        /**
         * Sets the drop fraction (required for a dynamic method).
         *
         * @param zeta ζ in [0, 1)
         * @param cosine whether ζ decays along a cosine to 0 at {@code T_end}
         * @return this builder
         */
        public Builder optZeta(double zeta, boolean cosine) {
            this.zeta = zeta;
            this.cosineZeta = cosine;
            return this;
        }

        /**
         * Sets the sparse branch's initial topology (required for kinds with a sparse branch).
         *
         * @param topology the topology
         * @return this builder
         */
        public Builder optTopology(InitialTopology topology) {
            this.topology = topology;
            return this;
        }

        /**
         * Sets how density moves (default {@link ConstantDensity}).
         *
         * @param density the schedule, e.g. CHTss' sigmoid decay
         * @return this builder
         */
        public Builder optDensitySchedule(DensitySchedule density) {
            this.density = density;
            return this;
        }

        /**
         * Sets the alignment weight λ (default 0; CHTsL: 0.5, 0.3 for LLaMA-60M on C4).
         *
         * @param alignmentWeight λ ≥ 0
         * @return this builder
         */
        public Builder optAlignmentWeight(float alignmentWeight) {
            this.alignmentWeight = alignmentWeight;
            return this;
        }

        /**
         * Sets the {@code d_conn : d_spec} budget split (default 1:0, all to the sparse branch).
         *
         * @param connectivityShare the sparse branch's share
         * @param spectralShare the low-rank branch's share
         * @return this builder
         */
        public Builder optBudgetSplit(int connectivityShare, int spectralShare) {
            this.connectivityShare = connectivityShare;
            this.spectralShare = spectralShare;
            return this;
        }

        /**
         * Sets SLTrain's α by model size (default 32 up to LLaMA-60M, 16 from LLaMA-130M: its
         * scripts {@code sltrain60m.sh}, {@code sltrain130m.sh}); the low-rank branch is scaled by
         * α/r.
         *
         * @param slTrainAlpha α &gt; 0 at each size
         * @return this builder
         */
        public Builder optSlTrainAlpha(PerModelSize slTrainAlpha) {
            this.slTrainAlpha = slTrainAlpha;
            return this;
        }

        /**
         * Sets the low-rank branch's nonlinearity (default SiLU; {@link LowRankActivation#IDENTITY}
         * gives the CHTsL paper's "naive" sum of Table 1). SLTrain's branch never has one.
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optLowRankActivation(LowRankActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets the form of the alignment term (default {@link AlignmentForm#DEFAULT}).
         *
         * @param alignmentForm the form
         * @return this builder
         */
        public Builder optAlignmentForm(AlignmentForm alignmentForm) {
            this.alignmentForm = alignmentForm;
            return this;
        }

        /**
         * Sets the training recipe (default {@link Recipes#DYNAMIC_SPARSE} for dynamic methods,
         * {@link Recipes#STATIC_SPARSE} for others).
         *
         * @param recipe the recipe
         * @return this builder
         */
        public Builder optRecipe(TrainingRecipe recipe) {
            this.recipe = recipe;
            return this;
        }

        /**
         * Builds the preset.
         *
         * @return the preset
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public MethodPreset build() {
            if (name == null || kind == null || density == null) {
                throw new IllegalArgumentException(
                        "A method needs a name, a projection kind and a density schedule.");
            }
            boolean sparse = kind != ProjectionKind.DENSE && kind != ProjectionKind.LOW_RANK;
            if (sparse && topology == null) {
                throw new IllegalArgumentException(
                        name + " trains " + kind + " projections: set its initial topology.");
            }
            if (!sparse && topology == null) {
                topology = ErdosRenyiTopology.get();
            }
            if (dynamic) {
                checkDynamics(sparse);
            } else if (density.decays()) {
                throw new IllegalArgumentException(
                        name + " decays density, which needs topology updates: make it dynamic.");
            }
            if (!(alignmentWeight >= 0 && Float.isFinite(alignmentWeight))) {
                throw new IllegalArgumentException(
                        "The alignment weight λ must be >= 0, got " + alignmentWeight + ".");
            }
            if (connectivityShare < 0
                    || spectralShare < 0
                    || connectivityShare + spectralShare == 0) {
                throw new IllegalArgumentException(
                        "The budget split needs shares >= 0, not both 0.");
            }
            if (slTrainAlpha == null
                    || !(slTrainAlpha.upTo60m() > 0 && slTrainAlpha.from130m() > 0)) {
                throw new IllegalArgumentException(
                        "SLTrain's α must be > 0, got " + slTrainAlpha + ".");
            }
            if (alignmentForm == null || activation == null) {
                throw new IllegalArgumentException(
                        "The alignment form and the low-rank activation must not be null.");
            }
            if (recipe == null) {
                recipe = dynamic ? Recipes.DYNAMIC_SPARSE : Recipes.STATIC_SPARSE;
            }
            if (!dynamic && recipe.iterativeWarmup() > 0) {
                throw new IllegalArgumentException(
                        name
                                + " has no topology updates, so its recipe cannot warm the LR up"
                                + " after them: set its iterative warm-up to 0.");
            }
            return new MethodPreset(this);
        }

        private void checkDynamics(boolean sparse) {
            if (!sparse || kind == ProjectionKind.SLTRAIN) {
                throw new IllegalArgumentException(
                        kind
                                + " projections have no sparse branch to update; "
                                + name
                                + " cannot be dynamic.");
            }
            if (removal == null || regrowth == null) {
                throw new IllegalArgumentException(
                        name + " is dynamic: set its removal and regrowth rules (optRules).");
            }
            if (!(zeta >= 0 && zeta < 1)) {
                throw new IllegalArgumentException(
                        name + " is dynamic: ζ must be in [0, 1) (optZeta), got " + zeta + ".");
            }
        }
    }
}
