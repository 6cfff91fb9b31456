package org.chtsl.examples.plot;

/**
 * Smoothing of noisy curves (the training loss of every step). A centred moving average: it does
 * not lag behind the raw curve as a trailing average or an exponential one does.
 */
public final class Smoothing {

    private Smoothing() {}

    /**
     * The centred moving average: each value is the mean of the values from {@code window / 2}
     * before it to {@code window / 2} after it; near the ends, of those there are.
     *
     * @param values the values, in order
     * @param window the values averaged (odd, ≥ 1)
     * @return the averages, as many as the values
     * @throws IllegalArgumentException for an even or non-positive window
     */
    public static double[] centredMovingAverage(double[] values, int window) {
        if (window < 1 || window % 2 == 0) {
            throw new IllegalArgumentException(
                    "A centred moving average needs an odd window >= 1, got " + window + ".");
        }
        int half = window / 2;
        double[] prefix = new double[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            prefix[i + 1] = prefix[i] + values[i];
        }
        double[] averages = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int from = Math.max(0, i - half);
            int to = Math.min(values.length, i + half + 1);
            averages[i] = (prefix[to] - prefix[from]) / (to - from);
        }
        return averages;
    }

    /**
     * A window for a curve of n values: about a twentieth of them, odd, at least 1.
     *
     * @param n the values
     * @return the window
     */
    public static int windowFor(int n) {
        int window = Math.max(1, n / 20);
        return window % 2 == 0 ? window + 1 : window;
    }
}
