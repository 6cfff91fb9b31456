package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.chtsl.data.HuggingFaceTokenCodec;
import org.chtsl.data.LlamaTokenizerConverter;
import org.chtsl.data.NpmPackages;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.MethodPreset;
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
        Device device = device(options.device);
        TrainingData data = null;
        HuggingFaceTokenCodec codec = null;
        Model model = null;
        try {
            if (withData) {
                data = TrainingData.load(options, ChtslHome.get());
                codec = data.codec;
            } else {
                codec = tokenizer(options, ChtslHome.get());
            }
            LlamaConfig config =
                    LlamaConfig.preset(options.model)
                            .optMaxSequenceLength(options.sequenceLength)
                            .optVocabSize(codec.vocabularySize())
                            .build();
            LlamaModel block =
                    TrainLlama.build(options, MethodPreset.forName(options.method), config);
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

    private static Device device(String name) {
        if (!"gpu".equals(name)) {
            return Device.cpu();
        }
        if (Engine.getInstance().getGpuCount() == 0) {
            throw new IllegalArgumentException(
                    "--device gpu: PyTorch sees no GPU here (it needs a CUDA build of libtorch and"
                            + " a driver, see the README's GPU section); use --device cpu.");
        }
        return Device.gpu();
    }

    /** The run's tokenizer alone, where {@link TrainingData#load} finds it. */
    private static HuggingFaceTokenCodec tokenizer(TrainOptions options, Path home)
            throws IOException {
        Path tokenizerJson = options.tokenizer;
        if (tokenizerJson == null) {
            tokenizerJson =
                    home.resolve("tokenizer").resolve("llama-32k").resolve("tokenizer.json");
            if (!Files.isRegularFile(tokenizerJson)) {
                Path script =
                        new NpmPackages(home.resolve("npm"))
                                .fetch(
                                        LlamaTokenizerConverter.PACKAGE,
                                        LlamaTokenizerConverter.VERSION)
                                .resolve("llama-tokenizer.js");
                LlamaTokenizerConverter.convert(script, tokenizerJson);
            }
        }
        return TrainingData.tokenizer(tokenizerJson);
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

    /**
     * The command-line rules of the small example programs, the same as {@link TrainOptions}':
     * every value is validated with a one-line message naming the option (or positional argument),
     * the value given and what is allowed; a value given is always used (0 is a value, never
     * "unset"); unknown, repeated and value-less options are errors; numbers are parsed strictly.
     * {@code --} ends the options (for a positional argument that starts with {@code --}).
     */
    static final class Arguments {

        /**
         * An option.
         *
         * @param flag e.g. {@code --epochs}
         * @param metavar its value in usage text, e.g. {@code N}; {@code null} for a switch
         * @param allowed what its value may be, e.g. {@code a whole number >= 1}
         */
        record Option(String flag, String metavar, String allowed) {

            static Option of(String flag, String metavar, String allowed) {
                return new Option(flag, metavar, allowed);
            }

            static Option toggle(String flag) {
                return new Option(flag, null, null);
            }

            @Override
            public String toString() {
                return metavar == null ? flag : flag + " " + metavar;
            }
        }

        private static final Pattern REAL =
                Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

        private final String usage;
        private final Map<String, Option> options = new LinkedHashMap<>();
        private final List<String> positionalNames;
        private final int required;
        private final boolean repeatLast;
        private final Map<String, String> given = new LinkedHashMap<>();
        private final List<String> flagsGiven = new ArrayList<>();
        private final List<String> rest = new ArrayList<>();

        /**
         * Describes a command line.
         *
         * @param usage the usage line, e.g. {@code Evaluate RUN_DIR [--data PATH]}
         * @param positionalNames the positional arguments' names, in order; a last name ending in
         *     {@code ...} is repeatable
         * @param required how many positional arguments must be given
         * @param options the options
         */
        Arguments(String usage, List<String> positionalNames, int required, Option... options) {
            this.usage = usage;
            this.positionalNames = List.copyOf(positionalNames);
            this.required = required;
            this.repeatLast =
                    !positionalNames.isEmpty()
                            && positionalNames.get(positionalNames.size() - 1).endsWith("...");
            for (Option option : options) {
                this.options.put(option.flag(), option);
            }
        }

        /**
         * Reads a command line.
         *
         * @param args the arguments
         * @return this
         * @throws IllegalArgumentException with a one-line message if an option is unknown,
         *     repeated or lacks its value, or positional arguments are missing or too many
         */
        Arguments parse(String... args) {
            boolean onlyPositional = false;
            int positionals = 0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!onlyPositional && "--".equals(arg)) {
                    onlyPositional = true;
                } else if (!onlyPositional && arg.startsWith("--")) {
                    i = option(args, i);
                } else if (positionals < positionalNames.size() - (repeatLast ? 1 : 0)) {
                    given.put(positionalNames.get(positionals++), arg);
                } else if (repeatLast) {
                    positionals++;
                    rest.add(arg);
                } else {
                    Option before = i > 0 ? options.get(args[i - 1]) : null;
                    throw new IllegalArgumentException(
                            "Unexpected argument '"
                                    + arg
                                    + "'"
                                    + (before != null && before.metavar() == null
                                            ? " (" + before.flag() + " takes no value)"
                                            : "")
                                    + "; usage: "
                                    + sentence(usage));
                }
            }
            if (positionals < required) {
                String name =
                        positionalNames.get(Math.min(positionals, positionalNames.size() - 1));
                throw new IllegalArgumentException(
                        "Missing " + name.replace("...", "") + "; usage: " + sentence(usage));
            }
            return this;
        }

        private static String sentence(String text) {
            return text.endsWith(".") ? text : text + ".";
        }

        private int option(String[] args, int i) {
            String flag = args[i];
            Option option = options.get(flag);
            if (option == null) {
                throw new IllegalArgumentException(
                        "Unknown option "
                                + flag
                                + (options.isEmpty()
                                        ? "; it takes none"
                                        : "; allowed: "
                                                + String.join(
                                                        ", ",
                                                        options.values().stream()
                                                                .map(Option::toString)
                                                                .toList()))
                                + " (usage: "
                                + usage
                                + ").");
            }
            if (given.containsKey(flag)) {
                throw new IllegalArgumentException(flag + " is given twice; give it once.");
            }
            if (option.metavar() == null) {
                given.put(flag, "true");
                flagsGiven.add(flag);
                return i;
            }
            if (i + 1 >= args.length || options.containsKey(args[i + 1])) {
                throw new IllegalArgumentException(
                        flag + " needs a value: " + option.allowed() + ".");
            }
            String value = args[i + 1];
            if (value.isBlank()) {
                throw new IllegalArgumentException(
                        flag + " needs " + option.allowed() + ", got '" + value + "'.");
            }
            given.put(flag, value);
            flagsGiven.add(flag);
            flagsGiven.add(value);
            return i + 1;
        }

        /**
         * Returns whether an option or positional argument was given.
         *
         * @param name e.g. {@code --epochs} or {@code MAX_TOKENS}
         * @return whether it was given
         */
        boolean has(String name) {
            return given.containsKey(name);
        }

        /**
         * Returns a value as given.
         *
         * @param name the option or positional argument
         * @param fallback the value if it was not given
         * @return the value
         */
        String text(String name, String fallback) {
            return given.getOrDefault(name, fallback);
        }

        /**
         * Returns the repeated last positional arguments.
         *
         * @return them, in order
         */
        List<String> rest() {
            return List.copyOf(rest);
        }

        /**
         * Returns the options given, with their values, as they were given.
         *
         * @return e.g. {@code --data PATH}
         */
        String[] flags() {
            return flagsGiven.toArray(new String[0]);
        }

        /**
         * Returns a whole number.
         *
         * @param name the option or positional argument
         * @param fallback the value if it was not given
         * @param min the smallest allowed
         * @param max the largest allowed
         * @return the value
         * @throws IllegalArgumentException if it is not a whole number in range
         */
        long integer(String name, long fallback, long min, long max) {
            if (!has(name)) {
                return fallback;
            }
            String value = given.get(name);
            String bounds = bounds(min, max);
            long parsed;
            try {
                parsed = Long.parseLong(value.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        name
                                + " needs a whole number"
                                + (bounds.isEmpty() ? "" : " " + bounds)
                                + ", got '"
                                + value
                                + "'.");
            }
            if (parsed < min || parsed > max) {
                boolean typeLimit = isTypeLimit(max) && parsed > max;
                throw new IllegalArgumentException(
                        name
                                + " must be "
                                + (typeLimit || bounds.isEmpty()
                                        ? "in [" + min + ", " + max + "]"
                                        : bounds)
                                + ", got "
                                + parsed
                                + ".");
            }
            return parsed;
        }

        private static boolean isTypeLimit(long max) {
            return max == Integer.MAX_VALUE || max >= Long.MAX_VALUE / 2;
        }

        private static String bounds(long min, long max) {
            if (!isTypeLimit(max)) {
                return "in [" + min + ", " + max + "]";
            }
            return min <= Integer.MIN_VALUE ? "" : ">= " + min;
        }

        /**
         * Returns a real number.
         *
         * @param name the option or positional argument
         * @param fallback the value if it was not given
         * @param allowed which values are allowed, for the message
         * @param valid whether a parsed value is allowed
         * @return the value
         * @throws IllegalArgumentException if it is not a number, or not allowed
         */
        double real(
                String name,
                double fallback,
                String allowed,
                java.util.function.DoublePredicate valid) {
            if (!has(name)) {
                return fallback;
            }
            String value = given.get(name);
            String text = value.strip().replace("_", "");
            double parsed = REAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
            if (!Double.isFinite(parsed) || !valid.test(parsed)) {
                throw new IllegalArgumentException(
                        name + " needs " + allowed + ", got '" + value + "'.");
            }
            return parsed;
        }

        /**
         * Returns one of a list of words (case does not matter).
         *
         * @param name the option or positional argument
         * @param fallback the value if it was not given
         * @param allowed the words
         * @return the word, in lower case
         * @throws IllegalArgumentException if it is not one of them
         */
        String choice(String name, String fallback, List<String> allowed) {
            if (!has(name)) {
                return fallback;
            }
            String value = given.get(name).strip().toLowerCase(Locale.ROOT);
            if (allowed.contains(value)) {
                return value;
            }
            throw new IllegalArgumentException(
                    name
                            + ": unknown value '"
                            + given.get(name)
                            + "'; allowed: "
                            + String.join(", ", allowed)
                            + ".");
        }

        /**
         * Returns a path.
         *
         * @param name the option or positional argument
         * @param fallback the value if it was not given
         * @return the path
         * @throws IllegalArgumentException if it is not a valid path
         */
        Path path(String name, String fallback) {
            String value = given.getOrDefault(name, fallback);
            return value == null ? null : toPath(name, value);
        }

        /**
         * Returns a path given as an argument.
         *
         * @param name the option or positional argument, for the message
         * @param value the text given
         * @return the path
         * @throws IllegalArgumentException if it is not a valid path
         */
        static Path toPath(String name, String value) {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(
                        name + " '" + value + "' is not a valid path (" + e.getReason() + ").");
            }
        }

        /**
         * Returns the path of a file or folder that must exist and be readable.
         *
         * @param name the option or positional argument
         * @return the path, or {@code null} if it was not given
         * @throws IllegalArgumentException if it is not found or not readable
         */
        Path existing(String name) {
            Path path = path(name, null);
            if (path == null) {
                return null;
            }
            if (!Files.exists(path)) {
                throw new IllegalArgumentException(name + " " + path + ": file not found.");
            }
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(name + " " + path + ": not readable.");
            }
            return path;
        }
    }
}
