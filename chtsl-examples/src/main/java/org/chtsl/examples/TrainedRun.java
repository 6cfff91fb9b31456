package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.chtsl.data.HuggingFaceTokenCodec;
import org.chtsl.data.TokenWindowDataset;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.SparseStorage;
import org.chtsl.training.TrainingCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A finished {@link TrainLlama} run reopened: its model with the checkpoint's weights, its own
 * tokenizer (checked against the SHA-256 the run recorded) and (unless opened {@linkplain
 * #openWithoutData without}) its validation text ({@link ValidationText}: never its training text
 * where the token cache holds the split). The run's options are rebuilt from the {@link RunConfig}
 * its report records, through TrainLlama's own command line.
 *
 * <p>A run directory ({@code RUN_DIR}) is a TrainLlama {@code --out} folder holding {@value
 * #REPORT} and {@value #CHECKPOINT}, or a link to one such as {@code runs/latest}; anything else is
 * refused with a one-line message saying what was expected. The checkpoint is verified (its
 * checksum) before any data is loaded.
 */
final class TrainedRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainedRun.class);

    static final String REPORT = "report.json";
    static final String CHECKPOINT = TrainLlama.CHECKPOINT;

    /** How a run's configuration marks a value that is not a path (the default corpus, ...). */
    private static final String NOT_A_PATH = "default:";

    final TrainOptions options;

    /**
     * The run's validation windows, or {@code null} when opened {@linkplain #openWithoutData
     * without} them.
     */
    final TokenWindowDataset validation;

    final HuggingFaceTokenCodec codec;
    final LlamaModel block;
    final Model model;
    final long step;

    private TrainedRun(
            TrainOptions options,
            TokenWindowDataset validation,
            HuggingFaceTokenCodec codec,
            LlamaModel block,
            Model model,
            long step) {
        this.options = options;
        this.validation = validation;
        this.codec = codec;
        this.block = block;
        this.model = model;
        this.step = step;
    }

    /**
     * Reopens a run with its validation text (from the token cache where it can be).
     *
     * @param runDirectory the run's {@code --out} folder
     * @param overrides TrainLlama options that replace the run's, e.g. {@code --data PATH}
     * @return the run
     * @throws IllegalArgumentException if the folder is not a run's, or an option is invalid
     * @throws IOException if a file cannot be read, or the checkpoint is corrupt
     * @throws MalformedModelException if the checkpoint does not fit the run's model
     */
    static TrainedRun open(Path runDirectory, String... overrides)
            throws IOException, MalformedModelException {
        return open(runDirectory, true, overrides);
    }

    /**
     * Reopens a run's model and tokenizer only (for generation): no text is read.
     *
     * @param runDirectory the run's {@code --out} folder
     * @param overrides TrainLlama options that replace the run's, e.g. {@code --device gpu}
     * @return the run, with {@link #validation} {@code null}
     * @throws IllegalArgumentException if the folder is not a run's, or an option is invalid
     * @throws IOException if a file cannot be read, or the checkpoint is corrupt
     * @throws MalformedModelException if the checkpoint does not fit the run's model
     */
    static TrainedRun openWithoutData(Path runDirectory, String... overrides)
            throws IOException, MalformedModelException {
        return open(runDirectory, false, overrides);
    }

    private static TrainedRun open(Path runDirectory, boolean withData, String... overrides)
            throws IOException, MalformedModelException {
        checkRunDirectory(runDirectory, true);
        Path real = runDirectory.toRealPath();
        if (!real.equals(runDirectory.toAbsolutePath().normalize())) {
            LOG.info("RUN_DIR {} is {}", runDirectory, real);
        }
        Path checkpoint = runDirectory.resolve(CHECKPOINT);
        Path report = runDirectory.resolve(REPORT);
        Map<String, String> recorded = RunConfig.describe(reportConfig(report));
        TrainOptions options = options(runDirectory, recorded, overrides);
        Path home = ChtslHome.get();
        ValidationText text = withData ? ValidationText.of(report, recorded, options, home) : null;
        // verified before any text is tokenized, which can take minutes
        Map<String, String> saved = TrainingCheckpoint.readDescription(checkpoint).description();
        checkSameRun(recorded, saved, checkpoint, report);
        Device device = options.device.device();
        HuggingFaceTokenCodec codec = null;
        Model model = null;
        try {
            Path tokenizer = TrainingData.tokenizerFile(options, home);
            codec = TrainingData.tokenizer(tokenizer);
            String tokenizerId = TrainingData.sha256(tokenizer);
            checkTokenizer(recorded.get("tokenizer_identity"), tokenizerId, tokenizer, report);
            TokenWindowDataset validation =
                    text == null
                            ? null
                            : TrainingData.windows(text.load(codec, tokenizerId), options);
            LlamaModel block =
                    TrainLlama.build(
                            options,
                            options.methodPreset(),
                            TrainLlama.llamaConfig(options, codec.vocabularySize()));
            model = Model.newInstance("llama", device);
            model.setBlock(block);
            long step =
                    TrainingCheckpoint.loadModel(checkpoint, block, model.getNDManager()).step();
            return new TrainedRun(options, validation, codec, block, model, step);
        } catch (IOException | MalformedModelException | RuntimeException | Error e) {
            if (model != null) {
                model.close();
            }
            if (codec != null) {
                codec.close();
            }
            throw e;
        }
    }

    /** The tokenizer must be the run's own: the ids of another would mean other tokens. */
    private static void checkTokenizer(String recorded, String found, Path tokenizer, Path report) {
        if (recorded != null && recorded.matches("[0-9a-f]{64}") && !recorded.equals(found)) {
            throw new IllegalArgumentException(
                    tokenizer
                            + " is not the tokenizer the run was trained with: its SHA-256 is "
                            + found
                            + ", "
                            + report
                            + " records tokenizer_identity "
                            + recorded
                            + "; restore the run's tokenizer.json.");
        }
    }

    /**
     * Checks that a folder is a TrainLlama run's.
     *
     * @param runDirectory the folder
     * @param checkpoint whether it must hold a checkpoint too
     * @throws IllegalArgumentException naming {@code RUN_DIR}, the folder and what was expected
     */
    static void checkRunDirectory(Path runDirectory, boolean checkpoint) {
        String expected =
                "; give the --out folder of a TrainLlama run (it holds "
                        + REPORT
                        + (checkpoint ? " and " + CHECKPOINT : "");
        if (!Files.exists(runDirectory)) {
            throw new IllegalArgumentException(
                    "RUN_DIR " + runDirectory + " does not exist" + expected + ").");
        }
        if (!Files.isDirectory(runDirectory)) {
            throw new IllegalArgumentException(
                    "RUN_DIR " + runDirectory + " is a file, not a folder" + expected + ").");
        }
        if (!Files.isRegularFile(runDirectory.resolve(REPORT))) {
            throw new IllegalArgumentException(
                    "RUN_DIR " + runDirectory + " has no " + REPORT + expected + ").");
        }
        if (checkpoint && !Files.isRegularFile(runDirectory.resolve(CHECKPOINT))) {
            throw new IllegalArgumentException(
                    "RUN_DIR "
                            + runDirectory
                            + " has no "
                            + CHECKPOINT
                            + " (TrainLlama writes it at every evaluation; a --dry-run writes"
                            + " none).");
        }
    }

    /**
     * Reads a report.json: a JSON object.
     *
     * @param report the file
     * @return its content
     * @throws IllegalArgumentException naming the file if it is not a JSON object
     * @throws IOException if it cannot be read
     */
    static JsonObject readReport(Path report) throws IOException {
        JsonElement json;
        try {
            json = JsonParser.parseString(Files.readString(report, StandardCharsets.UTF_8));
        } catch (JsonParseException | CharacterCodingException e) {
            throw new IllegalArgumentException(
                    report + " is not a TrainLlama report: it is not valid JSON.");
        }
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException(
                    report + " is not a TrainLlama report: it is not a JSON object.");
        }
        return json.getAsJsonObject();
    }

    private static JsonObject reportConfig(Path report) throws IOException {
        JsonElement config = readReport(report).get("config");
        if (config == null || !config.isJsonObject()) {
            throw new IllegalArgumentException(
                    report + " is not a TrainLlama report: it has no \"config\" object.");
        }
        return config.getAsJsonObject();
    }

    /**
     * The run's options: every TrainLlama option its configuration records (not its device and
     * folder, which may change, nor its text, which {@link ValidationText} finds, nor what the
     * overrides give), then the overrides.
     */
    private static TrainOptions options(
            Path runDirectory, Map<String, String> recorded, String... overrides) {
        Set<String> overridden = new LinkedHashSet<>(Arrays.asList(overrides));
        TrainOptions template = new TrainOptions();
        List<String> args = new ArrayList<>();
        for (OptionSpec option : CommandLines.create(template).getCommandSpec().options()) {
            String flag = option.longestName();
            String key = flag.substring(2).replace('-', '_');
            String value = recorded.get(key);
            if (value == null
                    || RunConfig.NONE.equals(value)
                    || value.startsWith(NOT_A_PATH)
                    || option.arity().max() == 0
                    || RunConfig.mayChange(key)
                    || overridden.contains(flag)
                    || CommandLines.declaredIn(option, template.data)) {
                continue;
            }
            args.add(flag);
            args.add(value);
        }
        if (!recorded.containsKey("storage")
                && recorded.containsKey("sparse_sparsity")
                && !overridden.contains("--storage")) {
            // written before compact storage existed: its sparse branches were dense-masked
            args.add("--storage");
            args.add(SparseStorage.DENSE_MASKED.optionName());
        }
        args.add("--out");
        args.add(runDirectory.toString());
        args.addAll(Arrays.asList(overrides));
        try {
            return TrainOptions.parse(args.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    runDirectory.resolve(REPORT)
                            + " describes a run that cannot be reopened: "
                            + e.getMessage());
        }
    }

    /** The report and the checkpoint must record the same configuration. */
    private static void checkSameRun(
            Map<String, String> recorded, Map<String, String> saved, Path checkpoint, Path report) {
        Set<String> keys = new LinkedHashSet<>(saved.keySet());
        keys.addAll(recorded.keySet());
        for (String key : keys) {
            if (!RunConfig.mayChange(key) && !Objects.equals(saved.get(key), recorded.get(key))) {
                String name = RunConfig.label(key);
                throw new IllegalArgumentException(
                        checkpoint
                                + " was trained with "
                                + name
                                + " "
                                + saved.get(key)
                                + ", but "
                                + report
                                + " says "
                                + name
                                + " "
                                + recorded.get(key)
                                + "; they are not of the same run.");
            }
        }
    }

    @Override
    public void close() {
        model.close();
        codec.close();
    }
}
