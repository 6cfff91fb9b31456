package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * A resumed run is the same run: TrainLlama's own code path is stopped after a checkpoint (in
 * process, and in a forked JVM with a real {@code kill -9}), resumed with {@code --resume}, and
 * every per-step loss after the checkpoint must be bit-identical to an uninterrupted run's. The
 * runs use an LR schedule (warm-up 3), gradient accumulation (batch 4 of micro-batches of 2) and
 * topology updates at steps 4, 8 and 12, the last two after the step-6 checkpoint.
 */
public class TrainLlamaResumeTest {

    /** Thrown by the test hook where a crash would stop the run. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash");
        }
    }

    @DataProvider
    public Object[][] methods() {
        String[] none = {};
        // chtsl and chts train compact by default; the dense-masked form must resume as well
        return new Object[][] {
            {"chtsl", none},
            {"chts", none},
            {"chts", new String[] {"--storage", "dense-masked"}},
            {"dense", none}
        };
    }

    @Test(dataProvider = "methods")
    public void aRunStoppedAfterACheckpointResumesBitIdentically(String method, String[] form)
            throws Exception {
        Path straight = Files.createTempDirectory("chtsl-straight-" + method);
        assertEquals(RunFixtures.execute(RunFixtures.args(method, straight, form)).status(), 0);
        Map<Long, Integer> expected = RunFixtures.lossBits(straight);
        assertEquals(expected.size(), 16);

        Path stopped = Files.createTempDirectory("chtsl-stopped-" + method);
        TrainOptions options = TrainOptions.parse(RunFixtures.args(method, stopped, form));
        try {
            TrainLlama.run(
                    options,
                    (progress, loss) -> {
                        if (progress.step() == 9) {
                            throw new Crash();
                        }
                    });
            throw new AssertionError("the run should have stopped at step 9");
        } catch (Crash expectedCrash) {
            // the checkpoint of step 6 is on disk
        }
        JsonObject failed = RunFixtures.report(stopped);
        assertEquals(failed.get("status").getAsString(), "failed");
        assertEquals(failed.getAsJsonArray("train_losses").size(), 9);

        String[] resume = java.util.Arrays.copyOf(form, form.length + 1);
        resume[form.length] = "--resume";
        assertEquals(RunFixtures.execute(RunFixtures.args(method, stopped, resume)).status(), 0);
        Map<Long, Integer> resumed = RunFixtures.lossBits(stopped);
        assertEquals(
                resumed.keySet(), expected.keySet(), "the resumed report covers the whole run");
        for (long step = 1; step <= 16; step++) {
            assertEquals(
                    resumed.get(step),
                    expected.get(step),
                    method
                            + " step "
                            + step
                            + ": "
                            + Float.intBitsToFloat(resumed.get(step))
                            + " vs "
                            + Float.intBitsToFloat(expected.get(step)));
        }
        JsonObject report = RunFixtures.report(stopped);
        assertEquals(report.get("status").getAsString(), "completed");
        assertEquals(report.getAsJsonArray("resumed_at").get(0).getAsLong(), 6);
        assertEquals(
                report.getAsJsonArray("evals"),
                RunFixtures.report(straight).getAsJsonArray("evals"));
        int updates = "dense".equals(method) ? 0 : 3;
        assertEquals(report.getAsJsonArray("topology_updates").size(), updates);
        assertEquals(
                report.getAsJsonArray("ocr"), RunFixtures.report(straight).getAsJsonArray("ocr"));
    }

    @Test
    public void aKilledProcessResumesBitIdenticallyAndHoldsItsFolderWhileItRuns() throws Exception {
        Path straight = Files.createTempDirectory("chtsl-straight-kill");
        String[] longer = {"--steps", "40", "--eval-every", "10"};
        assertEquals(RunFixtures.execute(RunFixtures.args("chtsl", straight, longer)).status(), 0);
        Map<Long, Integer> expected = RunFixtures.lossBits(straight);

        Path killed = Files.createTempDirectory("chtsl-killed");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String property :
                new String[] {
                    "ai.djl.pytorch.num_threads",
                    "ai.djl.pytorch.num_interop_threads",
                    "ai.djl.offline"
                }) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainLlama.class.getName());
        command.addAll(List.of(RunFixtures.args("chtsl", killed, longer)));
        Process child =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                killed.resolveSibling(killed.getFileName() + ".out").toFile())
                        .start();
        Path log = killed.resolve("train.log");
        // waits for the step-20 evaluation; the bound only keeps a hung child from hanging the
        // build
        for (int polls = 0;
                !(Files.isRegularFile(log)
                        && Files.readString(log).contains("step 20: validation"));
                polls++) {
            assertTrue(child.isAlive(), "the child run ended early");
            if (polls == 30_000) {
                child.destroyForcibly();
                throw new AssertionError("the child run never reached step 20");
            }
            Thread.sleep(20);
        }
        RunFixtures.Outcome second = RunFixtures.execute(RunFixtures.args("chtsl", killed, longer));
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        assertEquals(second.status(), 2, second.errors());
        assertTrue(
                second.errors().contains("is in use by another run (process " + child.pid() + "@"),
                second.errors());

        // killed right after the step-20 evaluation, perhaps while its checkpoint was written
        RunFixtures.Outcome resumed =
                RunFixtures.execute(RunFixtures.args("chtsl", killed, concat(longer, "--resume")));
        assertEquals(resumed.status(), 0, resumed.errors());
        long at = RunFixtures.report(killed).getAsJsonArray("resumed_at").get(0).getAsLong();
        assertTrue(at == 10 || at == 20, "resumed at " + at);
        assertEquals(RunFixtures.lossBits(killed), expected);
        try (java.util.stream.Stream<Path> files = Files.list(killed)) {
            assertTrue(
                    files.noneMatch(file -> file.toString().endsWith(".tmp")),
                    "temporary files of the killed run are removed");
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
