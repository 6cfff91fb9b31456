package org.chtsl.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ui.Drawable;

/** Draws charts, or charts stacked top to bottom, into a PNG image on a white background. */
public final class Figure {

    /**
     * One part of a stacked figure.
     *
     * @param drawable a chart ({@code JFreeChart}) or a grid ({@link SmallMultiples})
     * @param height its height in pixels
     */
    public record Part(Drawable drawable, int height) {}

    private Figure() {}

    /**
     * Draws one chart.
     *
     * @param drawable the chart
     * @param width the image's width
     * @param height the image's height
     * @return the PNG file's bytes
     */
    public static byte[] png(Drawable drawable, int width, int height) {
        return png(width, List.of(new Part(drawable, height)));
    }

    /**
     * Draws parts stacked top to bottom, each the image's width.
     *
     * @param width the image's width
     * @param parts the parts
     * @return the PNG file's bytes
     */
    public static byte[] png(int width, List<Part> parts) {
        int height = Math.max(1, parts.stream().mapToInt(Part::height).sum());
        ChartStyle.headless();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int top = 0;
            for (Part part : parts) {
                part.drawable().draw(g, new Rectangle2D.Double(0, top, width, part.height()));
                top += part.height();
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return bytes.toByteArray();
    }
}
