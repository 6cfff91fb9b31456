package org.chtsl.data;

/** Turns text into token ids and back, as generation and datasets need it. */
public interface TokenCodec {

    /**
     * Encodes text, without special tokens.
     *
     * @param text the text
     * @return the token ids
     */
    long[] encode(String text);

    /**
     * Decodes token ids.
     *
     * @param ids the token ids
     * @return the text
     */
    String decode(long[] ids);

    /**
     * Returns the end-of-sequence token.
     *
     * @return the EOS id
     */
    long eosId();

    /**
     * Returns the number of token ids (the model's vocabulary must be at least this large).
     *
     * @return the vocabulary size
     */
    int vocabularySize();
}
