package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The Cannistraci-Hebb link predictors of a bipartite layer (spec §3): for every inactive position
 * (i, b) of a mask (i an output node, b an input node), how strongly the local community of L3
 * paths {@code i – a – j – b} suggests the link.
 *
 * <p>{@link #l3n} is the node-based matrix form the LLM code uses (four matrix products, on the
 * mask's device); {@link #l3Exact} sums over the paths themselves, in plain Java, to check and
 * measure the approximation on small layers.
 */
public final class ChLinkPredictors {

    /** The most path visits {@link #l3Exact} accepts (a few seconds of Java). */
    public static final long EXACT_PATH_LIMIT = 1_000_000_000L;

    private ChLinkPredictors() {}

    /**
     * The node-based L3 predictor (spec §3.3), {@code S = Ω_o·M + M·Ω_iᵀ} masked to inactive
     * positions, where {@code Ω} weights every pair of same-side nodes by their common neighbours C
     * and external degree E as the variant says. Cost: O(m·n·(m + n)) in four float32 GEMMs, O(m² +
     * n²) memory; counts are exact in float32 for degrees below 2²⁴.
     *
     * @param mask the 0/1 mask, {@code (outputs m, inputs n)}, any numeric or boolean type
     * @param variant the CH weighting
     * @return float32 scores of the mask's shape: the score at inactive positions, 0 at active ones
     * @throws IllegalArgumentException if the mask is not 2-D
     */
    public static NDArray l3n(NDArray mask, ChVariant variant) {
        checkMatrix(mask);
        try (NDManager scope = NDManager.subManagerOf(mask)) {
            scope.tempAttachAll(mask);
            NDArray m = mask.toType(DataType.FLOAT32, false);
            NDArray mt = m.transpose();
            NDArray outputWeights = nodeWeights(m.matMul(mt), m.sum(new int[] {1}), variant);
            NDArray inputWeights = nodeWeights(mt.matMul(m), m.sum(new int[] {0}), variant);
            NDArray scores = outputWeights.matMul(m).add(m.matMul(inputWeights.transpose()));
            return scope.ret(scores.mul(m.neg().add(1)));
        }
    }

    /**
     * Ω of one side: {@code common[x, y]} is the number of neighbours nodes x and y share, {@code
     * degrees[y]} the degree of y; y's external degree seen from seed x is {@code max(d[y] − C[x,
     * y] − 1, 0)} where they share a neighbour, else 0.
     */
    private static NDArray nodeWeights(NDArray common, NDArray degrees, ChVariant variant) {
        NDArray linked = common.neq(0).toType(DataType.FLOAT32, false);
        NDArray external = degrees.reshape(1, -1).sub(common).sub(1).maximum(0).mul(linked);
        NDArray onePlusExternal = external.add(1);
        switch (variant) {
            case CH3:
                return linked.div(onePlusExternal);
            case CH2:
                return common.add(linked).div(onePlusExternal);
            case CH3_1:
                NDArray exponent = external.div(onePlusExternal).add(1);
                return common.add(linked).div(onePlusExternal.pow(exponent));
            default:
                throw new IllegalArgumentException("Unknown CH variant " + variant);
        }
    }

    /**
     * The exact path-based L3 predictor (spec §3.2): for an inactive (i, b), the sum over L3 paths
     * {@code i – a – j – b} of a weight of the two intermediate nodes: CH3 {@code
     * 1/√((1+e_a)(1+e_j))}, CH2 {@code √((1+ι_a)(1+ι_j))/√((1+e_a)(1+e_j))}, CH3.1 {@code
     * 1/√((1/(1+ι_a)+e_a)(1/(1+ι_j)+e_j))}, with ι the internal degree ({@code ι_a = |N(a) ∩
     * N(b)|}, {@code ι_j = |N(i) ∩ N(j)|}) and {@code e = deg − ι − 1} the external degree.
     *
     * <p>Runs in plain Java on a host copy of the mask: O(m² + n²) memory and one visit per path,
     * {@code Σ_i (inactive positions of row i) · Σ_{a ∈ N(i)} deg(a)} ≈ m·n·d̄_out·d̄_in. Layers
     * that would need more than {@value #EXACT_PATH_LIMIT} visits are rejected; use {@link #l3n}
     * for them.
     *
     * @param mask the 0/1 mask, {@code (outputs m, inputs n)}
     * @param variant the CH weighting
     * @return float32 scores of the mask's shape, 0 at active positions, on the mask's manager
     * @throws IllegalArgumentException if the mask is not 2-D or the layer is too large
     */
    public static NDArray l3Exact(NDArray mask, ChVariant variant) {
        Shape shape = checkMatrix(mask);
        BipartiteGraph graph = BipartiteGraph.of(mask);
        long visits = graph.exactPathVisits();
        if (visits > EXACT_PATH_LIMIT) {
            throw new IllegalArgumentException(
                    "Exact L3 scores of this "
                            + shape
                            + " layer would visit "
                            + visits
                            + " paths; the limit is "
                            + EXACT_PATH_LIMIT
                            + ". Use ChLinkPredictors.l3n for layers this large.");
        }
        float[] scores = graph.exactScores(variant);
        return mask.getManager().create(scores, shape);
    }

    /**
     * Returns whether {@link #l3Exact} accepts a mask (its path visits are within {@link
     * #EXACT_PATH_LIMIT}).
     *
     * @param mask the 0/1 mask
     * @return whether the exact scores can be computed
     */
    public static boolean exactIsFeasible(NDArray mask) {
        checkMatrix(mask);
        return BipartiteGraph.of(mask).exactPathVisits() <= EXACT_PATH_LIMIT;
    }

    private static Shape checkMatrix(NDArray mask) {
        Shape shape = mask.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(
                    "CH scores need a 2-D mask (outputs × inputs), got shape " + shape + ".");
        }
        return shape;
    }
}
