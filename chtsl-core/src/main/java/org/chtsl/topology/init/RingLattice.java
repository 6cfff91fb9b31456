package org.chtsl.topology.init;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.chtsl.topology.LinkSelection;

/**
 * Receptive fields on a ring: each "selector" node links to {@code degree[i]} of {@code targets}
 * nodes placed on a ring, either the closest ones to its centre or a sample that favours close
 * ones. The shared core of {@link BrfTopology} and {@link SmallWorldTopology}.
 */
final class RingLattice {

    private RingLattice() {}

    /**
     * Builds the lattice on the manager's device.
     *
     * @param manager where to create it
     * @param centres the ring position of each selector's centre
     * @param degrees the number of links of each selector (≤ targets)
     * @param targets the number of nodes on the ring
     * @param randomness r in [0, 1]: 0 takes the closest nodes (ties at random), r &gt; 0 samples
     *     without replacement with {@code P(j) ∝ (1 + δ_j)^{−(1 − r)/r}} (r = 1: uniform)
     * @return a boolean {@code (selectors × targets)} array with exactly {@code Σ degrees} links
     */
    static NDArray build(
            NDManager manager, long[] centres, long[] degrees, long targets, double randomness) {
        int selectors = centres.length;
        try (NDManager scope = manager.newSubManager()) {
            NDArray positions = scope.arange(0f, (float) targets).reshape(1, targets);
            float[] centreValues = new float[selectors];
            for (int i = 0; i < selectors; i++) {
                centreValues[i] = centres[i];
            }
            NDArray offset = positions.sub(scope.create(centreValues).reshape(selectors, 1)).abs();
            NDArray distance = NDArrays.minimum(offset, offset.neg().add(targets));
            Shape shape = distance.getShape();
            NDArray keys;
            if (randomness == 0) {
                // distances differ by at least 1, so noise below 1 only orders equal distances
                keys = distance.neg().add(scope.randomUniform(0f, 0.5f, shape, DataType.FLOAT32));
            } else {
                double alpha = (1 - randomness) / randomness;
                keys = LinkSelection.gumbelKeys(distance.add(1).log().mul((float) -alpha));
            }
            NDArray rank = keys.argSort(1, false).argSort(1, true);
            NDArray limit = scope.create(degrees).reshape(selectors, 1);
            return scope.ret(rank.lt(limit));
        }
    }

    /**
     * A random generator seeded from the engine's generator on the manager's device, so that {@code
     * Engine.setRandomSeed} makes host-side draws (degrees) reproducible too.
     *
     * @param manager the manager
     * @return a seeded generator
     */
    static Random seededFrom(NDManager manager) {
        try (NDArray seed =
                manager.randomInteger(0, Integer.MAX_VALUE, new Shape(1), DataType.INT64)) {
            return new Random(seed.getLong());
        }
    }

    /**
     * Spreads {@code links} as evenly as possible over {@code nodes}: every node gets {@code
     * floor(links/nodes)}, and {@code links mod nodes} nodes chosen at random get one more.
     *
     * @param nodes the number of nodes
     * @param links the total number of links
     * @param random the generator
     * @return the degrees, summing to {@code links}
     */
    static long[] evenDegrees(int nodes, long links, Random random) {
        long[] degrees = new long[nodes];
        long base = links / nodes;
        long extra = links % nodes;
        int[] order = shuffledIndices(nodes, random);
        for (int k = 0; k < nodes; k++) {
            degrees[order[k]] = base + (k < extra ? 1 : 0);
        }
        return degrees;
    }

    private static int[] shuffledIndices(int count, Random random) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        return indices;
    }
}
