package org.chtsl.examples;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.chtsl.examples.ProgramArguments.Option;
import org.chtsl.models.generation.GenerationConfig;
import org.chtsl.models.generation.TextGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text from a {@link TrainLlama} run's checkpoint. Only the run's tokenizer and model are loaded,
 * not its corpus.
 *
 * <p>Usage: {@code Generate RUN_DIR PROMPT [MAX_TOKENS [TEMPERATURE [TOP_K]]] [--device cpu|gpu]
 * [--seed N]}
 *
 * <ul>
 *   <li>{@code RUN_DIR}: a TrainLlama {@code --out} folder, holding {@code report.json} and {@code
 *       checkpoint.chtsl};
 *   <li>{@code PROMPT}: the text to continue, not empty (put {@code --} before a prompt that starts
 *       with {@code --});
 *   <li>{@code MAX_TOKENS}: the most tokens to add, a whole number in [1, {@value #MAX_NEW_TOKENS}]
 *       (default 50; generation also stops at the end-of-sequence token);
 *   <li>{@code TEMPERATURE}: a finite number &gt;= 0; 0 (the default) is greedy decoding;
 *   <li>{@code TOP_K}: sample from the K most likely tokens, a whole number &gt;= 0; 0 (the
 *       default) for all;
 *   <li>{@code --device cpu|gpu} (default {@code cpu});
 *   <li>{@code --seed N}, the seed of sampling (default 0): the same seed gives the same text.
 * </ul>
 *
 * <p>Exit status: 0 done, 1 unexpected failure (one line; the trace is appended to the run's {@code
 * train.log}), 2 bad input (one line: an argument, a folder that is not a run's, a corrupt or
 * mismatched checkpoint).
 */
public final class Generate {

    private static final Logger LOG = LoggerFactory.getLogger(Generate.class);

    static final String USAGE =
            "Generate RUN_DIR PROMPT [MAX_TOKENS [TEMPERATURE [TOP_K]]] [--device cpu|gpu] [--seed N]";

    /** The most tokens one call may add. */
    static final int MAX_NEW_TOKENS = 1_000_000;

    private Generate() {}

    /**
     * Generates.
     *
     * @param args the run directory, the prompt, then optional settings
     */
    public static void main(String[] args) {
        int status = execute(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Generates, reporting failure as one line without a stack trace.
     *
     * @param args the run directory, the prompt, then optional settings
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream errors) {
        Path[] runDirectory = {null};
        return ProgramRunner.run(
                "Generate",
                errors,
                () -> Evaluate.traceFile(runDirectory[0]),
                () -> {
                    Settings settings = Settings.parse(args);
                    runDirectory[0] = settings.runDirectory;
                    generate(settings);
                });
    }

    /** The validated command line. */
    static final class Settings {
        final Path runDirectory;
        final String prompt;
        final int maxTokens;
        final double temperature;
        final int topK;
        final long seed;
        final String[] overrides;

        private Settings(ProgramArguments arguments) {
            runDirectory = arguments.path("RUN_DIR", null);
            prompt = arguments.text("PROMPT", "");
            if (prompt.isBlank()) {
                throw new IllegalArgumentException(
                        "PROMPT is empty, got '" + prompt + "'; give the text to continue.");
            }
            maxTokens = (int) arguments.integer("MAX_TOKENS", 50, 1, MAX_NEW_TOKENS);
            temperature =
                    arguments.real(
                            "TEMPERATURE", 0, "a finite number >= 0 (0: greedy)", t -> t >= 0);
            if (temperature > 0 && (float) temperature == 0f) {
                throw new IllegalArgumentException(
                        "TEMPERATURE "
                                + arguments.text("TEMPERATURE", "")
                                + " is too small to divide by in float arithmetic; give 0 for"
                                + " greedy decoding or at least "
                                + Float.MIN_NORMAL
                                + ".");
            }
            topK = (int) arguments.integer("TOP_K", 0, 0, Integer.MAX_VALUE);
            arguments.choice("--device", "cpu", List.of("cpu", "gpu"));
            seed = arguments.integer("--seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            overrides = arguments.flags();
        }

        /** Validates every argument; nothing is read. */
        static Settings parse(String... args) {
            return new Settings(
                    new ProgramArguments(
                                    USAGE,
                                    List.of(
                                            "RUN_DIR",
                                            "PROMPT",
                                            "MAX_TOKENS",
                                            "TEMPERATURE",
                                            "TOP_K"),
                                    2,
                                    Option.of("--device", "cpu|gpu", "cpu or gpu"),
                                    Option.of("--seed", "N", "a whole number (sampling's seed)"))
                            .parse(args));
        }
    }

    private static void generate(Settings settings) throws Exception {
        try (TrainedRun run =
                        TrainedRun.openWithoutData(settings.runDirectory, settings.overrides);
                NDManager manager = run.model.getNDManager().newSubManager()) {
            long[] prompt = run.codec.encode(settings.prompt);
            if (prompt.length == 0) {
                throw new IllegalArgumentException(
                        "PROMPT '"
                                + settings.prompt
                                + "' has no tokens; give the text to continue.");
            }
            // sampling draws from the engine's generator: the same seed gives the same text
            ai.djl.engine.Engine.getInstance().setRandomSeed((int) settings.seed);
            GenerationConfig config =
                    new GenerationConfig(
                            settings.maxTokens,
                            settings.temperature,
                            settings.topK,
                            run.codec.eosId());
            long[] all =
                    new TextGenerator(run.block, run.options.sequenceLength)
                            .generate(manager, prompt, config);
            LOG.info("{}", run.codec.decode(all));
        }
    }
}
