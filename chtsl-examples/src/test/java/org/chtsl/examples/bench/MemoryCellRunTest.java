package org.chtsl.examples.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.testng.annotations.Test;

/** One real cell, in a child JVM: {@code tiny} CHTs for two steps reports every figure. */
public class MemoryCellRunTest {

    @Test
    public void aChildReportsPositiveFiguresForATinyCell() throws Exception {
        MemoryCell cell = new MemoryCell("tiny", "chts", 0.9, "compact", 2, 1, 32);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MemoryResult result =
                ChildJvm.run(cell, new PrintStream(log, true, StandardCharsets.UTF_8));
        String output = log.toString(StandardCharsets.UTF_8);
        assertFalse(result.failed(), result.failure() + "\n" + output);
        assertEquals(result.model(), "tiny");
        assertEquals(result.method(), "chts");
        assertEquals(result.sparsity(), 0.9);
        assertEquals(result.layout(), "compact");
        assertNotNull(result.device());

        ModelState state = result.state();
        assertTrue(state.activeParameters() > 0, state.toString());
        assertTrue(state.projectionBytes() > 0 && state.otherBytes() > 0, state.toString());
        // Adam keeps two moments, and DJL one gradient, of every trainable parameter
        assertTrue(state.gradientBytes() > 0, state.toString());
        assertEquals(state.optimizerBytes(), 2 * state.gradientBytes(), state.toString());
        // compact projections: per link a 4-byte value, an 8-byte position and two 4-byte moments;
        // every other parameter (fp32, all active) 4 bytes and two moments
        long links = state.activeParameters() - state.otherBytes() / 4;
        assertTrue(links > 0, state.toString());
        assertEquals(state.projectionBytes(), 12 * links, state.toString());
        assertEquals(state.projectionStateBytes(), 20 * links, state.toString());
        assertEquals(state.otherStateBytes(), 3 * state.otherBytes(), state.toString());

        MemoryFigures memory = result.memory();
        assertTrue(memory.residentBytes() > 0, memory.toString());
        assertTrue(memory.peakResidentBytes() >= memory.residentBytes(), memory.toString());
        assertTrue(
                result.stepPeakResidentBytes() > 0
                        && result.stepPeakResidentBytes() <= memory.peakResidentBytes(),
                "the first step's peak is part of the run's: " + result.stepPeakResidentBytes());
        assertTrue(memory.heapPeakBytes() > 0, memory.toString());
        assertTrue(
                result.checkpointBytes() > state.modelBytes(), result.checkpointBytes() + " bytes");
        assertTrue(result.tokensPerSecond() > 0, String.valueOf(result.tokensPerSecond()));
        assertTrue(result.topologyUpdateMs() > 0, "step 2 updates the topology");
        assertTrue(
                output.contains("[tiny chts 0.9 compact]"),
                "the child's log is passed on: " + output);
    }
}
