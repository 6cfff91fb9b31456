package org.chtsl.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;

/**
 * Gives every projection the same {@link ProjectionSpec} (the papers' uniform sparsity), with the
 * initialization of the method's reference: dense and sparse weights N(0, σ) (masked), low-rank
 * factors CoLA's, and for SLTrain {@code A ~ U(±1/√in)}, {@code B = 0} and sparse values {@code
 * U(±1/√in)}.
 */
public final class UniformProjections implements ProjectionFactory {

    private final ProjectionSpec spec;
    private final float initStd;

    /**
     * Creates the factory.
     *
     * @param spec what every projection is made of
     * @param initStd σ of the N(0, σ) initialization of dense and sparse weights (0.02)
     */
    public UniformProjections(ProjectionSpec spec, float initStd) {
        this.spec = spec;
        this.initStd = initStd;
    }

    /** {@inheritDoc} */
    @Override
    public Block create(String name, long inputFeatures, long outputFeatures) {
        NormalInitializer normal = new NormalInitializer(initStd);
        switch (spec.kind()) {
            case DENSE:
                Block dense = Linear.builder().setUnits(outputFeatures).optBias(false).build();
                dense.setInitializer(normal, Parameter.Type.WEIGHT);
                return dense;
            case SPARSE:
                SparseLinear sparse =
                        SparseLinear.builder()
                                .setUnits(outputFeatures)
                                .optBias(false)
                                .optDensity(spec.density())
                                .optTopology(spec.topology())
                                .optStorage(spec.storage())
                                .build();
                sparse.setInitializer(normal, Parameter.Type.WEIGHT);
                return sparse;
            case LOW_RANK:
                return LowRankLinear.builder()
                        .setUnits(outputFeatures)
                        .setRank(spec.rank())
                        .optActivation(spec.activation())
                        .build();
            case SPARSE_LOW_RANK:
                SparseLowRankLinear chtsl =
                        sparseLowRank(outputFeatures).optActivation(spec.activation()).build();
                chtsl.getSparse().setInitializer(normal, Parameter.Type.WEIGHT);
                return chtsl;
            case SLTRAIN:
                return slTrain(inputFeatures, outputFeatures);
            default:
                throw new IllegalArgumentException("Unknown projection kind " + spec.kind());
        }
    }

    private SparseLowRankLinear.Builder sparseLowRank(long outputFeatures) {
        return SparseLowRankLinear.builder()
                .setUnits(outputFeatures)
                .setRank(spec.rank())
                .optBias(false)
                .optDensity(spec.density())
                .optTopology(spec.topology())
                .optStorage(spec.storage());
    }

    private SparseLowRankLinear slTrain(long inputFeatures, long outputFeatures) {
        SparseLowRankLinear block =
                sparseLowRank(outputFeatures)
                        .optActivation(LowRankActivation.IDENTITY)
                        .optAlignment(false)
                        .optScale(spec.sltrainAlpha() / spec.rank())
                        .build();
        UniformInitializer fanIn = new UniformInitializer((float) (1 / Math.sqrt(inputFeatures)));
        block.getSparse().setInitializer(fanIn, Parameter.Type.WEIGHT);
        block.getLowRank().setInitializer(fanIn, "a");
        block.getLowRank().setInitializer(new ConstantInitializer(0), "b");
        return block;
    }

    /**
     * Returns the spec.
     *
     * @return the projection spec
     */
    public ProjectionSpec getSpec() {
        return spec;
    }
}
