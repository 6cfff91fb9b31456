package org.chtsl.tests.readme;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.chtsl.nn.SparseLowRankLinear;

/** A user's own block: two CHTsL projections (sparse 25% + rank 4) where Linear layers would go. */
public final class MyMlp extends AbstractBlock {

    private final SparseLowRankLinear up =
            addChildBlock(
                    "up",
                    SparseLowRankLinear.builder()
                            .setUnits(64)
                            .setRank(4)
                            .optDensity(0.25)
                            .optBias(false)
                            .build());
    private final SparseLowRankLinear down =
            addChildBlock(
                    "down",
                    SparseLowRankLinear.builder()
                            .setUnits(8)
                            .setRank(4)
                            .optDensity(0.25)
                            .optBias(false)
                            .build());

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList x, boolean training, PairList<String, Object> params) {
        NDList hidden = new NDList(Activation.relu(up.forward(ps, x, training).head()));
        return down.forward(ps, hidden, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return down.getOutputShapes(up.getOutputShapes(inputs));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputs) {
        up.initialize(manager, type, inputs);
        down.initialize(manager, type, up.getOutputShapes(inputs));
    }
}
