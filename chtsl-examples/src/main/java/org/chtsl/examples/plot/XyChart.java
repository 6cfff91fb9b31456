package org.chtsl.examples.plot;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of named {@link Series}: round ticks (whole ones for steps and epochs), axes that
 * fit the data with a margin ({@link AxisRanges}), markers where points are few, and the legend,
 * with line samples, below the data. Later series are drawn over earlier ones.
 */
public final class XyChart {

    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final boolean wholeX;
    private final boolean steps;
    private final boolean fromZero;
    private final String noData;
    private final List<Series> series;
    private final Palette palette;

    private XyChart(Builder builder) {
        ChartStyle.headless();
        title = builder.title;
        subtitle = builder.subtitle;
        xLabel = builder.xLabel;
        yLabel = builder.yLabel;
        wholeX = builder.wholeX;
        steps = builder.steps;
        fromZero = builder.fromZero;
        noData = builder.noData;
        series = List.copyOf(builder.series);
        palette = builder.palette;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the series.
     *
     * @return them, in drawing order
     */
    public List<Series> series() {
        return series;
    }

    /**
     * Whether the x axis has whole-number ticks.
     *
     * @return whether x values are steps or epochs
     */
    public boolean wholeX() {
        return wholeX;
    }

    /**
     * The data's extent over every series' finite points.
     *
     * @return {@code {minX, maxX, minY, maxY}}, infinite where there is no point
     */
    public double[] bounds() {
        double[] bounds = {
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        for (Series s : series) {
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) {
                if (s.isFinite(i)) {
                    bounds[0] = Math.min(bounds[0], x[i]);
                    bounds[1] = Math.max(bounds[1], x[i]);
                    bounds[2] = Math.min(bounds[2], y[i]);
                    bounds[3] = Math.max(bounds[3], y[i]);
                }
            }
        }
        return bounds;
    }

    /**
     * The chart with its title, subtitle, axis labels and legend.
     *
     * @return the chart
     */
    public JFreeChart chart() {
        double[] bounds = bounds();
        XYPlot plot =
                plot(
                        AxisRanges.positions(bounds[0], bounds[1], wholeX),
                        AxisRanges.values(fromZero ? Math.min(0, bounds[2]) : bounds[2], bounds[3]),
                        ChartStyle.TICK,
                        true);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 8, 6, 18));
        chart.getTitle().setPaint(ChartStyle.TEXT);
        if (subtitle != null) {
            chart.addSubtitle(
                    Titles.text(subtitle, ChartStyle.SUBTITLE, new RectangleInsets(2, 4, 6, 4)));
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(ChartStyle.LEGEND);
        legend.setItemPaint(ChartStyle.TEXT);
        return chart;
    }

    /**
     * The chart as a small panel of a grid: its title small, no legend or axis labels, the given
     * ranges (a grid's panels share theirs).
     *
     * @param x the x axis' range
     * @param y the y axis' range
     * @return the panel
     */
    public JFreeChart panel(Range x, Range y) {
        JFreeChart chart =
                new JFreeChart(
                        title,
                        ChartStyle.PANEL_TITLE,
                        plot(x, y, ChartStyle.PANEL_TICK, false),
                        false);
        chart.setBackgroundPaint(Color.WHITE);
        if (title != null) {
            chart.getTitle().setPaint(ChartStyle.TEXT);
        }
        chart.setPadding(new RectangleInsets(2, 2, 2, 8));
        return chart;
    }

    /**
     * The legend's entries: one per series that has a point, with its line sample and marker.
     *
     * @return the entries
     */
    public LegendItemCollection legendItems() {
        return plot(new Range(0, 1), new Range(0, 1), ChartStyle.TICK, false).getLegendItems();
    }

    private XYPlot plot(Range xRange, Range yRange, Font tickFont, boolean labels) {
        XYSeriesCollection lines = new XYSeriesCollection();
        XYSeriesCollection markers = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer =
                steps ? new XYStepRenderer() : new XYLineAndShapeRenderer();
        XYLineAndShapeRenderer markerRenderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            lines.addSeries(data(s));
            Color color = s.color() != null ? s.color() : palette.color(s.name());
            boolean faint = s.look() == Series.Look.FAINT_LINE;
            renderer.setSeriesPaint(i, faint ? ChartStyle.light(color) : color);
            renderer.setSeriesStroke(i, faint ? ChartStyle.FAINT_LINE : ChartStyle.LINE);
            renderer.setSeriesLinesVisible(i, s.look() != Series.Look.POINTS);
            renderer.setSeriesShapesVisible(i, s.hasMarkers());
            renderer.setSeriesShape(
                    i, s.look() == Series.Look.POINTS ? ChartStyle.POINT : ChartStyle.MARKER);
            renderer.setSeriesVisibleInLegend(i, s.finitePoints() > 0);
            if (steps && s.hasMarkers()) {
                // a step renderer draws no markers: a second layer draws them
                int m = markers.getSeriesCount();
                markers.addSeries(data(s));
                markerRenderer.setSeriesPaint(m, color);
                markerRenderer.setSeriesShape(m, ChartStyle.MARKER);
                markerRenderer.setSeriesVisibleInLegend(m, false);
            }
        }
        renderer.setLegendLine(ChartStyle.LEGEND_LINE);
        XYPlot plot =
                new XYPlot(
                        lines,
                        axis(labels ? xLabel : null, xRange, wholeX, tickFont, labels ? 12 : 4),
                        axis(labels ? yLabel : null, yRange, false, tickFont, labels ? 10 : 5),
                        renderer);
        if (markers.getSeriesCount() > 0) {
            plot.setDataset(1, markers);
            plot.setRenderer(1, markerRenderer);
        }
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(ChartStyle.GRID);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        plot.setDomainGridlineStroke(ChartStyle.FAINT_LINE);
        plot.setRangeGridlineStroke(ChartStyle.FAINT_LINE);
        plot.setOutlinePaint(Color.GRAY);
        plot.setNoDataMessage(noData);
        plot.setNoDataMessageFont(ChartStyle.SUBTITLE);
        plot.setNoDataMessagePaint(ChartStyle.TEXT);
        return plot;
    }

    private static XYSeries data(Series s) {
        XYSeries data = new XYSeries(s.name(), false, true);
        double[] x = s.x();
        double[] y = s.y();
        for (int p = 0; p < x.length; p++) {
            if (s.isFinite(p)) {
                data.add(x[p], y[p], false);
            }
        }
        return data;
    }

    private static NumberAxis axis(
            String label, Range range, boolean whole, Font tickFont, int maxTicks) {
        NumberAxis axis = new NumberAxis(label);
        TickUnitSource units =
                whole ? NumberAxis.createIntegerTickUnits() : NumberAxis.createStandardTickUnits();
        axis.setStandardTickUnits(units);
        axis.setAutoRange(false);
        axis.setRange(range);
        // the smallest round unit that gives at most maxTicks ticks: fewer than JFreeChart's own
        // choice (as many as the labels' widths allow), which crowds wide charts with gridlines
        axis.setTickUnit(
                (NumberTickUnit) units.getCeilingTickUnit(range.getLength() / maxTicks),
                false,
                true);
        axis.setLabelFont(ChartStyle.AXIS_LABEL);
        axis.setLabelPaint(ChartStyle.TEXT);
        axis.setTickLabelFont(tickFont);
        axis.setTickLabelPaint(ChartStyle.TEXT);
        return axis;
    }

    /** Builds an {@link XyChart}. */
    public static final class Builder extends LabelledBuilder<Builder> {
        private boolean wholeX = true;
        private boolean steps;
        private boolean fromZero;
        private String noData = "no data recorded";
        private final List<Series> series = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private Palette palette = new Palette();

        private Builder() {
            title = null; // a panel of a grid has none
            xLabel = "step";
        }

        /**
         * Gives the x axis ticks at any round value, not only whole numbers (the default).
         *
         * @return this builder
         */
        public Builder optFractionalX() {
            wholeX = false;
            return this;
        }

        /**
         * Draws the series as steps: each value holds until the next point.
         *
         * @return this builder
         */
        public Builder optSteps() {
            steps = true;
            return this;
        }

        /**
         * Starts the y axis at 0 (or below, for negative values), so that heights compare as
         * shares.
         *
         * @return this builder
         */
        public Builder optYFromZero() {
            fromZero = true;
            return this;
        }

        /**
         * Sets the message shown when no series has a point.
         *
         * @param message the message
         * @return this builder
         */
        public Builder optNoDataMessage(String message) {
            noData = message;
            return this;
        }

        /**
         * Shares a palette with other charts, so that names keep their colours.
         *
         * @param shared the palette
         * @return this builder
         */
        public Builder optPalette(Palette shared) {
            palette = shared;
            return this;
        }

        /**
         * Adds a series, drawn over those added before.
         *
         * @param added the series
         * @return this builder
         * @throws IllegalArgumentException if a series of that name was added
         */
        public Builder addSeries(Series added) {
            if (!names.add(added.name())) {
                throw new IllegalArgumentException(
                        "The chart has a series named '" + added.name() + "' already.");
            }
            series.add(added);
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the chart.
         *
         * @return the chart
         */
        public XyChart build() {
            return new XyChart(this);
        }
    }
}
