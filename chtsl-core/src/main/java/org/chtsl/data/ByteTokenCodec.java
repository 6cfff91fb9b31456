package org.chtsl.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tokenizer-free codec: every UTF-8 byte is a token (ids 0–255) and 256 is EOS. Handy for demos
 * and tests of small models; real runs use the LLaMA tokenizer.
 */
public final class ByteTokenCodec implements TokenCodec {

    /** The end-of-sequence id. */
    public static final long EOS = 256;

    /** {@inheritDoc} */
    @Override
    public long[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    /**
     * {@inheritDoc}
     *
     * <p>EOS and ids outside 0–256 are skipped; invalid UTF-8 sequences become U+FFFD.
     */
    @Override
    public String decode(long[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (long id : ids) {
            if (id >= 0 && id < EOS) {
                bytes.write((int) id);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** {@inheritDoc} */
    @Override
    public long eosId() {
        return EOS;
    }

    /** {@inheritDoc} */
    @Override
    public int vocabularySize() {
        return 257;
    }
}
