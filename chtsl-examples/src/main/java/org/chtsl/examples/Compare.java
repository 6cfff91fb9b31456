package org.chtsl.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A Table-2-style comparison of {@link TrainLlama} runs: the final validation perplexity of each
 * method (rows) at each total sparsity (columns), as a Markdown table.
 *
 * <p>Two runs of the same method and model at the same sparsity are refused (the table has one cell
 * for them). A run that did not complete shows its status next to its last perplexity, e.g. {@code
 * 41.20 (diverged)}; one without an evaluation shows {@code n/a}. {@code --help} lists the
 * arguments.
 */
public final class Compare {

    private static final Logger LOG = LoggerFactory.getLogger(Compare.class);

    /** Compare's command line. */
    @Command(
            name = "Compare",
            description =
                    "A Table-2-style Markdown table of TrainLlama runs: the final validation"
                            + " perplexity of each method (rows) at each total sparsity (columns).",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                ProgramRunner.OK_LINE,
                ProgramRunner.FAILED_LINE,
                ProgramRunner.BAD_INPUT_LINE
            })
    static final class Options {
        @Parameters(
                arity = "1..*",
                paramLabel = "RUN_DIR",
                description = "TrainLlama --out folders (or their report.json files), each once")
        @Allowed.PathTo("a TrainLlama --out folder or report.json")
        List<Path> runs;
    }

    private Compare() {}

    /**
     * Compares.
     *
     * @param args run directories (or their report.json files)
     */
    public static void main(String[] args) {
        ProgramRunner.exit(execute(args, System.out, System.err));
    }

    /**
     * Compares, reporting failure as one line without a stack trace.
     *
     * @param args run directories (or their report.json files)
     * @param out where {@code --help} and {@code --version} go
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream out, PrintStream errors) {
        return ProgramRunner.run(
                "Compare",
                errors,
                () -> null,
                () -> {
                    Options options = new Options();
                    if (CommandLines.parse(options, out, args).isPresent()) {
                        LOG.info("\n{}", table(options.runs));
                    }
                });
    }

    /**
     * Builds the table from a command line.
     *
     * @param args run directories (or their report.json files)
     * @return the Markdown table
     * @throws IllegalArgumentException if an argument is not a run, or a report is malformed
     * @throws IOException if a report cannot be read
     */
    static String table(String... args) throws IOException {
        Options options = new Options();
        CommandLines.parse(options, System.out, args);
        return table(options.runs);
    }

    private static String table(List<Path> given) throws IOException {
        Map<String, Map<Double, String>> rows = new TreeMap<>();
        Map<String, Path> cells = new HashMap<>();
        Set<Path> seen = new HashSet<>();
        TreeSet<Double> sparsities = new TreeSet<>();
        for (Path run : given) {
            Path file = report(run);
            if (!seen.add(file.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException(
                        "RUN_DIR " + run + " is given twice; give each run once.");
            }
            JsonObject report = TrainedRun.readReport(file);
            JsonObject config = object(report, "config", file);
            String method = text(config, "method", file);
            String row = method + " (" + text(config, "model", file) + ")";
            double sparsity = "dense".equals(method) ? 0 : number(config, "sparsity", file);
            Path other = cells.put(row + "@" + sparsity, file);
            if (other != null) {
                throw new IllegalArgumentException(
                        other
                                + " and "
                                + file
                                + " are both "
                                + row
                                + String.format(Locale.ROOT, " at sparsity %.2f", sparsity)
                                + "; the table has one cell per method, model and sparsity, so"
                                + " compare them in separate tables.");
            }
            rows.computeIfAbsent(row, key -> new TreeMap<>()).put(sparsity, cell(report, file));
            sparsities.add(sparsity);
        }
        StringBuilder table = new StringBuilder("| method |");
        sparsities.forEach(s -> table.append(String.format(Locale.ROOT, " s = %.2f |", s)));
        table.append("\n|---|");
        sparsities.forEach(s -> table.append("---|"));
        rows.forEach(
                (method, values) -> {
                    table.append("\n| ").append(method).append(" |");
                    sparsities.forEach(
                            s ->
                                    table.append(
                                            values.containsKey(s)
                                                    ? " " + values.get(s) + " |"
                                                    : " |"));
                });
        return table.toString();
    }

    /** The report of one argument: a run folder's, or a report.json given directly. */
    private static Path report(Path path) {
        if (Files.isRegularFile(path) && path.getFileName().toString().equals(TrainedRun.REPORT)) {
            return path;
        }
        TrainedRun.checkRunDirectory(path, false);
        return path.resolve(TrainedRun.REPORT);
    }

    /** The final perplexity, with the run's status unless it completed. */
    private static String cell(JsonObject report, Path file) {
        double ppl = number(object(report, "final", file), "val_ppl", file);
        String status =
                report.has("status") && report.get("status").isJsonPrimitive()
                        ? report.get("status").getAsString()
                        : TrainingReport.COMPLETED;
        String value = Double.isNaN(ppl) ? "n/a" : String.format(Locale.ROOT, "%.2f", ppl);
        return TrainingReport.COMPLETED.equals(status) ? value : value + " (" + status + ")";
    }

    private static JsonObject object(JsonObject json, String key, Path file) {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonObject()) {
            throw malformed(file, key, "an object");
        }
        return value.getAsJsonObject();
    }

    private static String text(JsonObject config, String key, Path file) {
        JsonElement value = config.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw malformed(file, "config." + key, "a string");
        }
        return value.getAsString();
    }

    /** A number, or NaN where the report has none (a run that never evaluated). */
    private static double number(JsonObject json, String key, Path file) {
        JsonElement value = json.get(key);
        String where = ("val_ppl".equals(key) ? "final." : "config.") + key;
        if (value == null || !value.isJsonPrimitive()) {
            if (value != null && value.isJsonNull() && "val_ppl".equals(key)) {
                return Double.NaN;
            }
            throw malformed(file, where, "a number");
        }
        try {
            return value.getAsDouble();
        } catch (NumberFormatException e) {
            throw malformed(file, where, "a number");
        }
    }

    private static IllegalArgumentException malformed(Path file, String key, String expected) {
        return new IllegalArgumentException(
                file + " is not a TrainLlama report: its " + key + " is not " + expected + ".");
    }
}
