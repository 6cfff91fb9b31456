package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chtsl.training.TrainingDivergedException;
import org.testng.annotations.Test;

/** Every way a program can end gives one line and its own exit status. */
public class ProgramRunnerTest {

    private static String[] run(Path trace, ProgramRunner.Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status =
                ProgramRunner.run(
                        "Tool",
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        () -> trace,
                        body);
        return new String[] {String.valueOf(status), bytes.toString(StandardCharsets.UTF_8)};
    }

    @Test
    public void anUnexpectedFailureIsOneLineAndItsTraceGoesToTheLog() throws Exception {
        Path log = Files.createTempDirectory("chtsl-runner").resolve("train.log");
        Files.writeString(log, "earlier lines\n");
        String[] result =
                run(
                        log,
                        () -> {
                            throw new IllegalStateException(new NullPointerException("deep"));
                        });
        assertEquals(result[0], "1");
        String line = result[1].strip();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("Tool failed: "), line);
        assertTrue(line.endsWith("(full trace in " + log + ")"), line);
        String written = Files.readString(log);
        assertTrue(written.startsWith("earlier lines\n"), "the log is appended to");
        assertTrue(written.contains("Caused by: java.lang.NullPointerException: deep"), written);
        assertTrue(written.contains("at org.chtsl.examples.ProgramRunnerTest"), written);
    }

    @Test
    public void withoutALogTheTraceGoesToATemporaryFile() throws Exception {
        String[] result =
                run(
                        null,
                        () -> {
                            throw new java.io.IOException("disk full");
                        });
        assertEquals(result[0], "1");
        String line = result[1].strip();
        assertTrue(line.contains("IOException: disk full"), line);
        Path trace = Path.of(line.replaceAll(".*\\(full trace in (.*)\\)$", "$1"));
        assertTrue(Files.readString(trace).contains("java.io.IOException: disk full"));
    }

    @Test
    public void badInputAndDivergenceHaveTheirOwnStatus() {
        String[] bad =
                run(
                        null,
                        () -> {
                            throw new IllegalArgumentException("--steps must be >= 1, got 0.");
                        });
        assertEquals(bad[0], "2");
        assertEquals(bad[1].strip(), "Tool: --steps must be >= 1, got 0.");
        String[] diverged =
                run(
                        null,
                        () -> {
                            throw new TrainingDivergedException(7, "the training loss is NaN", "w");
                        });
        assertEquals(diverged[0], "3");
        assertTrue(diverged[1].contains("diverged at step 7"), diverged[1]);
        assertEquals(run(null, () -> {})[0], "0");
        assertEquals(run(null, () -> {})[1], "");
    }
}
