package org.chtsl.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Table-2-style comparison of runs: {@code Compare RUN_DIR...} prints the final validation
 * perplexity of each method (rows) at each total sparsity (columns) as a Markdown table.
 */
public final class Compare {

    private static final Logger LOG = LoggerFactory.getLogger(Compare.class);

    private Compare() {}

    /**
     * Compares.
     *
     * @param args run directories (or their report.json files)
     */
    public static void main(String[] args) {
        try {
            LOG.info("\n{}", table(args));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("Compare: " + e.getMessage());
            System.exit(2);
        }
    }

    static String table(String... runs) throws IOException {
        if (runs.length == 0) {
            throw new IllegalArgumentException("Usage: Compare RUN_DIR...");
        }
        Map<String, Map<Double, Double>> rows = new TreeMap<>();
        TreeSet<Double> sparsities = new TreeSet<>();
        for (String run : runs) {
            Path file = Path.of(run);
            if (Files.isDirectory(file)) {
                file = file.resolve("report.json");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("No report at " + file + ".");
            }
            JsonObject report =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            JsonObject config = report.getAsJsonObject("config");
            String method =
                    config.get("method").getAsString()
                            + " ("
                            + config.get("model").getAsString()
                            + ")";
            double sparsity =
                    "dense".equals(config.get("method").getAsString())
                            ? 0
                            : config.get("sparsity").getAsDouble();
            double ppl = report.getAsJsonObject("final").get("val_ppl").getAsDouble();
            rows.computeIfAbsent(method, key -> new TreeMap<>()).put(sparsity, ppl);
            sparsities.add(sparsity);
        }
        StringBuilder table = new StringBuilder("| method |");
        sparsities.forEach(s -> table.append(String.format(" s = %.2f |", s)));
        table.append("\n|---|");
        sparsities.forEach(s -> table.append("---|"));
        rows.forEach(
                (method, values) -> {
                    table.append("\n| ").append(method).append(" |");
                    sparsities.forEach(
                            s ->
                                    table.append(
                                            values.containsKey(s)
                                                    ? String.format(" %.2f |", values.get(s))
                                                    : " |"));
                });
        return table.toString();
    }
}
