package org.chtsl.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.chtsl.nn.ProjectionFactory;

/**
 * One pre-norm decoder layer: {@code h = x + attention(norm₁(x))}, {@code y = h + mlp(norm₂(h))}.
 */
public class LlamaDecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RmsNorm inputNorm;
    private final CausalSelfAttention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGluMlp mlp;

    /**
     * Creates layer {@code index}.
     *
     * @param config the model's shape
     * @param rope the rotary embedding shared by the layers
     * @param factory creates the projections
     * @param index the layer's index, for the projections' stable names
     */
    @SuppressWarnings("this-escape")
    public LlamaDecoderLayer(
            LlamaConfig config, RotaryEmbedding rope, ProjectionFactory factory, int index) {
        super(VERSION);
        String prefix = "layers." + index;
        inputNorm = addChildBlock("input_layernorm", new RmsNorm(config.getNormEpsilon()));
        attention =
                addChildBlock(
                        "self_attn",
                        new CausalSelfAttention(config, rope, factory, prefix + ".self_attn"));
        postAttentionNorm =
                addChildBlock("post_attention_layernorm", new RmsNorm(config.getNormEpsilon()));
        mlp = addChildBlock("mlp", new SwiGluMlp(config, factory, prefix + ".mlp"));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray attended =
                attention.forward(ps, inputNorm.forward(ps, inputs, training), training).head();
        NDList residual = new NDList(x.add(attended));
        NDArray transformed =
                mlp.forward(ps, postAttentionNorm.forward(ps, residual, training), training).head();
        return new NDList(residual.head().add(transformed));
    }

    /**
     * Returns the norm before attention.
     *
     * @return the input RMSNorm
     */
    public RmsNorm getInputNorm() {
        return inputNorm;
    }

    /**
     * Returns the attention block.
     *
     * @return the causal self-attention
     */
    public CausalSelfAttention getAttention() {
        return attention;
    }

    /**
     * Returns the norm before the MLP.
     *
     * @return the post-attention RMSNorm
     */
    public RmsNorm getPostAttentionNorm() {
        return postAttentionNorm;
    }

    /**
     * Returns the MLP.
     *
     * @return the SwiGLU MLP
     */
    public SwiGluMlp getMlp() {
        return mlp;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        inputNorm.initialize(manager, type, inputShapes);
        attention.initialize(manager, type, inputShapes);
        postAttentionNorm.initialize(manager, type, inputShapes);
        mlp.initialize(manager, type, inputShapes);
    }
}
