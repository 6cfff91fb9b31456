package org.chtsl.examples.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.util.List;
import org.testng.annotations.Test;

/** The benchmark's plan of cells, and a cell as a child's arguments. */
public class MemoryCellTest {

    @Test
    public void aDenseMethodRunsOncePerModelAndASparseOnePerSparsity() {
        List<MemoryCell> cells =
                MemoryCell.plan(
                        List.of("20m", "60m"),
                        List.of("dense", "chts", "chtsl"),
                        List.of(0.9, 0.7),
                        List.of("compact", "dense-masked"),
                        3,
                        2,
                        256);
        assertEquals(
                cells.stream().map(MemoryCell::label).toList(),
                List.of(
                        "20m dense 0 dense",
                        "20m chts 0.9 compact",
                        "20m chts 0.9 dense-masked",
                        "20m chts 0.7 compact",
                        "20m chts 0.7 dense-masked",
                        "20m chtsl 0.9 compact",
                        "20m chtsl 0.9 dense-masked",
                        "20m chtsl 0.7 compact",
                        "20m chtsl 0.7 dense-masked",
                        "60m dense 0 dense",
                        "60m chts 0.9 compact",
                        "60m chts 0.9 dense-masked",
                        "60m chts 0.7 compact",
                        "60m chts 0.7 dense-masked",
                        "60m chtsl 0.9 compact",
                        "60m chtsl 0.9 dense-masked",
                        "60m chtsl 0.7 compact",
                        "60m chtsl 0.7 dense-masked"));
        assertTrue(
                MemoryCell.plan(
                                List.of("20m"),
                                List.of("rigl"),
                                List.of(0.9),
                                List.of("compact", "dense-masked"),
                                3,
                                2,
                                256)
                        .stream()
                        .allMatch(c -> c.layout().equals("dense-masked")),
                "RigL needs dense gradients: no compact cell");
        assertTrue(cells.stream().allMatch(c -> c.steps() == 3 && c.batch() == 2));
        assertTrue(cells.stream().allMatch(c -> c.seqLen() == 256));
    }

    @Test
    public void aCellIsReadBackFromItsArguments() {
        MemoryCell cell = new MemoryCell("tiny", "chtsl", 0.7, "compact", 4, 1, 32);
        assertEquals(
                cell.toArgs(),
                List.of("tiny", "chtsl", "0.7", "compact", "4", "1", "32"),
                "the child's args");
        assertEquals(MemoryCell.fromArgs(cell.toArgs().toArray(String[]::new)), cell);
    }

    @Test
    public void badCellsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new MemoryCell("7b", "chts", 0.9, "compact", 3, 2, 8));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MemoryCell("20m", "nope", 0.9, "compact", 3, 2, 8));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MemoryCell("20m", "chts", 1, "compact", 3, 2, 8));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MemoryCell("20m", "chts", 0.9, "compact", 1, 2, 8));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new MemoryCell(
                                "20m", "chts", 0.9, "compact", MemoryCell.MAX_STEPS + 1, 2, 8));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MemoryCell("20m", "chts", 0.9, "csr", 3, 2, 8));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MemoryCell("20m", "dense", 0, "compact", 3, 2, 8));
        assertThrows(
                IllegalArgumentException.class, () -> MemoryCell.fromArgs("20m", "chts", "0.9"));
    }

    @Test
    public void theChildGetsThisJvmsJavaClassPathAndChtslProperties() {
        System.setProperty("chtsl.memory-benchmark-test", "yes");
        System.setProperty("unrelated.memory-benchmark-test", "no");
        try {
            MemoryCell cell = new MemoryCell("tiny", "chts", 0.9, "compact", 2, 1, 16);
            List<String> command = ChildJvm.command(cell);
            assertTrue(command.get(0).startsWith(System.getProperty("java.home")), command.get(0));
            assertTrue(command.contains("-Dchtsl.memory-benchmark-test=yes"), command.toString());
            assertFalse(
                    command.stream().anyMatch(a -> a.contains("unrelated.memory-benchmark-test")),
                    command.toString());
            int main = command.indexOf(MemoryCellRun.class.getName());
            assertEquals(command.get(main - 2), "-cp");
            assertEquals(command.subList(main + 1, command.size()), cell.toArgs());
        } finally {
            System.clearProperty("chtsl.memory-benchmark-test");
            System.clearProperty("unrelated.memory-benchmark-test");
        }
    }
}
