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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.chtsl.data.HuggingFaceTokenCodec;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.TrainingCheckpoint;

/**
 * A finished {@link TrainLlama} run reopened: its model with the checkpoint's weights, its
 * tokenizer and (unless opened {@linkplain #openWithoutData without}) its data.
 *
 * <p>A run directory ({@code RUN_DIR}) is a TrainLlama {@code --out} folder holding {@value
 * #REPORT} and {@value #CHECKPOINT}; anything else is refused with a one-line message saying what
 * was expected. The checkpoint is verified (its checksum) before any data is loaded.
 */
final class TrainedRun implements AutoCloseable {

    static final String REPORT = "report.json";
    static final String CHECKPOINT = "checkpoint.chtsl";

    /** The options that define the model: a checkpoint must have been written with the same. */
    private static final List<String> ARCHITECTURE =
            List.of(
                    "model",
                    "method",
                    "sparsity",
                    "sparse_sparsity",
                    "rank",
                    "conn_ratio",
                    "seq_len");

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
        JsonObject recorded = reportConfig(runDirectory.resolve(REPORT));
        List<String> all = new ArrayList<>();
        if (withData) {
            all.addAll(runData(runDirectory, recorded, overrides));
        }
        all.addAll(Arrays.asList(overrides));
        TrainOptions options = options(runDirectory, all.toArray(new String[0]));
        // verified before the corpus is tokenized, which can take minutes
        Map<String, String> saved = TrainingCheckpoint.readDescription(checkpoint).description();
        checkSameModel(options, saved, checkpoint, runDirectory.resolve(REPORT));
        Device device = TrainLlama.device(options.device);
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
            LlamaConfig config =
                    LlamaConfig.preset(options.model)
                            .optMaxSequenceLength(options.sequenceLength)
                            .optVocabSize(codec.vocabularySize())
                            .build();
            LlamaModel block = TrainLlama.build(options, Methods.forName(options.method), config);
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

    /** The run's options as its report records them, then the overrides. */
    private static TrainOptions options(Path runDirectory, String... overrides) throws IOException {
        Path report = runDirectory.resolve(REPORT);
        try {
            TrainOptions.fromRun(runDirectory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    report + " describes a run that cannot be reopened: " + e.getMessage());
        } catch (JsonParseException
                | IllegalStateException
                | UnsupportedOperationException
                | ClassCastException e) {
            throw new IllegalArgumentException(
                    report
                            + " is not a TrainLlama report: its config is malformed ("
                            + ProgramRunner.oneLine(e)
                            + ").");
        }
        return TrainOptions.fromRun(runDirectory, overrides);
    }

    /**
     * The run's own {@code --data} and {@code --val-data}, unless overridden: without them the
     * validation split would be another corpus's.
     */
    private static List<String> runData(Path runDirectory, JsonObject config, String... overrides) {
        List<String> given = Arrays.asList(overrides);
        List<String> data = new ArrayList<>();
        for (String[] key : new String[][] {{"data", "--data"}, {"val_data", "--val-data"}}) {
            JsonElement value = config.get(key[0]);
            if (given.contains(key[1])
                    || value == null
                    || !value.isJsonPrimitive()
                    || value.getAsString().startsWith("default:")) {
                continue;
            }
            String path = value.getAsString();
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
                                + key[1]
                                + " "
                                + path
                                + ", which is not found from here; pass "
                                + key[1]
                                + " PATH.");
            }
            data.add(key[1]);
            data.add(path);
        }
        return data;
    }

    private static void checkSameModel(
            TrainOptions options, Map<String, String> saved, Path checkpoint, Path report) {
        Map<String, Object> current = options.asMap();
        for (String key : ARCHITECTURE) {
            if (saved.containsKey(key)
                    && current.containsKey(key)
                    && !Objects.equals(saved.get(key), String.valueOf(current.get(key)))) {
                String flag = "--" + key.replace('_', '-');
                throw new IllegalArgumentException(
                        checkpoint
                                + " was trained with "
                                + flag
                                + " "
                                + saved.get(key)
                                + ", but "
                                + report
                                + " says "
                                + flag
                                + " "
                                + current.get(key)
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
