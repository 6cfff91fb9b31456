package org.chtsl.examples.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.Collection;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.block.LengthConstraintType;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.chart.ui.TextAnchor;

/**
 * Titles, captions and legends drawn outside a chart (a grid's), in the charts' style: JFreeChart
 * draws a title only after it has been arranged, which these helpers do.
 */
final class Titles {

    private Titles() {}

    /**
     * A line of text, wrapped where it is wider than its area.
     *
     * @param text the text
     * @param font its font
     * @param padding the space around it
     * @return the title
     */
    static TextTitle text(String text, Font font, RectangleInsets padding) {
        TextTitle title = new TextTitle(text, font);
        title.setPaint(ChartStyle.TEXT);
        title.setPadding(padding);
        return title;
    }

    /**
     * A legend of given entries.
     *
     * @param items the entries, in order
     * @return the legend
     */
    static LegendTitle legend(Collection<LegendItem> items) {
        LegendItemCollection collection = new LegendItemCollection();
        items.forEach(collection::add);
        LegendTitle legend = new LegendTitle(() -> collection);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(ChartStyle.LEGEND);
        legend.setItemPaint(ChartStyle.TEXT);
        legend.setPadding(new RectangleInsets(6, 8, 8, 8));
        return legend;
    }

    /**
     * The height a title needs at a width.
     *
     * @param block the title
     * @param g the graphics it is drawn with
     * @param width the width it has
     * @return pixels
     */
    static double height(Title block, Graphics2D g, double width) {
        return size(block, g, width).getHeight();
    }

    /**
     * Draws a title in the middle of an area.
     *
     * @param g the graphics
     * @param block the title
     * @param area the area
     */
    static void drawCentred(Graphics2D g, Title block, Rectangle2D area) {
        Size2D size = size(block, g, area.getWidth());
        block.draw(
                g,
                new Rectangle2D.Double(
                        area.getCenterX() - size.getWidth() / 2,
                        area.getCenterY() - size.getHeight() / 2,
                        size.getWidth(),
                        size.getHeight()));
    }

    /**
     * Draws an axis label turned upwards, centred on a point.
     *
     * @param g the graphics
     * @param text the label
     * @param x the centre's x
     * @param y the centre's y
     */
    static void drawUpwards(Graphics2D g, String text, double x, double y) {
        g.setFont(ChartStyle.AXIS_LABEL);
        g.setPaint(ChartStyle.TEXT);
        TextUtils.drawRotatedString(
                text, g, (float) x, (float) y, TextAnchor.CENTER, -Math.PI / 2, TextAnchor.CENTER);
    }

    /** Arranges a title at its natural width, or wrapped to the width where it is wider. */
    private static Size2D size(Title block, Graphics2D g, double width) {
        Size2D natural = block.arrange(g, RectangleConstraint.NONE);
        if (natural.getWidth() <= width) {
            return natural;
        }
        return block.arrange(
                g,
                new RectangleConstraint(
                        width,
                        null,
                        LengthConstraintType.FIXED,
                        0,
                        null,
                        LengthConstraintType.NONE));
    }
}
