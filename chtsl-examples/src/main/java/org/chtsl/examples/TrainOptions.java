package org.chtsl.examples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.chtsl.training.MethodPreset;

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

    /**
     * Parses the command line.
     *
     * @param args {@code --name value} pairs and flags
     * @return the options with defaults filled in
     * @throws IllegalArgumentException with a one-line message for unknown or invalid options
     */
    static TrainOptions parse(String[] args) {
        TrainOptions options = new TrainOptions();
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if ("--resume".equals(name) || "--dry-run".equals(name)) {
                given.put(name, "true");
            } else if (name.startsWith("--") && i + 1 < args.length) {
                given.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(
                        "Unexpected argument '"
                                + name
                                + "'; options are --name value (see README).");
            }
        }
        given.forEach(options::set);
        options.fillDefaults(given);
        options.validate();
        return options;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--model" -> model = value.toLowerCase(Locale.ROOT);
            case "--method" -> method = value.toLowerCase(Locale.ROOT);
            case "--sparsity" -> sparsity = number(name, value);
            case "--sparse-sparsity" -> sparseSparsity = number(name, value);
            case "--rank" -> rank = (long) number(name, value);
            case "--conn-ratio" -> connRatio = ratio(value);
            case "--lambda" -> lambda = number(name, value);
            case "--steps" -> steps = (long) number(name, value);
            case "--batch" -> batch = (int) number(name, value);
            case "--micro-batch" -> microBatch = (int) number(name, value);
            case "--seq-len" -> sequenceLength = (int) number(name, value);
            case "--lr" -> learningRate = (float) number(name, value);
            case "--warmup" -> warmup = (long) number(name, value);
            case "--update-interval" -> updateInterval = (long) number(name, value);
            case "--eval-every" -> evalEvery = (long) number(name, value);
            case "--eval-tokens" -> evalTokens = (long) number(name, value);
            case "--data" -> data = Path.of(value);
            case "--val-data" -> validationData = Path.of(value);
            case "--tokenizer" -> tokenizer = Path.of(value);
            case "--out" -> out = Path.of(value);
            case "--resume" -> resume = true;
            case "--device" -> device = value.toLowerCase(Locale.ROOT);
            case "--seed" -> seed = (long) number(name, value);
            case "--dry-run" -> dryRun = true;
            default ->
                    throw new IllegalArgumentException(
                            "Unknown option "
                                    + name
                                    + "; allowed: --model --method --sparsity --conn-ratio --sparse-sparsity --rank --lambda"
                                    + " --steps --batch --micro-batch --seq-len --lr --warmup --update-interval"
                                    + " --eval-every --eval-tokens --data --val-data --tokenizer --out --resume"
                                    + " --device --seed --dry-run.");
        }
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

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got '" + value + "'.");
        }
    }

    private void fillDefaults(Map<String, String> given) {
        boolean tiny = "tiny".equals(model);
        boolean large = "60m".equals(model) || "130m".equals(model);
        if (steps == 0) {
            steps = tiny ? 300 : large ? ("130m".equals(model) ? 20000 : 10000) : 2000;
        }
        if (batch == 0) {
            batch = tiny ? 8 : large ? 512 : 32;
        }
        if (microBatch == 0) {
            microBatch = Math.min(batch, tiny ? 8 : 16);
        }
        if (sequenceLength == 0) {
            sequenceLength = tiny ? 128 : 256;
        }
        if (learningRate == 0) {
            // the papers' 3e-3 (dense 1e-3); tiny's short warm-up is steadier a little lower
            learningRate = "dense".equals(method) ? 1e-3f : tiny ? 2e-3f : 3e-3f;
        }
        if (!given.containsKey("--warmup")) {
            warmup = Math.max(1, steps / 10);
        }
        if (updateInterval == 0) {
            updateInterval = tiny ? 50 : 100;
        }
        if (evalEvery == 0) {
            evalEvery = tiny ? 100 : 500;
        }
        if (evalTokens == 0) {
            evalTokens = tiny ? 16_384 : 1_000_000;
        }
    }

    private void validate() {
        if (!MethodPreset.NAMES.contains(method)) {
            throw new IllegalArgumentException(
                    "Unknown method '"
                            + method
                            + "'; allowed: "
                            + String.join(", ", MethodPreset.NAMES)
                            + ".");
        }
        if (!(sparsity > 0 && sparsity < 1)) {
            throw new IllegalArgumentException(
                    "--sparsity must be in (0, 1), got " + sparsity + ".");
        }
        if (sparseSparsity != null && !(sparseSparsity >= 0 && sparseSparsity < 1)) {
            throw new IllegalArgumentException(
                    "--sparse-sparsity must be in [0, 1), got " + sparseSparsity + ".");
        }
        if (lambda != null && !(lambda >= 0)) {
            throw new IllegalArgumentException("--lambda must be >= 0, got " + lambda + ".");
        }
        if (steps < 1 || batch < 1 || microBatch < 1 || batch % microBatch != 0) {
            throw new IllegalArgumentException(
                    "Need --steps >= 1 and --batch a multiple of --micro-batch (both >= 1), got steps "
                            + steps
                            + ", batch "
                            + batch
                            + ", micro-batch "
                            + microBatch
                            + ".");
        }
        if (!(learningRate > 0) || updateInterval < 1 || evalEvery < 1 || sequenceLength < 2) {
            throw new IllegalArgumentException(
                    "Need --lr > 0, --update-interval >= 1, --eval-every >= 1 and --seq-len >= 2.");
        }
        if (warmup < 0 || warmup >= steps) {
            throw new IllegalArgumentException(
                    "--warmup must be in [0, steps), got " + warmup + " for " + steps + " steps.");
        }
        if (!"cpu".equals(device) && !"gpu".equals(device)) {
            throw new IllegalArgumentException("--device must be cpu or gpu, got " + device + ".");
        }
        for (Path path : new Path[] {data, validationData, tokenizer}) {
            if (path != null && !path.toFile().exists()) {
                throw new IllegalArgumentException("File not found: " + path + ".");
            }
        }
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
