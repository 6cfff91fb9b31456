package org.chtsl.models.llama;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Random;
import org.testng.annotations.Test;

/** The token table's lookup and, above all, its gradient: exact sums, the same in every run. */
public class TokenEmbeddingTest {

    private static final int VOCABULARY = 300;
    private static final int SIZE = 128;

    /** Upstream gradients and ids of 4 x 64 tokens drawn from 40 ids: many repeats. */
    private static final long[] IDS = new long[4 * 64];

    private static final float[] UPSTREAM = new float[IDS.length * SIZE];

    static {
        Random random = new Random(5);
        for (int i = 0; i < IDS.length; i++) {
            IDS[i] = random.nextInt(40);
        }
        for (int i = 0; i < UPSTREAM.length; i++) {
            UPSTREAM[i] = (float) random.nextGaussian();
        }
    }

    private static float[] gradient(NDManager manager) {
        TokenEmbedding embedding = new TokenEmbedding(VOCABULARY, SIZE);
        embedding.setInitializer(
                (m, shape, type) -> m.arange(0f, shape.size()).reshape(shape).div(1000f),
                ai.djl.nn.Parameter.Type.WEIGHT);
        embedding.initialize(manager, DataType.FLOAT32, new Shape(4, 64));
        NDArray ids = manager.create(IDS, new Shape(4, 64));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out =
                    embedding
                            .forward(new ParameterStore(manager, false), new NDList(ids), true)
                            .head();
            assertEquals(out.getShape(), new Shape(4, 64, SIZE));
            float[] rows = out.toFloatArray();
            for (int t = 0; t < IDS.length; t += 37) {
                assertEquals(rows[t * SIZE + 5], (IDS[t] * SIZE + 5) / 1000f, 1e-6f);
            }
            collector.backward(out.mul(manager.create(UPSTREAM, out.getShape())).sum());
        }
        return embedding.getTable().getArray().getGradient().toFloatArray();
    }

    @Test
    public void theGradientSumsEveryOccurrenceAndIsTheSameEveryTime() {
        double[] expected = new double[VOCABULARY * SIZE];
        for (int t = 0; t < IDS.length; t++) {
            for (int j = 0; j < SIZE; j++) {
                expected[(int) IDS[t] * SIZE + j] += UPSTREAM[t * SIZE + j];
            }
        }
        float[] first = null;
        for (int run = 0; run < 10; run++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] gradient = gradient(manager);
                if (first == null) {
                    first = gradient;
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(gradient[i], expected[i], 1e-4, "entry " + i);
                    }
                } else {
                    // DJL's IdEmbedding (gatherNd) differs here in most runs with 2 threads
                    assertTrue(Arrays.equals(gradient, first), "run " + run + " differs");
                }
            }
        }
    }
}
