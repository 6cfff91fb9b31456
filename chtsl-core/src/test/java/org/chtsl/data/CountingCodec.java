package org.chtsl.data;

/** Byte tokens that count how many texts they encoded, to tell a cache hit from tokenizing. */
final class CountingCodec implements TokenCodec {

    private static final ByteTokenCodec BYTES = new ByteTokenCodec();

    int calls;

    @Override
    public long[] encode(String text) {
        calls++;
        return BYTES.encode(text);
    }

    @Override
    public String decode(long[] ids) {
        return BYTES.decode(ids);
    }

    @Override
    public long eosId() {
        return BYTES.eosId();
    }

    @Override
    public int vocabularySize() {
        return BYTES.vocabularySize();
    }
}
