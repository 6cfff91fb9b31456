package org.chtsl.topology;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.chtsl.util.Scopes;

/**
 * Selection of positions by key, on the device of the keys: the primitive behind every removal and
 * regrowth rule.
 */
public final class LinkSelection {

    /** Keys of zero-score candidates in {@link #sampledKeys}: below every positive score's key. */
    private static final float ZERO_SCORE_KEY = -1e4f;

    /** Smallest uniform draw used for Gumbel noise, so that {@code −log(−log u)} stays finite. */
    private static final float MIN_UNIFORM = 1e-20f;

    private LinkSelection() {}

    /**
     * Selects the {@code count} candidates with the largest keys; ties are broken uniformly at
     * random.
     *
     * <p>Everything above the count-th largest key is taken; among the candidates equal to it, as
     * many as are still needed are drawn uniformly (by float64 noise). When more than half of the
     * candidates are selected, the complement (the smallest keys) is searched instead, which is the
     * cheaper top-k.
     *
     * @param keys the keys, any float type, any shape; finite at candidate positions
     * @param candidates 0/1 or boolean array of the keys' shape: where selection is allowed
     * @param count how many to select, {@code 0 ≤ count ≤ number of candidates}
     * @return a boolean array of the keys' shape, true at exactly {@code count} candidates
     * @throws IllegalArgumentException if there are fewer candidates than {@code count}
     */
    public static NDArray topK(NDArray keys, NDArray candidates, long count) {
        Shape shape = keys.getShape();
        try (NDManager scope = NDManager.subManagerOf(keys)) {
            Scopes.tempAttachDistinct(scope, keys, candidates);
            NDArray allowed = candidates.toType(DataType.BOOLEAN, false).reshape(shape.size());
            long available = allowed.countNonzero().getLong();
            if (count < 0 || count > available) {
                throw new IllegalArgumentException(
                        "Cannot select "
                                + count
                                + " positions among "
                                + available
                                + " candidates; allowed: 0 to "
                                + available
                                + ".");
            }
            NDArray flatKeys = keys.toType(DataType.FLOAT32, false).reshape(shape.size());
            NDArray selected;
            if (count <= available - count) {
                selected = largest(flatKeys, allowed, count);
            } else {
                NDArray smallest = largest(flatKeys.neg(), allowed, available - count);
                selected = allowed.logicalAnd(smallest.logicalNot());
            }
            return scope.ret(selected.reshape(shape));
        }
    }

    /** The {@code count} largest allowed keys (flat), ties at the boundary drawn at random. */
    private static NDArray largest(NDArray keys, NDArray allowed, long count) {
        NDManager manager = keys.getManager();
        if (count == 0) {
            return manager.zeros(keys.getShape(), DataType.BOOLEAN);
        }
        if (keys.isNaN().logicalAnd(allowed).any().getBoolean()) {
            throw new IllegalArgumentException(
                    "Selection keys contain NaN (the weights or scores are not finite; did training"
                            + " diverge? try a lower learning rate).");
        }
        NDArray excluded = manager.full(keys.getShape(), Float.NEGATIVE_INFINITY);
        NDArray ranked = NDArrays.where(allowed, keys, excluded);
        NDArray threshold = ranked.topK(Math.toIntExact(count), 0, true, false).get(0).min();
        NDArray above = ranked.gt(threshold);
        NDArray tied = ranked.eq(threshold).logicalAnd(allowed);
        long needed = count - above.countNonzero().getLong();
        long candidates = tied.countNonzero().getLong();
        if (needed == candidates) {
            return above.logicalOr(tied);
        }
        if (candidates < needed) {
            throw new IllegalStateException(
                    "Cannot select "
                            + count
                            + " positions: only "
                            + (count - needed + candidates)
                            + " have finite keys.");
        }
        NDArray noise = manager.randomUniform(0f, 1f, keys.getShape(), DataType.FLOAT64);
        return above.logicalOr(largest(noise, tied, needed));
    }

    /**
     * Keys whose top-k is a sample without replacement with probability ∝ {@code exp(logWeights)}:
     * {@code logWeights + Gumbel(0, 1)} (Gumbel-top-k). The k largest keys are distributed exactly
     * as k sequential draws, each from the remaining mass renormalised (Plackett–Luce), like {@code
     * torch.multinomial(p, k, replacement=False)}.
     *
     * @param logWeights the log of the unnormalised probabilities (float32)
     * @return float32 keys of the same shape, on its manager
     */
    public static NDArray gumbelKeys(NDArray logWeights) {
        try (NDManager scope = NDManager.subManagerOf(logWeights)) {
            scope.tempAttachAll(logWeights);
            NDArray uniform =
                    scope.randomUniform(0f, 1f, logWeights.getShape(), DataType.FLOAT32)
                            .maximum(MIN_UNIFORM);
            NDArray gumbel = uniform.log().neg().log().neg();
            return scope.ret(logWeights.toType(DataType.FLOAT32, false).add(gumbel));
        }
    }

    /**
     * Keys for sampling ∝ score without replacement, where zero scores can still be needed (spec
     * §12.11): positive scores get Gumbel keys of {@code log(score)}; zero scores get keys below
     * all of those, in random order. So the top-k samples the positive candidates ∝ score and, only
     * if they run out, fills up uniformly at random among the zero-score ones.
     *
     * @param scores non-negative float32 scores
     * @return float32 keys of the same shape, on its manager
     */
    public static NDArray sampledKeys(NDArray scores) {
        try (NDManager scope = NDManager.subManagerOf(scores)) {
            scope.tempAttachAll(scores);
            NDArray positive = scores.gt(0);
            NDArray logScores =
                    NDArrays.where(positive, scores, scope.ones(scores.getShape())).log();
            NDArray positiveKeys = gumbelKeys(logScores);
            NDArray zeroKeys =
                    scope.randomUniform(0f, 1f, scores.getShape(), DataType.FLOAT32)
                            .add(ZERO_SCORE_KEY);
            return scope.ret(NDArrays.where(positive, positiveKeys, zeroKeys));
        }
    }
}
