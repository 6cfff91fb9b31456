package org.chtsl.examples;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.chtsl.models.generation.GenerationConfig;
import org.chtsl.models.generation.TextGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text from a {@link TrainLlama} run's checkpoint: {@code Generate RUN_DIR PROMPT [MAX_TOKENS
 * [TEMPERATURE [TOP_K]]]} (defaults 50 tokens, greedy).
 */
public final class Generate {

    private static final Logger LOG = LoggerFactory.getLogger(Generate.class);

    private Generate() {}

    /**
     * Generates.
     *
     * @param args the run directory, the prompt, then optional settings
     */
    public static void main(String[] args) {
        try {
            if (args.length < 2) {
                throw new IllegalArgumentException(
                        "Usage: Generate RUN_DIR PROMPT [MAX_TOKENS [TEMPERATURE [TOP_K]]]");
            }
            int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 50;
            double temperature = args.length > 3 ? Double.parseDouble(args[3]) : 0;
            int topK = args.length > 4 ? Integer.parseInt(args[4]) : 0;
            try (TrainedRun run = TrainedRun.open(Path.of(args[0]));
                    NDManager manager = run.model.getNDManager().newSubManager()) {
                long[] prompt = run.data.codec.encode(args[1]);
                GenerationConfig config =
                        new GenerationConfig(maxTokens, temperature, topK, run.data.codec.eosId());
                long[] all =
                        new TextGenerator(run.block, run.options.sequenceLength)
                                .generate(manager, prompt, config);
                LOG.info("{}", run.data.codec.decode(all));
            }
        } catch (IllegalArgumentException | IOException | MalformedModelException e) {
            System.err.println("Generate: " + e.getMessage());
            System.exit(2);
        }
    }
}
