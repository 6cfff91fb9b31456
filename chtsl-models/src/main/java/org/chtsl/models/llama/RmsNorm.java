package org.chtsl.models.llama;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.chtsl.nn.BlockMetadata;

/** Root-mean-square normalisation over the last axis: {@code x / √(mean(x²) + ε) · γ}. */
public class RmsNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float epsilon;
    private final Parameter gain;

    /**
     * Creates the norm.
     *
     * @param epsilon ε &gt; 0 (LLaMA: 1e-6)
     */
    @SuppressWarnings("this-escape")
    public RmsNorm(float epsilon) {
        super(VERSION);
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("RMSNorm ε must be > 0, got " + epsilon + ".");
        }
        this.epsilon = epsilon;
        gain =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.GAMMA)
                                .build());
    }

    /**
     * The normalisation as a function.
     *
     * @param input the input {@code [..., h]}
     * @param gain the gain γ {@code [h]}
     * @param epsilon ε
     * @return the normalised input, same shape
     */
    public static NDArray rmsNorm(NDArray input, NDArray gain, float epsilon) {
        NDArray meanSquare = input.square().mean(new int[] {-1}, true);
        return input.div(meanSquare.add(epsilon).sqrt()).mul(gain);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray gainArray = parameterStore.getValue(gain, input.getDevice(), training);
        return new NDList(rmsNorm(input, gainArray, epsilon));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        gain.setShape(new Shape(inputShapes[0].tail()));
    }

    /**
     * Returns the gain γ.
     *
     * @return the gain parameter
     */
    public Parameter getGain() {
        return gain;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeFloat(epsilon);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        BlockMetadata.checkVersion("RmsNorm", loadVersion, VERSION);
        readInputShapes(is);
        is.readFloat();
    }
}
