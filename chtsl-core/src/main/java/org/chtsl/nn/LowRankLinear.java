package org.chtsl.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A low-rank projection with an activation between its factors: {@code y = B·σ(A·x)}.
 *
 * <p>{@code A} has shape {@code (rank, inputFeatures)} and {@code B} has shape {@code (units,
 * rank)}, stored like {@link Linear} weights. σ is SiLU by default (CoLA) or the identity (the
 * "naive" low-rank branch). Both factors start from CoLA's initialization (spec §4.1): every entry
 * {@code ~ N(0, 1)·r^{-1/4}·(in + out)^{-1/4}}, so neither factor is zero. A trainer's {@code
 * optInitializer} for {@link Parameter.Type#WEIGHT} replaces it, as for any DJL block.
 *
 * <p>The rank must satisfy {@code 1 ≤ rank ≤ min(inputFeatures, units)}; the upper bound on the
 * input side is checked when the input shape is known (at initialization).
 */
public class LowRankLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final long units;
    private final long rank;
    private final LowRankActivation activation;
    private final float scale;
    private long inputFeatures;

    private final Parameter a;
    private final Parameter b;

    /**
     * Creates a block from its builder.
     *
     * @param builder the builder
     */
    @SuppressWarnings("this-escape")
    protected LowRankLinear(Builder builder) {
        super(VERSION);
        units = builder.units;
        rank = builder.rank;
        activation = builder.activation;
        scale = builder.scale;
        a = addParameter(colaFactor("a"));
        b = addParameter(colaFactor("b"));
    }

    private Parameter colaFactor(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(
                        (manager, shape, dataType) ->
                                manager.randomNormal(
                                        0f,
                                        colaStandardDeviation(rank, inputFeatures, units),
                                        shape,
                                        dataType,
                                        manager.getDevice()))
                .build();
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
     * The standard deviation of CoLA's initialization, {@code (rank · (in + out))^{-1/4}}.
     *
     * @param rank the rank
     * @param inputFeatures the number of input features
     * @param units the number of output features
     * @return the standard deviation of every entry of both factors
     */
    public static float colaStandardDeviation(long rank, long inputFeatures, long units) {
        return (float) Math.pow((double) rank * (inputFeatures + units), -0.25);
    }

    /**
     * Checks the low-rank options against the number of output features; the input side is checked
     * at initialization.
     *
     * @param rank the rank
     * @param units the number of output features
     * @param activation the activation
     * @throws IllegalArgumentException if the rank is outside [1, units] or the activation is null
     */
    static void checkRank(long rank, long units, LowRankActivation activation) {
        if (rank < 1 || rank > units) {
            throw new IllegalArgumentException(
                    "LowRankLinear rank must satisfy 1 <= rank <= min(inputFeatures, units="
                            + units
                            + "), got "
                            + rank
                            + ".");
        }
        if (activation == null) {
            throw new IllegalArgumentException(
                    "LowRankLinear needs an activation (SILU or IDENTITY), got null.");
        }
    }

    /**
     * The low-rank map {@code σ(input·Aᵀ)·Bᵀ}, reusable from other blocks.
     *
     * @param input the input, of shape {@code [..., in]}
     * @param a the first factor, of shape {@code [rank, in]}
     * @param b the second factor, of shape {@code [out, rank]}
     * @param activation the activation between the factors
     * @return the output, of shape {@code [..., out]}
     */
    public static NDList lowRankLinear(
            NDArray input, NDArray a, NDArray b, LowRankActivation activation) {
        return lowRankLinear(input, a, b, activation, 1f);
    }

    /**
     * The scaled low-rank map {@code scale·σ(input·Aᵀ)·Bᵀ} (SLTrain scales by α/r).
     *
     * @param input the input, of shape {@code [..., in]}
     * @param a the first factor, of shape {@code [rank, in]}
     * @param b the second factor, of shape {@code [out, rank]}
     * @param activation the activation between the factors
     * @param scale the factor applied to the hidden activations
     * @return the output, of shape {@code [..., out]}
     */
    public static NDList lowRankLinear(
            NDArray input, NDArray a, NDArray b, LowRankActivation activation, float scale) {
        NDArray hidden = activation.apply(Linear.linear(input, a).singletonOrThrow());
        return Linear.linear(scale == 1f ? hidden : hidden.mul(Scalars.like(hidden, scale)), b);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        return lowRankLinear(
                input,
                parameterStore.getValue(a, device, training),
                parameterStore.getValue(b, device, training),
                activation,
                scale);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0].slice(0, inputs[0].dimension() - 1).add(units)};
    }

    /** {@inheritDoc} */
    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        if (inputShapes.length != 1 || inputShapes[0].dimension() < 1) {
            throw new IllegalArgumentException(
                    "LowRankLinear takes exactly one input of shape [..., inFeatures].");
        }
        long features = inputShapes[0].tail();
        if (rank > features) {
            throw new IllegalArgumentException(
                    "LowRankLinear rank "
                            + rank
                            + " exceeds min(inputFeatures, units) = "
                            + Math.min(features, units)
                            + "; allowed: 1 <= rank <= min(inputFeatures, units).");
        }
        inputFeatures = features;
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        a.setShape(new Shape(rank, inputFeatures));
        b.setShape(new Shape(units, rank));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the data type is not one of {@link
     *     SupportedDataTypes#PARAMETER_TYPES} or the rank exceeds the input features
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        SupportedDataTypes.checkParameterType(dataType, "LowRankLinear");
        super.initialize(manager, dataType, inputShapes);
    }

    /**
     * Returns the rank.
     *
     * @return the rank r
     */
    public long getRank() {
        return rank;
    }

    /**
     * Returns the number of output features.
     *
     * @return the units
     */
    public long getUnits() {
        return units;
    }

    /**
     * Returns the number of input features, known once the block is initialized.
     *
     * @return the input features, or 0 before initialization
     */
    public long getInputFeatures() {
        return inputFeatures;
    }

    /**
     * Returns the activation between the factors.
     *
     * @return the activation
     */
    public LowRankActivation getActivation() {
        return activation;
    }

    /**
     * Returns the output scale (1 unless set, α/r for SLTrain).
     *
     * @return the scale
     */
    public float getScale() {
        return scale;
    }

    /**
     * Returns the first factor {@code A}, of shape {@code (rank, inputFeatures)}.
     *
     * @return the parameter A
     */
    public Parameter getA() {
        return a;
    }

    /**
     * Returns the second factor {@code B}, of shape {@code (units, rank)}.
     *
     * @return the parameter B
     */
    public Parameter getB() {
        return b;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(units);
        os.writeLong(rank);
        os.writeLong(inputFeatures);
        os.writeUTF(activation.name());
        os.writeFloat(scale);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        BlockMetadata.checkVersion("LowRankLinear", loadVersion, VERSION);
        readInputShapes(is);
        long savedUnits = is.readLong();
        long savedRank = is.readLong();
        inputFeatures = is.readLong();
        String savedActivation = is.readUTF();
        float savedScale = is.readFloat();
        BlockMetadata.checkSame(
                "LowRankLinear",
                describe(savedUnits, savedRank, savedActivation, savedScale),
                describe(units, rank, activation.name(), scale));
    }

    private static String describe(long units, long rank, String activation, float scale) {
        return "units="
                + units
                + ", rank="
                + rank
                + ", activation="
                + activation
                + ", scale="
                + scale;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "LowRankLinear(units="
                + units
                + ", rank="
                + rank
                + ", inputFeatures="
                + inputFeatures
                + ", activation="
                + activation
                + ")";
    }

    /** The builder of a {@link LowRankLinear}. */
    public static final class Builder {

        private long units;
        private long rank;
        private LowRankActivation activation = LowRankActivation.SILU;
        private float scale = 1f;

        Builder() {}

        /**
         * Sets the number of output features (required).
         *
         * @param units the number of output features, at least 1
         * @return this builder
         */
        public Builder setUnits(long units) {
            this.units = units;
            return this;
        }

        /**
         * Sets the rank r (required).
         *
         * @param rank the rank, {@code 1 ≤ rank ≤ min(inputFeatures, units)}
         * @return this builder
         */
        public Builder setRank(long rank) {
            this.rank = rank;
            return this;
        }

        /**
         * Sets the activation between the factors (default {@link LowRankActivation#SILU}).
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(LowRankActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets a factor applied to the output (default 1; SLTrain uses α/r).
         *
         * @param scale a finite, non-zero factor
         * @return this builder
         */
        public Builder optScale(float scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return a new {@link LowRankLinear}
         * @throws IllegalArgumentException if units or rank are missing or out of range, or the
         *     activation is null
         */
        public LowRankLinear build() {
            BlockMetadata.checkUnits("LowRankLinear", units);
            checkRank(rank, units, activation);
            if (!Float.isFinite(scale) || scale == 0) {
                throw new IllegalArgumentException(
                        "LowRankLinear scale must be finite and non-zero, got " + scale + ".");
            }
            return new LowRankLinear(this);
        }
    }
}
