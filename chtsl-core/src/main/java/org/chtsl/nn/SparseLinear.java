package org.chtsl.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.init.InitialTopology;
import org.chtsl.util.Scopes;

/**
 * A linear layer whose weight is used through a 0/1 connectivity mask: {@code y = x·(W⊙M)ᵀ + b}.
 *
 * <p>{@code W} and {@code M} have shape {@code (units, inputFeatures)} like {@link Linear}'s
 * weight; the input may have any number of leading dimensions ({@code [B, in]}, {@code [B, T, in]},
 * …). Because the mask multiplies the weight inside the forward pass, the gradient of every
 * inactive weight is exactly zero.
 *
 * <p>The mask is a parameter of type {@link Parameter.Type#OTHER} that never requires a gradient:
 * it is saved and loaded with the block (bit-exact), moved to devices with it, and never touched by
 * an optimizer. It is created by an {@link InitialTopology} at the builder's density, and changed
 * only through {@link #setMask(NDArray)}, which validates it and keeps inactive weights at zero. At
 * initialization the weight is created already masked, so inactive weights are zero from the start
 * and a link that becomes active later starts at zero.
 *
 * <p>The weight is held in one of two {@link SparseStorage} forms ({@link Builder#optStorage}):
 * {@link SparseStorage#DENSE_MASKED} (the default for a block built by hand: a dense weight and a
 * dense mask parameter) or {@link SparseStorage#COMPACT} (only the active values, as the trainable
 * parameter, and their positions; the dense {@code W⊙M} exists only inside a forward). Both give
 * the same outputs and the same gradients of active links, bit for bit on the CPU. {@link
 * #denseWeight}, {@link #denseMask}, {@link #setTopology} and {@link #getActiveLinks} work for
 * both; {@link #getMask()} and {@link #getMaskParameter()} only for the dense-masked form.
 *
 * <p>Dynamic sparse training (prune and regrow) edits masks between optimizer steps; see {@code
 * org.chtsl.training}. Edit the mask of the model's own parameter arrays, on one device: with
 * several devices DJL's parameter store trains on copies.
 *
 * <p>The file is over 400 lines because it carries the block's builder hierarchy ({@code
 * BaseBuilder}, which {@code SparseLowRankLinear} reuses, and {@code Builder}) in DJL's idiom.
 */
public class SparseLinear extends AbstractBlock {

    private static final byte VERSION = 2;

    /** The default density of a {@link Builder}: 10% of the links, the papers' 90% sparsity. */
    public static final double DEFAULT_DENSITY = 0.1;

    private final long units;
    private final double density;
    private final InitialTopology topology;
    private long inputFeatures;
    private final SparseStorage storage;
    private volatile boolean denseGradient;

    private final Parameter weight;
    private final Parameter mask;
    private final Parameter bias;

    /** COMPACT only: the slots' flat positions (INT64), not a parameter (see saveParameters). */
    private NDArray positions;

    /**
     * Creates a block from a builder's sparse options.
     *
     * @param builder the builder
     */
    @SuppressWarnings("this-escape")
    protected SparseLinear(BaseBuilder<?> builder) {
        super(VERSION);
        units = builder.units;
        density = builder.density;
        topology = builder.topology;
        storage = builder.storage;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        mask =
                storage == SparseStorage.COMPACT
                        ? null
                        : addParameter(
                                Parameter.builder()
                                        .setName("mask")
                                        .setType(Parameter.Type.OTHER)
                                        .optRequiresGrad(false)
                                        .optInitializer(this::createTopology)
                                        .build());
        bias =
                builder.bias
                        ? addParameter(
                                Parameter.builder()
                                        .setName("bias")
                                        .setType(Parameter.Type.BIAS)
                                        .build())
                        : null;
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
     * The masked linear map {@code input·(weight⊙mask)ᵀ + bias}, reusable from other blocks.
     *
     * @param input the input, of shape {@code [..., in]}
     * @param weight the weight, of shape {@code [out, in]}
     * @param mask the 0/1 mask, of the weight's shape and type
     * @param bias the bias of shape {@code [out]}, or {@code null}
     * @return the output, of shape {@code [..., out]}, attached to the input's manager
     */
    public static NDList sparseLinear(NDArray input, NDArray weight, NDArray mask, NDArray bias) {
        return sparseLinear(input, weight, mask, bias, false);
    }

    /**
     * The masked linear map, optionally with a dense gradient: with {@code denseGradient} the
     * weight enters as {@code W⊙M + (W − sg(W))⊙(1 − M)} (sg = stop-gradient), whose value is still
     * {@code W⊙M} but whose gradient reaches every entry of W — what RigL and MEST rank inactive
     * links by at a topology update.
     *
     * @param input the input, of shape {@code [..., in]}
     * @param weight the weight, of shape {@code [out, in]}
     * @param mask the 0/1 mask, of the weight's shape and type
     * @param bias the bias of shape {@code [out]}, or {@code null}
     * @param denseGradient whether inactive entries receive their gradient too
     * @return the output, of shape {@code [..., out]}, attached to the input's manager
     */
    public static NDList sparseLinear(
            NDArray input, NDArray weight, NDArray mask, NDArray bias, boolean denseGradient) {
        try (NDManager scope = NDManager.subManagerOf(input)) {
            scope.tempAttachAll(weight, mask);
            // The products live only in this scope; autograd keeps what backward needs.
            NDArray fixedMask = mask.stopGradient();
            NDArray effective = weight.mul(fixedMask);
            if (denseGradient) {
                NDArray zeroValued = weight.sub(weight.stopGradient());
                effective = effective.add(zeroValued.mul(fixedMask.neg().add(1)));
            }
            return Linear.linear(input, effective, bias);
        }
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
        NDArray weightArray = parameterStore.getValue(weight, device, training);
        NDArray biasArray = bias == null ? null : parameterStore.getValue(bias, device, training);
        if (storage == SparseStorage.COMPACT) {
            return compactLinear(input, weightArray, positionsOn(device), biasArray);
        }
        if (mask.requiresGradient()) {
            // DJL's PtModel.newTrainer unfreezes every parameter of a loaded model; a trained mask
            // would drift away from 0/1, so it is frozen again before it is used.
            mask.freeze(true);
        }
        NDArray maskArray = parameterStore.getValue(mask, device, training);
        return sparseLinear(input, weightArray, maskArray, biasArray, denseGradient && training);
    }

    private NDList compactLinear(NDArray input, NDArray values, NDArray slots, NDArray biasArray) {
        try (NDManager scope = NDManager.subManagerOf(input)) {
            scope.tempAttachAll(values, slots);
            // the dense W⊙M lives only in this scope (and in autograd's record until backward)
            NDArray effective = CompactLinks.dense(values, slots, denseShape());
            return Linear.linear(input, effective, biasArray);
        }
    }

    private NDArray positionsOn(Device device) {
        if (!positions.getDevice().equals(device)) {
            NDArray moved = positions.toDevice(device, false);
            moved.attach(positions.getManager());
            positions.close();
            positions = moved;
        }
        return positions;
    }

    private Shape denseShape() {
        return new Shape(units, inputFeatures);
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
        if (inputShapes.length != 1) {
            throw new IllegalArgumentException(
                    "SparseLinear takes exactly one input, got " + inputShapes.length + ".");
        }
        Shape input = inputShapes[0];
        if (input.dimension() < 1 || input.tail() < 1) {
            throw new IllegalArgumentException(
                    "SparseLinear needs an input of shape [..., inFeatures] with inFeatures >= 1,"
                            + " got "
                            + input
                            + ".");
        }
        inputFeatures = input.tail();
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        if (storage == SparseStorage.DENSE_MASKED) {
            Shape shape = denseShape();
            weight.setShape(shape);
            mask.setShape(shape);
        }
        // COMPACT: the values' length is the initial topology's link count, known in initialize
        if (bias != null) {
            bias.setShape(new Shape(units));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The mask is created first, and the weight is created already multiplied by it.
     *
     * @throws IllegalArgumentException if the data type is not one of {@link
     *     SupportedDataTypes#PARAMETER_TYPES}
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        SupportedDataTypes.checkParameterType(dataType, "SparseLinear");
        beforeInitialize(inputShapes);
        if (!isInitialized()) {
            prepare(inputShapes);
        }
        if (storage == SparseStorage.COMPACT) {
            initializeCompact(manager, dataType);
            if (bias != null) {
                bias.initialize(manager, dataType);
            }
            return;
        }
        // A user's block-wide setInitializer must not replace the topology.
        mask.setInitializer(this::createTopology);
        mask.initialize(manager, dataType);
        Initializer weightInitializer = weight.getInitializer();
        if (!weight.isInitialized() && weightInitializer != null) {
            weight.setInitializer(masked(weightInitializer, mask.getArray()));
        }
        try {
            weight.initialize(manager, dataType);
        } finally {
            weight.setInitializer(weightInitializer);
        }
        if (bias != null) {
            bias.initialize(manager, dataType);
        }
    }

    /**
     * Draws the topology and the weights exactly as the dense-masked form does (same random draws,
     * same order), then keeps only the active values.
     */
    private void initializeCompact(NDManager manager, DataType dataType) {
        if (weight.isInitialized()) {
            // loaded: values and positions came from the file; this attaches the gradient
            weight.initialize(manager, dataType);
            return;
        }
        Shape shape = denseShape();
        Initializer weightInitializer = weight.getInitializer();
        try (NDManager scope = manager.newSubManager()) {
            NDArray topologyMask = createTopology(scope, shape, dataType);
            long count = countOnes(topologyMask);
            NDArray slots = CompactLinks.positions(topologyMask, count, toString());
            NDArray values;
            if (weightInitializer == null) {
                values = scope.zeros(new Shape(count), dataType);
            } else {
                // the dense-masked form's draw, read at the active positions only
                NDArray drawn = weightInitializer.initialize(scope, shape, dataType);
                values = drawn.flatten().gather(slots, 0);
            }
            NDArray initial = values;
            weight.setShape(new Shape(count));
            weight.setInitializer((m, s, t) -> initial);
            weight.initialize(manager, dataType);
            initial.attach(manager);
            slots.attach(manager);
            positions = slots;
        } finally {
            weight.setInitializer(weightInitializer);
        }
    }

    private static long countOnes(NDArray array) {
        try (NDArray count = array.countNonzero()) {
            return count.getLong();
        }
    }

    private NDArray createTopology(NDManager manager, Shape shape, DataType dataType) {
        NDArray created = topology.create(manager, shape.get(0), shape.get(1), density);
        MaskValidation.check(created, shape, "The topology " + topology);
        NDArray converted = created.toType(dataType, false);
        if (converted != created) {
            created.close();
        }
        return converted;
    }

    private static Initializer masked(Initializer initializer, NDArray maskArray) {
        return (manager, shape, dataType) -> {
            NDArray values = initializer.initialize(manager, shape, dataType);
            values.muli(maskArray);
            return values;
        };
    }

    /**
     * Returns the live connectivity mask of the dense-masked form, of shape {@code (units,
     * inputFeatures)} and the weight's data type. Read it, but change it only through {@link
     * #setMask(NDArray)}. A compact block has no dense mask: use {@link #denseMask(NDManager)}.
     *
     * @return the mask parameter's array
     * @throws IllegalStateException if the block is not initialized or is compact
     */
    public NDArray getMask() {
        checkInitialized();
        checkDenseMasked("getMask()", "denseMask(manager)");
        return mask.getArray();
    }

    /**
     * Returns a new dense 0/1 mask of the current topology, in either storage form.
     *
     * @param manager where the mask is created
     * @return a mask of shape {@code (units, inputFeatures)} and the weight's data type
     * @throws IllegalStateException if the block is not initialized
     */
    public NDArray denseMask(NDManager manager) {
        checkInitialized();
        if (storage == SparseStorage.COMPACT) {
            return CompactLinks.mask(
                    positions, denseShape(), weight.getArray().getDataType(), manager);
        }
        NDArray copy = mask.getArray().duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * Returns a new dense {@code W⊙M} (0 at inactive positions), in either storage form; it does
     * not record gradients.
     *
     * @param manager where the weight is created
     * @return a weight of shape {@code (units, inputFeatures)}
     * @throws IllegalStateException if the block is not initialized
     */
    public NDArray denseWeight(NDManager manager) {
        checkInitialized();
        NDArray weightArray = weight.getArray();
        if (storage == SparseStorage.DENSE_MASKED) {
            NDArray copy = weightArray.duplicate();
            copy.attach(manager);
            return copy;
        }
        try (NDManager scope = NDManager.subManagerOf(weightArray)) {
            scope.tempAttachAll(weightArray, positions);
            NDArray dense = CompactLinks.dense(weightArray.stopGradient(), positions, denseShape());
            dense.attach(manager);
            return dense;
        }
    }

    /**
     * Returns the slot positions of the compact form: the flat positions {@code row·inputFeatures +
     * column} of the active links, ascending, then {@code units·inputFeatures} for unused slots
     * (see {@link #getWeight()}). Read it; change it only through {@link #setTopology}.
     *
     * @return the live INT64 positions, of the weight parameter's length
     * @throws IllegalStateException if the block is not initialized or is dense-masked
     */
    public NDArray getPositions() {
        checkInitialized();
        if (storage != SparseStorage.COMPACT) {
            throw new IllegalStateException(
                    "getPositions() is for compact storage; this SparseLinear is "
                            + storage
                            + ": use getMask().");
        }
        return positions;
    }

    /**
     * Replaces the connectivity mask, and sets the weights of inactive positions to zero: a link
     * that stays keeps its weight, a removed link's weight becomes 0, and a new link starts at 0
     * (inactive weights are always 0). Works in both storage forms.
     *
     * <p>Call it outside a {@code GradientCollector} (for example from a {@code TrainingListener}):
     * PyTorch forbids in-place changes of trainable arrays while gradients are being recorded.
     *
     * @param newMask an array of shape {@code (units, inputFeatures)} holding only 0 and 1, of a
     *     type in {@link SupportedDataTypes#MASK_TYPES}; it is copied, not kept
     * @throws IllegalArgumentException if the shape, type or values are wrong, or a compact layer
     *     would get more links than its capacity
     * @throws IllegalStateException if the block is not initialized
     */
    public void setMask(NDArray newMask) {
        checkInitialized();
        try (NDManager scope = NDManager.subManagerOf(weight.getArray())) {
            setTopology(newMask, newMask, scope);
        }
    }

    /**
     * Replaces the topology and says how per-link state (an optimizer's moments) must follow: the
     * new mask becomes the layer's; weights of links in {@code carried} are kept, all others
     * (removed links, new links, and links outside {@code carried}, such as links a density decay
     * pruned and regrowth brought back) become 0.
     *
     * <p>Call it outside a {@code GradientCollector}. A compact layer keeps its capacity (its
     * initial link count): the new mask may have fewer links, never more.
     *
     * @param newMask the new 0/1 mask of shape {@code (units, inputFeatures)}; copied, not kept
     * @param carried the links whose weights and state carry over, a subset of {@code newMask} (for
     *     a plain prune and regrow, the new mask itself)
     * @param scope where the returned map's arrays live; close it when the state has been moved
     * @return how to lay out per-link state of the weight parameter for the new topology
     * @throws IllegalArgumentException if the shape, type or values of the mask are wrong, or a
     *     compact layer would get more links than its capacity
     * @throws IllegalStateException if the block is not initialized
     */
    public LinkStateMap setTopology(NDArray newMask, NDArray carried, NDManager scope) {
        checkInitialized();
        Shape shape = denseShape();
        MaskValidation.check(newMask, shape, "The new mask");
        NDArray weightArray = weight.getArray();
        DataType type = weightArray.getDataType();
        // conversions of the caller's arrays belong to the scope; the arrays go back on close
        Scopes.tempAttachDistinct(scope, newMask, carried);
        NDArray carriedLinks = carried.toType(type, false).toDevice(weightArray.getDevice(), false);
        if (storage == SparseStorage.COMPACT) {
            NDArray newPositions =
                    CompactLinks.positions(
                            newMask.toDevice(weightArray.getDevice(), false),
                            weightArray.getShape().get(0),
                            toString());
            newPositions.attach(weightArray.getManager());
            NDArray keep = CompactLinks.keep(carriedLinks, newPositions, type);
            keep.attach(scope);
            NDArray oldPositions = positions;
            oldPositions.attach(scope);
            LinkStateMap map =
                    state -> CompactLinks.move(state, oldPositions, newPositions, keep, shape);
            try (NDArray moved = map.apply(weightArray)) {
                weightArray.set(new NDIndex(":"), moved);
            }
            positions = newPositions;
            return map;
        }
        NDArray maskArray = mask.getArray();
        maskArray.set(
                new NDIndex(":"),
                newMask.toType(maskArray.getDataType(), false)
                        .toDevice(maskArray.getDevice(), false));
        // carried ⊆ mask, so this product also zeroes every weight outside the new mask
        weightArray.muli(carriedLinks);
        return state -> state.mul(carriedLinks);
    }

    /**
     * Makes training forwards give every weight entry its gradient, inactive ones included (off by
     * default). Dynamic sparse training turns it on for the one batch whose dense gradient a
     * regrowth rule needs, so other steps do not pay for it; the forward's value is unchanged.
     *
     * @param denseGradient whether training forwards produce dense weight gradients
     */
    public void setDenseGradient(boolean denseGradient) {
        if (denseGradient && storage == SparseStorage.COMPACT) {
            throw new IllegalStateException(
                    "A compact SparseLinear has no gradient for inactive links; rules that rank"
                            + " them by dense gradient (RigL, MEST, GraNet) need"
                            + " SparseStorage.DENSE_MASKED.");
        }
        this.denseGradient = denseGradient;
    }

    /**
     * Returns whether training forwards produce dense weight gradients.
     *
     * @return the flag
     */
    public boolean isDenseGradient() {
        return denseGradient;
    }

    /**
     * Returns the number of active links, read from the mask (a device synchronisation).
     *
     * @return the number of ones in the mask
     */
    public long getActiveLinks() {
        checkInitialized();
        if (storage == SparseStorage.COMPACT) {
            return CompactLinks.activeCount(positions, denseShape());
        }
        return countOnes(mask.getArray());
    }

    /**
     * Returns the density the mask has now: active links over {@code units · inputFeatures}.
     *
     * @return the current density
     */
    public double getCurrentDensity() {
        return (double) getActiveLinks() / (units * inputFeatures);
    }

    /**
     * Returns the density the block was built with (the initial topology's density).
     *
     * @return the configured density
     */
    public double getDensity() {
        return density;
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
     * Returns the initial topology.
     *
     * @return the topology used to create the first mask
     */
    public InitialTopology getTopology() {
        return topology;
    }

    /**
     * Returns how the sparse weight is held.
     *
     * @return the storage form
     */
    public SparseStorage getStorage() {
        return storage;
    }

    /**
     * Returns the weight parameter: in the dense-masked form {@code W}, of shape {@code (units,
     * inputFeatures)}; in the compact form the vector of slot values, one per entry of {@link
     * #getPositions()} (0 in unused slots).
     *
     * @return the weight
     */
    public Parameter getWeight() {
        return weight;
    }

    /**
     * Returns the mask parameter ({@code M}) of the dense-masked form; it never requires a
     * gradient.
     *
     * @return the mask
     * @throws IllegalStateException if the block is compact (it has no mask parameter)
     */
    public Parameter getMaskParameter() {
        checkDenseMasked("getMaskParameter()", "getPositions()");
        return mask;
    }

    private void checkDenseMasked(String method, String instead) {
        if (storage != SparseStorage.DENSE_MASKED) {
            throw new IllegalStateException(
                    method
                            + " is for dense-masked storage; this SparseLinear is compact: use "
                            + instead
                            + ".");
        }
    }

    /**
     * Returns the bias parameter.
     *
     * @return the bias, or {@code null} when the block has none
     */
    public Parameter getBias() {
        return bias;
    }

    private void checkInitialized() {
        boolean ready =
                storage == SparseStorage.COMPACT
                        ? positions != null && weight.isInitialized()
                        : mask.isInitialized() && weight.isInitialized();
        if (!ready) {
            throw new IllegalStateException(
                    "SparseLinear is not initialized yet: call initialize(...) (or run a training"
                            + " forward) before reading or replacing its mask.");
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(units);
        os.writeLong(inputFeatures);
        os.writeDouble(density);
        os.writeBoolean(bias != null);
        os.writeByte(storage.ordinal());
    }

    /**
     * {@inheritDoc}
     *
     * <p>A compact block writes its slot positions after its parameters, as 32-bit integers when
     * they fit.
     */
    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        super.saveParameters(os);
        if (storage == SparseStorage.COMPACT) {
            boolean narrow = units * inputFeatures < Integer.MAX_VALUE;
            try (NDArray saved =
                    positions.toType(narrow ? DataType.INT32 : DataType.INT64, false)) {
                os.write(saved.encode());
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        super.loadParameters(manager, is);
        if (storage == SparseStorage.COMPACT) {
            NDArray loaded = manager.decode(is);
            NDArray widened = loaded.toType(DataType.INT64, false);
            if (widened != loaded) {
                loaded.close();
            }
            long slots = weight.getArray().getShape().get(0);
            if (widened.getShape().dimension() != 1 || widened.getShape().get(0) != slots) {
                widened.close();
                throw new MalformedModelException(
                        "A compact SparseLinear's positions must match its "
                                + slots
                                + " values, got shape "
                                + widened.getShape()
                                + ".");
            }
            if (positions != null) {
                positions.close();
            }
            positions = widened;
        }
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != 1) { // version 1: dense-masked, before compact storage existed
            BlockMetadata.checkVersion("SparseLinear", loadVersion, VERSION);
        }
        readInputShapes(is);
        long savedUnits = is.readLong();
        inputFeatures = is.readLong();
        is.readDouble(); // the initial density: informative only, the mask itself is loaded
        boolean savedBias = is.readBoolean();
        SparseStorage saved =
                loadVersion == 1 ? SparseStorage.DENSE_MASKED : storageOf(is.readByte());
        BlockMetadata.checkSame(
                "SparseLinear",
                "units=" + savedUnits + ", bias=" + savedBias + ", storage=" + saved,
                "units=" + units + ", bias=" + (bias != null) + ", storage=" + storage);
    }

    private static SparseStorage storageOf(byte ordinal) throws MalformedModelException {
        SparseStorage[] all = SparseStorage.values();
        if (ordinal < 0 || ordinal >= all.length) {
            throw new MalformedModelException("Unknown SparseLinear storage " + ordinal + ".");
        }
        return all[ordinal];
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "SparseLinear(units="
                + units
                + ", inputFeatures="
                + inputFeatures
                + ", density="
                + density
                + ", bias="
                + (bias != null)
                + ", topology="
                + topology
                + ", storage="
                + storage
                + ")";
    }

    /**
     * The options every block with a sparse branch shares, in a self-typed builder so that {@link
     * SparseLowRankLinear.Builder} reuses them (as DJL's {@code ConvolutionBuilder} does).
     *
     * @param <T> the concrete builder type
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {

        long units;
        boolean bias = true;
        double density = DEFAULT_DENSITY;
        InitialTopology topology = ErdosRenyiTopology.get();
        SparseStorage storage = SparseStorage.DENSE_MASKED;

        /**
         * Sets the number of output features (required).
         *
         * @param units the number of output features, at least 1
         * @return this builder
         */
        public T setUnits(long units) {
            this.units = units;
            return self();
        }

        /**
         * Sets whether the sparse branch has a bias (default {@code true}, like {@link Linear}).
         *
         * @param bias whether to add a bias
         * @return this builder
         */
        public T optBias(boolean bias) {
            this.bias = bias;
            return self();
        }

        /**
         * Sets the fraction of links the initial topology creates (default 0.1).
         *
         * @param density the density, in (0, 1]
         * @return this builder
         */
        public T optDensity(double density) {
            this.density = density;
            return self();
        }

        /**
         * Sets how the first mask is created (default: {@link ErdosRenyiTopology}).
         *
         * @param topology the initial topology
         * @return this builder
         */
        public T optTopology(InitialTopology topology) {
            this.topology = topology;
            return self();
        }

        /**
         * Sets how the sparse weight is held (default {@link SparseStorage#DENSE_MASKED}; the
         * method presets choose {@link SparseStorage#COMPACT} wherever their rules allow).
         *
         * @param storage the storage form
         * @return this builder
         */
        public T optStorage(SparseStorage storage) {
            this.storage = storage;
            return self();
        }

        /**
         * Returns this builder as its concrete type.
         *
         * @return this builder
         */
        protected abstract T self();

        /**
         * Checks the sparse options.
         *
         * @param block the block's name, for messages
         * @throws IllegalArgumentException if units were not set or are not positive, the density
         *     is outside (0, 1], or the topology is null
         */
        protected void validate(String block) {
            BlockMetadata.checkUnits(block, units);
            LinkCounts.checkDensity(density);
            if (topology == null) {
                throw new IllegalArgumentException(block + " needs an initial topology, got null.");
            }
            if (storage == null) {
                throw new IllegalArgumentException(
                        block + " needs a storage form (compact or dense-masked), got null.");
            }
        }
    }

    /** The builder of a {@link SparseLinear}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the block.
         *
         * @return a new {@link SparseLinear}
         * @throws IllegalArgumentException if units were not set or are not positive, the density
         *     is outside (0, 1], or the topology is null
         */
        public SparseLinear build() {
            validate("SparseLinear");
            return new SparseLinear(this);
        }
    }
}
