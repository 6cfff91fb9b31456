package org.chtsl.util;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: into a temporary file next to the target, then renamed over it, so a
 * crash or a full disk never leaves a half-written file (the previous version, if any, is kept).
 * The file gets the permissions of any file the process creates (its umask: {@code rw-r--r--} under
 * the usual 022), not the owner-only ones of {@link Files#createTempFile}.
 */
public final class AtomicFiles {

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Writer {

        /**
         * Writes.
         *
         * @param os the stream of the temporary file
         * @throws IOException if writing fails
         */
        void write(DataOutputStream os) throws IOException;
    }

    /** Writes the content of a file given its path (for writers that need to seek). */
    @FunctionalInterface
    public interface PathWriter {

        /**
         * Writes.
         *
         * @param temporary the temporary file, to fill
         * @throws IOException if writing fails
         */
        void write(Path temporary) throws IOException;
    }

    private static final String SUFFIX = ".tmp";

    private AtomicFiles() {}

    /**
     * Writes a file atomically.
     *
     * @param target the file
     * @param writer writes its content
     * @throws IOException if writing or renaming fails
     */
    public static void write(Path target, Writer writer) throws IOException {
        writeFile(
                target,
                temporary -> {
                    try (DataOutputStream os =
                            new DataOutputStream(
                                    new BufferedOutputStream(Files.newOutputStream(temporary)))) {
                        writer.write(os);
                    }
                });
    }

    /**
     * Writes a file atomically through its temporary path.
     *
     * @param target the file
     * @param writer fills the temporary file
     * @throws IOException if writing or renaming fails
     */
    public static void writeFile(Path target, PathWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = createTemporary(dir, prefix(target));
        try {
            writer.write(temporary);
            Files.move(
                    temporary,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Creates {@code prefix<digits>.tmp} in a folder, as an ordinary new file: unlike {@link
     * Files#createTempFile}, which makes it readable by its owner only, it takes the permissions
     * the process gives every file it creates, so a renamed-over file looks like any other.
     */
    private static Path createTemporary(Path dir, String prefix) throws IOException {
        while (true) {
            long digits = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            try {
                return Files.createFile(dir.resolve(prefix + digits + SUFFIX));
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same number: draw again
            }
        }
    }

    /**
     * Deletes the temporary files that interrupted writes of a file left behind (a process killed
     * while writing cannot delete its own). Call it only while no other process writes the file,
     * e.g. under a lock of its folder.
     *
     * @param target the file
     * @return how many bytes were freed
     * @throws IOException if the folder cannot be listed or a file cannot be deleted
     */
    public static long removeStaleTemporaries(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = prefix(target);
        long freed = 0;
        try (java.nio.file.DirectoryStream<Path> files =
                Files.newDirectoryStream(dir, prefix + "*" + SUFFIX)) {
            for (Path file : files) {
                String middle =
                        file.getFileName()
                                .toString()
                                .substring(
                                        prefix.length(),
                                        file.getFileName().toString().length() - SUFFIX.length());
                if (middle.chars().allMatch(Character::isDigit) && Files.isRegularFile(file)) {
                    freed += Files.size(file);
                    Files.delete(file);
                }
            }
        }
        return freed;
    }

    private static String prefix(Path target) {
        return target.getFileName().toString() + ".";
    }

    /**
     * Writes a text file atomically, in UTF-8.
     *
     * @param target the file
     * @param text its content
     * @throws IOException if writing or renaming fails
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, os -> os.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
