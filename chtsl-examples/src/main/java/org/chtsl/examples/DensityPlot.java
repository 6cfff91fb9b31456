package org.chtsl.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.chtsl.examples.plot.Figure;
import org.chtsl.examples.plot.GridLayout;
import org.chtsl.examples.plot.Palette;
import org.chtsl.examples.plot.Series;
import org.chtsl.examples.plot.SmallMultiples;
import org.chtsl.examples.plot.XyChart;

/**
 * {@code density.png}: the projections' total density over the run with its two branches' shares
 * ({@link DensityHistory}), and below it one small panel per projection kind ({@code q_proj} …
 * {@code down_proj}) with one line per decoder layer: that layer's sparse density.
 */
final class DensityPlot {

    private static final int COLUMNS = 4;
    private static final int MAIN_HEIGHT = 480;

    private DensityPlot() {}

    /**
     * Draws the figure.
     *
     * @param history the densities
     * @param config the run's configuration (its total sparsity)
     * @param context the subtitle's start (model, method, sparsity)
     * @return the PNG bytes
     */
    static byte[] draw(DensityHistory history, Map<String, Object> config, String context) {
        XyChart main = total(history, config, context);
        Optional<SmallMultiples> grid = perLayer(history);
        if (grid.isEmpty()) {
            return Figure.png(main.chart(), TrainingPlots.WIDTH, TrainingPlots.HEIGHT);
        }
        return Figure.png(
                grid.get().width(),
                List.of(
                        new Figure.Part(main.chart(), MAIN_HEIGHT),
                        new Figure.Part(grid.get(), grid.get().height())));
    }

    /**
     * The per-layer grid: one panel per projection kind, {@value #COLUMNS} to a row.
     *
     * @param history the densities
     * @return the grid, or empty for a model without sparse layers
     */
    static Optional<SmallMultiples> perLayer(DensityHistory history) {
        Map<String, List<Series>> panels = perKind(history);
        return panels.isEmpty() ? Optional.empty() : Optional.of(grid(panels));
    }

    private static XyChart total(
            DensityHistory history, Map<String, Object> config, String context) {
        boolean sparse = !history.layers.isEmpty() || history.lowRank > 0;
        String target =
                sparse && config.get("sparsity") instanceof Number sparsity
                        ? String.format(
                                Locale.ROOT,
                                "; the configuration asks for a total density of %.3f",
                                1 - sparsity.doubleValue())
                        : "";
        XyChart.Builder chart =
                XyChart.builder()
                        .setTitle("Density of the projections")
                        .optSubtitle(
                                context
                                        + "; the share of the dense projections' weights that are"
                                        + " trained: (sparse links + low-rank parameters) / (m·n"
                                        + " summed over the projections)"
                                        + target
                                        + ". As built (step 0), after each topology update, at"
                                        + " the last step.")
                        .setAxes("step", "density")
                        .optSteps()
                        .optYFromZero()
                        .addSeries(
                                Series.of(
                                                history.lowRank > 0
                                                        ? "total (sparse + low-rank)"
                                                        : sparse
                                                                ? "total (sparse links)"
                                                                : "total (dense projections)",
                                                Series.Look.LINE,
                                                history.total)
                                        .withColor(Palette.color(0)));
        if (history.lowRank > 0) {
            NavigableMap<Long, Double> lowRank = new TreeMap<>();
            history.total.keySet().forEach(step -> lowRank.put(step, history.lowRank));
            chart.addSeries(
                            Series.of("sparse branch (links)", Series.Look.LINE, history.sparse)
                                    .withColor(Palette.color(1)))
                    .addSeries(
                            Series.of("low-rank branch (constant)", Series.Look.LINE, lowRank)
                                    .withColor(Palette.color(2)));
        }
        return chart.build();
    }

    /** Kind label → one series per layer, kinds in a decoder layer's order. */
    private static Map<String, List<Series>> perKind(DensityHistory history) {
        Map<ProjectionName, String> names = new TreeMap<>();
        List<String> others = new ArrayList<>();
        for (String name : history.layers.keySet()) {
            Optional<ProjectionName> parsed = ProjectionName.parse(name);
            if (parsed.isPresent()) {
                names.put(parsed.get(), name);
            } else {
                others.add(name);
            }
        }
        Map<String, List<Series>> panels = new LinkedHashMap<>();
        for (String kind : ProjectionName.KINDS) {
            names.forEach(
                    (projection, name) -> {
                        if (projection.kind().equals(kind)) {
                            panels.computeIfAbsent(projection.label(), k -> new ArrayList<>())
                                    .add(
                                            Series.of(
                                                    "layer " + projection.layer(),
                                                    Series.Look.LINE,
                                                    history.layers.get(name)));
                        }
                    });
        }
        for (String name : others) {
            panels.put(name, List.of(Series.of(name, Series.Look.LINE, history.layers.get(name))));
        }
        return panels;
    }

    private static SmallMultiples grid(Map<String, List<Series>> panels) {
        int columns = Math.min(COLUMNS, panels.size());
        SmallMultiples.Builder grid =
                SmallMultiples.builder(GridLayout.rowsFor(panels.size(), columns), columns)
                        .setTitle("Density per layer")
                        .optSubtitle(
                                "Each projection's sparse density (links / m·n), one line per"
                                        + " decoder layer (equal layers' lines overlap); the"
                                        + " low-rank branch adds r·(m+n)/(m·n) to it, constant.")
                        .setAxes("step", "sparse density")
                        .optCellSize(340, 230);
        Palette palette = new Palette();
        int index = 0;
        for (Map.Entry<String, List<Series>> panel : panels.entrySet()) {
            XyChart.Builder chart =
                    XyChart.builder().setTitle(panel.getKey()).optSteps().optPalette(palette);
            panel.getValue().forEach(chart::addSeries);
            grid.setPanel(index / columns, index % columns, chart.build());
            index++;
        }
        return grid.build();
    }
}
