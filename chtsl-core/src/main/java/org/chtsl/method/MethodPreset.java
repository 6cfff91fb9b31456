package org.chtsl.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.init.InitialTopology;
import org.chtsl.topology.rule.RegrowthRule;
import org.chtsl.topology.rule.RemovalRule;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.SoftRemoval;
import org.chtsl.topology.score.ChScore;
import org.chtsl.topology.score.ChVariant;

/**
 * A training method as data (spec §1, §2, §4, §12): the projections it trains, how their budget is
 * split, the initial topology, and — for dynamic sparse methods — the removal and regrowth rules
 * and their schedules. Presets: {@link #dense()}, {@link #set()}, {@link #rigl()}, {@link #mest()},
 * {@link #cht()}, {@link #chts()}, {@link #chtss()}, {@link #cola()}, {@link #slTrain()}, {@link
 * #chtsl()}; {@link #toBuilder()} adjusts one.
 */
public final class MethodPreset {

    private final String name;
    private final ProjectionKind kind;
    private final boolean dynamic;
    private final RemovalRule removal;
    private final RegrowthRule regrowth;
    private final double zeta;
    private final boolean cosineZeta;
    private final double temperatureStart;
    private final double temperatureEnd;
    private final InitialTopology topology;
    private final double decayInitialSparsity;
    private final double decayCurvature;
    private final float alignmentWeight;
    private final int connectivityShare;
    private final int spectralShare;
    private final float slTrainAlpha;

    private MethodPreset(Builder builder) {
        name = builder.name;
        kind = builder.kind;
        dynamic = builder.dynamic;
        removal = builder.removal;
        regrowth = builder.regrowth;
        zeta = builder.zeta;
        cosineZeta = builder.cosineZeta;
        temperatureStart = builder.temperatureStart;
        temperatureEnd = builder.temperatureEnd;
        topology = builder.topology;
        decayInitialSparsity = builder.decayInitialSparsity;
        decayCurvature = builder.decayCurvature;
        alignmentWeight = builder.alignmentWeight;
        connectivityShare = builder.connectivityShare;
        spectralShare = builder.spectralShare;
        slTrainAlpha = builder.slTrainAlpha;
    }

    /**
     * Creates a builder with CHTs' dynamics (off until {@code optDynamic(true)}).
     *
     * @param name the method's name
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
        builder.temperatureStart = temperatureStart;
        builder.temperatureEnd = temperatureEnd;
        builder.topology = topology;
        builder.decayInitialSparsity = decayInitialSparsity;
        builder.decayCurvature = decayCurvature;
        builder.alignmentWeight = alignmentWeight;
        builder.connectivityShare = connectivityShare;
        builder.spectralShare = spectralShare;
        builder.slTrainAlpha = slTrainAlpha;
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
     * Returns the removal rule.
     *
     * @return the rule
     */
    public RemovalRule getRemoval() {
        return removal;
    }

    /**
     * Returns the regrowth rule.
     *
     * @return the rule
     */
    public RegrowthRule getRegrowth() {
        return regrowth;
    }

    /**
     * Returns the initial drop fraction ζ.
     *
     * @return ζ
     */
    public double getZeta() {
        return zeta;
    }

    /**
     * Returns whether ζ decays along a cosine to {@code T_end}.
     *
     * @return whether ζ decays
     */
    public boolean isCosineZeta() {
        return cosineZeta;
    }

    /**
     * Returns the removal temperature at step 0.
     *
     * @return T₀
     */
    public double getTemperatureStart() {
        return temperatureStart;
    }

    /**
     * Returns the removal temperature at {@code T_end}.
     *
     * @return T₁
     */
    public double getTemperatureEnd() {
        return temperatureEnd;
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
     * Returns whether the method decays density (CHTss).
     *
     * @return whether a density decay is configured
     */
    public boolean hasDensityDecay() {
        return !Double.isNaN(decayInitialSparsity);
    }

    /**
     * Returns the density decay's initial sparsity s₀ (NaN without decay).
     *
     * @return s₀
     */
    public double getDecayInitialSparsity() {
        return decayInitialSparsity;
    }

    /**
     * Returns the density decay's curvature k.
     *
     * @return k
     */
    public double getDecayCurvature() {
        return decayCurvature;
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
     * Returns SLTrain's α (the low-rank branch is scaled by α/r).
     *
     * @return α
     */
    public float getSlTrainAlpha() {
        return slTrainAlpha;
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
        return hasDensityDecay() ? Math.min(decayInitialSparsity, finalSparsity) : finalSparsity;
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
        recipe.put("alignment_weight", (double) alignmentWeight);
        recipe.put("sltrain_alpha", (double) slTrainAlpha);
        if (dynamic) {
            recipe.put("removal", removal.toString());
            recipe.put("regrowth", regrowth.toString());
            recipe.put("zeta", zeta);
            recipe.put("zeta_schedule", cosineZeta ? "cosine" : "constant");
            recipe.put("temperature", temperatureStart + " -> " + temperatureEnd);
            recipe.put(
                    "density_schedule",
                    hasDensityDecay()
                            ? "sigmoid(s0=" + decayInitialSparsity + ", k=" + decayCurvature + ")"
                            : "constant");
        }
        return Collections.unmodifiableMap(recipe);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name
                + "("
                + kind
                + (dynamic ? ", " + removal + " + " + regrowth + ", ζ=" + zeta : "")
                + ")";
    }

    /** The builder of a {@link MethodPreset}. */
    public static final class Builder {

        private final String name;
        private final ProjectionKind kind;
        private boolean dynamic;
        private RemovalRule removal = new SoftRemoval();
        private RegrowthRule regrowth = ScoreRegrowth.topK(ChScore.l3n(ChVariant.CH2));
        private double zeta = 0.1;
        private boolean cosineZeta = true;
        private double temperatureStart = 1;
        private double temperatureEnd = 9;
        private InitialTopology topology = ErdosRenyiTopology.get();
        private double decayInitialSparsity = Double.NaN;
        private double decayCurvature = 6;
        private float alignmentWeight;
        private int connectivityShare = 1;
        private int spectralShare;
        private float slTrainAlpha = ProjectionSpec.DEFAULT_SLTRAIN_ALPHA;

        Builder(String name, ProjectionKind kind) {
            this.name = name;
            this.kind = kind;
        }

        /**
         * Sets whether topology changes during training.
         *
         * @param dynamic whether the sparse branch is updated every ΔT steps
         * @return this builder
         */
        public Builder optDynamic(boolean dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        /**
         * Sets the removal and regrowth rules (default: CHTs' soft removal and CH2-L3n top-k).
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
         * Sets the drop fraction (default 0.1, cosine decay).
         *
         * @param zeta ζ in [0, 1)
         * @param cosine whether ζ decays to 0 at {@code T_end}
         * @return this builder
         */
        public Builder optZeta(double zeta, boolean cosine) {
            this.zeta = zeta;
            this.cosineZeta = cosine;
            return this;
        }

        /**
         * Sets the soft-removal temperature range (default 1 → 9).
         *
         * @param start T₀
         * @param end T₁
         * @return this builder
         */
        public Builder optTemperature(double start, double end) {
            this.temperatureStart = start;
            this.temperatureEnd = end;
            return this;
        }

        /**
         * Sets the initial topology (default Erdős–Rényi).
         *
         * @param topology the topology
         * @return this builder
         */
        public Builder optTopology(InitialTopology topology) {
            this.topology = topology;
            return this;
        }

        /**
         * Adds CHTss' sigmoid density decay.
         *
         * @param initialSparsity s₀ (0.5)
         * @param curvature k (6)
         * @return this builder
         */
        public Builder optDensityDecay(double initialSparsity, double curvature) {
            this.decayInitialSparsity = initialSparsity;
            this.decayCurvature = curvature;
            return this;
        }

        /**
         * Sets the alignment weight λ (CHTsL: 0.5; 0.3 for LLaMA-60M on C4).
         *
         * @param alignmentWeight λ ≥ 0
         * @return this builder
         */
        public Builder optAlignmentWeight(float alignmentWeight) {
            this.alignmentWeight = alignmentWeight;
            return this;
        }

        /**
         * Sets the {@code d_conn : d_spec} budget split (default 1:1 for two-branch kinds).
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
         * Sets SLTrain's α (default 32; the low-rank branch is scaled by α/r).
         *
         * @param slTrainAlpha α &gt; 0
         * @return this builder
         */
        public Builder optSlTrainAlpha(float slTrainAlpha) {
            this.slTrainAlpha = slTrainAlpha;
            return this;
        }

        /**
         * Builds the preset.
         *
         * @return the preset
         * @throws IllegalArgumentException if a setting is out of range
         */
        public MethodPreset build() {
            if (name == null
                    || kind == null
                    || removal == null
                    || regrowth == null
                    || topology == null) {
                throw new IllegalArgumentException(
                        "A method needs a name, a projection kind, rules and a topology.");
            }
            if (!(zeta >= 0 && zeta < 1)) {
                throw new IllegalArgumentException("ζ must be in [0, 1), got " + zeta + ".");
            }
            if (!(alignmentWeight >= 0 && Float.isFinite(alignmentWeight))) {
                throw new IllegalArgumentException(
                        "The alignment weight λ must be >= 0, got " + alignmentWeight + ".");
            }
            if (!(temperatureStart > 0 && temperatureEnd > 0)) {
                throw new IllegalArgumentException(
                        "Removal temperatures must be > 0, got "
                                + temperatureStart
                                + " → "
                                + temperatureEnd
                                + ".");
            }
            if (dynamic
                    && (kind == ProjectionKind.DENSE
                            || kind == ProjectionKind.LOW_RANK
                            || kind == ProjectionKind.SLTRAIN)) {
                throw new IllegalArgumentException(
                        kind
                                + " projections have no sparse branch to update; "
                                + name
                                + " cannot be dynamic.");
            }
            if (connectivityShare < 0
                    || spectralShare < 0
                    || connectivityShare + spectralShare == 0) {
                throw new IllegalArgumentException(
                        "The budget split needs shares >= 0, not both 0.");
            }
            if (!(slTrainAlpha > 0)) {
                throw new IllegalArgumentException(
                        "SLTrain's α must be > 0, got " + slTrainAlpha + ".");
            }
            return new MethodPreset(this);
        }
    }
}
