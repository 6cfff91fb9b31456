package org.chtsl.topology;

import ai.djl.ndarray.NDArray;

/** How many links a layer of a given size has at a given density. */
public final class LinkCounts {

    /** Absorbs floating-point error in {@code density · size} (e.g. 0.29 · 100 = 28.999…). */
    private static final double ROUNDING_SLACK = 1e-6;

    private LinkCounts() {}

    /**
     * The number of links a layer of {@code size} positions has at {@code density}: {@code
     * floor(density · size)} (spec §1.5), but at least one so that no layer is created dead.
     *
     * @param density the fraction of active positions, in (0, 1]
     * @param size the number of positions of the layer ({@code rows · columns}), at least 1
     * @return the number of active positions
     * @throws IllegalArgumentException if the density is outside (0, 1] or the size is not positive
     */
    public static long targetLinks(double density, long size) {
        checkDensity(density);
        if (size < 1) {
            throw new IllegalArgumentException(
                    "A layer must have at least one position, got size " + size + ".");
        }
        long links = (long) Math.floor(density * size + ROUNDING_SLACK);
        return Math.max(1, Math.min(size, links));
    }

    /**
     * Checks that a density is a usable fraction of links.
     *
     * @param density the density to check
     * @return the density, for chaining
     * @throws IllegalArgumentException if the density is NaN or outside (0, 1]
     */
    public static double checkDensity(double density) {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException(
                    "Density must be in (0, 1] (the fraction of links kept), got " + density + ".");
        }
        return density;
    }

    /**
     * Counts the links of a mask (a device synchronisation).
     *
     * @param mask a 0/1 or boolean mask
     * @return the number of non-zero entries
     */
    public static long count(NDArray mask) {
        try (NDArray count = mask.countNonzero()) {
            return count.getLong();
        }
    }
}
