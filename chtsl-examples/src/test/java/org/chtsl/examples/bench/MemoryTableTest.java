package org.chtsl.examples.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Test;

/** The Markdown table: one row per cell, MiB, bytes per parameter, n/a and failed cells. */
public class MemoryTableTest {

    /** The cells of a Markdown row, without the outer pipes. */
    private static List<String> cells(String row) {
        assertTrue(row.startsWith("| ") && row.endsWith(" |"), row);
        return Arrays.stream(row.substring(2, row.length() - 2).split(" \\| ", -1))
                .map(String::strip)
                .toList();
    }

    private static String[] render(MemoryResult... results) {
        String table = MemoryTable.markdown(List.of(results));
        assertTrue(table.endsWith("\n"), table);
        return table.split("\n");
    }

    @Test
    public void aResultFillsItsRowInMibWithBytesPerParameter() {
        String[] lines =
                render(
                        MemoryResultTest.sample("dense", 0, null, null),
                        MemoryResultTest.sample("chts", 0.9, 3L << 20, 462.6));
        assertEquals(lines.length, 4, String.join("\n", lines));
        List<String> header = cells(lines[0]);
        assertEquals(header.get(0), "model");
        assertEquals(cells(lines[1]).size(), header.size());
        assertEquals(cells(lines[1]).get(0), "---");
        assertEquals(cells(lines[1]).get(header.indexOf("peak RSS MiB")), "---:");
        List<String> dense = cells(lines[2]);
        List<String> chts = cells(lines[3]);
        assertEquals(dense.size(), header.size());
        assertEquals(dense.get(header.indexOf("sparsity")), "0");
        assertEquals(chts.get(header.indexOf("sparsity")), "0.9");
        assertEquals(chts.get(header.indexOf("method")), "chts");
        assertEquals(chts.get(header.indexOf("layout")), "dense-masked");
        assertEquals(chts.get(header.indexOf("active params")), "1.00M");
        assertEquals(chts.get(header.indexOf("projections MiB")), "4.0");
        assertEquals(chts.get(header.indexOf("other params MiB")), "2.0");
        assertEquals(chts.get(header.indexOf("gradients MiB")), "5.0");
        assertEquals(chts.get(header.indexOf("Adam state MiB")), "10.0");
        // (4 + 2 + 10) MiB over a million parameters
        assertEquals(chts.get(header.indexOf("B/param")), "16.8");
        assertEquals(chts.get(header.indexOf("peak RSS MiB")), "900.0");
        assertEquals(chts.get(header.indexOf("RSS after MiB")), "800.0");
        assertEquals(chts.get(header.indexOf("checkpoint MiB")), "7.0");
        assertEquals(chts.get(header.indexOf("GPU in use MiB")), "3.0");
        assertEquals(dense.get(header.indexOf("GPU in use MiB")), MemoryTable.NOT_AVAILABLE);
        assertEquals(chts.get(header.indexOf("tokens/s")), "1234");
        assertEquals(chts.get(header.indexOf("topology update ms")), "463");
        assertEquals(dense.get(header.indexOf("topology update ms")), MemoryTable.NOT_AVAILABLE);
    }

    @Test
    public void aFailedCellSaysWhyInARowOfTheSameWidth() {
        MemoryCell cell = new MemoryCell("130m", "chtsl", 0.7, "compact", 3, 2, 256);
        String[] lines =
                render(
                        MemoryResultTest.sample("dense", 0, null, null),
                        MemoryResult.failed(cell, "exit status 137 | killed"));
        List<String> header = cells(lines[0]);
        List<String> failed = cells(lines[3]);
        assertEquals(failed.size(), header.size(), lines[3]);
        assertEquals(failed.subList(0, 4), List.of("130m", "chtsl", "0.7", "compact"));
        assertEquals(failed.get(4), "failed: exit status 137 \\| killed");
        assertTrue(failed.subList(5, failed.size()).stream().allMatch(String::isEmpty), lines[3]);
    }
}
