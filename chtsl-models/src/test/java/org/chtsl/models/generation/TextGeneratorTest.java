package org.chtsl.models.generation;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.LambdaBlock;
import org.testng.annotations.Test;

public class TextGeneratorTest {

    private static final int VOCAB = 6;

    /** A "model" whose next-token logits favour (last token + 1) mod V by a margin of 10. */
    private static LambdaBlock counting() {
        return new LambdaBlock(
                inputs -> {
                    NDArray ids = inputs.head();
                    NDArray next = ids.add(1).toType(DataType.INT64, false).mod(VOCAB);
                    NDArray logits = next.oneHot(VOCAB).toType(DataType.FLOAT32, false).mul(10);
                    return new NDList(logits);
                });
    }

    @Test
    public void greedyFollowsTheLogitsAndStopsAtEos() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TextGenerator generator = new TextGenerator(counting(), 4);
            long[] out =
                    generator.generate(manager, new long[] {0, 1}, GenerationConfig.greedy(10, 5));
            assertEquals(out, new long[] {0, 1, 2, 3, 4, 5});
            long[] capped =
                    generator.generate(manager, new long[] {0}, GenerationConfig.greedy(2, -1));
            assertEquals(capped, new long[] {0, 1, 2});
            expectThrows(
                    IllegalArgumentException.class,
                    () -> generator.generate(manager, new long[0], GenerationConfig.greedy(2, -1)));
        }
    }

    @Test
    public void samplingDrawsFromTheSoftmaxAndTopKRestrictsIt() {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager manager = NDManager.newBaseManager()) {
            // probabilities 0.2 / 0.8 / ~0 at temperature 1
            NDArray logits =
                    manager.create(new float[] {(float) Math.log(0.2), (float) Math.log(0.8), -50});
            GenerationConfig sample = new GenerationConfig(1, 1.0, 0, -1);
            int ones = 0;
            for (int draw = 0; draw < 3000; draw++) {
                ones += TextGenerator.choose(logits, sample) == 1 ? 1 : 0;
            }
            assertEquals(ones / 3000.0, 0.8, 0.025);
            GenerationConfig topOne = new GenerationConfig(1, 1.0, 1, -1);
            for (int draw = 0; draw < 50; draw++) {
                assertEquals(TextGenerator.choose(logits, topOne), 1);
            }
        }
        expectThrows(IllegalArgumentException.class, () -> new GenerationConfig(0, 0, 0, -1));
        expectThrows(IllegalArgumentException.class, () -> new GenerationConfig(1, -1, 0, -1));
    }
}
