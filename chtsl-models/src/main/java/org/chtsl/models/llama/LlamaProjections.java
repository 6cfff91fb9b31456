package org.chtsl.models.llama;

import ai.djl.nn.Block;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.nn.ProjectionFactory;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparseStorage;
import org.chtsl.nn.SparsityDistribution;
import org.chtsl.nn.SparsityRankSplit;
import org.chtsl.nn.UniformProjections;

/**
 * The projections of a {@link LlamaModel}: the path from a method and a total sparsity to every
 * projection's branches.
 *
 * <p>A {@link MethodPreset} and a total sparsity give one {@link ProjectionSpec} through the
 * block's budget ({@link LlamaBudget#split}): the method's kind, topology and SLTrain α, the sparse
 * branch's sparsity and the rank from its {@code d_conn : d_spec} split (sparse methods take the
 * whole budget, dense ones none). Methods that decay density start at {@link
 * MethodPreset#initialSparsity(double)}. The sparse-branch sparsity, the rank and the split can be
 * overridden; a spec can also be given as is. A {@link SparsityDistribution} then spreads the
 * sparse branch's density over the projections, matched by their names ({@code
 * layers.3.self_attn.q_proj} …), and each projection is made by {@link UniformProjections} with the
 * configuration's σ.
 */
public final class LlamaProjections implements ProjectionFactory {

    private final LlamaConfig config;
    private final ProjectionSpec spec;
    private final Map<String, long[]> shapes;
    private final Map<String, Double> densities;

    private LlamaProjections(LlamaConfig config, ProjectionSpec spec, SparsityDistribution spread) {
        this.config = config;
        this.spec = spec;
        shapes = shapes(config);
        densities =
                hasSparseBranch(spec.kind())
                        ? spread.densities(shapes, spec.density())
                        : unused(shapes, spec.density());
    }

    private static Map<String, Double> unused(Map<String, long[]> shapes, double density) {
        Map<String, Double> same = new LinkedHashMap<>();
        shapes.keySet().forEach(name -> same.put(name, density));
        return Collections.unmodifiableMap(same);
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
     * Names every projection of a model of this shape, layer by layer in the order q, k, v, o,
     * gate, up, down, with its weight's shape {@code {outputs, inputs}}.
     *
     * @param config the model's shape
     * @return an unmodifiable map from names such as {@code layers.0.mlp.down_proj} to {@code
     *     {rows, columns}}
     */
    public static Map<String, long[]> shapes(LlamaConfig config) {
        long h = config.getHidden();
        long f = config.getIntermediate();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < config.getLayers(); i++) {
            String attention = "layers." + i + ".self_attn.";
            for (String name : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                shapes.put(attention + name, new long[] {h, h});
            }
            String mlp = "layers." + i + ".mlp.";
            shapes.put(mlp + "gate_proj", new long[] {f, h});
            shapes.put(mlp + "up_proj", new long[] {f, h});
            shapes.put(mlp + "down_proj", new long[] {h, f});
        }
        return Collections.unmodifiableMap(shapes);
    }

    private static boolean hasSparseBranch(ProjectionKind kind) {
        return kind != ProjectionKind.DENSE && kind != ProjectionKind.LOW_RANK;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the model has no projection of this name and shape
     */
    @Override
    public Block create(String name, long inputFeatures, long outputFeatures) {
        long[] shape = shapes.get(name);
        if (shape == null || shape[0] != outputFeatures || shape[1] != inputFeatures) {
            throw new IllegalArgumentException(
                    "A LLaMA model of "
                            + config
                            + " has no projection "
                            + name
                            + " of "
                            + inputFeatures
                            + " → "
                            + outputFeatures
                            + " features.");
        }
        return new UniformProjections(spec.withDensity(densities.get(name)), config.getInitStd())
                .create(name, inputFeatures, outputFeatures);
    }

    /**
     * Returns the spec every projection is made from, before the distribution adjusts its
     * sparse-branch density.
     *
     * @return the projection spec
     */
    public ProjectionSpec getSpec() {
        return spec;
    }

    /**
     * Returns each projection's initial sparse-branch density by name (for kinds without a sparse
     * branch, the spec's density, which they ignore).
     *
     * @return an unmodifiable map from names to densities, in the order of {@link #shapes}
     */
    public Map<String, Double> getDensities() {
        return densities;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "LlamaProjections(" + spec + ", " + densities.size() + " projections)";
    }

    /** The builder of {@link LlamaProjections}. */
    public static final class Builder {

        private LlamaConfig config;
        private MethodPreset method;
        private double totalSparsity;
        private ProjectionSpec spec;
        private Double sparseSparsity;
        private Long rank;
        private int[] budgetSplit;
        private SparsityDistribution distribution = SparsityDistribution.UNIFORM;
        private SparseStorage storage;

        Builder() {}

        /**
         * Sets the model's shape (required).
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder setConfig(LlamaConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Makes the projections the way a method trains them at a total sparsity of the projections
         * (this or {@link #setSpec(ProjectionSpec)} is required).
         *
         * @param method the method
         * @param totalSparsity the total sparsity, in [0, 1) (ignored by dense methods)
         * @return this builder
         */
        public Builder setMethod(MethodPreset method, double totalSparsity) {
            this.method = method;
            this.totalSparsity = totalSparsity;
            return this;
        }

        /**
         * Makes every projection from a given spec instead of a method's budget (this or {@link
         * #setMethod(MethodPreset, double)} is required; the overrides do not apply).
         *
         * @param spec the projection spec
         * @return this builder
         */
        public Builder setSpec(ProjectionSpec spec) {
            this.spec = spec;
            return this;
        }

        /**
         * Sets the sparse branch's final sparsity instead of the budget's share (a method that
         * decays density starts at {@link MethodPreset#initialSparsity(double)} of it).
         *
         * @param sparseSparsity the sparse branch's sparsity, in [0, 1)
         * @return this builder
         */
        public Builder optSparseSparsity(double sparseSparsity) {
            this.sparseSparsity = sparseSparsity;
            return this;
        }

        /**
         * Sets the low-rank branch's rank instead of the budget's rank steps.
         *
         * @param rank the rank, at least 1
         * @return this builder
         */
        public Builder optRank(long rank) {
            this.rank = rank;
            return this;
        }

        /**
         * Sets the {@code d_conn : d_spec} budget split instead of the method's (ignored by methods
         * with one branch only).
         *
         * @param connectivityShare the sparse branch's share, ≥ 0
         * @param spectralShare the low-rank branch's share, ≥ 0 (not both 0)
         * @return this builder
         */
        public Builder optBudgetSplit(int connectivityShare, int spectralShare) {
            this.budgetSplit = new int[] {connectivityShare, spectralShare};
            return this;
        }

        /**
         * Sets how a method's sparse branches hold their weights (default: the method's {@link
         * MethodPreset#defaultStorage()}, compact unless a rule needs the dense gradient).
         *
         * @param storage the storage form
         * @return this builder
         */
        public Builder optStorage(SparseStorage storage) {
            this.storage = storage;
            return this;
        }

        /**
         * Sets how the sparse branch's density is spread over the projections (default uniform, as
         * in the papers; ERK keeps the same total links).
         *
         * @param distribution the distribution
         * @return this builder
         */
        public Builder optDistribution(SparsityDistribution distribution) {
            this.distribution = distribution;
            return this;
        }

        /**
         * Builds the projections.
         *
         * @return the projection factory
         * @throws IllegalArgumentException if the configuration, or exactly one of a method and a
         *     spec, is missing, or a value is out of range
         */
        public LlamaProjections build() {
            if (config == null || distribution == null) {
                throw new IllegalArgumentException(
                        "LlamaProjections needs setConfig(...) and a distribution.");
            }
            if ((method == null) == (spec == null)) {
                throw new IllegalArgumentException(
                        "LlamaProjections needs exactly one of setMethod(...) and setSpec(...).");
            }
            if (spec != null) {
                if (sparseSparsity != null
                        || rank != null
                        || budgetSplit != null
                        || storage != null) {
                    throw new IllegalArgumentException(
                            "Overrides of sparsity, rank, budget split or storage apply to a method, not"
                                    + " to a given spec.");
                }
                return new LlamaProjections(config, spec, distribution);
            }
            return new LlamaProjections(config, methodSpec(), distribution);
        }

        private ProjectionSpec methodSpec() {
            checkOverrides();
            SparsityRankSplit split = budgetSplit();
            double finalSparsity = sparseSparsity == null ? split.sparsity() : sparseSparsity;
            return new ProjectionSpec(
                    method.getKind(),
                    1 - method.initialSparsity(finalSparsity),
                    rank == null ? split.rank() : rank,
                    method.getTopology(),
                    method.getSlTrainAlpha(config.getHidden()),
                    method.getLowRankActivation(),
                    storage == null ? method.defaultStorage() : storage);
        }

        private SparsityRankSplit budgetSplit() {
            long h = config.getHidden();
            long f = config.getIntermediate();
            switch (method.getKind()) {
                case DENSE:
                    return new SparsityRankSplit(0, 0);
                case SPARSE:
                    return LlamaBudget.split(h, f, totalSparsity, 1, 0);
                default:
                    return budgetSplit == null
                            ? LlamaBudget.split(
                                    h,
                                    f,
                                    totalSparsity,
                                    method.getConnectivityShare(),
                                    method.getSpectralShare())
                            : LlamaBudget.split(
                                    h, f, totalSparsity, budgetSplit[0], budgetSplit[1]);
            }
        }

        private void checkOverrides() {
            if (storage == SparseStorage.COMPACT && method.needsDenseGradient()) {
                throw new IllegalArgumentException(
                        method.getName()
                                + " ranks inactive links by their dense gradient, which compact"
                                + " storage does not have; use dense-masked storage.");
            }
            if (sparseSparsity != null && !(sparseSparsity >= 0 && sparseSparsity < 1)) {
                throw new IllegalArgumentException(
                        "The sparse branch's sparsity must be in [0, 1), got "
                                + sparseSparsity
                                + ".");
            }
            if (rank != null && rank < 1) {
                throw new IllegalArgumentException("The rank must be >= 1, got " + rank + ".");
            }
            if (budgetSplit != null
                    && (budgetSplit[0] < 0
                            || budgetSplit[1] < 0
                            || budgetSplit[0] + budgetSplit[1] == 0)) {
                throw new IllegalArgumentException(
                        "The d_conn : d_spec budget split needs shares >= 0, not both 0, got "
                                + budgetSplit[0]
                                + ":"
                                + budgetSplit[1]
                                + ".");
            }
        }
    }
}
