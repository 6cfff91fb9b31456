package org.chtsl.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chtsl.examples.plot.Figure;
import org.chtsl.examples.plot.Palette;
import org.chtsl.examples.plot.Series;
import org.chtsl.examples.plot.Smoothing;
import org.chtsl.examples.plot.XyChart;

/**
 * The plots of a {@link TrainLlama} run, as PNG bytes by file name: {@code loss.png} (training loss
 * raw and smoothed, validation loss), {@code ppl.png} (validation perplexity), {@code density.png}
 * ({@link DensityPlot}) and {@code ocr.png} ({@link OcrPlot}).
 */
final class TrainingPlots {

    /** A full-size chart's width. */
    static final int WIDTH = 1200;

    /** A full-size chart's height. */
    static final int HEIGHT = 640;

    private TrainingPlots() {}

    /**
     * Draws every plot of a report.
     *
     * @param report the report
     * @return file name → PNG bytes, in the order the report page shows them
     */
    static Map<String, byte[]> draw(TrainingReport report) {
        Map<String, byte[]> plots = new LinkedHashMap<>();
        String context = context(report.config);
        plots.put("loss.png", loss(report, context));
        plots.put("ppl.png", perplexity(report, context));
        plots.put(
                "density.png",
                DensityPlot.draw(
                        DensityHistory.of(
                                report.topologyUpdates,
                                report.sizes,
                                report.parameters,
                                lastStep(report)),
                        report.config,
                        context));
        plots.put("ocr.png", OcrPlot.draw(report.overlap, context));
        return plots;
    }

    /**
     * What every plot's subtitle starts with: the model, the method, the total sparsity (for a
     * sparse method).
     */
    static String context(Map<String, Object> config) {
        List<String> parts = new ArrayList<>();
        if (config.get("model") != null) {
            parts.add("LLaMA-" + config.get("model"));
        }
        if (config.get("method") != null) {
            parts.add(String.valueOf(config.get("method")));
        }
        if (config.get("sparsity") instanceof Number sparsity
                && !"dense".equals(config.get("method"))) {
            parts.add(String.format(Locale.ROOT, "total sparsity %.2f", sparsity.doubleValue()));
        }
        return String.join(", ", parts);
    }

    /** The last step trained; 0 before training. */
    static long lastStep(TrainingReport report) {
        long last = 0;
        for (double[] point : report.trainLosses) {
            last = Math.max(last, (long) point[0]);
        }
        return last;
    }

    private static byte[] loss(TrainingReport report, String context) {
        // a diverged step's non-finite loss is left out, so that it cannot spread over the average
        double[][] finite =
                report.trainLosses.stream()
                        .filter(point -> Double.isFinite(point[1]))
                        .toArray(double[][]::new);
        int n = finite.length;
        double[] steps = new double[n];
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = finite[i][0];
            losses[i] = finite[i][1];
        }
        int window = Smoothing.windowFor(n);
        XyChart.Builder chart =
                XyChart.builder()
                        .setTitle("Loss")
                        .optSubtitle(context + "; cross-entropy per token")
                        .setAxes("step", "loss (cross-entropy)");
        if (window > 1) {
            chart.addSeries(
                            Series.of("training, every step", Series.Look.FAINT_LINE, steps, losses)
                                    .withColor(Palette.color(0)))
                    .addSeries(
                            Series.of(
                                            "training, centred moving average of "
                                                    + window
                                                    + " steps",
                                            Series.Look.LINE,
                                            steps,
                                            Smoothing.centredMovingAverage(losses, window))
                                    .withColor(Palette.color(0)));
        } else {
            chart.addSeries(
                    Series.of("training", Series.Look.LINE, steps, losses)
                            .withColor(Palette.color(0)));
        }
        chart.addSeries(
                Series.of(
                                "validation",
                                Series.Look.LINE,
                                evalSteps(report),
                                evals(report, "val_loss"))
                        .withColor(Palette.color(1)));
        return Figure.png(chart.build().chart(), WIDTH, HEIGHT);
    }

    private static byte[] perplexity(TrainingReport report, String context) {
        XyChart chart =
                XyChart.builder()
                        .setTitle("Validation perplexity")
                        .optSubtitle(context + "; exp(validation loss)")
                        .setAxes("step", "perplexity")
                        .addSeries(
                                Series.of(
                                                "validation perplexity",
                                                Series.Look.LINE,
                                                evalSteps(report),
                                                evals(report, "val_ppl"))
                                        .withColor(Palette.color(1)))
                        .build();
        return Figure.png(chart.chart(), WIDTH, HEIGHT);
    }

    private static double[] evalSteps(TrainingReport report) {
        return report.evals.stream()
                .mapToDouble(e -> ((Number) e.get("step")).doubleValue())
                .toArray();
    }

    private static double[] evals(TrainingReport report, String key) {
        return report.evals.stream()
                .mapToDouble(e -> ((Number) e.get(key)).doubleValue())
                .toArray();
    }
}
