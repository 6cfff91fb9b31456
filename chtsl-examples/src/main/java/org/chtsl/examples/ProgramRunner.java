package org.chtsl.examples;

import ai.djl.MalformedModelException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.function.Supplier;
import org.chtsl.training.TrainingDivergedException;
import org.chtsl.util.CorruptFileException;

/**
 * Runs a program's body and turns every failure into one line on standard error and an exit status,
 * never a stack trace:
 *
 * <ul>
 *   <li>{@value #OK}: done;
 *   <li>{@value #FAILED}: an unexpected failure; the line says where the full trace was written;
 *   <li>{@value #BAD_INPUT}: bad input (an option, a file, a checkpoint that does not fit);
 *   <li>{@value #DIVERGED}: training diverged (the run's report and last good checkpoint are kept).
 * </ul>
 */
final class ProgramRunner {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int DIVERGED = 3;

    /** {@value #OK} in {@code --help}'s list of exit statuses. */
    static final String OK_LINE = "0:done (also after --help and --version)";

    /** {@value #FAILED} in {@code --help}'s list of exit statuses. */
    static final String FAILED_LINE =
            "1:an unexpected failure: one line; the full trace is appended to the run's train.log"
                    + " (or to a file whose path is printed)";

    /** {@value #BAD_INPUT} in {@code --help}'s list of exit statuses. */
    static final String BAD_INPUT_LINE =
            "2:bad input: one line naming the option, the value given and what is allowed";

    /** {@value #DIVERGED} in {@code --help}'s list of exit statuses. */
    static final String DIVERGED_LINE =
            "3:training diverged: report.json and the last good checkpoint are kept";

    /** A program's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private ProgramRunner() {}

    /**
     * Runs a body.
     *
     * @param program the program's name, the prefix of the error line
     * @param errors where the error line goes
     * @param traceFile where an unexpected failure's trace is appended (asked only on failure; a
     *     temporary file is used if it gives {@code null} or cannot be written)
     * @param body the program
     * @return the exit status
     */
    static int run(String program, PrintStream errors, Supplier<Path> traceFile, Body body) {
        try {
            body.run();
            return OK;
        } catch (TrainingDivergedException e) {
            errors.println(program + ": " + e.getMessage());
            return DIVERGED;
        } catch (IllegalArgumentException | MalformedModelException | CorruptFileException e) {
            errors.println(program + ": " + oneLine(e));
            return BAD_INPUT;
        } catch (Exception | Error e) {
            Path trace = writeTrace(program, traceFile.get(), e);
            errors.println(
                    program
                            + " failed: "
                            + oneLine(e)
                            + (trace == null ? "" : " (full trace in " + trace + ")"));
            return FAILED;
        }
    }

    /** The exception's message on one line, or its type where it has none. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        } else if (!(e instanceof IllegalArgumentException)
                && !(e instanceof MalformedModelException)
                && !(e instanceof CorruptFileException)
                && !(e instanceof IllegalStateException)) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        String line = message.strip().replaceAll("\\s*\\R\\s*", " | ");
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }

    private static Path writeTrace(String program, Path preferred, Throwable e) {
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            writer.println(LocalDateTime.now() + " " + program + " failed:");
            e.printStackTrace(writer);
        }
        for (Path file : new Path[] {preferred, null}) {
            try {
                Path target =
                        file != null
                                ? file
                                : Files.createTempFile("chtsl-" + program + "-", ".log");
                Files.writeString(
                        target,
                        text.toString(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                return target;
            } catch (IOException | RuntimeException ignored) {
                // try the next place
            }
        }
        return null;
    }

    /**
     * Ends a program's {@code main}: exits the JVM with the status unless it is 0, so that a
     * program that succeeded returns normally.
     *
     * @param status the program's exit status
     */
    static void exit(int status) {
        if (status != 0) {
            System.exit(status);
        }
    }
}
