package org.chtsl.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.chtsl.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder that holds the runs TrainLlama starts without {@code --out}: each in a new folder
 * {@code METHOD-MODEL-yyyyMMdd-HHmmss} ({@code -2}, {@code -3}… if taken), and {@code latest}, a
 * symbolic link to the last one started, replaced atomically (a new link renamed over it). Where
 * links cannot be made, {@code latest.txt} names the folder instead.
 */
final class RunsFolder {

    private static final Logger LOG = LoggerFactory.getLogger(RunsFolder.class);

    /** Where runs go by default, relative to the working directory. */
    static final Path DEFAULT = Path.of("runs");

    /** The link to the latest run. */
    static final String LATEST = "latest";

    /** What names the latest run where links cannot be made. */
    static final String LATEST_TEXT = "latest.txt";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;

    /**
     * Creates the folder's view.
     *
     * @param root the folder (created when the first run is)
     */
    RunsFolder(Path root) {
        this.root = root;
    }

    /**
     * Returns the link to the latest run.
     *
     * @return {@code root/latest}
     */
    Path latest() {
        return root.resolve(LATEST);
    }

    /**
     * Creates a new, empty run folder: {@code METHOD-MODEL-yyyyMMdd-HHmmss}, with {@code -2},
     * {@code -3}… if that is taken (by an earlier run or by one started in the same second).
     *
     * @param method the method's name
     * @param model the model preset's name
     * @param now the time the name records
     * @return the folder, created
     * @throws IllegalArgumentException if it cannot be created
     */
    Path create(String method, String model, LocalDateTime now) {
        String base = method + "-" + model + "-" + now.format(TIME);
        try {
            Files.createDirectories(root);
            for (int n = 1; ; n++) {
                Path folder = root.resolve(n == 1 ? base : base + "-" + n);
                try {
                    return Files.createDirectory(folder);
                } catch (FileAlreadyExistsException taken) {
                    // the next number
                }
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot create a run folder in "
                            + root
                            + " ("
                            + ProgramRunner.oneLine(e)
                            + "); give --out DIR.");
        }
    }

    /**
     * Removes a folder {@link #create} made if the run never started in it (it holds nothing but
     * the lock file), so that a run refused on bad input leaves nothing behind.
     *
     * @param folder the folder
     */
    static void removeIfUnused(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            if (files.allMatch(file -> file.getFileName().toString().equals(".lock"))) {
                Files.deleteIfExists(folder.resolve(".lock"));
                Files.delete(folder);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove the unused run folder {} ({})", folder, e.toString());
        }
    }

    /**
     * Returns the folder of the latest run: where {@code latest} links to (or {@code latest.txt}
     * names), resolved to a real path; a {@code latest} folder of an earlier chtsl is itself.
     *
     * @return the folder
     * @throws IllegalArgumentException if there is no latest run, naming the option to give
     * @throws IOException if the link cannot be read
     */
    Path resolveLatest() throws IOException {
        Path latest = latest();
        if (Files.isDirectory(latest)) {
            return latest.toRealPath();
        }
        if (Files.isSymbolicLink(latest)) {
            throw new IllegalArgumentException(
                    "--resume without --out continues "
                            + latest
                            + ", which links to "
                            + Files.readSymbolicLink(latest)
                            + ", a folder that does not exist; give --out DIR of the run to"
                            + " continue.");
        }
        Path named = root.resolve(LATEST_TEXT);
        if (Files.isRegularFile(named)) {
            Path folder = root.resolve(Files.readString(named, StandardCharsets.UTF_8).strip());
            if (Files.isDirectory(folder)) {
                return folder.toRealPath();
            }
            throw new IllegalArgumentException(
                    "--resume without --out continues the run "
                            + named
                            + " names, "
                            + folder
                            + ", which does not exist; give --out DIR of the run to continue.");
        }
        throw new IllegalArgumentException(
                "--resume without --out continues "
                        + latest
                        + ", which does not exist (no run was started without --out here); give"
                        + " --out DIR of the run to continue.");
    }

    /**
     * Makes {@code latest} link to a run folder in this folder: a new link, renamed over the old
     * one, so that {@code latest} always names a whole run. A {@code latest} folder of an earlier
     * chtsl is first renamed {@code latest-until-TIME} (unless a run holds it: then it stays, and
     * so does {@code latest}). Where links cannot be made, {@code latest.txt} names the folder.
     *
     * @param folder a folder {@link #create} made
     * @throws IOException if {@code latest.txt} cannot be written
     */
    void pointLatestAt(Path folder) throws IOException {
        Path latest = latest();
        if (Files.exists(latest, LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(latest)
                && !setAsideEarlierLatest(latest)) {
            return;
        }
        Path name = folder.getFileName();
        Path temporary = root.resolve("." + LATEST + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createSymbolicLink(temporary, name);
            Files.move(
                    temporary,
                    latest,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(root.resolve(LATEST_TEXT));
            LOG.info("{} now links to {}", latest, name);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            Files.deleteIfExists(temporary);
            Path named = root.resolve(LATEST_TEXT);
            AtomicFiles.writeString(named, name + System.lineSeparator());
            LOG.info(
                    "Symbolic links cannot be made here ({}); {} names the latest run, {}, instead",
                    ProgramRunner.oneLine(e),
                    named,
                    name);
        }
    }

    /** Renames the {@code latest} folder of an earlier chtsl, unless a run holds it. */
    private boolean setAsideEarlierLatest(Path latest) throws IOException {
        Path aside = root.resolve(LATEST + "-until-" + LocalDateTime.now().format(TIME));
        if (!Files.isDirectory(latest, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(latest, aside);
            LOG.warn("{} was a file; it is now {}", latest, aside);
            return true;
        }
        try (RunDirectory held = RunDirectory.lock(latest, latest.toString())) {
            Files.move(latest, aside);
        } catch (IllegalArgumentException busy) {
            LOG.warn(
                    "{} is a folder of an earlier chtsl that a run holds; it stays, and does not"
                            + " link to this run ({})",
                    latest,
                    busy.getMessage());
            return false;
        }
        LOG.warn("{} was a run folder of an earlier chtsl; it is now {}", latest, aside);
        return true;
    }
}
