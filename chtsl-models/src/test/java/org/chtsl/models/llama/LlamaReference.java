package org.chtsl.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.nn.SparseLinear;

/**
 * LLaMA written again in plain Java double precision from the spec (§5.1), reading the weights of a
 * {@link LlamaModel}: the independent expectation of the model tests.
 */
final class LlamaReference {

    private final LlamaConfig config;
    private final double[][] embedding;
    private final List<double[][][]> projections = new ArrayList<>(); // per layer: q k v o g u d
    private final List<double[][]> gains = new ArrayList<>(); // per layer: input, post-attention
    private final double[] finalGain;
    private final double[][] lmHead;

    LlamaReference(LlamaModel model) {
        config = model.getConfig();
        embedding = matrix(model.getEmbedding().getParameters().get("embedding").getArray());
        String[] names = {
            "self_attn.q_proj",
            "self_attn.k_proj",
            "self_attn.v_proj",
            "self_attn.o_proj",
            "mlp.gate_proj",
            "mlp.up_proj",
            "mlp.down_proj"
        };
        for (int i = 0; i < config.getLayers(); i++) {
            double[][][] weights = new double[names.length][][];
            for (int p = 0; p < names.length; p++) {
                weights[p] =
                        effectiveWeight(model.getProjections().get("layers." + i + "." + names[p]));
            }
            projections.add(weights);
            LlamaDecoderLayer layer = model.getLayers().get(i);
            gains.add(
                    new double[][] {
                        vector(layer.getInputNorm().getGain().getArray()),
                        vector(layer.getPostAttentionNorm().getGain().getArray())
                    });
        }
        finalGain = vector(model.getNorm().getGain().getArray());
        lmHead = matrix(model.getLmHead().getParameters().get("weight").getArray());
    }

    static double[][] effectiveWeight(Block projection) {
        if (projection instanceof SparseLinear) {
            SparseLinear sparse = (SparseLinear) projection;
            return matrix(sparse.denseWeight(sparse.getWeight().getArray().getManager()));
        }
        if (projection instanceof Linear) {
            return matrix(projection.getParameters().get("weight").getArray());
        }
        throw new IllegalArgumentException("The reference handles dense and sparse projections.");
    }

    static double[][] matrix(NDArray array) {
        int rows = Math.toIntExact(array.getShape().get(0));
        int cols = Math.toIntExact(array.getShape().get(1));
        double[] flat = array.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, m[i], 0, cols);
        }
        return m;
    }

    static double[] vector(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** Logits {@code [T][V]} of one sequence. */
    double[][] logits(int[] tokens) {
        int length = tokens.length;
        double[][] x = new double[length][];
        for (int t = 0; t < length; t++) {
            x[t] = embedding[tokens[t]].clone();
        }
        for (int i = 0; i < config.getLayers(); i++) {
            double[][][] w = projections.get(i);
            double[][] normed = rmsNorm(x, gains.get(i)[0]);
            double[][] attended =
                    linear(
                            attention(
                                    linear(normed, w[0]),
                                    linear(normed, w[1]),
                                    linear(normed, w[2])),
                            w[3]);
            x = add(x, attended);
            double[][] normed2 = rmsNorm(x, gains.get(i)[1]);
            double[][] gate = linear(normed2, w[4]);
            double[][] up = linear(normed2, w[5]);
            double[][] hidden = new double[length][gate[0].length];
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < gate[t].length; j++) {
                    double g = gate[t][j];
                    hidden[t][j] = g / (1 + Math.exp(-g)) * up[t][j];
                }
            }
            x = add(x, linear(hidden, w[6]));
        }
        return linear(rmsNorm(x, finalGain), lmHead);
    }

    private double[][] attention(double[][] q, double[][] k, double[][] v) {
        int length = q.length;
        int heads = config.getHeads();
        int d = config.getHeadDim();
        double[][] out = new double[length][config.getHidden()];
        for (int h = 0; h < heads; h++) {
            double[][] qh = new double[length][];
            double[][] kh = new double[length][];
            for (int t = 0; t < length; t++) {
                qh[t] = rotate(slice(q[t], h * d, d), t);
                kh[t] = rotate(slice(k[t], h * d, d), t);
            }
            for (int t = 0; t < length; t++) {
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += qh[t][j] * kh[s][j];
                    }
                    scores[s] = dot / Math.sqrt(d);
                    max = Math.max(max, scores[s]);
                }
                double total = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    total += scores[s];
                }
                for (int s = 0; s <= t; s++) {
                    for (int j = 0; j < d; j++) {
                        out[t][h * d + j] += scores[s] / total * v[s][h * d + j];
                    }
                }
            }
        }
        return out;
    }

    private double[] rotate(double[] x, int position) {
        int d = x.length;
        int half = d / 2;
        double[] out = new double[d];
        for (int i = 0; i < half; i++) {
            double angle = position * Math.pow(config.getRopeBase(), -2.0 * i / d);
            out[i] = x[i] * Math.cos(angle) - x[i + half] * Math.sin(angle);
            out[i + half] = x[i + half] * Math.cos(angle) + x[i] * Math.sin(angle);
        }
        return out;
    }

    private double[][] rmsNorm(double[][] x, double[] gain) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double square = 0;
            for (double v : x[t]) {
                square += v * v;
            }
            double scale = 1 / Math.sqrt(square / x[t].length + config.getNormEpsilon());
            out[t] = new double[x[t].length];
            for (int j = 0; j < x[t].length; j++) {
                out[t][j] = x[t][j] * scale * gain[j];
            }
        }
        return out;
    }

    static double[][] linear(double[][] x, double[][] weight) {
        double[][] y = new double[x.length][weight.length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < weight.length; o++) {
                double sum = 0;
                for (int i = 0; i < x[t].length; i++) {
                    sum += x[t][i] * weight[o][i];
                }
                y[t][o] = sum;
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] sum = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int j = 0; j < a[t].length; j++) {
                sum[t][j] = a[t][j] + b[t][j];
            }
        }
        return sum;
    }

    private static double[] slice(double[] x, int from, int length) {
        double[] part = new double[length];
        System.arraycopy(x, from, part, 0, length);
        return part;
    }
}
