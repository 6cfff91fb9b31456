package org.chtsl.topology.init;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.chtsl.topology.LinkCounts;

/**
 * Bipartite receptive field (BRF) topology (spec §2.9, §12.4): the nodes of the layer's smaller
 * side each link to a band of the bigger side's nodes around a centre placed on a ring — a local
 * "receptive field" at randomness r = 0, uniformly random at r = 1.
 *
 * <p>With {@code n_s = min(m, n)} small-side and {@code n_b = max(m, n)} big-side nodes and {@code
 * L} links for the density ({@link LinkCounts#targetLinks}): small node i gets a degree (random
 * {@code 1 + Multinomial} in {@link DegreeMode#UNIFORM}, the reference's default, or as even as
 * possible in {@link DegreeMode#FIXED}), a centre {@code floor(i·n_b/n_s)} (spread evenly over the
 * whole big side, so no big-side node is left without links at r = 0), and links to the closest
 * big-side nodes (r = 0) or a sample with {@code P(j) ∝ (1 + δ_j)^{−(1 − r)/r}} by ring distance δ.
 * {@link Builder#optLegacyIntegerStride} places centres at {@code i·max(1, n_b div n_s)} like the
 * reference, which at r = 0 leaves a band of big-side nodes dead (about 200 of 1376 in LLaMA-60M's
 * up projection at 10% density).
 *
 * <p>Host-side draws (degrees) use a generator seeded from the engine's, so {@code
 * Engine.setRandomSeed} makes the topology reproducible.
 */
public final class BrfTopology implements InitialTopology {

    /** How the small side's degrees are drawn. */
    public enum DegreeMode {
        /** Every node gets one link, the rest are assigned to nodes uniformly at random. */
        UNIFORM,
        /** Degrees as even as possible: {@code floor(L/n_s)} or one more. */
        FIXED
    }

    private final double randomness;
    private final DegreeMode degreeMode;
    private final boolean legacyIntegerStride;

    private BrfTopology(Builder builder) {
        randomness = builder.randomness;
        degreeMode = builder.degreeMode;
        legacyIntegerStride = builder.legacyIntegerStride;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException in {@link DegreeMode#UNIFORM} when there are fewer links
     *     than small-side nodes
     */
    @Override
    public NDArray create(NDManager manager, long rows, long columns, double density) {
        long small = Math.min(rows, columns);
        long big = Math.max(rows, columns);
        long links = LinkCounts.targetLinks(density, Math.multiplyExact(rows, columns));
        int smallNodes = Math.toIntExact(small);
        Random random = RingLattice.seededFrom(manager);
        long[] degrees =
                degreeMode == DegreeMode.FIXED
                        ? RingLattice.evenDegrees(smallNodes, links, random)
                        : uniformDegrees(smallNodes, big, links, random, density);
        long stride = Math.max(1, big / small);
        long[] centres = new long[smallNodes];
        for (int i = 0; i < smallNodes; i++) {
            centres[i] = legacyIntegerStride ? (i * stride) % big : Math.floorDiv(i * big, small);
        }
        NDArray lattice = RingLattice.build(manager, centres, degrees, big, randomness);
        if (columns == big) {
            return lattice;
        }
        NDArray transposed = lattice.transpose();
        lattice.close();
        return transposed;
    }

    private static long[] uniformDegrees(
            int nodes, long capacity, long links, Random random, double density) {
        if (links < nodes) {
            throw new IllegalArgumentException(
                    "BRF with uniform degrees gives each of the "
                            + nodes
                            + " small-side nodes at least one link, but density "
                            + density
                            + " gives only "
                            + links
                            + " links; use DegreeMode.FIXED or a density of at least 1/"
                            + capacity
                            + ".");
        }
        long[] degrees = new long[nodes];
        java.util.Arrays.fill(degrees, 1);
        for (long k = nodes; k < links; k++) {
            int node = random.nextInt(nodes);
            while (degrees[node] >= capacity) {
                node = random.nextInt(nodes);
            }
            degrees[node]++;
        }
        return degrees;
    }

    /**
     * Returns the randomness r.
     *
     * @return r in [0, 1]
     */
    public double getRandomness() {
        return randomness;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "BrfTopology(r="
                + randomness
                + ", degrees="
                + degreeMode
                + (legacyIntegerStride ? ", legacy integer stride" : "")
                + ")";
    }

    /** The builder of a {@link BrfTopology}. */
    public static final class Builder {

        private double randomness;
        private DegreeMode degreeMode = DegreeMode.UNIFORM;
        private boolean legacyIntegerStride;

        Builder() {}

        /**
         * Sets the randomness r (default 0, CHTsL's choice; CHTs alone uses 0.25).
         *
         * @param randomness r in [0, 1]
         * @return this builder
         */
        public Builder optRandomness(double randomness) {
            this.randomness = randomness;
            return this;
        }

        /**
         * Sets how degrees are drawn (default {@link DegreeMode#UNIFORM}, the reference's).
         *
         * @param degreeMode the degree mode
         * @return this builder
         */
        public Builder optDegreeMode(DegreeMode degreeMode) {
            this.degreeMode = degreeMode;
            return this;
        }

        /**
         * Places centres with the reference's integer stride {@code max(1, n_b div n_s)} instead of
         * spreading them over the whole big side (default {@code false}).
         *
         * @param legacyIntegerStride whether to reproduce the reference's centres
         * @return this builder
         */
        public Builder optLegacyIntegerStride(boolean legacyIntegerStride) {
            this.legacyIntegerStride = legacyIntegerStride;
            return this;
        }

        /**
         * Builds the topology.
         *
         * @return the topology
         * @throws IllegalArgumentException if r is outside [0, 1] or the degree mode is null
         */
        public BrfTopology build() {
            if (!(randomness >= 0 && randomness <= 1)) {
                throw new IllegalArgumentException(
                        "BRF randomness r must be in [0, 1], got " + randomness + ".");
            }
            if (degreeMode == null) {
                throw new IllegalArgumentException("BRF needs a degree mode, got null.");
            }
            return new BrfTopology(this);
        }
    }
}
