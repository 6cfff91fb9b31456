package org.chtsl.models.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rotary position embedding (rotate-half convention, as in HuggingFace LLaMA): pairs (x_i, x_{i +
 * d/2}) of a head are rotated by the angle {@code t · base^(−2i/d)} of their position t. The cos
 * and sin tables are computed once per device for the maximum length, and shared by every layer of
 * a model.
 */
public final class RotaryEmbedding {

    private final int headDim;
    private final int maxLength;
    private final double base;
    private final Map<String, NDList> tables = new ConcurrentHashMap<>();

    /**
     * Creates the embedding.
     *
     * @param headDim the head dimension d (even)
     * @param maxLength the longest sequence
     * @param base the base (10,000)
     */
    public RotaryEmbedding(int headDim, int maxLength, double base) {
        if (headDim % 2 != 0 || headDim < 2) {
            throw new IllegalArgumentException(
                    "Rotary embedding needs an even head dimension, got " + headDim + ".");
        }
        this.headDim = headDim;
        this.maxLength = maxLength;
        this.base = base;
    }

    /**
     * Rotates queries or keys.
     *
     * @param x an array {@code [B, heads, T, d]}
     * @return the rotated array, same shape, on x's manager
     * @throws IllegalArgumentException if T exceeds the maximum length
     */
    public NDArray apply(NDArray x) {
        long length = x.getShape().get(2);
        if (length > maxLength) {
            throw new IllegalArgumentException(
                    "Sequence of "
                            + length
                            + " tokens is longer than the rotary table ("
                            + maxLength
                            + "); raise the model's maximum sequence length.");
        }
        NDList table = tablesFor(x.getDevice(), x.getDataType());
        NDIndex rows = new NDIndex("0:{}", length);
        NDArray cos = table.get(0).get(rows);
        NDArray sin = table.get(1).get(rows);
        // the slices belong to the batch, not to the shared tables' manager
        cos.attach(x.getManager());
        sin.attach(x.getManager());
        NDArray first = x.get(new NDIndex("..., :{}", headDim / 2));
        NDArray second = x.get(new NDIndex("..., {}:", headDim / 2));
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    private NDList tablesFor(Device device, DataType type) {
        return tables.computeIfAbsent(device + "/" + type, key -> compute(device, type));
    }

    private NDList compute(Device device, DataType type) {
        float[] cos = new float[maxLength * headDim];
        float[] sin = new float[maxLength * headDim];
        int half = headDim / 2;
        for (int t = 0; t < maxLength; t++) {
            for (int i = 0; i < half; i++) {
                double angle = t * Math.pow(base, -2.0 * i / headDim);
                cos[t * headDim + i] = (float) Math.cos(angle);
                cos[t * headDim + i + half] = (float) Math.cos(angle);
                sin[t * headDim + i] = (float) Math.sin(angle);
                sin[t * headDim + i + half] = (float) Math.sin(angle);
            }
        }
        // Lives as long as the model: a small table per device and type.
        NDManager owner = NDManager.newBaseManager(device);
        Shape shape = new Shape(maxLength, headDim);
        return new NDList(
                owner.create(cos, shape).toType(type, false),
                owner.create(sin, shape).toType(type, false));
    }
}
