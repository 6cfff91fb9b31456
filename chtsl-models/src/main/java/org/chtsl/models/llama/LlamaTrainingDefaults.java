package org.chtsl.models.llama;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run settings a LLaMA preset is trained with unless told otherwise: the papers' settings for
 * {@code 60m} and {@code 130m}, scaled down for {@code 20m} and, further, for {@code tiny} (a CPU
 * demo of a few minutes). How a method trains (optimizer, peak learning rate, warm-up share,
 * clipping, ΔT) is its recipe ({@code org.chtsl.method.Recipes}); a preset only scales it for runs
 * far shorter than the papers'.
 *
 * @param model the preset's name, as {@link LlamaConfig#preset(String)} spells it
 * @param steps the optimizer steps of a run
 * @param batch the sequences of one optimizer step
 * @param maxMicroBatch the most sequences of one forward pass (the micro-batch is the largest
 *     divisor of the batch up to this, see {@link #microBatch(int)})
 * @param sequenceLength the tokens of one sequence
 * @param maxLearningRate the largest peak learning rate a run of this preset takes from a recipe,
 *     or 0 for no limit: {@code tiny}'s 30-step warm-up is steadier at 2e-3 than at the papers'
 *     3e-3 (an explicit {@code --lr} is not limited)
 * @param updateInterval ΔT for this preset's short runs, or 0 for the recipe's (100); {@code tiny}
 *     updates every 50 steps so that its 300-step runs see four updates
 * @param evalEvery the steps between evaluations (and checkpoints)
 * @param evalTokens the most validation tokens of one evaluation; a run shorter than the preset's
 *     reads fewer ({@link #evalTokensFor(long)})
 */
public record LlamaTrainingDefaults(
        String model,
        long steps,
        int batch,
        int maxMicroBatch,
        int sequenceLength,
        double maxLearningRate,
        long updateInterval,
        long evalEvery,
        long evalTokens) {

    /** The fewest validation tokens {@link #evalTokensFor(long)} gives: 32 windows of 256. */
    public static final long MIN_EVAL_TOKENS = 8192;

    /**
     * How many training tokens {@link #evalTokensFor(long)} allows one validation token for: an
     * evaluation reads at most a quarter of the tokens the whole run trains on.
     */
    public static final long TRAINING_TOKENS_PER_EVAL_TOKEN = 4;

    private static final List<LlamaTrainingDefaults> ALL =
            List.of(
                    new LlamaTrainingDefaults("tiny", 300, 8, 8, 128, 2e-3, 50, 100, 16_384),
                    new LlamaTrainingDefaults("20m", 2000, 32, 16, 256, 0, 0, 500, 1_000_000),
                    new LlamaTrainingDefaults("60m", 10_000, 512, 16, 256, 0, 0, 500, 1_000_000),
                    new LlamaTrainingDefaults("130m", 20_000, 512, 16, 256, 0, 0, 500, 1_000_000));

    /**
     * Returns the defaults of every preset, smallest first.
     *
     * @return the defaults
     */
    public static List<LlamaTrainingDefaults> all() {
        return ALL;
    }

    /**
     * Returns the presets' names, smallest first.
     *
     * @return {@code tiny}, {@code 20m}, {@code 60m}, {@code 130m}
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        ALL.forEach(defaults -> names.add(defaults.model()));
        return List.copyOf(names);
    }

    /**
     * Returns the defaults of a preset.
     *
     * @param model one of {@link #names()} (case-insensitive)
     * @return its defaults
     * @throws IllegalArgumentException for another name, naming the allowed ones
     */
    public static LlamaTrainingDefaults forModel(String model) {
        String wanted = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
        for (LlamaTrainingDefaults defaults : ALL) {
            if (defaults.model().equals(wanted)) {
                return defaults;
            }
        }
        throw new IllegalArgumentException(
                "Unknown LLaMA preset '"
                        + model
                        + "'; allowed: "
                        + String.join(", ", names())
                        + ".");
    }

    /**
     * Returns the micro-batch of a batch: its largest divisor up to {@link #maxMicroBatch()}, so
     * that every batch can be accumulated from equal micro-batches.
     *
     * @param batch the batch, at least 1
     * @return the micro-batch
     */
    public int microBatch(int batch) {
        return largestDivisor(batch, maxMicroBatch);
    }

    /**
     * Returns the largest divisor of a batch up to a bound.
     *
     * @param batch the batch, at least 1
     * @param most the bound, at least 1
     * @return the divisor
     */
    public static int largestDivisor(int batch, int most) {
        for (int divisor = Math.min(batch, most); divisor > 1; divisor--) {
            if (batch % divisor == 0) {
                return divisor;
            }
        }
        return 1;
    }

    /**
     * Returns the validation tokens of one evaluation of a run that trains on a given number of
     * tokens: {@code min(evalTokens, max(MIN_EVAL_TOKENS, trainingTokens / 4))}. An evaluation is a
     * forward pass only, about a third of a training token's cost, so a quarter of the run's tokens
     * keeps each evaluation under a tenth of the run's work, while the preset's runs, which train
     * on thousands of times more, read the full {@link #evalTokens()}; the floor keeps enough
     * windows (32 of 256) for a loss that is not noise.
     *
     * @param trainingTokens steps × batch × sequence length
     * @return the validation tokens
     */
    public long evalTokensFor(long trainingTokens) {
        return Math.min(
                evalTokens,
                Math.max(MIN_EVAL_TOKENS, trainingTokens / TRAINING_TOKENS_PER_EVAL_TOKEN));
    }

    /**
     * Returns the peak learning rate a run of this preset takes from a recipe.
     *
     * @param recipeRate the recipe's peak rate for the model's size
     * @return {@code min(recipeRate, maxLearningRate)}, or the recipe's without a limit
     */
    public double learningRate(double recipeRate) {
        return maxLearningRate > 0 ? Math.min(recipeRate, maxLearningRate) : recipeRate;
    }
}
