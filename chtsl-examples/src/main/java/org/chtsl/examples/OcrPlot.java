package org.chtsl.examples;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.chtsl.examples.plot.Figure;
import org.chtsl.examples.plot.GridLayout;
import org.chtsl.examples.plot.Palette;
import org.chtsl.examples.plot.Series;
import org.chtsl.examples.plot.SmallMultiples;
import org.chtsl.examples.plot.XyChart;
import org.chtsl.training.OverlapRecorder;

/**
 * {@code ocr.png}: the overlap cancellation ratio of every projection over the run, as the CHTsL
 * paper's Figure 2 shows it: a grid with one row per decoder layer and one column per projection
 * kind, the panels sharing their axes. Also PaperClaims' {@code ocr-q.png} … {@code ocr-o.png}
 * ({@link #comparison}).
 */
final class OcrPlot {

    /** The one-line definition every OCR plot states. */
    static final String DEFINITION =
            "OCR = Σ min(|S|,|L|)·[S·L < 0] / Σ min(|S|,|L|) over a projection's outputs: the"
                    + " share of the overlap of the sparse (S) and low-rank (L) branches' outputs"
                    + " that cancels (0: none, 1: all).";

    private static final String TITLE = "Overlap cancellation ratio (OCR) of every projection";

    private OcrPlot() {}

    /**
     * Draws the grid.
     *
     * @param overlap the recorded ratios, by step
     * @param context the subtitle's start (model, method, sparsity)
     * @return the PNG bytes
     */
    static byte[] draw(List<OverlapRecorder.Entry> overlap, String context) {
        Optional<SmallMultiples> grid = grid(overlap, context);
        if (grid.isEmpty()) {
            XyChart empty =
                    XyChart.builder()
                            .setTitle(TITLE)
                            .optSubtitle(context + "; " + DEFINITION)
                            .setAxes("step", "OCR")
                            .optNoDataMessage(
                                    "no OCR recorded: the method has no low-rank branch, or the"
                                            + " run stopped before the first record")
                            .build();
            return Figure.png(empty.chart(), TrainingPlots.WIDTH, TrainingPlots.HEIGHT / 2);
        }
        return Figure.png(grid.get(), grid.get().width(), grid.get().height());
    }

    /**
     * The grid: one row per layer, one column per kind, in a decoder layer's order.
     *
     * @param overlap the recorded ratios, by step
     * @param context the subtitle's start
     * @return the grid, or empty without a ratio
     */
    static Optional<SmallMultiples> grid(List<OverlapRecorder.Entry> overlap, String context) {
        Map<ProjectionName, Map<Long, Double>> curves = new TreeMap<>();
        for (OverlapRecorder.Entry entry : overlap) {
            entry.layers()
                    .forEach(
                            (name, value) ->
                                    ProjectionName.parse(name)
                                            .ifPresent(
                                                    p ->
                                                            curves.computeIfAbsent(
                                                                            p, k -> new TreeMap<>())
                                                                    .put(entry.step(), value)));
        }
        if (curves.isEmpty()) {
            return Optional.empty();
        }
        List<Integer> layers =
                curves.keySet().stream().map(ProjectionName::layer).distinct().sorted().toList();
        List<String> kinds =
                curves.keySet().stream()
                        .map(ProjectionName::kind)
                        .distinct()
                        .sorted(ProjectionName.KIND_ORDER)
                        .toList();
        SmallMultiples.Builder grid =
                SmallMultiples.builder(layers.size(), kinds.size())
                        .setTitle(TITLE)
                        .optSubtitle(context + "; " + DEFINITION)
                        .setAxes("step", "OCR")
                        .optRowLabels(layers.stream().map(l -> "layer " + l).toList())
                        .optColumnLabels(kinds.stream().map(k -> k + "_proj").toList())
                        .optCellSize(200, 150);
        Palette palette = new Palette();
        curves.forEach(
                (projection, points) ->
                        grid.setPanel(
                                layers.indexOf(projection.layer()),
                                kinds.indexOf(projection.kind()),
                                XyChart.builder()
                                        .optPalette(palette)
                                        .addSeries(Series.of("OCR", Series.Look.LINE, points))
                                        .build()));
        return Optional.of(grid.build());
    }

    /**
     * PaperClaims' figure of one projection kind: a panel per layer, the seeds' mean OCR without (λ
     * 0) and with (λ 0.5) alignment in each.
     *
     * @param projection the kind, e.g. {@code q}
     * @param without layer → step → OCR of the runs without alignment
     * @param with layer → step → OCR of the runs with it
     * @return the PNG bytes
     */
    static byte[] comparison(
            String projection,
            Map<Integer, Map<Long, Double>> without,
            Map<Integer, Map<Long, Double>> with) {
        SortedSet<Integer> layers = new TreeSet<>(without.keySet());
        layers.addAll(with.keySet());
        String title = "OCR of " + projection + "_proj per layer, without and with alignment";
        String subtitle = "Mean over seeds. " + DEFINITION;
        if (layers.isEmpty()) {
            XyChart empty =
                    XyChart.builder()
                            .setTitle(title)
                            .optSubtitle(subtitle)
                            .setAxes("step", "OCR")
                            .build();
            return Figure.png(empty.chart(), TrainingPlots.WIDTH, TrainingPlots.HEIGHT / 2);
        }
        int columns = Math.min(4, layers.size());
        SmallMultiples.Builder grid =
                SmallMultiples.builder(GridLayout.rowsFor(layers.size(), columns), columns)
                        .setTitle(title)
                        .optSubtitle(subtitle)
                        .setAxes("step", "OCR")
                        .optCellSize(340, 240);
        int index = 0;
        for (int layer : layers) {
            XyChart.Builder panel = XyChart.builder().setTitle("layer " + layer);
            if (without.containsKey(layer)) {
                panel.addSeries(
                        Series.of("λ 0 (Act)", Series.Look.LINE, without.get(layer))
                                .withColor(Palette.color(1)));
            }
            if (with.containsKey(layer)) {
                panel.addSeries(
                        Series.of("λ 0.5 (Act+Align)", Series.Look.LINE, with.get(layer))
                                .withColor(Palette.color(0)));
            }
            grid.setPanel(index / columns, index % columns, panel.build());
            index++;
        }
        SmallMultiples figure = grid.build();
        return Figure.png(figure, figure.width(), figure.height());
    }
}
