package org.chtsl.examples.plot;

import java.awt.Color;
import java.util.Arrays;
import java.util.Map;

/**
 * One named curve of a chart: its points (non-finite values are left out when drawn), how it is
 * drawn and, optionally, its colour (otherwise the figure's {@link Palette} chooses by name).
 *
 * @param name the legend's label
 * @param x the points' x values
 * @param y the points' y values, as many
 * @param look how it is drawn
 * @param color its colour, or {@code null} for the palette's
 */
public record Series(String name, double[] x, double[] y, Look look, Color color) {

    /** How a series is drawn. */
    public enum Look {
        /**
         * A line, with a marker at each point where there are few ({@link ChartStyle#FEW_POINTS}).
         */
        LINE,
        /** A thin, light line without markers: raw values under a smoothed curve. */
        FAINT_LINE,
        /** Markers only. */
        POINTS
    }

    /**
     * Checks and copies the points.
     *
     * @throws IllegalArgumentException if x and y differ in length
     */
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "Series '" + name + "' has " + x.length + " x and " + y.length + " y values.");
        }
        x = x.clone();
        y = y.clone();
    }

    /**
     * A series in the palette's colour.
     *
     * @param name the legend's label
     * @param look how it is drawn
     * @param x the x values
     * @param y the y values
     * @return the series
     */
    public static Series of(String name, Look look, double[] x, double[] y) {
        return new Series(name, x, y, look, null);
    }

    /**
     * A series from x → y, in the map's order.
     *
     * @param name the legend's label
     * @param look how it is drawn
     * @param points the points
     * @return the series
     */
    public static Series of(
            String name, Look look, Map<? extends Number, ? extends Number> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        int i = 0;
        for (Map.Entry<? extends Number, ? extends Number> point : points.entrySet()) {
            x[i] = point.getKey().doubleValue();
            y[i++] = point.getValue().doubleValue();
        }
        return of(name, look, x, y);
    }

    /**
     * The same series in another colour.
     *
     * @param newColor the colour
     * @return the series
     */
    public Series withColor(Color newColor) {
        return new Series(name, x, y, look, newColor);
    }

    /**
     * Returns the x values.
     *
     * @return a copy
     */
    @Override
    public double[] x() {
        return x.clone();
    }

    /**
     * Returns the y values.
     *
     * @return a copy
     */
    @Override
    public double[] y() {
        return y.clone();
    }

    /**
     * Counts the points that are drawn: those with finite coordinates.
     *
     * @return the count
     */
    public int finitePoints() {
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether the point at an index is drawn.
     *
     * @param i the index
     * @return whether both coordinates are finite
     */
    boolean isFinite(int i) {
        return Double.isFinite(x[i]) && Double.isFinite(y[i]);
    }

    /**
     * Whether markers are drawn at the points.
     *
     * @return for points, always; for a line, when it has few points
     */
    boolean hasMarkers() {
        return look == Look.POINTS
                || (look == Look.LINE && finitePoints() <= ChartStyle.FEW_POINTS);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Series s
                && name.equals(s.name)
                && Arrays.equals(x, s.x)
                && Arrays.equals(y, s.y)
                && look == s.look
                && java.util.Objects.equals(color, s.color);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, Arrays.hashCode(x), Arrays.hashCode(y), look, color);
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + x.length + " points, " + look + "]";
    }
}
