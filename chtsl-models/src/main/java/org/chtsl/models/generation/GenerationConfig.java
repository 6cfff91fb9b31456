package org.chtsl.models.generation;

/**
 * How to generate: greedy ({@code temperature = 0}) or sampling from {@code softmax(logits / T)}
 * restricted to the {@code topK} most likely tokens (0: all), stopping after {@code maxNewTokens}
 * or at the end-of-sequence token.
 *
 * @param maxNewTokens the most tokens to add, ≥ 1
 * @param temperature 0 for greedy, else &gt; 0
 * @param topK how many of the most likely tokens to sample from; 0 for all
 * @param eosId the token that ends generation, or −1 for none
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, long eosId) {

    /**
     * Validates the configuration.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException(
                    "maxNewTokens must be >= 1, got " + maxNewTokens + ".");
        }
        if (!(temperature >= 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException(
                    "Temperature must be 0 (greedy) or a finite value > 0, got "
                            + temperature
                            + ".");
        }
        if (topK < 0) {
            throw new IllegalArgumentException(
                    "topK must be >= 0 (0: all tokens), got " + topK + ".");
        }
    }

    /**
     * Greedy decoding.
     *
     * @param maxNewTokens the most tokens to add
     * @param eosId the end-of-sequence token, or −1
     * @return the configuration
     */
    public static GenerationConfig greedy(int maxNewTokens, long eosId) {
        return new GenerationConfig(maxNewTokens, 0, 0, eosId);
    }

    /**
     * Returns whether decoding is greedy.
     *
     * @return {@code true} at temperature 0
     */
    public boolean isGreedy() {
        return temperature == 0;
    }
}
