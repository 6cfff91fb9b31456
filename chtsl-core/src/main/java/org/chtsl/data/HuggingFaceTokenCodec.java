package org.chtsl.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link TokenCodec} over DJL's HuggingFace tokenizer, set up for language modelling: no special
 * tokens inside documents and no truncation (the extension otherwise adds {@code <s>} and cuts at
 * 512 tokens).
 */
public final class HuggingFaceTokenCodec implements TokenCodec, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final long eos;
    private final int vocabulary;

    private HuggingFaceTokenCodec(HuggingFaceTokenizer tokenizer, long eos, int vocabulary) {
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.vocabulary = vocabulary;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @param tokenizerJson the file
     * @param eosId the end-of-sequence id (LLaMA: 2)
     * @param vocabularySize the number of ids (LLaMA: 32,000)
     * @return the codec
     * @throws IOException if the file cannot be read
     */
    public static HuggingFaceTokenCodec load(Path tokenizerJson, long eosId, int vocabularySize)
            throws IOException {
        HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(tokenizerJson)
                        .optAddSpecialTokens(false)
                        .optTruncation(false)
                        .build();
        return new HuggingFaceTokenCodec(tokenizer, eosId, vocabularySize);
    }

    /** {@inheritDoc} */
    @Override
    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        return encoding.getIds();
    }

    /**
     * Encodes with the tokenizer's special tokens (LLaMA: a leading {@code <s>}), as the reference
     * encodings are written.
     *
     * @param text the text
     * @return the ids
     */
    public long[] encodeWithSpecialTokens(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    /** {@inheritDoc} */
    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** {@inheritDoc} */
    @Override
    public long eosId() {
        return eos;
    }

    /** {@inheritDoc} */
    @Override
    public int vocabularySize() {
        return vocabulary;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        tokenizer.close();
    }
}
