package org.chtsl.examples.plot;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.List;
import org.testng.annotations.Test;

/** Where a grid's panels and headers go. */
public class GridLayoutTest {

    private static final Rectangle2D AREA = new Rectangle2D.Double(10, 20, 1484, 1224);

    @Test
    public void aSixtyMillionModelsGridHasAPanelPerLayerAndProjection() {
        // LLaMA-60m: 8 layers × 7 projections
        GridLayout layout = GridLayout.of(AREA, 8, 7, 84, 24);
        assertEquals(layout.cells().size(), 56);
        assertEquals(layout.rowHeaders().size(), 8);
        assertEquals(layout.columnHeaders().size(), 7);
        for (Rectangle2D cell : layout.cells()) {
            assertTrue(AREA.contains(cell), cell + " outside " + AREA);
            assertEquals(cell.getWidth(), (1484 - 84) / 7.0, 1e-9);
            assertEquals(cell.getHeight(), (1224 - 24) / 8.0, 1e-9);
        }
        assertNoOverlap(layout.cells());
        // headers beside and above the panels, not on them
        for (Rectangle2D header : layout.rowHeaders()) {
            assertEquals(header.getMaxX(), layout.cell(0, 0).getX(), 1e-9);
        }
        assertEquals(layout.columnHeaders().get(6).getMaxY(), layout.cell(0, 6).getY(), 1e-9);
        assertEquals(layout.cell(7, 6).getMaxX(), AREA.getMaxX(), 1e-9);
        assertEquals(layout.cell(7, 6).getMaxY(), AREA.getMaxY(), 1e-9);
    }

    @Test
    public void withoutHeadersThePanelsFillTheArea() {
        GridLayout layout = GridLayout.of(AREA, 2, 4, 0, 0);
        assertEquals(layout.cells().size(), 8);
        assertTrue(layout.rowHeaders().isEmpty());
        assertTrue(layout.columnHeaders().isEmpty());
        assertEquals(layout.cell(0, 0).getX(), AREA.getX(), 1e-9);
        assertNoOverlap(layout.cells());
        assertThrows(IllegalArgumentException.class, () -> GridLayout.of(AREA, 0, 3, 0, 0));
    }

    @Test
    public void rowsForPanels() {
        assertEquals(GridLayout.rowsFor(7, 4), 2); // q … down, four to a row
        assertEquals(GridLayout.rowsFor(8, 4), 2);
        assertEquals(GridLayout.rowsFor(9, 4), 3);
        assertEquals(GridLayout.rowsFor(1, 4), 1);
        assertEquals(GridLayout.rowsFor(0, 4), 1);
    }

    private static void assertNoOverlap(List<Rectangle2D> cells) {
        for (int i = 0; i < cells.size(); i++) {
            for (int j = i + 1; j < cells.size(); j++) {
                Rectangle2D overlap = cells.get(i).createIntersection(cells.get(j));
                assertFalse(
                        overlap.getWidth() > 1e-9 && overlap.getHeight() > 1e-9,
                        cells.get(i) + " overlaps " + cells.get(j));
            }
        }
    }
}
