package org.chtsl.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.util.Arrays;

/**
 * Language-modelling windows over a token stream, as a DJL {@link RandomAccessDataset}: window i
 * has inputs {@code s[iT, (i+1)T)} and labels {@code s[iT+1, (i+1)T+1)} (shape {@code [T, 1]}, what
 * DJL's softmax cross-entropy expects), for {@code floor((|s| − 1)/T)} windows.
 */
public class TokenWindowDataset extends RandomAccessDataset {

    private final int[] tokens;
    private final int length;

    /**
     * Creates the dataset from its builder.
     *
     * @param builder the builder
     */
    protected TokenWindowDataset(Builder builder) {
        super(builder);
        tokens = builder.tokens;
        length = builder.length;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public Record get(NDManager manager, long index) {
        int start = Math.toIntExact(index * length);
        long[] inputs = new long[length];
        long[] labels = new long[length];
        for (int k = 0; k < length; k++) {
            inputs[k] = tokens[start + k];
            labels[k] = tokens[start + k + 1];
        }
        NDArray data = manager.create(inputs, new Shape(length));
        NDArray next = manager.create(labels, new Shape(length, 1));
        return new Record(new NDList(data), new NDList(next));
    }

    /** {@inheritDoc} */
    @Override
    protected long availableSize() {
        return Math.max(0, (tokens.length - 1) / length);
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(Progress progress) {
        // the tokens are in memory already
    }

    /**
     * Returns the window length T.
     *
     * @return T
     */
    public int getSequenceLength() {
        return length;
    }

    /**
     * Returns the number of tokens the windows cover as inputs.
     *
     * @return windows × T
     */
    public long tokensCovered() {
        return availableSize() * length;
    }

    /** The builder of a {@link TokenWindowDataset}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private int[] tokens;
        private int length = 256;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the token stream (required).
         *
         * @param tokens the tokens, e.g. {@link TokenizedCorpus#getTokens()}
         * @return this builder
         */
        public Builder setTokens(int[] tokens) {
            this.tokens = tokens == null ? null : Arrays.copyOf(tokens, tokens.length);
            return this;
        }

        /**
         * Sets the window length T (default 256).
         *
         * @param length T ≥ 1
         * @return this builder
         */
        public Builder optSequenceLength(int length) {
            this.length = length;
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the dataset
         * @throws IllegalArgumentException if there are no tokens, T is not positive, or the stream
         *     is too short for one window
         */
        public TokenWindowDataset build() {
            if (tokens == null || length < 1) {
                throw new IllegalArgumentException(
                        "Token windows need setTokens(...) and a sequence length >= 1.");
            }
            if (tokens.length < length + 1) {
                throw new IllegalArgumentException(
                        "The token stream has "
                                + tokens.length
                                + " tokens, fewer than one window of "
                                + length
                                + " plus its next-token label.");
            }
            return new TokenWindowDataset(this);
        }
    }
}
