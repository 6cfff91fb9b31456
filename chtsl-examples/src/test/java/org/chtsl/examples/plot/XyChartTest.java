package org.chtsl.examples.plot;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.Range;
import org.testng.annotations.Test;

/** Charts of degenerate inputs still read: a constant, one point, no data. */
public class XyChartTest {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private static XyChart chart(Series... series) {
        XyChart.Builder chart = XyChart.builder().setTitle("t").setAxes("step", "y");
        for (Series s : series) {
            chart.addSeries(s);
        }
        return chart.build();
    }

    private static BufferedImage decoded(byte[] png) throws IOException {
        assertEquals(
                new byte[] {png[0], png[1], png[2], png[3]},
                new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                "PNG signature");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "a readable PNG");
        return image;
    }

    /** Draws the chart and returns its data area and axis ticks. */
    private static final class Drawn {
        final Rectangle2D dataArea;
        final XYPlot plot;
        final List<String> yTicks = new ArrayList<>();
        final List<String> xTicks = new ArrayList<>();

        Drawn(JFreeChart chart) {
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT, info);
            dataArea = info.getPlotInfo().getDataArea();
            plot = chart.getXYPlot();
            Graphics2D g = image.createGraphics();
            ticks(g, plot.getRangeAxis(), RectangleEdge.LEFT, yTicks);
            ticks(g, plot.getDomainAxis(), RectangleEdge.BOTTOM, xTicks);
            g.dispose();
        }

        private void ticks(Graphics2D g, ValueAxis axis, RectangleEdge edge, List<String> out) {
            for (Object tick : axis.refreshTicks(g, new AxisState(), dataArea, edge)) {
                String text = ((NumberTick) tick).getText();
                if (text != null && !text.isEmpty()) {
                    out.add(text);
                }
            }
        }

        double yPixel(double value) {
            return plot.getRangeAxis().valueToJava2D(value, dataArea, RectangleEdge.LEFT);
        }

        double xPixel(double value) {
            return plot.getDomainAxis().valueToJava2D(value, dataArea, RectangleEdge.BOTTOM);
        }
    }

    @Test
    public void aConstantIsOneLineInTheMiddleWithDistinctRoundTicks() throws IOException {
        double[] steps = {0, 20, 40, 60, 80, 100, 120};
        double[] constant = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        XyChart chart = chart(Series.of("density", Series.Look.LINE, steps, constant));
        BufferedImage image = decoded(Figure.png(chart.chart(), WIDTH, HEIGHT));
        assertEquals(image.getWidth(), WIDTH);
        assertEquals(image.getHeight(), HEIGHT);
        Drawn drawn = new Drawn(chart.chart());
        assertEquals(drawn.yPixel(0.1), drawn.dataArea.getCenterY(), 1.0, "in the middle");
        assertTrue(drawn.yTicks.size() >= 3, "ticks " + drawn.yTicks);
        assertEquals(new HashSet<>(drawn.yTicks).size(), drawn.yTicks.size(), "" + drawn.yTicks);
        assertTrue(
                drawn.yTicks.stream().anyMatch(t -> Math.abs(Double.parseDouble(t) - 0.1) < 1e-12),
                "0.1 is a tick: " + drawn.yTicks);
    }

    @Test
    public void oneEpochIsInTheMiddleWithOneWholeTick() throws IOException {
        XyChart chart =
                chart(
                        Series.of("input", Series.Look.LINE, new double[] {1}, new double[] {784}),
                        Series.of(
                                "hidden 1",
                                Series.Look.LINE,
                                new double[] {1},
                                new double[] {1000}));
        decoded(Figure.png(chart.chart(), WIDTH, HEIGHT));
        Drawn drawn = new Drawn(chart.chart());
        assertEquals(drawn.xTicks, List.of("1"), "whole, distinct epoch ticks");
        assertEquals(drawn.xPixel(1), drawn.dataArea.getCenterX(), 1.0, "not on the left edge");
        // both values inside the plot, not on its edges
        assertTrue(drawn.yPixel(1000) > drawn.dataArea.getMinY() + 5);
        assertTrue(drawn.yPixel(784) < drawn.dataArea.getMaxY() - 5);
    }

    @Test
    public void anEmptyChartStillDraws() throws IOException {
        XyChart chart = chart(Series.of("nothing", Series.Look.LINE, new double[0], new double[0]));
        BufferedImage image = decoded(Figure.png(chart.chart(), WIDTH, HEIGHT));
        assertEquals(image.getWidth(), WIDTH);
        assertEquals(image.getHeight(), HEIGHT);
        BufferedImage none = decoded(Figure.png(chart().chart(), 400, 300));
        assertEquals(none.getWidth(), 400);
        assertEquals(none.getHeight(), 300);
    }

    @Test
    public void nonFinitePointsAreLeftOut() {
        Series series =
                Series.of(
                        "loss",
                        Series.Look.LINE,
                        new double[] {1, 2, 3},
                        new double[] {2, Double.NaN, Double.POSITIVE_INFINITY});
        assertEquals(series.finitePoints(), 1);
        assertEquals(chart(series).bounds(), new double[] {1, 1, 2, 2});
    }

    @Test
    public void fewPointsGetMarkersManyDoNot() {
        double[] few = new double[ChartStyle.FEW_POINTS];
        double[] many = new double[ChartStyle.FEW_POINTS + 1];
        assertTrue(Series.of("a", Series.Look.LINE, few, few).hasMarkers());
        assertFalse(Series.of("a", Series.Look.LINE, many, many).hasMarkers());
        assertTrue(Series.of("a", Series.Look.POINTS, many, many).hasMarkers());
        assertFalse(Series.of("a", Series.Look.FAINT_LINE, few, few).hasMarkers());
    }

    @Test
    public void theLegendHasOneEntryPerSeriesWithALineSample() {
        XyChart chart =
                chart(
                        Series.of("a", Series.Look.LINE, new double[] {1}, new double[] {1}),
                        Series.of("b", Series.Look.POINTS, new double[] {1}, new double[] {2}));
        assertEquals(chart.legendItems().getItemCount(), 2);
        assertTrue(chart.legendItems().get(0).isLineVisible());
        assertFalse(chart.legendItems().get(1).isLineVisible());
        assertTrue(chart.legendItems().get(1).isShapeVisible());
        assertEquals(
                chart.chart().getLegend().getPosition(), RectangleEdge.BOTTOM, "outside the data");
    }

    @Test
    public void rangesHaveAMarginAndAreNeverEmpty() {
        assertRange(AxisRanges.values(0.1, 0.1), 0.09, 0.11);
        // a difference of one link in ten thousand is drawn flat
        assertRange(AxisRanges.values(0.049988, 0.05), 0.9 * 0.049994, 1.1 * 0.049994);
        assertRange(AxisRanges.values(0, 0), -0.5, 0.5);
        assertRange(AxisRanges.values(Double.NaN, Double.NaN), 0, 1);
        assertRange(AxisRanges.values(5, 15), 4.2, 15.8);
        assertRange(AxisRanges.positions(1, 1, true), 0.5, 1.5);
        assertRange(AxisRanges.positions(0, 100, true), -3, 103);
        assertRange(AxisRanges.positions(7, 7, false), 6.3, 7.7);
    }

    private static void assertRange(Range range, double lower, double upper) {
        assertEquals(range.getLowerBound(), lower, 1e-9, "lower bound of " + range);
        assertEquals(range.getUpperBound(), upper, 1e-9, "upper bound of " + range);
    }
}
