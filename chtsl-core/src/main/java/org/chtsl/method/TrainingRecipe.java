package org.chtsl.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a method is trained, as data: the optimizer and its weight decay, gradient clipping, the
 * iterative warm-up after topology updates, the topology update interval ΔT, T_end and the density
 * decay's end, and the peak learning rate and warm-up share by model size. Each method's recipe
 * comes from its reference; {@link Recipes} holds them with their sources. Programs use a method's
 * recipe unless a flag overrides a value.
 *
 * @param optimizer the optimizer
 * @param weightDecay the weight decay (decoupled for {@link Optimizer#ADAMW}); 0 for none
 * @param clipNorm the largest global L2 norm of the <em>mean</em> gradient over a step's
 *     micro-batches; 0 for no clipping
 * @param iterativeWarmup the steps of the LR ramp that follows each topology update (0 for none;
 *     methods without topology updates have none)
 * @param updateInterval ΔT, the optimizer steps between topology updates
 * @param endFraction T_end as a share of the run's steps: topology changes up to {@code
 *     floor(endFraction · steps)}
 * @param pruningEndFraction where a density decay ends, as a share of the run's steps; NaN for "at
 *     T_end" (decision §12.5)
 * @param learningRate the peak learning rate, by model size
 * @param warmupShare the global warm-up's share of the run's steps, by model size
 */
public record TrainingRecipe(
        Optimizer optimizer,
        double weightDecay,
        double clipNorm,
        int iterativeWarmup,
        long updateInterval,
        double endFraction,
        double pruningEndFraction,
        PerModelSize learningRate,
        PerModelSize warmupShare) {

    /** The optimizers a recipe may name. */
    public enum Optimizer {
        /** {@code torch.optim.Adam}: weight decay, if any, added to the gradient. */
        ADAM,
        /** {@code torch.optim.AdamW}: decoupled weight decay, on every parameter. */
        ADAMW
    }

    /**
     * Validates the recipe.
     *
     * @throws IllegalArgumentException naming the value out of range and what is allowed
     */
    public TrainingRecipe {
        if (optimizer == null) {
            throw new IllegalArgumentException("A recipe needs an optimizer (ADAM or ADAMW).");
        }
        check(weightDecay >= 0 && weightDecay < 1, "weight decay", weightDecay, "[0, 1)");
        check(clipNorm >= 0 && Double.isFinite(clipNorm), "clip norm", clipNorm, ">= 0 (0: none)");
        check(iterativeWarmup >= 0, "iterative warm-up", iterativeWarmup, ">= 0");
        check(updateInterval >= 1, "update interval", updateInterval, ">= 1");
        check(endFraction > 0 && endFraction <= 1, "T_end share", endFraction, "(0, 1]");
        check(
                Double.isNaN(pruningEndFraction)
                        || (pruningEndFraction > 0 && pruningEndFraction <= 1),
                "pruning end share",
                pruningEndFraction,
                "(0, 1] or NaN (at T_end)");
        if (learningRate == null || warmupShare == null) {
            throw new IllegalArgumentException("A recipe needs a learning rate and warm-up share.");
        }
        check(
                learningRate.upTo60m() > 0 && learningRate.from130m() > 0,
                "learning rate",
                learningRate.upTo60m(),
                "> 0");
        check(
                warmupShare.upTo60m() >= 0
                        && warmupShare.upTo60m() < 1
                        && warmupShare.from130m() >= 0
                        && warmupShare.from130m() < 1,
                "warm-up share",
                warmupShare.upTo60m(),
                "[0, 1)");
    }

    private static void check(boolean ok, String what, double value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "The recipe's " + what + " must be " + allowed + ", got " + value + ".");
        }
    }

    /**
     * Returns whether gradients are clipped.
     *
     * @return {@code clipNorm > 0}
     */
    public boolean clips() {
        return clipNorm > 0;
    }

    /**
     * Returns T_end for a run.
     *
     * @param steps the run's optimizer steps
     * @return {@code floor(endFraction · steps)}
     */
    public long endStep(long steps) {
        return (long) Math.floor(endFraction * steps);
    }

    /**
     * Returns where a density decay ends in a run.
     *
     * @param steps the run's optimizer steps
     * @return {@code floor(pruningEndFraction · steps)}, or -1 for "at T_end"
     */
    public long pruningEnd(long steps) {
        return Double.isNaN(pruningEndFraction)
                ? -1
                : (long) Math.floor(pruningEndFraction * steps);
    }

    /**
     * Returns the recipe as a report writes it.
     *
     * @return field names (snake case) to values, in declaration order
     */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", optimizer.toString().toLowerCase(java.util.Locale.ROOT));
        out.put("weight_decay", weightDecay);
        out.put("clip_norm", clipNorm == 0 ? "none" : clipNorm + " (mean gradient)");
        out.put("iterative_warmup", iterativeWarmup);
        out.put("update_interval", updateInterval);
        out.put("end_fraction", endFraction);
        out.put(
                "pruning_end_fraction",
                Double.isNaN(pruningEndFraction) ? "T_end" : (Object) pruningEndFraction);
        out.put("learning_rate", learningRate.describe());
        out.put("warmup_share", warmupShare.describe());
        return Collections.unmodifiableMap(out);
    }
}
