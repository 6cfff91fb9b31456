package org.chtsl.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * The look every chart shares: fonts, strokes, markers and gridlines; and AWT's headless mode, so
 * that charts draw on machines without a display.
 */
public final class ChartStyle {

    /** Series with at most this many points get a marker at each point. */
    public static final int FEW_POINTS = 30;

    /** A chart's title. */
    public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);

    /** A chart's subtitle (what is plotted, definitions). */
    public static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    /** Axis labels. */
    public static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);

    /** Tick labels of a full-size chart. */
    public static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** Tick labels of a small panel. */
    public static final Font PANEL_TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /** The title of a small panel. */
    public static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);

    /** Row and column headers of a grid of panels. */
    public static final Font HEADER = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    /** Legend entries. */
    public static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    /** Text colour. */
    public static final Color TEXT = new Color(0x222222);

    /** Gridline colour. */
    public static final Color GRID = new Color(0xdddddd);

    /** The stroke of a series' line. */
    public static final Stroke LINE = new BasicStroke(2.2f);

    /** The stroke of a faint series (raw values under a smoothed curve). */
    public static final Stroke FAINT_LINE = new BasicStroke(1f);

    /** The marker at a point. */
    public static final Shape MARKER = new Ellipse2D.Double(-3.5, -3.5, 7, 7);

    /** The marker of a point-only series. */
    public static final Shape POINT = new Rectangle2D.Double(-4, -4, 8, 8);

    /** The line sample of a legend entry. */
    public static final Line2D LEGEND_LINE = new Line2D.Double(-14, 0, 14, 0);

    private ChartStyle() {}

    /**
     * Switches AWT to headless mode; called before anything is drawn (AWT reads the switch once).
     */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * A lighter version of a colour, for faint series.
     *
     * @param color the colour
     * @return the colour mixed 55% with white
     */
    public static Color light(Color color) {
        return new Color(mix(color.getRed()), mix(color.getGreen()), mix(color.getBlue()));
    }

    private static int mix(int channel) {
        return (int) Math.round(channel * 0.45 + 255 * 0.55);
    }
}
