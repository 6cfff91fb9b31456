package org.chtsl.examples.plot;

import org.jfree.data.Range;

/**
 * The ranges axes show: the data's with a margin, never empty. A constant series sits in the middle
 * of a range ±10% around it (±0.5 around 0), one point in the middle of the x axis.
 */
public final class AxisRanges {

    /** The share of the data's span added above and below. */
    static final double VALUE_MARGIN = 0.08;

    /** Values spanning less than this share of their size are drawn as constant. */
    static final double FLAT = 1e-3;

    /** The share of the data's span added left and right. */
    static final double POSITION_MARGIN = 0.03;

    private AxisRanges() {}

    /**
     * The range of a value axis.
     *
     * @param min the smallest value (non-finite when there is none)
     * @param max the largest value
     * @return {@code [0, 1]} without values; otherwise the values with a margin
     */
    public static Range values(double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max))) {
            return new Range(0, 1);
        }
        double span = max - min;
        if (span <= FLAT * Math.max(Math.abs(min), Math.abs(max))) {
            double centre = (min + max) / 2;
            double half = centre == 0 ? 0.5 : 0.1 * Math.abs(centre);
            return new Range(centre - half, centre + half);
        }
        return new Range(min - VALUE_MARGIN * span, max + VALUE_MARGIN * span);
    }

    /**
     * The range of a position axis (steps, epochs).
     *
     * @param min the smallest position (non-finite when there is none)
     * @param max the largest position
     * @param whole whether positions are whole numbers: a short range then gets half a unit on each
     *     side, so that its first and last ticks are not on the edges
     * @return {@code [0, 1]} without positions; otherwise the positions with a margin
     */
    public static Range positions(double min, double max, boolean whole) {
        if (!(Double.isFinite(min) && Double.isFinite(max))) {
            return new Range(0, 1);
        }
        double span = max - min;
        if (whole && span <= 10) {
            return new Range(min - 0.5, max + 0.5);
        }
        if (span == 0) {
            double half = min == 0 ? 0.5 : 0.1 * Math.abs(min);
            return new Range(min - half, max + half);
        }
        return new Range(min - POSITION_MARGIN * span, max + POSITION_MARGIN * span);
    }
}
