package org.chtsl.examples;

import org.chtsl.models.llama.LlamaTrainingDefaults;
import picocli.CommandLine.Option;

/** {@code --eval-tokens}: how much validation text an evaluation reads (a picocli mixin). */
final class EvaluationOptions {

    @Option(
            names = "--eval-tokens",
            paramLabel = "E",
            description =
                    "the most validation tokens of an evaluation (default: TrainLlama: a quarter"
                            + " of the run's training tokens, steps × batch × seq-len, at least "
                            + LlamaTrainingDefaults.MIN_EVAL_TOKENS
                            + " and at most the --model's *; Evaluate: the run's)")
    @Allowed.Whole(min = 1)
    Long tokens;
}
