package org.chtsl.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.chtsl.method.Methods;

/**
 * The options of {@link TrainLlama}, parsed and validated; unset ones take the defaults of the
 * chosen model (the papers' settings, scaled down for {@code tiny}).
 */
final class TrainOptions {

    String model = "tiny";
    String method = "chtsl";
    double sparsity = 0.9;
    Double sparseSparsity;
    Long rank;
    int[] connRatio;
    Double lambda;
    long steps;
    int batch;
    int microBatch;
    int sequenceLength;
    float learningRate;
    long warmup;
    long updateInterval;
    long evalEvery;
    long evalTokens;
    Path data;
    Path validationData;
    Path tokenizer;
    Path out = Path.of("runs", "latest");
    boolean resume;
    String device = "cpu";
    long seed = 42;
    boolean dryRun;

    private TrainOptions() {}

    /** Every option: its flag and whether it takes a value. */
    private static final Map<String, Boolean> FLAGS = new LinkedHashMap<>();

    static {
        for (String flag :
                new String[] {
                    "--model",
                    "--method",
                    "--sparsity",
                    "--conn-ratio",
                    "--sparse-sparsity",
                    "--rank",
                    "--lambda",
                    "--steps",
                    "--batch",
                    "--micro-batch",
                    "--seq-len",
                    "--lr",
                    "--warmup",
                    "--update-interval",
                    "--eval-every",
                    "--eval-tokens",
                    "--data",
                    "--val-data",
                    "--tokenizer",
                    "--out",
                    "--device",
                    "--seed"
                }) {
            FLAGS.put(flag, true);
        }
        FLAGS.put("--resume", false);
        FLAGS.put("--dry-run", false);
    }

    /** The largest step count, batch, sequence length and token budget accepted. */
    static final long MAX_STEPS = 1_000_000_000L;

    private static final long MAX_BATCH = 1 << 16;
    private static final long MAX_SEQUENCE = 1 << 16;
    private static final long MAX_RANK = 1 << 16;

    private final Map<String, String> given = new LinkedHashMap<>();

    /**
     * Parses the command line. A value given is always used (0 is a value, not "unset"); defaults
     * are filled only for options not given, and those that depend on other options (the warm-up on
     * the step count) are derived so that every valid combination works.
     *
     * @param args {@code --name value} pairs and flags
     * @return the options with defaults filled in
     * @throws IllegalArgumentException with a one-line message naming the option, the value and
     *     what is allowed
     */
    static TrainOptions parse(String[] args) {
        TrainOptions options = new TrainOptions();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            Boolean takesValue = FLAGS.get(name);
            if (takesValue == null) {
                throw new IllegalArgumentException(
                        (name.startsWith("--")
                                        ? "Unknown option " + name
                                        : "Unexpected argument '" + name + "'")
                                + "; allowed: "
                                + String.join(" ", FLAGS.keySet())
                                + ".");
            }
            if (options.given.containsKey(name)) {
                throw new IllegalArgumentException(name + " is given twice; give it once.");
            }
            if (takesValue && (i + 1 >= args.length || FLAGS.containsKey(args[i + 1]))) {
                throw new IllegalArgumentException(name + " needs a value.");
            }
            options.given.put(name, takesValue ? args[++i] : "true");
        }
        options.resolve();
        return options;
    }

    /**
     * Returns whether an option was given on the command line.
     *
     * @param flag the option, e.g. {@code --steps}
     * @return whether it was given
     */
    boolean isGiven(String flag) {
        return given.containsKey(flag);
    }

    private void resolve() {
        model = choice("--model", model, "tiny", "20m", "60m", "130m");
        method = choice("--method", method, Methods.names().toArray(new String[0]));
        boolean tiny = "tiny".equals(model);
        boolean large = "60m".equals(model) || "130m".equals(model);
        sparsity = fraction("--sparsity", sparsity, false, false);
        if (isGiven("--sparse-sparsity")) {
            sparseSparsity = fraction("--sparse-sparsity", 0, true, false);
        }
        if (isGiven("--rank")) {
            rank = integer("--rank", 0, 1, MAX_RANK);
        }
        if (isGiven("--conn-ratio")) {
            connRatio = ratio(given.get("--conn-ratio"));
        }
        if (isGiven("--lambda")) {
            lambda = real("--lambda", 0, 0, Double.MAX_VALUE, "a finite number >= 0");
        }
        steps =
                integer(
                        "--steps",
                        tiny ? 300 : large ? ("130m".equals(model) ? 20000 : 10000) : 2000,
                        1,
                        MAX_STEPS);
        batch = (int) integer("--batch", tiny ? 8 : large ? 512 : 32, 1, MAX_BATCH);
        microBatch = (int) integer("--micro-batch", largestDivisor(batch, tiny ? 8 : 16), 1, batch);
        if (batch % microBatch != 0) {
            throw new IllegalArgumentException(
                    "--micro-batch must divide --batch, got micro-batch "
                            + microBatch
                            + " for batch "
                            + batch
                            + "; e.g. --micro-batch "
                            + largestDivisor(batch, microBatch)
                            + ".");
        }
        sequenceLength = (int) integer("--seq-len", tiny ? 128 : 256, 2, MAX_SEQUENCE);
        // the papers' 3e-3 (dense 1e-3); tiny's short warm-up is steadier a little lower
        float defaultRate = "dense".equals(method) ? 1e-3f : tiny ? 2e-3f : 3e-3f;
        learningRate =
                (float)
                        real(
                                "--lr",
                                defaultRate,
                                Double.MIN_NORMAL,
                                Float.MAX_VALUE,
                                "a finite number > 0");
        warmup = integer("--warmup", steps / 10, 0, steps - 1);
        updateInterval = integer("--update-interval", tiny ? 50 : 100, 1, MAX_STEPS);
        evalEvery = integer("--eval-every", tiny ? 100 : 500, 1, MAX_STEPS);
        evalTokens = integer("--eval-tokens", tiny ? 16_384 : 1_000_000, 1, Long.MAX_VALUE / 2);
        data = existing("--data");
        validationData = existing("--val-data");
        tokenizer = existing("--tokenizer");
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException(
                    "--tokenizer " + tokenizer + " is a folder; give a tokenizer.json file.");
        }
        if (isGiven("--out")) {
            out = Path.of(given.get("--out"));
        }
        resume = isGiven("--resume");
        dryRun = isGiven("--dry-run");
        if (resume && dryRun) {
            throw new IllegalArgumentException(
                    "--resume and --dry-run exclude each other; give one.");
        }
        device = choice("--device", device, "cpu", "gpu");
        seed = integer("--seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The largest divisor of {@code batch} that is at most {@code most}. */
    private static long largestDivisor(long batch, long most) {
        for (long d = Math.min(batch, most); d > 1; d--) {
            if (batch % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private String choice(String flag, String fallback, String... allowed) {
        if (!isGiven(flag)) {
            return fallback;
        }
        String value = given.get(flag).strip().toLowerCase(Locale.ROOT);
        for (String option : allowed) {
            if (option.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(
                flag
                        + ": unknown value '"
                        + given.get(flag)
                        + "'; allowed: "
                        + String.join(", ", allowed)
                        + ".");
    }

    private long integer(String flag, long fallback, long min, long max) {
        if (!isGiven(flag)) {
            return fallback;
        }
        String value = given.get(flag).strip().replace("_", "");
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    flag
                            + " needs a whole number"
                            + (range(min, max).isEmpty() ? "" : " " + range(min, max))
                            + ", got '"
                            + given.get(flag)
                            + "'.");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(
                    flag + " must be " + range(min, max) + ", got " + parsed + explain(flag) + ".");
        }
        return parsed;
    }

    private String explain(String flag) {
        return switch (flag) {
            case "--warmup" -> " (it must be below --steps " + steps + ")";
            case "--micro-batch" -> " (it must not exceed --batch " + batch + ")";
            default -> "";
        };
    }

    private static String range(long min, long max) {
        if (max >= Long.MAX_VALUE / 2) {
            return min == Long.MIN_VALUE ? "" : ">= " + min;
        }
        return "in [" + min + ", " + max + "]";
    }

    private double real(String flag, double fallback, double min, double max, String allowed) {
        if (!isGiven(flag)) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(given.get(flag).strip());
        } catch (NumberFormatException e) {
            parsed = Double.NaN;
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException(
                    flag + " needs " + allowed + ", got '" + given.get(flag) + "'.");
        }
        return parsed;
    }

    private double fraction(String flag, double fallback, boolean zeroAllowed, boolean oneAllowed) {
        if (!isGiven(flag)) {
            return fallback;
        }
        String interval = (zeroAllowed ? "[0" : "(0") + ", 1" + (oneAllowed ? "]" : ")");
        double parsed;
        try {
            parsed = Double.parseDouble(given.get(flag).strip());
        } catch (NumberFormatException e) {
            parsed = Double.NaN;
        }
        boolean above = zeroAllowed ? parsed >= 0 : parsed > 0;
        boolean below = oneAllowed ? parsed <= 1 : parsed < 1;
        if (!(above && below)) {
            throw new IllegalArgumentException(
                    flag + " must be in " + interval + ", got '" + given.get(flag) + "'.");
        }
        return parsed;
    }

    private Path existing(String flag) {
        if (!isGiven(flag)) {
            return null;
        }
        Path path = Path.of(given.get(flag));
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(flag + " " + path + ": file not found.");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(flag + " " + path + ": not readable.");
        }
        return path;
    }

    private static int[] ratio(String value) {
        String[] parts = value.split(":");
        try {
            if (parts.length == 2) {
                int conn = Integer.parseInt(parts[0].strip());
                int spec = Integer.parseInt(parts[1].strip());
                if (conn >= 0 && spec >= 0 && conn + spec > 0) {
                    return new int[] {conn, spec};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--conn-ratio needs d_conn:d_spec as two non-negative integers, e.g. 1:1 or 1:3, got '"
                        + value
                        + "'.");
    }

    /**
     * Rebuilds the options of a finished run from its {@code report.json}, with overrides.
     *
     * @param runDirectory the run's output directory
     * @param overrides more options, e.g. {@code --data}
     * @return the options
     * @throws java.io.IOException if the report cannot be read
     */
    static TrainOptions fromRun(Path runDirectory, String... overrides) throws java.io.IOException {
        Path report = runDirectory.resolve("report.json");
        if (!java.nio.file.Files.isRegularFile(report)) {
            throw new IllegalArgumentException(
                    "No report.json in " + runDirectory + "; pass a TrainLlama --out directory.");
        }
        com.google.gson.JsonObject config =
                com.google.gson.JsonParser.parseString(
                                java.nio.file.Files.readString(
                                        report, java.nio.charset.StandardCharsets.UTF_8))
                        .getAsJsonObject()
                        .getAsJsonObject("config");
        java.util.List<String> args = new java.util.ArrayList<>();
        String[][] keys = {
            {"model", "--model"},
            {"method", "--method"},
            {"sparsity", "--sparsity"},
            {"sparse_sparsity", "--sparse-sparsity"},
            {"rank", "--rank"},
            {"seq_len", "--seq-len"},
            {"conn_ratio", "--conn-ratio"},
            {"seed", "--seed"}
        };
        for (String[] key : keys) {
            if (config.has(key[0]) && !config.get(key[0]).isJsonNull()) {
                args.add(key[1]);
                args.add(config.get(key[0]).getAsString());
            }
        }
        String tokenizer = config.has("tokenizer") ? config.get("tokenizer").getAsString() : "";
        if (!tokenizer.startsWith("default:")) {
            args.add("--tokenizer");
            args.add(tokenizer);
        }
        args.add("--out");
        args.add(runDirectory.toString());
        args.addAll(java.util.Arrays.asList(overrides));
        return parse(args.toArray(new String[0]));
    }

    /** Options that may change between a run and its resume (they do not change the run). */
    private static final java.util.Set<String> RESUMABLE_CHANGES =
            java.util.Set.of("out", "resume", "dry_run", "device");

    /**
     * Returns the options that define the run, as text: what a checkpoint records so that a resume
     * with other options is refused.
     *
     * @return option name (as in the report) to value
     */
    Map<String, String> runDescription() {
        Map<String, String> description = new LinkedHashMap<>();
        asMap().forEach(
                        (key, value) -> {
                            if (!RESUMABLE_CHANGES.contains(key)) {
                                description.put(key, String.valueOf(value));
                            }
                        });
        return description;
    }

    /**
     * Checks that a checkpoint was written by a run with these options.
     *
     * @param saved the checkpoint's {@link #runDescription()}
     * @param checkpoint the checkpoint, for the message
     * @throws IllegalArgumentException naming the first option whose value differs, with both
     *     values
     */
    void checkResumable(Map<String, String> saved, Path checkpoint) {
        Map<String, String> current = runDescription();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(saved.keySet());
        keys.addAll(current.keySet());
        keys.remove(TrainingData.IDENTITY); // checked once the data is loaded
        for (String key : keys) {
            String before = saved.get(key);
            String now = current.get(key);
            if (!java.util.Objects.equals(before, now)) {
                String flag = "--" + key.replace('_', '-');
                throw new IllegalArgumentException(
                        "--resume: "
                                + checkpoint
                                + " was trained with "
                                + flag
                                + " "
                                + shown(before)
                                + ", this command gives "
                                + flag
                                + " "
                                + shown(now)
                                + "; resume with the run's options, or start a new run with"
                                + " another --out.");
            }
        }
    }

    private static String shown(String value) {
        return value == null || "null".equals(value) ? "(default)" : value;
    }

    /**
     * Returns every resolved option, for the report.
     *
     * @return name to value
     */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", model);
        map.put("method", method);
        map.put("sparsity", sparsity);
        map.put("sparse_sparsity", sparseSparsity);
        map.put("rank", rank);
        map.put("conn_ratio", connRatio == null ? null : connRatio[0] + ":" + connRatio[1]);
        map.put("lambda", lambda);
        map.put("steps", steps);
        map.put("batch", batch);
        map.put("micro_batch", microBatch);
        map.put("seq_len", sequenceLength);
        map.put("lr", learningRate);
        map.put("warmup", warmup);
        map.put("update_interval", updateInterval);
        map.put("eval_every", evalEvery);
        map.put("eval_tokens", evalTokens);
        map.put("data", data == null ? "default:books-speeches" : data.toString());
        map.put("val_data", validationData == null ? null : validationData.toString());
        map.put("tokenizer", tokenizer == null ? "default:llama-32k" : tokenizer.toString());
        map.put("out", out.toString());
        map.put("resume", resume);
        map.put("device", device);
        map.put("seed", seed);
        map.put("dry_run", dryRun);
        return map;
    }
}
