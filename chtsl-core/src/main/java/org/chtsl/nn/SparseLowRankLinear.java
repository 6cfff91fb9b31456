package org.chtsl.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chtsl.util.Scopes;

/**
 * The CHTsL projection: {@code O(x) = S(x) + L(x)}, with {@code S} a {@link SparseLinear} (the
 * branch dynamic sparse training manages) and {@code L} a {@link LowRankLinear} ({@code B·σ(A·x)}).
 *
 * <p>It is a drop-in replacement for a {@code Linear}: {@code forward} returns the projection
 * output only, so it works inside a {@code SequentialBlock} or any user block. Each training
 * forward also records the layer's alignment term {@link #alignmentLoss(NDArray, NDArray)} of its
 * two branch outputs, per device, in the autograd graph of that forward. A loss such as {@code
 * org.chtsl.training.AlignmentLoss} collects the terms of every such block of a model, so they
 * reach the training loss with no plumbing in the user's blocks. The term is attached to the
 * input's manager (it lives as long as the batch); an inference forward clears it.
 *
 * <p>The overlap cancellation ratio of the branches ({@link #overlapCancellationRatio(NDArray,
 * NDArray)}) is computed only while {@link #setOverlapTracking(boolean)} is on, because reading it
 * synchronises with the device. While it is on, training forwards also record what the alignment
 * term adds to the gradient of S and the gradient that reaches the output ({@link
 * #getLastAlignmentGradientNorm()}, {@link #getLastOutputGradientNorm()}).
 *
 * <p>A block instance used several times in one forward pass records only its last call's term.
 */
public class SparseLowRankLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The ε of the overlap cancellation ratio's denominator. */
    public static final float OCR_EPSILON = 1e-8f;

    private final long units;
    private final boolean alignment;
    private final SparseLinear sparse;
    private final LowRankLinear lowRank;

    private final Map<Device, NDArray> alignmentTerms = new ConcurrentHashMap<>();
    private volatile boolean overlapTracking;
    private volatile double lastOverlap = Double.NaN;
    private volatile AlignmentForm alignmentForm = AlignmentForm.DEFAULT;
    private volatile double lastAlignmentGradient = Double.NaN;
    private volatile NDArray outputProbe;

    /**
     * Creates a block from its builder.
     *
     * @param builder the builder
     */
    @SuppressWarnings("this-escape")
    protected SparseLowRankLinear(Builder builder) {
        super(VERSION);
        units = builder.units;
        alignment = builder.alignment;
        sparse = addChildBlock("sparse", new SparseLinear(builder));
        lowRank =
                addChildBlock(
                        "lowRank",
                        LowRankLinear.builder()
                                .setUnits(builder.units)
                                .setRank(builder.rank)
                                .optActivation(builder.activation)
                                .optScale(builder.scale)
                                .build());
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
     * The alignment term of one layer in the default form, {@link AlignmentForm#DEFAULT}: {@code
     * mean((S − L)²)} over every output element.
     *
     * @param s the sparse branch's output
     * @param l the low-rank branch's output, of the same shape
     * @return a scalar, on the manager of {@code s}
     * @throws IllegalArgumentException if the shapes differ or are empty
     */
    public static NDArray alignmentLoss(NDArray s, NDArray l) {
        return AlignmentForm.DEFAULT.term(s, l);
    }

    /**
     * The overlap cancellation ratio of the two branches (CHTsL paper §3.1): the share of their
     * overlapping magnitude that cancels, {@code Σ_k min(|S_k|, |L_k|)·[S_k·L_k < 0] / (Σ_k
     * min(|S_k|, |L_k|) + 1e-8)} over all output elements k. It is a metric: computed in float32 on
     * detached arrays.
     *
     * @param s the sparse branch's output
     * @param l the low-rank branch's output, of the same shape
     * @return a float32 scalar in [0, 1], on the manager of {@code s}
     * @throws IllegalArgumentException if the shapes differ or are empty
     */
    public static NDArray overlapCancellationRatio(NDArray s, NDArray l) {
        AlignmentForm.checkShapes(s, l);
        try (NDManager scope = NDManager.subManagerOf(s)) {
            Scopes.tempAttachDistinct(scope, s, l);
            NDArray sparseOut = s.stopGradient().toType(DataType.FLOAT32, false);
            NDArray lowRankOut = l.stopGradient().toType(DataType.FLOAT32, false);
            NDArray overlap = NDArrays.minimum(sparseOut.abs(), lowRankOut.abs());
            NDArray opposite = sparseOut.mul(lowRankOut).lt(0).toType(DataType.FLOAT32, false);
            NDArray cancelled = overlap.mul(opposite).sum();
            return scope.ret(cancelled.div(overlap.sum().add(OCR_EPSILON)));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        Device device = inputs.singletonOrThrow().getDevice();
        NDArray s = sparse.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray l = lowRank.forward(parameterStore, inputs, training, params).singletonOrThrow();
        if (training && alignment) {
            alignmentTerms.put(device, alignmentForm.term(s, l));
        } else {
            alignmentTerms.remove(device);
        }
        NDArray output = s.add(l);
        if (overlapTracking) {
            try (NDArray ratio = overlapCancellationRatio(s, l)) {
                lastOverlap = ratio.getFloat();
            }
            if (training) {
                lastAlignmentGradient = alignmentForm.gradientNorm(s, l);
                // adding a zero leaf changes no value; its gradient is ∂ℒ/∂O, what reaches O
                NDArray probe = output.zerosLike();
                probe.setRequiresGradient(true);
                outputProbe = probe;
                output = output.add(probe);
            }
        }
        return new NDList(output);
    }

    /**
     * Sets the form of the alignment term training forwards record (default {@link
     * AlignmentForm#DEFAULT}); {@code org.chtsl.training.AlignmentLoss} sets it on every block of
     * its model.
     *
     * @param alignmentForm the form
     */
    public void setAlignmentForm(AlignmentForm alignmentForm) {
        if (alignmentForm == null) {
            throw new IllegalArgumentException("The alignment form must not be null.");
        }
        this.alignmentForm = alignmentForm;
    }

    /**
     * Returns the form of the alignment term.
     *
     * @return the form
     */
    public AlignmentForm getAlignmentForm() {
        return alignmentForm;
    }

    /**
     * Returns {@code ‖∂term/∂S‖} of the last training forward made while overlap tracking was on (λ
     * = 1; {@link AlignmentForm#gradientNorm}).
     *
     * @return the norm, or NaN if none was recorded
     */
    public double getLastAlignmentGradientNorm() {
        return lastAlignmentGradient;
    }

    /**
     * Returns {@code ‖∂ℒ/∂O‖}, the norm of the gradient that reached this projection's output O in
     * the backward of the last training forward made while overlap tracking was on (from the task
     * loss and the layers above, not from this layer's own alignment term, which does not pass
     * through O). Call it after the backward, before the batch is closed.
     *
     * @return the norm, or NaN if no such forward or no backward happened
     */
    public double getLastOutputGradientNorm() {
        NDArray probe = outputProbe;
        if (probe == null || probe.isReleased() || !probe.hasGradient()) {
            return Double.NaN;
        }
        try (NDArray gradient = probe.getGradient();
                NDArray norm = gradient.toType(DataType.FLOAT64, false).square().sum().sqrt()) {
            double value = norm.getDouble();
            return value > 0 ? value : Double.NaN; // PyTorch gives zeros before any backward
        }
    }

    /**
     * Returns the alignment term recorded by this block's last training forward on a device.
     *
     * @param device the device of the forward pass
     * @return the scalar term, in the autograd graph of that forward; {@code null} if the last
     *     forward on that device was not a training forward, alignment is off, or the batch it
     *     belonged to has been closed
     */
    public NDArray getAlignmentTerm(Device device) {
        NDArray term = alignmentTerms.get(device);
        return term == null || term.isReleased() ? null : term;
    }

    /**
     * Turns the computation of the overlap cancellation ratio in every forward on or off (default
     * off: reading it synchronises with the device).
     *
     * @param tracking whether to compute it
     */
    public void setOverlapTracking(boolean tracking) {
        overlapTracking = tracking;
        if (!tracking) {
            lastOverlap = Double.NaN;
            lastAlignmentGradient = Double.NaN;
            outputProbe = null;
        }
    }

    /**
     * Returns whether the overlap cancellation ratio is being computed.
     *
     * @return whether tracking is on
     */
    public boolean isOverlapTracking() {
        return overlapTracking;
    }

    /**
     * Returns the overlap cancellation ratio of the last forward made while tracking was on.
     *
     * @return the ratio in [0, 1], or NaN if none was computed
     */
    public double getLastOverlapCancellationRatio() {
        return lastOverlap;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return sparse.getOutputShapes(inputs);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        sparse.initialize(manager, dataType, inputShapes);
        lowRank.initialize(manager, dataType, inputShapes);
    }

    /**
     * Returns the sparse branch S.
     *
     * @return the sparse child block
     */
    public SparseLinear getSparse() {
        return sparse;
    }

    /**
     * Returns the low-rank branch L.
     *
     * @return the low-rank child block
     */
    public LowRankLinear getLowRank() {
        return lowRank;
    }

    /**
     * Returns whether training forwards record the alignment term.
     *
     * @return whether alignment is on
     */
    public boolean isAlignment() {
        return alignment;
    }

    /**
     * Returns the number of output features.
     *
     * @return the units
     */
    public long getUnits() {
        return units;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(units);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        BlockMetadata.checkVersion("SparseLowRankLinear", loadVersion, VERSION);
        readInputShapes(is);
        long savedUnits = is.readLong();
        BlockMetadata.checkSame("SparseLowRankLinear", "units=" + savedUnits, "units=" + units);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "SparseLowRankLinear(" + sparse + " + " + lowRank + ", alignment=" + alignment + ")";
    }

    /**
     * The builder of a {@link SparseLowRankLinear}: the sparse branch's options ({@code setUnits},
     * {@code optBias}, {@code optDensity}, {@code optTopology}) and the low-rank branch's.
     */
    public static final class Builder extends SparseLinear.BaseBuilder<Builder> {

        private long rank;
        private LowRankActivation activation = LowRankActivation.SILU;
        private boolean alignment = true;
        private float scale = 1f;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the rank of the low-rank branch (required).
         *
         * @param rank the rank, {@code 1 ≤ rank ≤ min(inputFeatures, units)}
         * @return this builder
         */
        public Builder setRank(long rank) {
            this.rank = rank;
            return this;
        }

        /**
         * Sets the low-rank branch's activation (default {@link LowRankActivation#SILU}; {@link
         * LowRankActivation#IDENTITY} gives the "naive" integration).
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(LowRankActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets a factor applied to the low-rank branch's output (default 1; SLTrain uses α/r).
         *
         * @param scale a finite, non-zero factor
         * @return this builder
         */
        public Builder optScale(float scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Sets whether training forwards record the alignment term (default {@code true}); turn it
         * off for the "Act" variant without alignment loss, to save its computation.
         *
         * @param alignment whether to record the alignment term
         * @return this builder
         */
        public Builder optAlignment(boolean alignment) {
            this.alignment = alignment;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return a new {@link SparseLowRankLinear}
         * @throws IllegalArgumentException if a branch's settings are invalid
         */
        public SparseLowRankLinear build() {
            validate("SparseLowRankLinear");
            LowRankLinear.checkRank(rank, units, activation);
            return new SparseLowRankLinear(this);
        }
    }
}
