package org.chtsl.examples;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParseResult;

/**
 * Perplexity of a {@link TrainLlama} run's checkpoint on the run's validation split (or on other
 * data). The options ({@code --help} lists them) are TrainLlama's, applied to the run: its own
 * validation text, validation budget and micro-batch unless told. The training text is not read
 * where the token cache holds the run's split ({@link ValidationText}).
 */
public final class Evaluate {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluate.class);

    /** Evaluate's command line. */
    @Command(
            name = "Evaluate",
            description =
                    "Validation loss and perplexity of a TrainLlama run's checkpoint (on the run's"
                            + " own data unless told).",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                ProgramRunner.OK_LINE,
                ProgramRunner.FAILED_LINE,
                ProgramRunner.BAD_INPUT_LINE
            })
    static final class Options {
        @Mixin RunFolder run = new RunFolder();
        @Mixin DataOptions data = new DataOptions();
        @Mixin EvaluationOptions evaluation = new EvaluationOptions();
        @Mixin DeviceOption device = new DeviceOption();
    }

    private Evaluate() {}

    /**
     * Evaluates.
     *
     * @param args the run directory, then options
     */
    public static void main(String[] args) {
        ProgramRunner.exit(execute(args, System.out, System.err));
    }

    /**
     * Evaluates, reporting failure as one line without a stack trace.
     *
     * @param args the run directory, then options
     * @param out where {@code --help} and {@code --version} go
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream out, PrintStream errors) {
        Path[] runDirectory = {null};
        return ProgramRunner.run(
                "Evaluate",
                errors,
                () -> traceFile(runDirectory[0]),
                () -> {
                    Options options = new Options();
                    Optional<ParseResult> parsed = CommandLines.parse(options, out, args);
                    if (parsed.isPresent()) {
                        runDirectory[0] = options.run.path;
                        evaluate(runDirectory[0], CommandLines.given(parsed.get()));
                    }
                });
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
            if (run.validation.size() == 0) {
                throw new IllegalArgumentException(
                        "The validation text has no full window of "
                                + run.options.sequenceLength()
                                + " tokens (--seq-len of the run); give --val-data PATH with more"
                                + " text.");
            }
            double loss =
                    Evaluation.loss(
                            trainer,
                            run.validation,
                            run.options.evalTokens(),
                            run.options.microBatch());
            LOG.info(
                    "step {} checkpoint: validation loss {}, perplexity {}",
                    run.step,
                    String.format("%.4f", loss),
                    String.format("%.2f", Math.exp(loss)));
        }
    }
}
