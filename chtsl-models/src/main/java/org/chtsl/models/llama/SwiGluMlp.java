package org.chtsl.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.chtsl.nn.ProjectionFactory;

/** The SwiGLU feed-forward block: {@code down(SiLU(gate(x)) ⊙ up(x))}. */
public class SwiGluMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block gate;
    private final Block up;
    private final Block down;
    private final long intermediate;

    /**
     * Creates the MLP of one layer.
     *
     * @param config the model's shape
     * @param factory creates the three projections
     * @param prefix the stable name of this block, e.g. {@code layers.3.mlp}
     */
    @SuppressWarnings("this-escape")
    public SwiGluMlp(LlamaConfig config, ProjectionFactory factory, String prefix) {
        super(VERSION);
        long hidden = config.getHidden();
        intermediate = config.getIntermediate();
        gate =
                addChildBlock(
                        "gate_proj", factory.create(prefix + ".gate_proj", hidden, intermediate));
        up = addChildBlock("up_proj", factory.create(prefix + ".up_proj", hidden, intermediate));
        down =
                addChildBlock(
                        "down_proj", factory.create(prefix + ".down_proj", intermediate, hidden));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray gated = Projections.apply(gate, ps, x, training);
        NDArray activated = gated.mul(Activation.sigmoid(gated));
        NDArray hidden = activated.mul(Projections.apply(up, ps, x, training));
        return new NDList(Projections.apply(down, ps, hidden, training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        gate.initialize(manager, type, inputShapes);
        up.initialize(manager, type, inputShapes);
        Shape input = inputShapes[0];
        down.initialize(manager, type, input.slice(0, input.dimension() - 1).add(intermediate));
    }
}
