package org.chtsl.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chtsl.training.LayerUpdateRecord;
import org.chtsl.training.TopologyUpdateRecord;
import org.chtsl.util.ProcessMemory;

/**
 * {@code report.html} of a {@link TrainLlama} run, one self-contained file ({@link HtmlPage}): its
 * status, final numbers and parameter counts, every plot, the topology updates (one row per update
 * with totals, the layers' rows collapsed) and the resolved configuration.
 */
final class RunPage {

    private RunPage() {}

    /**
     * Writes the page's HTML.
     *
     * @param report the run's report
     * @param dir the run's folder (its name titles the page)
     * @param plots the plots, file name → PNG bytes
     * @return the HTML document
     */
    static String html(TrainingReport report, Path dir, Map<String, byte[]> plots) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        HtmlPage page = new HtmlPage("Training run " + (name == null ? dir : name));
        page.paragraph(
                "Status: "
                        + report.status
                        + (report.reason == null ? "" : " — " + report.reason)
                        + (report.resumedAt.isEmpty()
                                ? ""
                                : "; resumed at steps " + report.resumedAt)
                        + ". "
                        + TrainingPlots.context(report.config)
                        + ".",
                "status");
        page.heading("Results").table(List.of("result", "value"), results(report));
        page.heading("Parameters").table(List.of("count", "value"), numbers(report.parameters));
        page.heading("Plots");
        plots.forEach(page::image);
        topology(page, report.topologyUpdates);
        page.heading("Configuration (resolved)")
                .table(List.of("key", "value"), RunConfig.flatten(report.config));
        return page.html();
    }

    private static Map<String, String> results(TrainingReport report) {
        Map<String, String> results = new LinkedHashMap<>();
        if (report.evals.isEmpty()) {
            results.put("final validation perplexity", "n/a (no evaluation)");
        } else {
            Map<String, Object> last = report.evals.get(report.evals.size() - 1);
            results.put("final validation perplexity", format("%.2f", last.get("val_ppl")));
            results.put("final validation loss", format("%.4f", last.get("val_loss")));
            results.put("evaluated at step", String.valueOf(last.get("step")));
        }
        results.put("steps trained", String.valueOf(TrainingPlots.lastStep(report)));
        results.put(
                "throughput",
                Double.isNaN(report.tokensPerSecond)
                        ? "n/a"
                        : format("%.0f tokens/s", report.tokensPerSecond));
        results.put(
                "peak memory (resident)",
                format("%.2f GiB", ProcessMemory.peakResidentBytes() / (double) (1L << 30)));
        return results;
    }

    private static Map<String, String> numbers(Map<String, Object> counts) {
        Map<String, String> formatted = new LinkedHashMap<>();
        counts.forEach(
                (key, value) ->
                        formatted.put(
                                key,
                                value instanceof Double || value instanceof Float
                                        ? format("%.4f", value)
                                        : value instanceof Number
                                                ? format("%,d", ((Number) value).longValue())
                                                : String.valueOf(value)));
        return formatted;
    }

    private static void topology(HtmlPage page, List<TopologyUpdateRecord> updates) {
        page.heading("Topology updates");
        if (updates.isEmpty()) {
            page.paragraph(
                    "No topology update: a static method, or the run ended before the first.",
                    null);
            return;
        }
        List<List<String>> totals = new ArrayList<>();
        List<List<String>> layers = new ArrayList<>();
        for (TopologyUpdateRecord update : updates) {
            long removed = 0;
            long regrown = 0;
            double density = 0;
            double churn = 0;
            for (LayerUpdateRecord layer : update.layers()) {
                removed += layer.removed();
                regrown += layer.regrown();
                density += layer.density();
                churn += layer.churn();
                layers.add(
                        List.of(
                                String.valueOf(update.step()),
                                layer.name(),
                                format("%.4f", layer.density()),
                                format("%,d", layer.removed()),
                                format("%,d", layer.regrown()),
                                format("%.4f", layer.churn()),
                                format("%.4f", layer.overlap()),
                                format("%.4f", layer.coverage())));
            }
            int count = Math.max(1, update.layers().size());
            totals.add(
                    List.of(
                            String.valueOf(update.step()),
                            format("%.2f", update.seconds()),
                            String.valueOf(update.layers().size()),
                            format("%.4f", density / count),
                            format("%,d", removed),
                            format("%,d", regrown),
                            format("%.4f", churn / count)));
        }
        page.table(
                List.of(
                        "step",
                        "seconds",
                        "layers",
                        "mean density",
                        "links removed",
                        "links regrown",
                        "mean churn"),
                totals);
        page.details(
                "Every layer at every update (" + layers.size() + " rows)",
                inner ->
                        inner.table(
                                List.of(
                                        "step",
                                        "layer",
                                        "density",
                                        "removed",
                                        "regrown",
                                        "churn",
                                        "overlap",
                                        "coverage"),
                                layers));
    }

    private static String format(String pattern, Object value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
