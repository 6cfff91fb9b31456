package org.chtsl.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chtsl.examples.plot.Figure;
import org.chtsl.examples.plot.Series;
import org.chtsl.examples.plot.XyChart;
import org.chtsl.util.AtomicFiles;

/**
 * {@link TrainMlp}'s plots, {@code accuracy.png} (test accuracy per epoch) and {@code neurons.png}
 * (active neurons per layer and epoch), and its {@code report.html} with both embedded.
 */
final class MlpPlots {

    private MlpPlots() {}

    /**
     * Writes the plots and the page into the run's folder, each file atomically.
     *
     * @param out the folder
     * @param config the run's options
     * @param label the run's method, as the legend names it
     * @param result what the run measured
     * @throws IOException if writing fails
     */
    static void write(
            Path out, Map<String, Object> config, String label, MlpExperiment.Result result)
            throws IOException {
        int epochs = result.accuracy().size();
        double[] x = new double[epochs];
        double[] accuracy = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
            accuracy[e] = result.accuracy().get(e);
        }
        String context =
                String.format(
                        Locale.ROOT,
                        "MNIST MLP 784-1000-1000-1000-10, %s, density %s",
                        label,
                        config.get("density"));
        XyChart.Builder neurons =
                XyChart.builder()
                        .setTitle("Active neurons")
                        .optSubtitle(context + "; neurons with at least one link, per layer")
                        .setAxes("epoch", "active neurons");
        int layers = epochs == 0 ? 0 : result.activeNeurons().get(0).length;
        for (int layer = 0; layer < layers; layer++) {
            double[] active = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                active[e] = result.activeNeurons().get(e)[layer];
            }
            neurons.addSeries(
                    Series.of(
                            layer == 0 ? "input" : "hidden " + layer, Series.Look.LINE, x, active));
        }
        Map<String, byte[]> plots = new LinkedHashMap<>();
        plots.put(
                "accuracy.png",
                png(
                        XyChart.builder()
                                .setTitle("Test accuracy")
                                .optSubtitle(context)
                                .setAxes("epoch", "test accuracy")
                                .addSeries(Series.of(label, Series.Look.LINE, x, accuracy))
                                .build()));
        plots.put("neurons.png", png(neurons.build()));
        for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
            AtomicFiles.write(out.resolve(plot.getKey()), os -> os.write(plot.getValue()));
        }
        AtomicFiles.writeString(out.resolve("report.html"), page(out, config, result, plots));
    }

    private static byte[] png(XyChart chart) {
        return Figure.png(chart.chart(), TrainingPlots.WIDTH, TrainingPlots.HEIGHT);
    }

    private static String page(
            Path out,
            Map<String, Object> config,
            MlpExperiment.Result result,
            Map<String, byte[]> plots) {
        Path name = out.toAbsolutePath().normalize().getFileName();
        HtmlPage page = new HtmlPage("MNIST MLP run " + (name == null ? out : name));
        List<List<String>> rows = new ArrayList<>();
        for (int e = 0; e < result.accuracy().size(); e++) {
            rows.add(
                    List.of(
                            String.valueOf(e + 1),
                            String.format(Locale.ROOT, "%.4f", result.accuracy().get(e)),
                            Arrays.toString(result.activeNeurons().get(e)),
                            Arrays.toString(result.links().get(e))));
        }
        page.heading("Per epoch")
                .table(List.of("epoch", "test accuracy", "active neurons", "links"), rows)
                .heading("Plots");
        plots.forEach(page::image);
        page.heading("Options").table(List.of("option", "value"), RunConfig.flatten(config));
        return page.html();
    }
}
