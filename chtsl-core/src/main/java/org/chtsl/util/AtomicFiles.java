package org.chtsl.util;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files atomically: into a temporary file next to the target, then renamed over it, so a
 * crash or a full disk never leaves a half-written file (the previous version, if any, is kept).
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

    private AtomicFiles() {}

    /**
     * Writes a file atomically.
     *
     * @param target the file
     * @param writer writes its content
     * @throws IOException if writing or renaming fails
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream os =
                    new DataOutputStream(
                            new BufferedOutputStream(Files.newOutputStream(temporary)))) {
                writer.write(os);
            }
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
