package org.chtsl.models.mlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.init.InitialTopology;

/**
 * An MLP with sparse hidden connections (the CHTs paper's MNIST model): {@code 784 → 1000 → 1000 →
 * 1000 → 10}, ReLU between layers. The hidden layers ({@code fc1}…) are {@link SparseLinear} at a
 * density (1% in the paper); the output layer ({@code out}) is dense. Hidden layers are also the
 * stack chain removal works on.
 */
public class SparseMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<Block> hidden = new ArrayList<>();
    private final Linear output;

    @SuppressWarnings("this-escape")
    private SparseMlp(Builder builder) {
        super(VERSION);
        for (int i = 0; i < builder.hidden.length; i++) {
            Block layer =
                    builder.dense
                            ? Linear.builder().setUnits(builder.hidden[i]).build()
                            : SparseLinear.builder()
                                    .setUnits(builder.hidden[i])
                                    .optDensity(builder.density)
                                    .optTopology(builder.topology)
                                    .build();
            hidden.add(addChildBlock("fc" + (i + 1), layer));
        }
        output = addChildBlock("out", Linear.builder().setUnits(builder.classes).build());
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
        NDArray x = inputs.head();
        for (Block layer : hidden) {
            x = Activation.relu(layer.forward(ps, new NDList(x), training).head());
        }
        return output.forward(ps, new NDList(x), training);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : hidden) {
            shapes = layer.getOutputShapes(shapes);
        }
        return output.getOutputShapes(shapes);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : hidden) {
            layer.initialize(manager, type, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
        output.initialize(manager, type, shapes);
    }

    /**
     * Returns the hidden layers, input side first ({@link SparseLinear} unless built dense).
     *
     * @return the layers
     */
    public List<Block> getHiddenLayers() {
        return Collections.unmodifiableList(hidden);
    }

    /** The builder of a {@link SparseMlp}. */
    public static final class Builder {

        private int[] hidden = {1000, 1000, 1000};
        private int classes = 10;
        private double density = 0.01;
        private InitialTopology topology = ErdosRenyiTopology.get();
        private boolean dense;

        Builder() {}

        /**
         * Sets the hidden layer widths (default 1000, 1000, 1000).
         *
         * @param widths at least one, each ≥ 1
         * @return this builder
         */
        public Builder optHidden(int... widths) {
            this.hidden = widths.clone();
            return this;
        }

        /**
         * Sets the number of classes (default 10).
         *
         * @param classes ≥ 2
         * @return this builder
         */
        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * Sets the hidden layers' density (default 0.01).
         *
         * @param density in (0, 1]
         * @return this builder
         */
        public Builder optDensity(double density) {
            this.density = density;
            return this;
        }

        /**
         * Sets the hidden layers' initial topology (default Erdős–Rényi).
         *
         * @param topology the topology
         * @return this builder
         */
        public Builder optTopology(InitialTopology topology) {
            this.topology = topology;
            return this;
        }

        /**
         * Makes every layer dense (the fully connected baseline).
         *
         * @param dense whether hidden layers are dense
         * @return this builder
         */
        public Builder optDense(boolean dense) {
            this.dense = dense;
            return this;
        }

        /**
         * Builds the MLP.
         *
         * @return the block
         * @throws IllegalArgumentException if a width or the class count is invalid
         */
        public SparseMlp build() {
            if (hidden.length == 0 || classes < 2) {
                throw new IllegalArgumentException(
                        "An MLP needs at least one hidden layer and two classes.");
            }
            for (int width : hidden) {
                if (width < 1) {
                    throw new IllegalArgumentException(
                            "Hidden widths must be >= 1, got " + width + ".");
                }
            }
            return new SparseMlp(this);
        }
    }
}
