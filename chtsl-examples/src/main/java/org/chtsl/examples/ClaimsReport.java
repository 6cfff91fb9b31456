package org.chtsl.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.chtsl.util.AtomicFiles;

/**
 * {@link PaperClaims}' report: {@code claims.md} with the tables of (a)–(d), each cell the mean
 * over the seeds that finished with the seeds' own values beside it, and the OCR plots of (b). It
 * reads only the runs' {@code report.json} files, so it can be rewritten at any time.
 */
final class ClaimsReport {

    private static final String CHTSL_ROW = PaperClaims.CHTSL_ROW;

    private final PaperClaims.Options options;
    private final Map<String, List<JsonObject>> reports;
    private final Map<String, JsonObject> shares;

    ClaimsReport(
            PaperClaims.Options options,
            Map<String, List<JsonObject>> reports,
            Map<String, JsonObject> shares) {
        this.options = options;
        this.reports = reports;
        this.shares = shares;
    }

    /**
     * Writes {@code claims.md} and {@code ocr-q.png} … {@code ocr-o.png} into {@code --out}.
     *
     * @return the Markdown file
     * @throws IOException if writing fails
     */
    Path write() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# CHTsL and CHTs claims at LLaMA-")
                .append(options.model)
                .append(" scale\n\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                "%d steps per run, total sparsity %.2f, seeds %s; each cell is the"
                                        + " mean over the seeds that finished, their values in"
                                        + " brackets (NaN: the run diverged). Written by"
                                        + " PaperClaims.%n%n",
                                options.steps,
                                options.sparsity,
                                options.seeds));
        tableOne(md);
        figureTwo(md);
        methods(md);
        mlp(md);
        gradientShares(md);
        Path file = options.out.resolve("claims.md");
        AtomicFiles.writeString(file, md.toString());
        return file;
    }

    private void tableOne(StringBuilder md) {
        md.append("## (a) Table 1: integration strategies\n\n")
                .append("| integration | val PPL | Q/K OCR at the end | alignment share of the")
                .append(" Q/K output gradient |\n|---|---|---|---|\n");
        for (PaperClaims.Config config : PaperClaims.TABLE_1) {
            List<JsonObject> runs = reports.getOrDefault(config.name(), List.of());
            List<Double> ppl = new ArrayList<>();
            List<Double> ocr = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            for (JsonObject run : runs) {
                ppl.add(finalPerplexity(run));
                ocr.add(lastMean(run, "ocr", List.of("q", "k")));
                share.add(lastMean(run, "alignment_gradient_share", List.of("q", "k")));
            }
            md.append("| ")
                    .append(label(config))
                    .append(" | ")
                    .append(cell(ppl, "%.1f"))
                    .append(" | ")
                    .append(cell(ocr, "%.3f"))
                    .append(" | ")
                    .append(cell(share, "%.2g"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static String label(PaperClaims.Config config) {
        switch (config.name()) {
            case "naive":
                return "Naive (S + B·A, λ = 0)";
            case "act":
                return "Act (S + B·SiLU(A·x), λ = 0)";
            default:
                return "Act+Align λ = 0.5, "
                        + config.args().get(config.args().size() - 1).toLowerCase(Locale.ROOT);
        }
    }

    private void figureTwo(StringBuilder md) throws IOException {
        md.append("## (b) Figure 2: OCR of the attention projections\n\n")
                .append("OCR = Σ min(|S|,|L|)·[S·L < 0] / Σ min(|S|,|L|) over the outputs: the")
                .append(" share of the two branches' overlap that cancels. Last recorded value,")
                .append(" mean over seeds; plots `ocr-q.png` … `ocr-o.png` (seed means).\n\n")
                .append("| layer | projection | without alignment | with alignment |\n")
                .append("|---|---|---|---|\n");
        Map<ProjectionName, double[]> without = lastPerProjection("act");
        Map<ProjectionName, double[]> with = lastPerProjection(CHTSL_ROW);
        for (ProjectionName key : without.keySet()) {
            if (!ProjectionName.ATTENTION.contains(key.kind())) {
                continue;
            }
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %s | %.3f | %s |%n",
                            key.layer(),
                            key.kind(),
                            mean(without.get(key)),
                            with.containsKey(key)
                                    ? String.format(Locale.ROOT, "%.3f", mean(with.get(key)))
                                    : "n/a"));
        }
        md.append('\n');
        for (String projection : ProjectionName.ATTENTION) {
            AtomicFiles.write(
                    options.out.resolve("ocr-" + projection + ".png"),
                    os ->
                            os.write(
                                    OcrPlot.comparison(
                                            projection,
                                            meanCurves("act", projection),
                                            meanCurves(CHTSL_ROW, projection))));
        }
    }

    private void methods(StringBuilder md) {
        md.append("## (c) Methods at total sparsity ")
                .append(String.format(Locale.ROOT, "%.2f", options.sparsity))
                .append(" (equal projection budget; dense for reference)\n\n")
                .append("| method | val PPL | projection parameters |\n|---|---|---|\n");
        List<String> rows = new ArrayList<>(List.of(CHTSL_ROW));
        PaperClaims.METHODS.forEach(config -> rows.add(config.name()));
        for (String row : rows) {
            List<JsonObject> runs = reports.getOrDefault(row, List.of());
            List<Double> ppl = new ArrayList<>();
            runs.forEach(run -> ppl.add(finalPerplexity(run)));
            String parameters =
                    runs.isEmpty()
                            ? "n/a"
                            : runs.get(0)
                                    .getAsJsonObject("parameters")
                                    .get("projections_active")
                                    .getAsString();
            md.append("| ")
                    .append(row.equals(CHTSL_ROW) ? "chtsl" : row)
                    .append(" | ")
                    .append(cell(ppl, "%.1f"))
                    .append(" | ")
                    .append(parameters)
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void mlp(StringBuilder md) {
        if (options.mlpEpochs == 0) {
            return;
        }
        md.append("## (d) MNIST MLP at 1% density, ")
                .append(options.mlpEpochs)
                .append(" epochs\n\n")
                .append("| run | test accuracy | hidden neurons kept |\n|---|---|---|\n");
        for (PaperClaims.Config config : PaperClaims.MLP) {
            List<Double> accuracy = new ArrayList<>();
            List<Double> kept = new ArrayList<>();
            for (JsonObject run : reports.getOrDefault(config.name(), List.of())) {
                accuracy.add(run.get("final_test_accuracy").getAsDouble());
                JsonArray epochs = run.getAsJsonArray("active_neurons_per_epoch");
                JsonArray last = epochs.get(epochs.size() - 1).getAsJsonArray();
                double active = 0;
                for (int i = 1; i < last.size(); i++) {
                    active += last.get(i).getAsDouble();
                }
                kept.add(active / (1000.0 * (last.size() - 1)));
            }
            md.append("| ")
                    .append(config.name().substring(4))
                    .append(" | ")
                    .append(cell(accuracy, "%.4f"))
                    .append(" | ")
                    .append(cell(kept, "%.3f"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void gradientShares(StringBuilder md) {
        if (shares.isEmpty()) {
            return;
        }
        md.append("## (e) The alignment term's share of the output gradient, by model size\n\n")
                .append("λ·‖∂term/∂S‖ / ‖∂ℒ/∂O‖ at λ = 0.5. Larger models: the second of two")
                .append(" steps from initialisation at batch 16 × 256, one seed; tiny: the end of")
                .append(" the runs of (a), batch 8 × 128.\n\n")
                .append("| model | form | Q/K | all projections |\n|---|---|---|---|\n");
        for (PaperClaims.Config config : PaperClaims.TABLE_1) {
            if (config.name().startsWith("act-align")) {
                shareRow(md, options.model, config, reports.getOrDefault(config.name(), List.of()));
            }
        }
        shares.forEach(
                (key, run) -> {
                    String[] parts = key.split(" ");
                    md.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %.2g | %.2g |%n",
                                    parts[0],
                                    parts[1].substring("share-".length()),
                                    lastMean(run, "alignment_gradient_share", List.of("q", "k")),
                                    lastMean(
                                            run,
                                            "alignment_gradient_share",
                                            ProjectionName.KINDS)));
                });
        md.append('\n');
    }

    private static void shareRow(
            StringBuilder md, String model, PaperClaims.Config config, List<JsonObject> runs) {
        List<Double> qk = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (JsonObject run : runs) {
            qk.add(lastMean(run, "alignment_gradient_share", List.of("q", "k")));
            all.add(lastMean(run, "alignment_gradient_share", ProjectionName.KINDS));
        }
        md.append("| ")
                .append(model)
                .append(" | ")
                .append(config.name().substring("act-align-".length()))
                .append(" | ")
                .append(cell(qk, "%.2g"))
                .append(" | ")
                .append(cell(all, "%.2g"))
                .append(" |\n");
    }

    /** The final validation perplexity; NaN for a run that diverged. */
    private static double finalPerplexity(JsonObject run) {
        if (run.has("status") && TrainingReport.DIVERGED.equals(run.get("status").getAsString())) {
            return Double.NaN;
        }
        return run.getAsJsonObject("final").get("val_ppl").getAsDouble();
    }

    /** The mean over the given projection kinds of a history's last entry; NaN if none. */
    private static double lastMean(JsonObject run, String history, List<String> kinds) {
        JsonObject layers = lastLayers(run, history);
        if (layers == null) {
            return Double.NaN;
        }
        double sum = 0;
        int count = 0;
        for (Map.Entry<String, JsonElement> layer : layers.entrySet()) {
            Optional<ProjectionName> name = ProjectionName.parse(layer.getKey());
            if (name.isPresent()
                    && kinds.contains(name.get().kind())
                    && !layer.getValue().isJsonNull()) {
                sum += layer.getValue().getAsDouble();
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The per-projection values of a history's last entry, or {@code null} without one. */
    private static JsonObject lastLayers(JsonObject run, String history) {
        JsonArray entries = run.has(history) ? run.getAsJsonArray(history) : new JsonArray();
        return entries.isEmpty()
                ? null
                : entries.get(entries.size() - 1).getAsJsonObject().getAsJsonObject("layers");
    }

    /** Projection → the last OCR of each seed's run, by layer then kind. */
    private Map<ProjectionName, double[]> lastPerProjection(String row) {
        List<JsonObject> runs = reports.getOrDefault(row, List.of());
        Map<ProjectionName, double[]> values = new TreeMap<>();
        for (int r = 0; r < runs.size(); r++) {
            JsonObject layers = lastLayers(runs.get(r), "ocr");
            if (layers == null) {
                continue;
            }
            for (Map.Entry<String, JsonElement> layer : layers.entrySet()) {
                int seed = r;
                ProjectionName.parse(layer.getKey())
                        .ifPresent(
                                name ->
                                        values.computeIfAbsent(name, k -> nans(runs.size()))[seed] =
                                                layer.getValue().getAsDouble());
            }
        }
        return values;
    }

    /** Layer → step → the seeds' mean OCR, for one projection kind. */
    private Map<Integer, Map<Long, Double>> meanCurves(String row, String projection) {
        List<JsonObject> runs = reports.getOrDefault(row, List.of());
        Map<Integer, Map<Long, double[]>> sums = new TreeMap<>();
        for (JsonObject run : runs) {
            for (JsonElement element : run.getAsJsonArray("ocr")) {
                JsonObject entry = element.getAsJsonObject();
                long step = entry.get("step").getAsLong();
                for (Map.Entry<String, JsonElement> layer :
                        entry.getAsJsonObject("layers").entrySet()) {
                    Optional<ProjectionName> name = ProjectionName.parse(layer.getKey());
                    if (name.isPresent() && name.get().kind().equals(projection)) {
                        double[] sum =
                                sums.computeIfAbsent(name.get().layer(), k -> new TreeMap<>())
                                        .computeIfAbsent(step, k -> new double[2]);
                        sum[0] += layer.getValue().getAsDouble();
                        sum[1]++;
                    }
                }
            }
        }
        Map<Integer, Map<Long, Double>> curves = new TreeMap<>();
        sums.forEach(
                (layer, points) -> {
                    Map<Long, Double> curve = new TreeMap<>();
                    points.forEach((step, sum) -> curve.put(step, sum[0] / sum[1]));
                    curves.put(layer, curve);
                });
        return curves;
    }

    /** NaN where a run has no value: a mean over the seeds is then NaN, not biased by a 0. */
    private static double[] nans(int size) {
        double[] values = new double[size];
        java.util.Arrays.fill(values, Double.NaN);
        return values;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** "mean [v1, v2]", or "n/a" without values. */
    private static String cell(List<Double> values, String format) {
        if (values.isEmpty()) {
            return "n/a";
        }
        double sum = 0;
        List<String> each = new ArrayList<>();
        for (double value : values) {
            sum += value;
            each.add(String.format(Locale.ROOT, format, value));
        }
        return String.format(Locale.ROOT, format, sum / values.size())
                + (values.size() > 1 ? " [" + String.join(", ", each) + "]" : "");
    }
}
