package org.chtsl.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A minimal line chart written as PNG with Java2D (headless), for training reports. */
final class LineChart {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int MARGIN = 70;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    LineChart add(String name, double x, double y) {
        if (Double.isFinite(y)) {
            series.computeIfAbsent(name, key -> new ArrayList<>()).add(new double[] {x, y});
        }
        return this;
    }

    void write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double[] range = range();
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, MARGIN, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(MARGIN, MARGIN, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN);
        g.drawString(xLabel, WIDTH / 2, HEIGHT - 20);
        g.drawString(yLabel, 10, MARGIN - 10);
        for (int tick = 0; tick <= 4; tick++) {
            double y = range[2] + (range[3] - range[2]) * tick / 4;
            double x = range[0] + (range[1] - range[0]) * tick / 4;
            g.drawString(String.format("%.3g", y), 5, yPixel(y, range) + 4);
            g.drawString(String.format("%.0f", x), xPixel(x, range) - 10, HEIGHT - MARGIN + 18);
        }
        int index = 0;
        g.setStroke(new BasicStroke(2f));
        for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
            Color color = PALETTE[index % PALETTE.length];
            g.setColor(color);
            List<double[]> points = entry.getValue();
            for (int p = 1; p < points.size(); p++) {
                g.drawLine(
                        xPixel(points.get(p - 1)[0], range),
                        yPixel(points.get(p - 1)[1], range),
                        xPixel(points.get(p)[0], range),
                        yPixel(points.get(p)[1], range));
            }
            if (points.size() == 1) {
                g.fillOval(
                        xPixel(points.get(0)[0], range) - 3,
                        yPixel(points.get(0)[1], range) - 3,
                        6,
                        6);
            }
            if (index < 16) {
                g.drawString(entry.getKey(), WIDTH - MARGIN + 5 - 180, MARGIN + 15 + 15 * index);
            }
            index++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private double[] range() {
        double[] range = {
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
        };
        series.values()
                .forEach(
                        points ->
                                points.forEach(
                                        point -> {
                                            range[0] = Math.min(range[0], point[0]);
                                            range[1] = Math.max(range[1], point[0]);
                                            range[2] = Math.min(range[2], point[1]);
                                            range[3] = Math.max(range[3], point[1]);
                                        }));
        if (!Double.isFinite(range[0])) {
            return new double[] {0, 1, 0, 1};
        }
        if (range[1] == range[0]) {
            range[1] = range[0] + 1;
        }
        if (range[3] == range[2]) {
            range[3] = range[2] + 1;
        }
        return range;
    }

    private static int xPixel(double x, double[] range) {
        return (int) (MARGIN + (x - range[0]) / (range[1] - range[0]) * (WIDTH - 2 * MARGIN));
    }

    private static int yPixel(double y, double[] range) {
        return (int)
                (HEIGHT - MARGIN - (y - range[2]) / (range[3] - range[2]) * (HEIGHT - 2 * MARGIN));
    }
}
