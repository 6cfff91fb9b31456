package org.chtsl.models.llama;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.nn.BlockMetadata;
import org.chtsl.nn.ProjectionFactory;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparsityDistribution;
import org.chtsl.nn.SupportedDataTypes;

/**
 * A LLaMA decoder language model: token ids {@code [B, T]} → logits {@code [B, T, V]}.
 *
 * <p>Token embedding, {@code layers} pre-norm decoder layers, a final RMSNorm and an untied
 * lm_head; embeddings and lm_head are always dense, the seven projections of each layer come from
 * the {@link ProjectionFactory}. Dense weights start from N(0, 0.02). It is an ordinary DJL block:
 * train it with a stock {@code Trainer} (labels {@code [B, T, 1]} for DJL's softmax cross-entropy).
 *
 * <p>{@link #getProjections()} names every projection the way reports and checkpoints do, {@code
 * layers.3.self_attn.q_proj} … {@code layers.3.mlp.down_proj}.
 */
public class LlamaModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LlamaConfig config;
    private final TokenEmbedding embedding;
    private final List<LlamaDecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final Linear lmHead;
    private final Map<String, Block> projections = new LinkedHashMap<>();

    @SuppressWarnings("this-escape")
    private LlamaModel(Builder builder, ProjectionFactory factory) {
        super(VERSION);
        config = builder.config;
        NormalInitializer normal = new NormalInitializer(config.getInitStd());
        embedding =
                addChildBlock(
                        "embed_tokens",
                        new TokenEmbedding(config.getVocabSize(), config.getHidden()));
        embedding.setInitializer(normal, Parameter.Type.WEIGHT);
        RotaryEmbedding rope =
                new RotaryEmbedding(
                        config.getHeadDim(), config.getMaxSequenceLength(), config.getRopeBase());
        ProjectionFactory naming = recordingProjections(factory);
        for (int i = 0; i < config.getLayers(); i++) {
            layers.add(
                    addChildBlock("layers." + i, new LlamaDecoderLayer(config, rope, naming, i)));
        }
        norm = addChildBlock("norm", new RmsNorm(config.getNormEpsilon()));
        lmHead =
                addChildBlock(
                        "lm_head",
                        Linear.builder().setUnits(config.getVocabSize()).optBias(false).build());
        lmHead.setInitializer(normal, Parameter.Type.WEIGHT);
    }

    private ProjectionFactory recordingProjections(ProjectionFactory factory) {
        return (name, in, out) -> {
            Block block = factory.create(name, in, out);
            projections.put(name, block);
            return block;
        };
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.head();
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "LLaMA takes token ids of shape [batch, length], got " + ids.getShape() + ".");
        }
        NDList hidden = embedding.forward(ps, new NDList(ids), training);
        for (LlamaDecoderLayer layer : layers) {
            hidden = layer.forward(ps, hidden, training);
        }
        return lmHead.forward(ps, norm.forward(ps, hidden, training), training);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.getVocabSize())};
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the data type is not supported by chtsl's blocks
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        SupportedDataTypes.checkParameterType(dataType, "LlamaModel");
        super.initialize(manager, dataType, inputShapes);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        embedding.initialize(manager, type, ids);
        Shape hidden = ids.add(config.getHidden());
        for (LlamaDecoderLayer layer : layers) {
            layer.initialize(manager, type, hidden);
        }
        norm.initialize(manager, type, hidden);
        lmHead.initialize(manager, type, hidden);
    }

    /**
     * Returns the model's shape.
     *
     * @return the configuration
     */
    public LlamaConfig getConfig() {
        return config;
    }

    /**
     * Returns the token embedding (its parameter is {@code embedding}, {@code [V, h]}).
     *
     * @return the embedding block
     */
    public TokenEmbedding getEmbedding() {
        return embedding;
    }

    /**
     * Returns the decoder layers.
     *
     * @return an unmodifiable list of the layers
     */
    public List<LlamaDecoderLayer> getLayers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Returns the final norm.
     *
     * @return the RMSNorm before the lm_head
     */
    public RmsNorm getNorm() {
        return norm;
    }

    /**
     * Returns the untied output projection.
     *
     * @return the lm_head
     */
    public Linear getLmHead() {
        return lmHead;
    }

    /**
     * Returns every projection by its stable name, layer by layer, in the order q, k, v, o, gate,
     * up, down.
     *
     * @return an unmodifiable map from names such as {@code layers.0.self_attn.q_proj} to blocks
     */
    public Map<String, Block> getProjections() {
        return Collections.unmodifiableMap(projections);
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(config.toString());
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        BlockMetadata.checkVersion("LlamaModel", loadVersion, VERSION);
        readInputShapes(is);
        String saved = is.readUTF();
        if (!saved.equals(config.toString())) {
            throw new MalformedModelException(
                    "The checkpoint holds " + saved + " but this model is " + config + ".");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "LlamaModel(" + config + ", " + projections.size() + " projections)";
    }

    /** The builder of a {@link LlamaModel}. */
    public static final class Builder {

        private LlamaConfig config;
        private ProjectionFactory projections;
        private ProjectionSpec spec = ProjectionSpec.dense();
        private MethodPreset method;
        private double totalSparsity;
        private SparsityDistribution distribution = SparsityDistribution.UNIFORM;

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
         * Sets how projections are made (default: dense); the distribution does not apply to a
         * factory, which chooses its own densities ({@link LlamaProjections} spreads them).
         *
         * @param projections the factory
         * @return this builder
         */
        public Builder optProjections(ProjectionFactory projections) {
            this.projections = projections;
            return this;
        }

        /**
         * Makes every projection from one spec, initialized with the configuration's σ (the default
         * is dense projections).
         *
         * @param spec the projection spec
         * @return this builder
         */
        public Builder optProjections(ProjectionSpec spec) {
            this.spec = spec;
            this.method = null;
            this.projections = null;
            return this;
        }

        /**
         * Makes every projection the way a method trains it, at a total sparsity of the projections
         * (the papers' uniform sparsity; budget split and rank steps as the method's preset says):
         * short for {@link LlamaProjections.Builder#setMethod(MethodPreset, double)}, which also
         * takes overrides.
         *
         * @param method the method
         * @param totalSparsity the total sparsity of the projections, in [0, 1)
         * @return this builder
         */
        public Builder optMethod(MethodPreset method, double totalSparsity) {
            this.method = method;
            this.totalSparsity = totalSparsity;
            this.projections = null;
            return this;
        }

        /**
         * Sets how the sparse branches' density is spread over the projections, matched by their
         * names (default uniform, as in the papers; ERK keeps the same total links). Applies to
         * {@link #optProjections(ProjectionSpec)} and {@link #optMethod(MethodPreset, double)}.
         *
         * @param distribution the distribution
         * @return this builder
         */
        public Builder optDistribution(SparsityDistribution distribution) {
            this.distribution = distribution;
            return this;
        }

        /**
         * Builds the model.
         *
         * @return the model
         * @throws IllegalArgumentException if no configuration was set, or the projections' budget
         *     is out of range
         */
        public LlamaModel build() {
            if (config == null) {
                throw new IllegalArgumentException("LlamaModel needs setConfig(...).");
            }
            if (projections != null) {
                return new LlamaModel(this, projections);
            }
            LlamaProjections.Builder named =
                    LlamaProjections.builder().setConfig(config).optDistribution(distribution);
            if (method == null) {
                named.setSpec(spec);
            } else {
                named.setMethod(method, totalSparsity);
            }
            return new LlamaModel(this, named.build());
        }
    }
}
