package org.chtsl.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** {@code DIR/train.log}: the run's progress, evaluations and config, appended line by line. */
final class RunLog {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;

    RunLog(Path file) {
        this.file = file;
    }

    void line(String text) throws IOException {
        Files.writeString(
                file,
                LocalDateTime.now().format(TIME) + " " + text + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
