package org.chtsl.examples;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.chtsl.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's output folder, held by one run at a time: an exclusive lock on {@code DIR/.lock} (the
 * operating system releases it when the process ends, however it ends), whose content names the
 * holder. Taking it also removes the temporary files that killed runs left behind.
 */
final class RunDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    /** What TrainLlama and TrainMlp write into a run folder. */
    static final List<String> RUN_FILES =
            List.of(
                    "checkpoint.chtsl",
                    "report.json",
                    "report.html",
                    "train.log",
                    "loss.png",
                    "ppl.png",
                    "density.png",
                    "ocr.png",
                    "accuracy.png",
                    "neurons.png");

    /**
     * Folders held by this process. The operating system's lock is per process, and closing any
     * channel of the lock file would release it: a second attempt in this process must not open
     * one.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path directory, Path key, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed and locks it.
     *
     * @param directory the folder
     * @param option the option that named it, for messages (e.g. {@code --out})
     * @return the held folder
     * @throws IllegalArgumentException if the folder cannot be created or written, or another run
     *     holds it
     * @throws IOException if cleaning fails
     */
    static RunDirectory lock(Path directory, String option) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    option + " " + directory + " is a file; give a folder (new or a run's).");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(
                    option
                            + " "
                            + directory
                            + ": cannot create the folder ("
                            + ProgramRunner.oneLine(e)
                            + ").");
        }
        Path key = directory.toRealPath();
        String busy =
                option
                        + " "
                        + directory
                        + " is in use by another run (%s); wait for it to finish or choose another "
                        + option
                        + ".";
        if (!HELD.add(key)) {
            throw new IllegalArgumentException(String.format(busy, "in this process"));
        }
        try {
            return acquire(directory, key, option, busy);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static RunDirectory acquire(Path directory, Path key, String option, String busy)
            throws IOException {
        Path file = directory.resolve(".lock");
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(
                    option
                            + " "
                            + directory
                            + ": cannot write in the folder ("
                            + ProgramRunner.oneLine(e)
                            + ").");
        }
        RunDirectory held = null;
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                throw new IllegalArgumentException(
                        String.format(busy, holder.isEmpty() ? "unknown process" : holder));
            }
            held = new RunDirectory(directory, key, channel, lock);
            String holder =
                    "process "
                            + ManagementFactory.getRuntimeMXBean().getName()
                            + " since "
                            + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            for (String runFile : RUN_FILES) {
                long freed = AtomicFiles.removeStaleTemporaries(directory.resolve(runFile));
                if (freed > 0) {
                    LOG.info(
                            "Removed {} MB of temporary files that an interrupted run left in {}",
                            String.format("%.1f", freed / 1e6),
                            directory);
                }
            }
            return held;
        } catch (IOException | RuntimeException e) {
            // closing the channel releases the lock; nothing stays held after a failure
            channel.close();
            if (e instanceof IOException && held == null) {
                throw new IllegalArgumentException(
                        option
                                + " "
                                + directory
                                + ": cannot lock the folder ("
                                + ProgramRunner.oneLine(e)
                                + ").");
            }
            throw e;
        }
    }

    /**
     * Returns the folder.
     *
     * @return the path
     */
    Path path() {
        return directory;
    }

    /**
     * Moves the files of an earlier run in the folder, if any ({@link #RUN_FILES} and every plot,
     * {@code *.png}), into a subfolder {@code earlier-<time>}, so that a new run never overwrites
     * or appends to them.
     *
     * @return the subfolder, or {@code null} if there was nothing to move
     * @throws IOException if moving fails
     */
    Path setAsideEarlierRun() throws IOException {
        List<Path> earlier = earlierRunFiles();
        if (earlier.isEmpty()) {
            return null;
        }
        String base =
                "earlier-"
                        + LocalDateTime.now()
                                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path aside = directory.resolve(base);
        for (int n = 2; Files.exists(aside); n++) {
            aside = directory.resolve(base + "-" + n);
        }
        Files.createDirectories(aside);
        for (Path file : earlier) {
            Files.move(file, aside.resolve(file.getFileName()));
        }
        LOG.warn(
                "{} held an earlier run; its {} files are now in {}, untouched (use --resume to"
                        + " continue a run)",
                directory,
                earlier.size(),
                aside);
        return aside;
    }

    /**
     * Returns the files of an earlier run in the folder: {@link #RUN_FILES} and the plots.
     *
     * @return the files, or none
     * @throws IOException if the folder cannot be listed
     */
    List<Path> earlierRunFiles() throws IOException {
        List<Path> earlier = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(
                            file -> {
                                String name = file.getFileName().toString();
                                return RUN_FILES.contains(name)
                                        || (name.endsWith(".png") && Files.isRegularFile(file));
                            })
                    .sorted()
                    .forEach(earlier::add);
        }
        return earlier;
    }

    /** Releases the folder. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(key);
        }
    }
}
