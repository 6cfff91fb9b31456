package org.chtsl.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.chtsl.models.generation.GenerationConfig;
import org.chtsl.models.generation.TextGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Text from a {@link TrainLlama} run's checkpoint. Only the run's own tokenizer (checked against
 * the SHA-256 the run recorded) and model are loaded; no text is read. {@code --help} lists the
 * arguments.
 */
public final class Generate {

    private static final Logger LOG = LoggerFactory.getLogger(Generate.class);

    /** The most tokens one call may add. */
    static final int MAX_NEW_TOKENS = 1_000_000;

    /** Generate's command line. */
    @Command(
            name = "Generate",
            description =
                    "Text from a TrainLlama run's checkpoint: greedy at temperature 0; the same"
                            + " seed gives the same sample. Put -- before a prompt that starts"
                            + " with -.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                ProgramRunner.OK_LINE,
                ProgramRunner.FAILED_LINE,
                ProgramRunner.BAD_INPUT_LINE
            })
    static final class Options implements ProgramOptions {
        @Mixin RunFolder run = new RunFolder();

        @Parameters(index = "1", paramLabel = "PROMPT", description = "the text to continue")
        String prompt;

        @Parameters(
                index = "2",
                arity = "0..1",
                paramLabel = "MAX_TOKENS",
                description =
                        "the most tokens to add (default: ${DEFAULT-VALUE}); generation also"
                                + " stops at the end-of-sequence token")
        @Allowed.Whole(min = 1, max = MAX_NEW_TOKENS)
        int maxTokens = 50;

        @Parameters(
                index = "3",
                arity = "0..1",
                paramLabel = "TEMPERATURE",
                description = "the sampling temperature; 0 (the default) is greedy decoding")
        @Allowed.Real(min = 0, note = "(0: greedy)")
        double temperature;

        @Parameters(
                index = "4",
                arity = "0..1",
                paramLabel = "TOP_K",
                description = "sample from the K most likely tokens; 0 (the default) for all")
        @Allowed.Whole(min = 0)
        int topK;

        @Mixin DeviceOption device = new DeviceOption();

        @Option(
                names = "--seed",
                paramLabel = "N",
                description = "the seed of sampling (default: ${DEFAULT-VALUE})")
        int seed;

        @Spec CommandSpec spec;

        /** {@inheritDoc} */
        @Override
        public void validate() {
            if (prompt.isBlank()) {
                throw new IllegalArgumentException(
                        "PROMPT is empty, got '" + prompt + "'; give the text to continue.");
            }
            if (temperature > 0 && (float) temperature == 0f) {
                throw new IllegalArgumentException(
                        "TEMPERATURE "
                                + CommandLines.text(spec, "TEMPERATURE")
                                + " is too small to divide by in float arithmetic; give 0 for"
                                + " greedy decoding or at least "
                                + Float.MIN_NORMAL
                                + ".");
            }
        }
    }

    private Generate() {}

    /**
     * Generates.
     *
     * @param args the run directory, the prompt, then optional settings
     */
    public static void main(String[] args) {
        ProgramRunner.exit(execute(args, System.out, System.err));
    }

    /**
     * Generates, reporting failure as one line without a stack trace.
     *
     * @param args the run directory, the prompt, then optional settings
     * @param out where {@code --help} and {@code --version} go
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream out, PrintStream errors) {
        Path[] runDirectory = {null};
        return ProgramRunner.run(
                "Generate",
                errors,
                () -> Evaluate.traceFile(runDirectory[0]),
                () -> {
                    Options options = new Options();
                    Optional<ParseResult> parsed = CommandLines.parse(options, out, args);
                    if (parsed.isPresent()) {
                        runDirectory[0] = options.run.path;
                        generate(options, CommandLines.given(parsed.get(), options.device));
                    }
                });
    }

    private static void generate(Options options, String... overrides) throws Exception {
        try (TrainedRun run = TrainedRun.openWithoutData(options.run.path, overrides);
                NDManager manager = run.model.getNDManager().newSubManager()) {
            long[] prompt = run.codec.encode(options.prompt);
            if (prompt.length == 0) {
                throw new IllegalArgumentException(
                        "PROMPT '"
                                + options.prompt
                                + "' has no tokens; give the text to continue.");
            }
            // sampling draws from the engine's generator: the same seed gives the same text
            Engine.getInstance().setRandomSeed(options.seed);
            GenerationConfig config =
                    new GenerationConfig(
                            options.maxTokens,
                            options.temperature,
                            options.topK,
                            run.codec.eosId());
            long[] all =
                    new TextGenerator(run.block, run.options.sequenceLength())
                            .generate(manager, prompt, config);
            LOG.info("{}", run.codec.decode(all));
        }
    }
}
