package org.chtsl.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.chtsl.nn.ProjectionFactory;
import org.chtsl.nn.Scalars;

/**
 * Multi-head causal self-attention with rotary position embedding and no biases: projections {@code
 * q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj} from a {@link ProjectionFactory}.
 * Position t attends to positions ≤ t; the mask is built by comparing position indices (DJL has no
 * {@code tril}).
 */
@SuppressWarnings("LocalVariableName")
public class CausalSelfAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int heads;
    private final int headDim;
    private final RotaryEmbedding rope;
    private final Block queries;
    private final Block keys;
    private final Block values;
    private final Block output;

    /**
     * Creates the attention of one layer.
     *
     * @param config the model's shape
     * @param rope the rotary embedding shared by the model's layers
     * @param factory creates the four projections
     * @param prefix the stable name of this block, e.g. {@code layers.3.self_attn}
     */
    @SuppressWarnings("this-escape")
    public CausalSelfAttention(
            LlamaConfig config, RotaryEmbedding rope, ProjectionFactory factory, String prefix) {
        super(VERSION);
        heads = config.getHeads();
        headDim = config.getHeadDim();
        this.rope = rope;
        long hidden = config.getHidden();
        queries = addChildBlock("q_proj", factory.create(prefix + ".q_proj", hidden, hidden));
        keys = addChildBlock("k_proj", factory.create(prefix + ".k_proj", hidden, hidden));
        values = addChildBlock("v_proj", factory.create(prefix + ".v_proj", hidden, hidden));
        output = addChildBlock("o_proj", factory.create(prefix + ".o_proj", hidden, hidden));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDArray q =
                rope.apply(splitHeads(Projections.apply(queries, ps, x, training), batch, length));
        NDArray k = rope.apply(splitHeads(Projections.apply(keys, ps, x, training), batch, length));
        NDArray v = splitHeads(Projections.apply(values, ps, x, training), batch, length);
        NDArray products = q.matMul(k.transpose(0, 1, 3, 2));
        NDArray scores = products.mul(Scalars.like(products, 1 / Math.sqrt(headDim)));
        NDArray weights =
                scores.add(causalBias(x.getManager(), length, scores.getDataType())).softmax(-1);
        NDArray merged = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, -1);
        return new NDList(Projections.apply(output, ps, merged, training));
    }

    private NDArray splitHeads(NDArray projected, long batch, long length) {
        return projected.reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3);
    }

    /**
     * The additive causal mask: 0 where key position ≤ query position, −∞ elsewhere.
     *
     * @param manager where to create it
     * @param length the sequence length T
     * @param type the scores' data type
     * @return a {@code [T, T]} array
     */
    static NDArray causalBias(NDManager manager, long length, DataType type) {
        NDArray positions = manager.arange(0, length, 1, DataType.INT64);
        NDArray allowed = positions.reshape(1, length).lte(positions.reshape(length, 1));
        Shape shape = new Shape(length, length);
        return NDArrays.where(
                allowed,
                manager.zeros(shape, type),
                manager.full(shape, Float.NEGATIVE_INFINITY, type));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        for (Block projection : new Block[] {queries, keys, values, output}) {
            projection.initialize(manager, type, inputShapes);
        }
    }
}
