package org.chtsl.examples.plot;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the panels of a grid go: an area split into equal cells, after a column of row headers on
 * the left and a row of column headers on top.
 *
 * @param rows the rows of panels
 * @param columns the columns of panels
 * @param cells the panels' rectangles, row by row
 * @param rowHeaders the row headers' rectangles, top to bottom (empty without row headers)
 * @param columnHeaders the column headers' rectangles, left to right (empty without column headers)
 */
public record GridLayout(
        int rows,
        int columns,
        List<Rectangle2D> cells,
        List<Rectangle2D> rowHeaders,
        List<Rectangle2D> columnHeaders) {

    /** Copies the lists. */
    public GridLayout {
        cells = List.copyOf(cells);
        rowHeaders = List.copyOf(rowHeaders);
        columnHeaders = List.copyOf(columnHeaders);
    }

    /**
     * Splits an area.
     *
     * @param area the area
     * @param rows rows of panels (≥ 1)
     * @param columns columns of panels (≥ 1)
     * @param rowHeaderWidth the width of the row headers' column, 0 for none
     * @param columnHeaderHeight the height of the column headers' row, 0 for none
     * @return the layout
     * @throws IllegalArgumentException for fewer than one row or column
     */
    public static GridLayout of(
            Rectangle2D area,
            int rows,
            int columns,
            double rowHeaderWidth,
            double columnHeaderHeight) {
        checkSize(rows, columns);
        double left = area.getX() + rowHeaderWidth;
        double top = area.getY() + columnHeaderHeight;
        double width = (area.getWidth() - rowHeaderWidth) / columns;
        double height = (area.getHeight() - columnHeaderHeight) / rows;
        List<Rectangle2D> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                cells.add(
                        new Rectangle2D.Double(left + c * width, top + r * height, width, height));
            }
        }
        List<Rectangle2D> rowHeaders = new ArrayList<>();
        for (int r = 0; rowHeaderWidth > 0 && r < rows; r++) {
            rowHeaders.add(
                    new Rectangle2D.Double(area.getX(), top + r * height, rowHeaderWidth, height));
        }
        List<Rectangle2D> columnHeaders = new ArrayList<>();
        for (int c = 0; columnHeaderHeight > 0 && c < columns; c++) {
            columnHeaders.add(
                    new Rectangle2D.Double(
                            left + c * width, area.getY(), width, columnHeaderHeight));
        }
        return new GridLayout(rows, columns, cells, rowHeaders, columnHeaders);
    }

    /**
     * The rows a number of panels fills at a given width.
     *
     * @param panels the panels (≥ 0)
     * @param columns panels per row (≥ 1)
     * @return the rows, at least one
     */
    public static int rowsFor(int panels, int columns) {
        return Math.max(1, (panels + columns - 1) / columns);
    }

    /**
     * The cell of a panel.
     *
     * @param row its row
     * @param column its column
     * @return its rectangle
     */
    public Rectangle2D cell(int row, int column) {
        return cells.get(row * columns + column);
    }

    /**
     * Refuses a grid without rows or columns.
     *
     * @param rows the rows
     * @param columns the columns
     * @throws IllegalArgumentException if either is below 1
     */
    static void checkSize(int rows, int columns) {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException(
                    "A grid needs at least one row and column, got "
                            + rows
                            + " × "
                            + columns
                            + ".");
        }
    }
}
