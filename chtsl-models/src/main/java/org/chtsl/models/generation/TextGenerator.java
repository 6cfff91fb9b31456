package org.chtsl.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/**
 * Generates tokens one at a time with a block mapping ids {@code [1, T]} to logits {@code [1, T,
 * V]} (such as a LLaMA model). Each step runs the block on the whole context, cropped to the last
 * {@code maxContext} tokens. Sampling uses the Gumbel-max trick ({@code argmax(logits/T + G)},
 * exactly a draw from the softmax) because DJL's PyTorch engine has no multinomial sampling; it
 * draws from the engine's random generator, so {@code Engine.setRandomSeed} makes it repeatable.
 */
public final class TextGenerator {

    private final Block model;
    private final int maxContext;

    /**
     * Creates a generator.
     *
     * @param model the language model
     * @param maxContext the longest context the model accepts (its maximum sequence length)
     */
    public TextGenerator(Block model, int maxContext) {
        if (maxContext < 1) {
            throw new IllegalArgumentException("maxContext must be >= 1, got " + maxContext + ".");
        }
        this.model = model;
        this.maxContext = maxContext;
    }

    /**
     * Continues a prompt.
     *
     * @param manager where to compute (its device is the model's)
     * @param prompt the prompt's token ids, at least one
     * @param config how to generate
     * @return the prompt followed by the new tokens (ending with EOS if it was generated)
     */
    public long[] generate(NDManager manager, long[] prompt, GenerationConfig config) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("Generation needs a prompt of at least one token.");
        }
        long[] tokens = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
        int length = prompt.length;
        ParameterStore parameters = new ParameterStore(manager, false);
        for (int step = 0; step < config.maxNewTokens(); step++) {
            long next;
            try (NDManager scope = manager.newSubManager()) {
                int start = Math.max(0, length - maxContext);
                long[] context = Arrays.copyOfRange(tokens, start, length);
                NDArray ids = scope.create(context, new Shape(1, context.length));
                NDArray logits = model.forward(parameters, new NDList(ids), false).head();
                next = choose(logits.get(new NDIndex("0, -1, :")), config);
            }
            tokens[length++] = next;
            if (next == config.eosId()) {
                break;
            }
        }
        return Arrays.copyOf(tokens, length);
    }

    /**
     * Picks the next token from one position's logits.
     *
     * @param logits the logits {@code [V]}
     * @param config greedy or sampling settings
     * @return the token id
     */
    static long choose(NDArray logits, GenerationConfig config) {
        NDArray scores = logits.toType(DataType.FLOAT32, false);
        if (config.isGreedy()) {
            return scores.argMax().getLong();
        }
        scores = scores.div((float) config.temperature());
        long vocabulary = scores.getShape().get(0);
        if (config.topK() > 0 && config.topK() < vocabulary) {
            NDArray kth = scores.topK(config.topK(), 0, true, false).get(0).min();
            scores = scores.sub(scores.lt(kth).toType(DataType.FLOAT32, false).mul(1e30f));
        }
        NDArray uniform =
                scores.getManager()
                        .randomUniform(0f, 1f, scores.getShape(), DataType.FLOAT32)
                        .maximum(1e-20f);
        NDArray gumbel = uniform.log().neg().log().neg();
        return scores.add(gumbel).argMax().getLong();
    }
}
