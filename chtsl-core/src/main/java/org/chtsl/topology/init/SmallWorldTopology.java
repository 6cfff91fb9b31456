package org.chtsl.topology.init;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.LinkSelection;

/**
 * Bipartite small-world (Watts–Strogatz) topology (spec §2.9, the older Transformer CHTs
 * initialisation): every big-side node links to a contiguous window of small-side nodes centred at
 * {@code j·n_s/n_b}, degrees as even as possible; then each link is removed with probability β and
 * as many links are added uniformly at random among the empty positions. The link count is exact.
 */
public final class SmallWorldTopology implements InitialTopology {

    /** The rewiring probability of the reference's Transformer script ({@code --ws_beta}). */
    public static final double DEFAULT_BETA = 0.25;

    private final double beta;

    /** Creates the topology with β = 0.25. */
    public SmallWorldTopology() {
        this(DEFAULT_BETA);
    }

    /**
     * Creates the topology.
     *
     * @param beta the rewiring probability β in [0, 1]
     * @throws IllegalArgumentException if β is outside [0, 1]
     */
    public SmallWorldTopology(double beta) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException(
                    "Small-world rewiring probability β must be in [0, 1], got " + beta + ".");
        }
        this.beta = beta;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray create(NDManager manager, long rows, long columns, double density) {
        long small = Math.min(rows, columns);
        long big = Math.max(rows, columns);
        long links = LinkCounts.targetLinks(density, Math.multiplyExact(rows, columns));
        int bigNodes = Math.toIntExact(big);
        long[] degrees = RingLattice.evenDegrees(bigNodes, links, RingLattice.seededFrom(manager));
        long[] centres = new long[bigNodes];
        for (int j = 0; j < bigNodes; j++) {
            centres[j] = Math.floorDiv(j * small, big);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray lattice = RingLattice.build(scope, centres, degrees, small, 0);
            NDArray oriented = rows == big ? lattice : lattice.transpose();
            NDArray dropped =
                    oriented.logicalAnd(
                            scope.randomUniform(0f, 1f, oriented.getShape(), DataType.FLOAT32)
                                    .lt((float) beta));
            NDArray kept = oriented.logicalAnd(dropped.logicalNot());
            long rewired = LinkCounts.count(dropped);
            NDArray noise = scope.randomUniform(0f, 1f, kept.getShape(), DataType.FLOAT32);
            NDArray added = LinkSelection.topK(noise, kept.logicalNot(), rewired);
            return scope.ret(kept.logicalOr(added));
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "SmallWorldTopology(β=" + beta + ")";
    }
}
