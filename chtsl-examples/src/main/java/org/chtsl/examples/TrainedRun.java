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
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.chtsl.data.HuggingFaceTokenCodec;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.TrainingCheckpoint;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A finished {@link TrainLlama} run reopened: its model with the checkpoint's weights, its
 * tokenizer and (unless opened {@linkplain #openWithoutData without}) its data. The run's options
 * are rebuilt from the {@link RunConfig} its report records, through TrainLlama's own command line.
 *
 * <p>A run directory ({@code RUN_DIR}) is a TrainLlama {@code --out} folder holding {@value
 * #REPORT} and {@value #CHECKPOINT}; anything else is refused with a one-line message saying what
 * was expected. The checkpoint is verified (its checksum) before any data is loaded.
 */
final class TrainedRun implements AutoCloseable {

    static final String REPORT = "report.json";
    static final String CHECKPOINT = TrainLlama.CHECKPOINT;

    /** How a run's configuration marks a value that is not a path (the default corpus, ...). */
    private static final String NOT_A_PATH = "default:";

    final TrainOptions options;

    /** The run's data, or {@code null} when opened {@linkplain #openWithoutData without} it. */
    final TrainingData data;

    final HuggingFaceTokenCodec codec;
    final LlamaModel block;
    final Model model;
    final long step;

    private TrainedRun(
            TrainOptions options,
            TrainingData data,
            HuggingFaceTokenCodec codec,
            LlamaModel block,
            Model model,
            long step) {
        this.options = options;
        this.data = data;
        this.codec = codec;
        this.block = block;
        this.model = model;
        this.step = step;
    }

    /**
     * Reopens a run with its data (the corpus is read and tokenized, from the cache if it can).
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
     * Reopens a run's model and tokenizer only (for generation): its corpus is not read.
     *
     * @param runDirectory the run's {@code --out} folder
     * @param overrides TrainLlama options that replace the run's, e.g. {@code --device gpu}
     * @return the run, with {@link #data} {@code null}
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
        Path checkpoint = runDirectory.resolve(CHECKPOINT);
        Path report = runDirectory.resolve(REPORT);
        Map<String, String> recorded = RunConfig.describe(reportConfig(report));
        TrainOptions options = options(runDirectory, recorded, withData, overrides);
        // verified before the corpus is tokenized, which can take minutes
        Map<String, String> saved = TrainingCheckpoint.readDescription(checkpoint).description();
        checkSameRun(recorded, saved, checkpoint, report);
        Device device = options.device.device();
        TrainingData data = null;
        HuggingFaceTokenCodec codec = null;
        Model model = null;
        try {
            if (withData) {
                data = TrainingData.load(options, ChtslHome.get());
                codec = data.codec;
            } else {
                codec = TrainingData.tokenizer(options, ChtslHome.get());
            }
            LlamaModel block =
                    TrainLlama.build(
                            options,
                            options.methodPreset(),
                            TrainLlama.llamaConfig(options, codec.vocabularySize()));
            model = Model.newInstance("llama", device);
            model.setBlock(block);
            long step =
                    TrainingCheckpoint.loadModel(checkpoint, block, model.getNDManager()).step();
            return new TrainedRun(options, data, codec, block, model, step);
        } catch (IOException | MalformedModelException | RuntimeException | Error e) {
            if (model != null) {
                model.close();
            }
            if (data != null) {
                data.close();
            } else if (codec != null) {
                codec.close();
            }
            throw e;
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
     * folder, which may change, nor what the overrides give), then the overrides.
     */
    private static TrainOptions options(
            Path runDirectory,
            Map<String, String> recorded,
            boolean withData,
            String... overrides) {
        Set<String> overridden = new LinkedHashSet<>(Arrays.asList(overrides));
        TrainOptions template = new TrainOptions();
        List<String> args = new ArrayList<>();
        for (OptionSpec option : CommandLines.create(template).getCommandSpec().options()) {
            String flag = option.longestName();
            String key = flag.substring(2).replace('-', '_');
            String value = recorded.get(key);
            boolean data = CommandLines.declaredIn(option, template.data);
            if (value == null
                    || RunConfig.NONE.equals(value)
                    || value.startsWith(NOT_A_PATH)
                    || option.arity().max() == 0
                    || RunConfig.mayChange(key)
                    || overridden.contains(flag)
                    || (data && !withData)) {
                continue;
            }
            if (data) {
                checkFound(runDirectory, flag, value);
            }
            args.add(flag);
            args.add(value);
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

    /** Without the run's own text, the validation split would be another corpus's. */
    private static void checkFound(Path runDirectory, String flag, String path) {
        boolean found;
        try {
            found = Files.exists(Path.of(path));
        } catch (InvalidPathException e) {
            found = false;
        }
        if (!found) {
            throw new IllegalArgumentException(
                    runDirectory.resolve(REPORT)
                            + ": the run was trained with "
                            + flag
                            + " "
                            + path
                            + ", which is not found from here; pass "
                            + flag
                            + " PATH.");
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
        if (data != null) {
            data.close();
        } else {
            codec.close();
        }
    }
}
