package org.chtsl.examples.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.Drawable;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;

/**
 * A grid of small panels that share both axes' ranges, so that panels compare at a glance: a title
 * and subtitle on top, optional row and column headers, the axis labels once, and one legend for
 * all panels at the bottom (every name with the colour it has in all panels).
 */
public final class SmallMultiples implements Drawable {

    private static final int ROW_HEADER = 84;
    private static final int COLUMN_HEADER = 24;
    private static final int AXIS_CAPTION = 24;
    private static final int MIN_WIDTH = 900;

    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final List<String> rowLabels;
    private final List<String> columnLabels;
    private final XyChart[][] panels;
    private final int cellWidth;
    private final int cellHeight;

    private SmallMultiples(Builder builder) {
        ChartStyle.headless();
        title = builder.title;
        subtitle = builder.subtitle;
        xLabel = builder.xLabel;
        yLabel = builder.yLabel;
        rowLabels = builder.rowLabels;
        columnLabels = builder.columnLabels;
        panels = builder.panels;
        cellWidth = builder.cellWidth;
        cellHeight = builder.cellHeight;
    }

    /**
     * Creates a builder of a grid.
     *
     * @param rows the rows of panels (≥ 1)
     * @param columns the columns of panels (≥ 1)
     * @return a new builder
     */
    public static Builder builder(int rows, int columns) {
        return new Builder(rows, columns);
    }

    /**
     * Returns the rows of panels.
     *
     * @return the rows
     */
    public int rows() {
        return panels.length;
    }

    /**
     * Returns the columns of panels.
     *
     * @return the columns
     */
    public int columns() {
        return panels[0].length;
    }

    /**
     * Counts the panels that have a chart.
     *
     * @return the count
     */
    public int panelCount() {
        int count = 0;
        for (XyChart[] row : panels) {
            for (XyChart panel : row) {
                count += panel == null ? 0 : 1;
            }
        }
        return count;
    }

    /**
     * The width the grid is drawn best at: its cells', but at least {@value #MIN_WIDTH} pixels (the
     * cells widen), so that a grid of one or two panels has room for its title.
     *
     * @return pixels
     */
    public int width() {
        return Math.max(MIN_WIDTH, AXIS_CAPTION + rowHeader() + panels[0].length * cellWidth);
    }

    /**
     * The height the grid needs at its {@link #width()}.
     *
     * @return pixels
     */
    public int height() {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            double text = 0;
            for (Title block : titles()) {
                text += Titles.height(block, g, width());
            }
            return (int)
                    Math.ceil(
                            text
                                    + Titles.height(legend(), g, width())
                                    + columnHeader()
                                    + panels.length * cellHeight
                                    + (xLabel == null ? 0 : AXIS_CAPTION));
        } finally {
            g.dispose();
        }
    }

    /**
     * Lays the panels out in an area (headers, captions and legend left out).
     *
     * @param grid the area of the panels and their headers
     * @return where each panel goes
     */
    public GridLayout layout(Rectangle2D grid) {
        return GridLayout.of(grid, panels.length, panels[0].length, rowHeader(), columnHeader());
    }

    /** {@inheritDoc} */
    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        double top = area.getY();
        for (Title block : titles()) {
            double h = Titles.height(block, g, area.getWidth());
            Titles.drawCentred(
                    g, block, new Rectangle2D.Double(area.getX(), top, area.getWidth(), h));
            top += h;
        }
        LegendTitle legend = legend();
        double legendHeight = Titles.height(legend, g, area.getWidth());
        double bottom = area.getMaxY() - legendHeight;
        Titles.drawCentred(
                g,
                legend,
                new Rectangle2D.Double(area.getX(), bottom, area.getWidth(), legendHeight));
        if (xLabel != null) {
            bottom -= AXIS_CAPTION;
            Titles.drawCentred(
                    g,
                    caption(xLabel, ChartStyle.AXIS_LABEL),
                    new Rectangle2D.Double(
                            area.getX() + AXIS_CAPTION + rowHeader(),
                            bottom,
                            area.getWidth() - AXIS_CAPTION - rowHeader(),
                            AXIS_CAPTION));
        }
        Rectangle2D grid =
                new Rectangle2D.Double(
                        area.getX() + AXIS_CAPTION,
                        top,
                        area.getWidth() - AXIS_CAPTION,
                        bottom - top);
        if (yLabel != null) {
            Titles.drawUpwards(
                    g,
                    yLabel,
                    area.getX() + AXIS_CAPTION / 2.0,
                    grid.getCenterY() + columnHeader() / 2.0);
        }
        drawGrid(g, layout(grid));
    }

    private void drawGrid(Graphics2D g, GridLayout layout) {
        for (int r = 0; r < layout.rowHeaders().size(); r++) {
            Titles.drawCentred(
                    g, caption(rowLabels.get(r), ChartStyle.HEADER), layout.rowHeaders().get(r));
        }
        for (int c = 0; c < layout.columnHeaders().size(); c++) {
            Titles.drawCentred(
                    g,
                    caption(columnLabels.get(c), ChartStyle.HEADER),
                    layout.columnHeaders().get(c));
        }
        Range[] ranges = sharedRanges();
        for (int r = 0; r < panels.length; r++) {
            for (int c = 0; c < panels[r].length; c++) {
                if (panels[r][c] != null) {
                    panels[r][c].panel(ranges[0], ranges[1]).draw(g, layout.cell(r, c));
                }
            }
        }
    }

    /** The x and y ranges of all panels' data together. */
    private Range[] sharedRanges() {
        double[] all = {
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        boolean whole = true;
        for (XyChart[] row : panels) {
            for (XyChart panel : row) {
                if (panel != null) {
                    double[] bounds = panel.bounds();
                    for (int i = 0; i < 4; i += 2) {
                        all[i] = Math.min(all[i], bounds[i]);
                        all[i + 1] = Math.max(all[i + 1], bounds[i + 1]);
                    }
                    whole &= panel.wholeX();
                }
            }
        }
        return new Range[] {
            AxisRanges.positions(all[0], all[1], whole), AxisRanges.values(all[2], all[3])
        };
    }

    private List<Title> titles() {
        List<Title> titles = new ArrayList<>();
        titles.add(Titles.text(title, ChartStyle.TITLE, new RectangleInsets(8, 8, 2, 8)));
        if (subtitle != null) {
            titles.add(
                    Titles.text(subtitle, ChartStyle.SUBTITLE, new RectangleInsets(2, 12, 8, 12)));
        }
        return titles;
    }

    /** One legend for every panel: each name once, in the order the panels first show it. */
    private LegendTitle legend() {
        Map<String, LegendItem> items = new LinkedHashMap<>();
        for (XyChart[] row : panels) {
            for (XyChart panel : row) {
                if (panel != null) {
                    LegendItemCollection entries = panel.legendItems();
                    for (int i = 0; i < entries.getItemCount(); i++) {
                        items.putIfAbsent(entries.get(i).getLabel(), entries.get(i));
                    }
                }
            }
        }
        return Titles.legend(items.values());
    }

    private static TextTitle caption(String text, Font font) {
        return Titles.text(text, font, RectangleInsets.ZERO_INSETS);
    }

    private int rowHeader() {
        return rowLabels == null ? 0 : ROW_HEADER;
    }

    private int columnHeader() {
        return columnLabels == null ? 0 : COLUMN_HEADER;
    }

    /** Builds a {@link SmallMultiples}. */
    public static final class Builder extends LabelledBuilder<Builder> {
        private List<String> rowLabels;
        private List<String> columnLabels;
        private final XyChart[][] panels;
        private int cellWidth = 240;
        private int cellHeight = 180;

        private Builder(int rows, int columns) {
            GridLayout.checkSize(rows, columns);
            panels = new XyChart[rows][columns];
        }

        /**
         * Sets the row headers.
         *
         * @param labels one per row
         * @return this builder
         * @throws IllegalArgumentException for another number of labels
         */
        public Builder optRowLabels(List<String> labels) {
            rowLabels = checked(labels, panels.length, "row");
            return this;
        }

        /**
         * Sets the column headers.
         *
         * @param labels one per column
         * @return this builder
         * @throws IllegalArgumentException for another number of labels
         */
        public Builder optColumnLabels(List<String> labels) {
            columnLabels = checked(labels, panels[0].length, "column");
            return this;
        }

        /**
         * Sets the size of one panel at the grid's preferred size.
         *
         * @param width its width
         * @param height its height
         * @return this builder
         */
        public Builder optCellSize(int width, int height) {
            cellWidth = width;
            cellHeight = height;
            return this;
        }

        /**
         * Sets a panel (its title, if any, is shown small above it).
         *
         * @param row its row
         * @param column its column
         * @param panel the chart; cells without one stay empty
         * @return this builder
         */
        public Builder setPanel(int row, int column, XyChart panel) {
            panels[row][column] = panel;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the grid.
         *
         * @return the grid
         */
        public SmallMultiples build() {
            return new SmallMultiples(this);
        }

        private static List<String> checked(List<String> labels, int expected, String what) {
            if (labels.size() != expected) {
                throw new IllegalArgumentException(
                        "A grid with "
                                + expected
                                + " "
                                + what
                                + "s needs as many labels, got "
                                + labels.size()
                                + ".");
            }
            return List.copyOf(labels);
        }
    }
}
