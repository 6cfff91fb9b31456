package org.chtsl.examples;

import ai.djl.MalformedModelException;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Perplexity of a {@link TrainLlama} run's checkpoint: {@code Evaluate RUN_DIR [--data PATH]
 * [--eval-tokens N]} (default: the run's validation split).
 */
public final class Evaluate {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluate.class);

    private Evaluate() {}

    /**
     * Evaluates.
     *
     * @param args the run directory, then options
     */
    public static void main(String[] args) {
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException(
                        "Usage: Evaluate RUN_DIR [--data PATH] [--eval-tokens N]");
            }
            try (TrainedRun run =
                            TrainedRun.open(
                                    Path.of(args[0]), Arrays.copyOfRange(args, 1, args.length));
                    Trainer trainer =
                            run.model.newTrainer(
                                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                double loss =
                        Evaluation.loss(
                                trainer,
                                run.data.validation,
                                run.options.evalTokens,
                                run.options.microBatch);
                LOG.info(
                        "step {} checkpoint: validation loss {}, perplexity {}",
                        run.step,
                        String.format("%.4f", loss),
                        String.format("%.2f", Math.exp(loss)));
            }
        } catch (IllegalArgumentException | IOException | MalformedModelException e) {
            System.err.println("Evaluate: " + e.getMessage());
            System.exit(2);
        }
    }
}
