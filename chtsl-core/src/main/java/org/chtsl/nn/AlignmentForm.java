package org.chtsl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.chtsl.util.Scopes;

/**
 * The form of one projection's alignment term between its sparse branch's output S and its low-rank
 * branch's output L, both {@code [B, T, d]} (or any shape whose first dimension is the batch). The
 * CHTsL paper writes {@code (1/(B·N))·‖S − L‖_F} and leaves N open (spec §11.8); the two readings
 * and a scale-free alternative are offered; an experiment chose the {@link #DEFAULT}.
 */
public enum AlignmentForm {

    /**
     * {@code ‖S − L‖_F / (B·N)} with N the elements of one sample (T·d): the paper's formula with N
     * read as every output element (spec §12.7). Its gradient with respect to S has norm {@code
     * 1/(B·T·d)}, so its weight against a mean task loss shrinks with batch, sequence and width.
     */
    NORM_PER_ELEMENT,

    /**
     * {@code ‖S − L‖_F / (B·T)}: the paper's formula with N read as tokens, as in the test vector
     * of spec §8.6; d times {@link #NORM_PER_ELEMENT}. Gradient norm {@code 1/(B·T)}.
     */
    NORM_PER_TOKEN,

    /**
     * {@code mean((S − L)²)} over every element: scale-free in batch and sequence length, like the
     * mean task loss. Gradient {@code 2(S − L)/(B·T·d)}, norm {@code 2·‖S − L‖_F/(B·T·d)}.
     */
    MEAN_SQUARED;

    /**
     * The default, chosen by experiment ({@code PaperClaims}, README "The papers' claims"). At
     * LLaMA-tiny (400 steps, seeds 1 and 2) every form lowered Q/K OCR and perplexity: {@link
     * #NORM_PER_TOKEN} 266 / 296, {@link #MEAN_SQUARED} 275 / 310, {@link #NORM_PER_ELEMENT} 424 /
     * 368, none 461 / 388. The per-element form's gradient share falls to 3e-3 at LLaMA-60M shapes;
     * the two others stay of order 1. Of those two, only the mean-squared form is the same
     * objective whatever the micro-batch: norms do not add over micro-batches, so a norm form's
     * weight grows by √GA when a batch is accumulated from GA micro-batches (5.7× at 60m's default
     * 512 = 32 × 16), and {@code --micro-batch}, a memory setting, would change the run.
     */
    public static final AlignmentForm DEFAULT = MEAN_SQUARED;

    /** Keeps the gradient of the (not squared) Frobenius norm finite when both branches agree. */
    private static final float NORM_EPSILON = 1e-12f;

    /**
     * Computes the term (λ = 1) for one projection, differentiable in both branches.
     *
     * @param s the sparse branch's output
     * @param l the low-rank branch's output, of the same shape
     * @return a scalar, on the manager of {@code s}
     * @throws IllegalArgumentException if the shapes differ or are empty
     */
    public NDArray term(NDArray s, NDArray l) {
        Shape shape = checkShapes(s, l);
        try (NDManager scope = NDManager.subManagerOf(s)) {
            Scopes.tempAttachDistinct(scope, s, l);
            NDArray meanSquare = s.sub(l).square().mean();
            if (this == MEAN_SQUARED) {
                return scope.ret(meanSquare);
            }
            // ‖D‖_F / size = sqrt(mean(D²)) / sqrt(size); the ε keeps the gradient finite at D = 0
            double divisor = Math.sqrt((double) shape.size());
            if (this == NORM_PER_TOKEN) {
                divisor /= shape.get(shape.dimension() - 1);
            }
            NDArray root = meanSquare.add(NORM_EPSILON).sqrt();
            return scope.ret(root.div(Scalars.like(root, divisor)));
        }
    }

    /**
     * Returns the norm of the term's gradient with respect to S, from its closed form (not by
     * differentiation): what the term adds to the gradient that reaches the sparse branch.
     *
     * @param s the sparse branch's output
     * @param l the low-rank branch's output, of the same shape
     * @return {@code ‖∂term/∂S‖_F} (for the norm forms: the value at S ≠ L)
     */
    public double gradientNorm(NDArray s, NDArray l) {
        Shape shape = checkShapes(s, l);
        double size = shape.size();
        switch (this) {
            case NORM_PER_ELEMENT:
                return 1 / size;
            case NORM_PER_TOKEN:
                return shape.get(shape.dimension() - 1) / size;
            case MEAN_SQUARED:
            default:
                try (NDManager scope = NDManager.subManagerOf(s)) {
                    Scopes.tempAttachDistinct(scope, s, l);
                    double norm =
                            Math.sqrt(
                                    s.stopGradient()
                                            .sub(l.stopGradient())
                                            .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                                            .square()
                                            .sum()
                                            .getDouble());
                    return 2 * norm / size;
                }
        }
    }

    static Shape checkShapes(NDArray s, NDArray l) {
        Shape shape = s.getShape();
        if (!shape.equals(l.getShape()) || shape.dimension() < 1 || shape.size() == 0) {
            throw new IllegalArgumentException(
                    "The branch outputs must have the same non-empty shape [B, ...], got "
                            + shape
                            + " and "
                            + l.getShape()
                            + ".");
        }
        return shape;
    }
}
