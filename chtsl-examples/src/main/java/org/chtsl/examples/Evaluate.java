package org.chtsl.examples;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chtsl.examples.ProgramArguments.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Perplexity of a {@link TrainLlama} run's checkpoint on the run's validation split (or on other
 * data).
 *
 * <p>Usage: {@code Evaluate RUN_DIR [--data PATH] [--val-data PATH] [--eval-tokens N] [--device
 * cpu|gpu]}
 *
 * <ul>
 *   <li>{@code RUN_DIR}: a TrainLlama {@code --out} folder, holding {@code report.json} and {@code
 *       checkpoint.chtsl};
 *   <li>{@code --data PATH}: a text file or folder to split as the run did (default: the run's own
 *       data);
 *   <li>{@code --val-data PATH}: a text file or folder to evaluate on whole (default: the run's
 *       own, if it had one);
 *   <li>{@code --eval-tokens N}: at most N validation tokens, a whole number &gt;= 1 (default: the
 *       model's, 16,384 for {@code tiny});
 *   <li>{@code --device cpu|gpu} (default {@code cpu}).
 * </ul>
 *
 * <p>Exit status: 0 done, 1 unexpected failure (one line; the trace is appended to the run's {@code
 * train.log}), 2 bad input (one line: an argument, a folder that is not a run's, a corrupt or
 * mismatched checkpoint).
 */
public final class Evaluate {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluate.class);

    static final String USAGE =
            "Evaluate RUN_DIR [--data PATH] [--val-data PATH] [--eval-tokens N] [--device"
                    + " cpu|gpu]";

    private Evaluate() {}

    /**
     * Evaluates.
     *
     * @param args the run directory, then options
     */
    public static void main(String[] args) {
        int status = execute(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Evaluates, reporting failure as one line without a stack trace.
     *
     * @param args the run directory, then options
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream errors) {
        Path[] runDirectory = {null};
        return ProgramRunner.run(
                "Evaluate",
                errors,
                () -> traceFile(runDirectory[0]),
                () -> {
                    ProgramArguments arguments = parse(args);
                    runDirectory[0] = arguments.path("RUN_DIR", null);
                    evaluate(runDirectory[0], arguments.flags());
                });
    }

    /** Validates every argument; nothing is read but the existence of the paths given. */
    static ProgramArguments parse(String... args) {
        ProgramArguments arguments =
                new ProgramArguments(
                                USAGE,
                                List.of("RUN_DIR"),
                                1,
                                Option.of("--data", "PATH", "a text file or folder"),
                                Option.of("--val-data", "PATH", "a text file or folder"),
                                Option.of("--eval-tokens", "N", "a whole number >= 1"),
                                Option.of("--device", "cpu|gpu", "cpu or gpu"))
                        .parse(args);
        arguments.path("RUN_DIR", null);
        arguments.existing("--data");
        arguments.existing("--val-data");
        arguments.integer("--eval-tokens", 1, 1, Long.MAX_VALUE / 2);
        arguments.choice("--device", "cpu", List.of("cpu", "gpu"));
        return arguments;
    }

    /** The run's {@code train.log}, if the run's folder exists; else a temporary file. */
    static Path traceFile(Path runDirectory) {
        return runDirectory != null && Files.isDirectory(runDirectory)
                ? runDirectory.resolve("train.log")
                : null;
    }

    private static void evaluate(Path runDirectory, String... overrides) throws Exception {
        try (TrainedRun run = TrainedRun.open(runDirectory, overrides);
                Trainer trainer =
                        run.model.newTrainer(
                                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
            if (run.data.validation.size() == 0) {
                throw new IllegalArgumentException(
                        "The validation text has no full window of "
                                + run.options.sequenceLength
                                + " tokens (--seq-len of the run); give --val-data PATH with more"
                                + " text.");
            }
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
    }
}
