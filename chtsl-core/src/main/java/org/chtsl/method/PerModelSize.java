package org.chtsl.method;

/**
 * A recipe value that its reference sets per model size: one for LLaMA-60M and smaller models, one
 * for LLaMA-130M and larger (hidden size ≥ {@value #LARGE_HIDDEN}), as the reference scripts
 * distinguish only those two sizes.
 *
 * @param upTo60m the value for models with hidden size below {@value #LARGE_HIDDEN}
 * @param from130m the value for models with hidden size {@value #LARGE_HIDDEN} or more
 */
public record PerModelSize(double upTo60m, double from130m) {

    /** LLaMA-130M's hidden size, where the larger models' value begins. */
    public static final long LARGE_HIDDEN = 768;

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if either value is not finite
     */
    public PerModelSize {
        if (!Double.isFinite(upTo60m) || !Double.isFinite(from130m)) {
            throw new IllegalArgumentException(
                    "A per-size value must be finite, got " + upTo60m + " / " + from130m + ".");
        }
    }

    /**
     * Returns a value that is the same at every size.
     *
     * @param value the value
     * @return the per-size value
     */
    public static PerModelSize same(double value) {
        return new PerModelSize(value, value);
    }

    /**
     * Returns the value for a model.
     *
     * @param hiddenSize the model's hidden size
     * @return {@link #from130m()} from hidden size {@value #LARGE_HIDDEN}, else {@link #upTo60m()}
     */
    public double at(long hiddenSize) {
        return hiddenSize >= LARGE_HIDDEN ? from130m : upTo60m;
    }

    /**
     * Returns the value as a report writes it: one number, or {@code "a (≤60M) / b (≥130M)"}.
     *
     * @return the description
     */
    public Object describe() {
        return upTo60m == from130m
                ? (Object) upTo60m
                : upTo60m + " (<=60m) / " + from130m + " (>=130m)";
    }
}
