package org.chtsl.examples.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.util.Optional;
import org.testng.annotations.Test;

/** A child's result line: written and read back, and what is not one. */
public class MemoryResultTest {

    static MemoryResult sample(String method, double sparsity, Long gpuBytes, Double updateMs) {
        return new MemoryResult(
                "20m",
                method,
                sparsity,
                "dense-masked",
                "cpu()",
                null,
                new ModelState(1_000_000, 4 << 20, 2 << 20, 5 << 20, 10 << 20, 9 << 20, 5 << 20),
                new MemoryFigures(900L << 20, 800L << 20, 24L << 20, 1L << 20, gpuBytes),
                7L << 20,
                1234.4,
                updateMs,
                850L << 20);
    }

    @Test
    public void aLineIsReadBackAsTheResultItWas() {
        MemoryResult result = sample("chts", 0.9, null, 463.0);
        String line = result.toLine();
        assertTrue(line.startsWith(MemoryResult.MARKER), line);
        assertFalse(line.contains("\n"), line);
        assertEquals(MemoryResult.parse(line), Optional.of(result));
    }

    @Test
    public void aHandWrittenLineGivesItsFieldsAndNullForTheAbsentOnes() {
        String line =
                "@memory-benchmark-result {\"model\":\"60m\",\"method\":\"chtsl\",\"sparsity\":0.7,"
                        + "\"layout\":\"dense-masked\",\"state\":{\"activeParameters\":40,"
                        + "\"projectionBytes\":100,\"otherBytes\":60,\"gradientBytes\":160,"
                        + "\"optimizerBytes\":320,\"projectionStateBytes\":300,"
                        + "\"otherStateBytes\":180},\"memory\":{\"peakResidentBytes\":2048},"
                        + "\"checkpointBytes\":512,\"tokensPerSecond\":99.5}";
        MemoryResult result = MemoryResult.parse(line).orElseThrow();
        assertEquals(result.model(), "60m");
        assertEquals(result.method(), "chtsl");
        assertEquals(result.sparsity(), 0.7);
        assertEquals(result.state(), new ModelState(40, 100, 60, 160, 320, 300, 180));
        assertEquals(result.state().bytesPerParameter(), (100 + 60 + 320) / 40.0);
        assertEquals(result.memory().peakResidentBytes(), Long.valueOf(2048));
        assertNull(result.memory().gpuBytes());
        assertNull(result.topologyUpdateMs());
        assertNull(result.failure());
        assertEquals(result.checkpointBytes(), Long.valueOf(512));
        assertEquals(result.tokensPerSecond(), 99.5);
    }

    @Test
    public void aFailedCellKeepsItsNameAndReason() {
        MemoryCell cell = new MemoryCell("130m", "chts", 0.9, "compact", 3, 2, 256);
        MemoryResult read =
                MemoryResult.parse(MemoryResult.failed(cell, "OutOfMemoryError").toLine())
                        .orElseThrow();
        assertTrue(read.failed());
        assertEquals(read.failure(), "OutOfMemoryError");
        assertEquals(read.model(), "130m");
        assertEquals(read.sparsity(), 0.9);
        assertNull(read.state());
    }

    @Test
    public void otherLinesAreNoResults() {
        assertEquals(
                MemoryResult.parse("07:53:35 INFO  DynamicSparseTraining - update"),
                Optional.empty());
        assertEquals(MemoryResult.parse(""), Optional.empty());
        assertEquals(
                MemoryResult.parse(" " + sample("dense", 0, null, null).toLine()),
                Optional.empty(),
                "the marker starts the line");
    }

    @Test
    public void aMarkedLineWithoutAValidResultIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MemoryResult.parse(MemoryResult.MARKER + "{\"model\":"));
        assertThrows(
                IllegalArgumentException.class,
                () -> MemoryResult.parse(MemoryResult.MARKER + "{\"method\":\"chts\"}"));
        assertThrows(IllegalArgumentException.class, () -> MemoryResult.parse(MemoryResult.MARKER));
    }
}
