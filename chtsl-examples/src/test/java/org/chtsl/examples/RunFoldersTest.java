package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.testng.SkipException;
import org.testng.annotations.Test;

/**
 * Where runs go: a new folder per run without {@code --out} and {@code runs/latest} linking to the
 * last; an earlier run in a folder is never appended to or overwritten; {@code --resume} without
 * {@code --out} continues the latest; the programs that reopen runs accept the link.
 */
public class RunFoldersTest {

    private static final String NAME = "chtsl-tiny-\\d{8}-\\d{6}(-\\d+)?";

    /** A run that chooses its own folder in {@code runs}. */
    private static TrainingReport run(RunsFolder runs, String... more) throws Exception {
        return TrainLlama.run(
                TrainOptions.parse(RunFixtures.argsWithoutOut("chtsl", more)),
                null,
                runs,
                folder -> {});
    }

    private static List<Path> runFolders(Path root) throws Exception {
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().matches(NAME)).sorted().toList();
        }
    }

    @Test
    public void eachRunWithoutOutGetsItsOwnFolderAndLatestLinksToTheLast() throws Exception {
        Path root = Files.createTempDirectory("chtsl-runs");
        RunsFolder runs = new RunsFolder(root);
        run(runs, "--steps", "6");
        List<Path> first = runFolders(root);
        assertEquals(first.size(), 1, first.toString());
        Path firstRun = first.get(0);
        assertEquals(Files.readSymbolicLink(runs.latest()), firstRun.getFileName());
        Map<String, byte[]> before = RunFixtures.files(firstRun);
        assertTrue(before.containsKey("report.json") && before.containsKey("checkpoint.chtsl"));

        run(runs, "--steps", "6", "--seed", "12");
        List<Path> both = runFolders(root);
        assertEquals(both.size(), 2, both.toString());
        Path secondRun = both.get(both.get(0).equals(firstRun) ? 1 : 0);
        assertTrue(Files.isSymbolicLink(runs.latest()));
        assertEquals(Files.readSymbolicLink(runs.latest()), secondRun.getFileName());
        assertEquals(runs.latest().toRealPath(), secondRun.toRealPath());
        RunFixtures.assertSameFiles(RunFixtures.files(firstRun), before);
        assertEquals(
                RunFixtures.report(secondRun).getAsJsonObject("config").get("out").getAsString(),
                secondRun.toString());
        assertEquals(
                RunFixtures.report(runs.latest()).getAsJsonObject("config").get("seed").getAsLong(),
                12);

        // the programs that reopen a run take the link
        Path latest = runs.latest();
        assertEquals(RunFixtures.execute(Evaluate::execute, latest.toString()).status(), 0);
        assertEquals(
                RunFixtures.execute(Generate::execute, latest.toString(), "the quick", "3")
                        .status(),
                0);
        RunFixtures.Outcome compared = RunFixtures.execute(Compare::execute, latest.toString());
        assertEquals(compared.status(), 0, compared.errors());
        RunFixtures.assertSameFiles(RunFixtures.files(firstRun), before);
    }

    @Test
    public void aRunRefusedOnBadInputLeavesNoFolderAndNoLink() throws Exception {
        Path root = Files.createTempDirectory("chtsl-runs-refused");
        RunsFolder runs = new RunsFolder(root);
        List<Path> owned = new ArrayList<>();
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        TrainLlama.run(
                                TrainOptions.parse(
                                        RunFixtures.argsWithoutOut("chtsl", "--rank", "65536")),
                                null,
                                runs,
                                owned::add));
        assertEquals(runFolders(root), List.of());
        assertFalse(Files.exists(runs.latest(), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(owned, List.of(), "no folder was the run's to write a trace into");
    }

    @Test
    public void anExplicitOutThatHoldsARunKeepsEveryFileOfItByteForByte() throws Exception {
        Path out = Files.createTempDirectory("chtsl-out-reused");
        assertEquals(
                RunFixtures.execute(RunFixtures.args("chtsl", out, "--steps", "6")).status(), 0);
        Files.writeString(out.resolve("extra-plot.png"), "a plot of the earlier run");
        Map<String, byte[]> earlier = RunFixtures.files(out);
        earlier.remove(".lock");
        assertTrue(earlier.containsKey("train.log") && earlier.containsKey("loss.png"));

        // bad input that only the model's builder sees: nothing moved, nothing owned
        List<Path> owned = new ArrayList<>();
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        TrainLlama.run(
                                TrainOptions.parse(
                                        RunFixtures.args("chtsl", out, "--rank", "65536")),
                                null,
                                new RunsFolder(out.resolve("unused")),
                                owned::add));
        assertEquals(owned, List.of());
        Map<String, byte[]> unchanged = RunFixtures.files(out);
        unchanged.remove(".lock");
        RunFixtures.assertSameFiles(unchanged, earlier);

        assertEquals(
                RunFixtures.execute(RunFixtures.args("chtsl", out, "--steps", "3", "--warmup", "0"))
                        .status(),
                0);
        Path aside;
        try (Stream<Path> files = Files.list(out)) {
            aside =
                    files.filter(p -> p.getFileName().toString().startsWith("earlier-"))
                            .findFirst()
                            .orElseThrow();
        }
        RunFixtures.assertSameFiles(RunFixtures.files(aside), earlier);
        assertFalse(Files.exists(out.resolve("extra-plot.png")));
        String log = Files.readString(out.resolve("train.log"), StandardCharsets.UTF_8);
        assertFalse(
                log.contains(new String(earlier.get("train.log"), StandardCharsets.UTF_8)),
                "the new run's log starts anew");
        assertEquals(RunFixtures.lossBits(out).size(), 3);
    }

    @Test
    public void resumeWithoutOutContinuesTheRunLatestLinksTo() throws Exception {
        Path root = Files.createTempDirectory("chtsl-runs-resume");
        RunsFolder runs = new RunsFolder(root);
        IllegalArgumentException none =
                expectThrows(IllegalArgumentException.class, () -> run(runs, "--resume"));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
        assertTrue(none.getMessage().contains("--out"), none.getMessage());
        try {
            TrainLlama.run(
                    TrainOptions.parse(RunFixtures.argsWithoutOut("chtsl", "--steps", "8")),
                    (progress, loss) -> {
                        if (progress.step() == 7) {
                            throw new IllegalStateException("stopped as a crash would");
                        }
                    },
                    runs,
                    folder -> {});
            throw new AssertionError("the run should have stopped at step 7");
        } catch (IllegalStateException expected) {
            // the checkpoint of step 6 is on disk
        }
        Path stopped = runs.latest().toRealPath();
        TrainingReport resumed = run(runs, "--steps", "8", "--resume");
        assertEquals(resumed.status, TrainingReport.COMPLETED);
        assertEquals(resumed.resumedAt, List.of(6L));
        assertEquals(runFolders(root), List.of(stopped), "no new folder");
        JsonObject report = RunFixtures.report(stopped);
        assertEquals(report.getAsJsonArray("train_losses").size(), 8);
        assertEquals(report.getAsJsonObject("config").get("out").getAsString(), stopped.toString());
    }

    @Test
    public void latestIsReplacedAtomicallyAndAnEarlierLatestFolderIsKept() throws Exception {
        Path root = Files.createTempDirectory("chtsl-runs-link");
        RunsFolder runs = new RunsFolder(root);
        // a runs/latest folder of an earlier chtsl
        Files.createDirectories(runs.latest());
        Files.writeString(runs.latest().resolve("report.json"), "{}");
        LocalDateTime now = LocalDateTime.of(2026, 1, 2, 3, 4, 5);
        Path a = runs.create("chtsl", "tiny", now);
        Path b = runs.create("chtsl", "tiny", now);
        assertEquals(a.getFileName().toString(), "chtsl-tiny-20260102-030405");
        assertEquals(b.getFileName().toString(), "chtsl-tiny-20260102-030405-2");
        runs.pointLatestAt(a);
        assertEquals(Files.readSymbolicLink(runs.latest()), a.getFileName());
        Path kept;
        try (Stream<Path> files = Files.list(root)) {
            kept =
                    files.filter(p -> p.getFileName().toString().startsWith("latest-until-"))
                            .findFirst()
                            .orElseThrow();
        }
        assertEquals(Files.readString(kept.resolve("report.json")), "{}");
        runs.pointLatestAt(b);
        assertEquals(Files.readSymbolicLink(runs.latest()), b.getFileName());
        assertEquals(runs.resolveLatest(), b.toRealPath());
        try (Stream<Path> files = Files.list(root)) {
            assertTrue(
                    files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")),
                    "no temporary link left");
        }
        // where links cannot be made, latest.txt names the run
        Files.delete(runs.latest());
        Files.writeString(root.resolve(RunsFolder.LATEST_TEXT), a.getFileName() + "\n");
        assertEquals(runs.resolveLatest(), a.toRealPath());
    }

    @Test
    public void everyRunFileIsReadableByAllLikeAnyNewFile() throws Exception {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            throw new SkipException("no POSIX permissions here");
        }
        Path out = Files.createTempDirectory("chtsl-permissions");
        assertEquals(
                RunFixtures.execute(RunFixtures.args("chtsl", out, "--steps", "2", "--warmup", "0"))
                        .status(),
                0);
        Set<PosixFilePermission> plain =
                Files.getPosixFilePermissions(Files.createFile(out.resolve("plain-new-file")));
        assertTrue(plain.contains(PosixFilePermission.OWNER_WRITE), plain.toString());
        for (String name :
                new String[] {"report.json", "checkpoint.chtsl", "train.log", "loss.png"}) {
            assertEquals(Files.getPosixFilePermissions(out.resolve(name)), plain, name);
        }
    }

    @Test
    public void trainingLossStepsAreWholeNumbersInTheJson() throws Exception {
        Path out = Files.createTempDirectory("chtsl-steps-json");
        assertEquals(
                RunFixtures.execute(RunFixtures.args("dense", out, "--steps", "3", "--warmup", "0"))
                        .status(),
                0);
        long expected = 1;
        for (JsonElement entry : RunFixtures.report(out).getAsJsonArray("train_losses")) {
            // the number as written: "1", not "1.0"
            assertEquals(
                    entry.getAsJsonObject().getAsJsonPrimitive("step").getAsString(),
                    Long.toString(expected++));
        }
        assertEquals(expected, 4);
        for (JsonElement entry : RunFixtures.report(out).getAsJsonArray("evals")) {
            assertTrue(
                    entry.getAsJsonObject()
                            .getAsJsonPrimitive("step")
                            .getAsString()
                            .matches("\\d+"));
        }
    }
}
