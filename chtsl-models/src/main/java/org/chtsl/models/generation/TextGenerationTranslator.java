package org.chtsl.models.generation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import org.chtsl.data.TokenCodec;

/**
 * Lets {@code ZooModel.newPredictor()} turn a prompt into text: the prompt is encoded, continued by
 * a {@link TextGenerator} with the model's block, and the new tokens are decoded.
 *
 * <p>Generation needs one forward pass per new token, so it runs in {@code processInput}; the
 * predictor's own forward pass then only sees the last token.
 */
public class TextGenerationTranslator implements NoBatchifyTranslator<String, String> {

    private static final String GENERATED = "chtsl.generated";

    private final TokenCodec codec;
    private final GenerationConfig config;
    private final int maxContext;

    /**
     * Creates the translator.
     *
     * @param codec the tokenizer
     * @param config how to generate
     * @param maxContext the model's maximum sequence length
     */
    public TextGenerationTranslator(TokenCodec codec, GenerationConfig config, int maxContext) {
        this.codec = codec;
        this.config = config;
        this.maxContext = maxContext;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        long[] promptIds = codec.encode(prompt);
        TextGenerator generator = new TextGenerator(ctx.getModel().getBlock(), maxContext);
        long[] all = generator.generate(ctx.getNDManager(), promptIds, config);
        long[] generated = java.util.Arrays.copyOfRange(all, promptIds.length, all.length);
        ctx.setAttachment(GENERATED, generated);
        long last = all[all.length - 1];
        return new NDList(ctx.getNDManager().create(new long[] {last}, new Shape(1, 1)));
    }

    /** {@inheritDoc} */
    @Override
    public String processOutput(TranslatorContext ctx, NDList list) {
        return codec.decode((long[]) ctx.getAttachment(GENERATED));
    }
}
