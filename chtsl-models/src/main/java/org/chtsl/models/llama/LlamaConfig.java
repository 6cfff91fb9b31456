package org.chtsl.models.llama;

import java.util.Locale;

/**
 * The shape of a LLaMA model. Presets: {@link #tiny()} (tests and CPU demos), {@link #llama20m()}
 * (small-scale fidelity runs), {@link #llama60m()} and {@link #llama130m()} (the papers' models,
 * spec §13).
 */
public final class LlamaConfig {

    private final int hidden;
    private final int layers;
    private final int heads;
    private final int intermediate;
    private final int vocabSize;
    private final int maxSequenceLength;
    private final double ropeBase;
    private final float normEpsilon;
    private final float initStd;

    private LlamaConfig(Builder builder) {
        hidden = builder.hidden;
        layers = builder.layers;
        heads = builder.heads;
        intermediate = builder.intermediate;
        vocabSize = builder.vocabSize;
        maxSequenceLength = builder.maxSequenceLength;
        ropeBase = builder.ropeBase;
        normEpsilon = builder.normEpsilon;
        initStd = builder.initStd;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder with LLaMA's defaults (vocabulary 32,000, sequence 256)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * hidden 128, 2 layers, 4 heads, FFN 344: for tests and CPU demos.
     *
     * @return the builder, to adjust the vocabulary or sequence length
     */
    public static Builder tiny() {
        return builder().setHidden(128).setLayers(2).setHeads(4).setIntermediate(344);
    }

    /**
     * hidden 256, 4 layers, 4 heads, FFN 688: the small-scale fidelity model.
     *
     * @return the builder
     */
    public static Builder llama20m() {
        return builder().setHidden(256).setLayers(4).setHeads(4).setIntermediate(688);
    }

    /**
     * LLaMA-60M: hidden 512, 8 layers, 8 heads, FFN 1376.
     *
     * @return the builder
     */
    public static Builder llama60m() {
        return builder().setHidden(512).setLayers(8).setHeads(8).setIntermediate(1376);
    }

    /**
     * LLaMA-130M: hidden 768, 12 layers, 12 heads, FFN 2048.
     *
     * @return the builder
     */
    public static Builder llama130m() {
        return builder().setHidden(768).setLayers(12).setHeads(12).setIntermediate(2048);
    }

    /**
     * A preset by name.
     *
     * @param name {@code tiny}, {@code 20m}, {@code 60m} or {@code 130m} (case-insensitive)
     * @return the preset's builder
     * @throws IllegalArgumentException for another name
     */
    public static Builder preset(String name) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "tiny":
                return tiny();
            case "20m":
                return llama20m();
            case "60m":
                return llama60m();
            case "130m":
                return llama130m();
            default:
                throw new IllegalArgumentException(
                        "Unknown LLaMA preset '" + name + "'; allowed: tiny, 20m, 60m, 130m.");
        }
    }

    /**
     * Returns the parameters of the seven projections of all layers, dense: {@code layers · (4h² +
     * 3hf)} (25,296,896 for LLaMA-60M, 84,934,656 for LLaMA-130M).
     *
     * @return the dense projection parameters
     */
    public long projectionParameters() {
        return (long) layers * (4L * hidden * hidden + 3L * hidden * intermediate);
    }

    /**
     * Returns the parameters of the token embedding and the untied lm_head, {@code 2·V·h}.
     *
     * @return the embedding parameters
     */
    public long embeddingParameters() {
        return 2L * vocabSize * hidden;
    }

    /**
     * Returns the RMSNorm gains of all layers and the final norm, {@code (2·layers + 1)·h}.
     *
     * @return the norm parameters
     */
    public long normParameters() {
        return (2L * layers + 1) * hidden;
    }

    /**
     * Returns the hidden size h.
     *
     * @return h
     */
    public int getHidden() {
        return hidden;
    }

    /**
     * Returns the number of decoder layers.
     *
     * @return the layers
     */
    public int getLayers() {
        return layers;
    }

    /**
     * Returns the number of attention heads.
     *
     * @return the heads
     */
    public int getHeads() {
        return heads;
    }

    /**
     * Returns the size of one attention head, {@code h / heads}.
     *
     * @return the head dimension
     */
    public int getHeadDim() {
        return hidden / heads;
    }

    /**
     * Returns the feed-forward size f.
     *
     * @return f
     */
    public int getIntermediate() {
        return intermediate;
    }

    /**
     * Returns the vocabulary size V.
     *
     * @return V
     */
    public int getVocabSize() {
        return vocabSize;
    }

    /**
     * Returns the longest sequence the rotary tables cover.
     *
     * @return the maximum sequence length
     */
    public int getMaxSequenceLength() {
        return maxSequenceLength;
    }

    /**
     * Returns the rotary base (10,000).
     *
     * @return the base
     */
    public double getRopeBase() {
        return ropeBase;
    }

    /**
     * Returns the RMSNorm ε (1e-6).
     *
     * @return ε
     */
    public float getNormEpsilon() {
        return normEpsilon;
    }

    /**
     * Returns the standard deviation of the N(0, σ) initialization of dense and sparse weights.
     *
     * @return σ (0.02)
     */
    public float getInitStd() {
        return initStd;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                "LlamaConfig(hidden=%d, layers=%d, heads=%d, intermediate=%d, vocab=%d, seq=%d)",
                hidden, layers, heads, intermediate, vocabSize, maxSequenceLength);
    }

    /** The builder of a {@link LlamaConfig}. */
    public static final class Builder {

        private int hidden;
        private int layers;
        private int heads;
        private int intermediate;
        private int vocabSize = 32000;
        private int maxSequenceLength = 256;
        private double ropeBase = 10000;
        private float normEpsilon = 1e-6f;
        private float initStd = 0.02f;

        Builder() {}

        /**
         * Sets the hidden size (required).
         *
         * @param hidden h ≥ 1, divisible by the heads
         * @return this builder
         */
        public Builder setHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * Sets the number of decoder layers (required).
         *
         * @param layers ≥ 1
         * @return this builder
         */
        public Builder setLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Sets the number of attention heads (required).
         *
         * @param heads ≥ 1, dividing the hidden size into an even head dimension
         * @return this builder
         */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * Sets the feed-forward size (required).
         *
         * @param intermediate f ≥ 1
         * @return this builder
         */
        public Builder setIntermediate(int intermediate) {
            this.intermediate = intermediate;
            return this;
        }

        /**
         * Sets the vocabulary size (default 32,000, the LLaMA tokenizer's).
         *
         * @param vocabSize V ≥ 1
         * @return this builder
         */
        public Builder optVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /**
         * Sets the longest sequence the rotary tables cover (default 256).
         *
         * @param maxSequenceLength ≥ 1
         * @return this builder
         */
        public Builder optMaxSequenceLength(int maxSequenceLength) {
            this.maxSequenceLength = maxSequenceLength;
            return this;
        }

        /**
         * Sets the rotary base (default 10,000).
         *
         * @param ropeBase &gt; 1
         * @return this builder
         */
        public Builder optRopeBase(double ropeBase) {
            this.ropeBase = ropeBase;
            return this;
        }

        /**
         * Sets the RMSNorm ε (default 1e-6).
         *
         * @param normEpsilon &gt; 0
         * @return this builder
         */
        public Builder optNormEpsilon(float normEpsilon) {
            this.normEpsilon = normEpsilon;
            return this;
        }

        /**
         * Sets σ of the N(0, σ) weight initialization (default 0.02).
         *
         * @param initStd &gt; 0
         * @return this builder
         */
        public Builder optInitStd(float initStd) {
            this.initStd = initStd;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a size is not positive, the hidden size is not
         *     divisible by the heads, or the head dimension is odd (rotary embedding pairs halves)
         */
        public LlamaConfig build() {
            positive("hidden", hidden);
            positive("layers", layers);
            positive("heads", heads);
            positive("intermediate", intermediate);
            positive("vocabulary size", vocabSize);
            positive("maximum sequence length", maxSequenceLength);
            if (hidden % heads != 0) {
                throw new IllegalArgumentException(
                        "Hidden size " + hidden + " is not divisible by " + heads + " heads.");
            }
            if ((hidden / heads) % 2 != 0) {
                throw new IllegalArgumentException(
                        "Rotary embedding needs an even head dimension; hidden "
                                + hidden
                                + " / "
                                + heads
                                + " heads = "
                                + hidden / heads
                                + ".");
            }
            if (!(ropeBase > 1) || !(normEpsilon > 0) || !(initStd > 0)) {
                throw new IllegalArgumentException(
                        "Need rope base > 1, norm ε > 0 and init σ > 0, got "
                                + ropeBase
                                + ", "
                                + normEpsilon
                                + ", "
                                + initStd
                                + ".");
            }
            return new LlamaConfig(this);
        }

        private static void positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(
                        "LLaMA " + what + " must be >= 1, got " + value + ".");
            }
        }
    }
}
