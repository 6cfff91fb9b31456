package org.chtsl.examples.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Runs a {@link MemoryCell} in a JVM of its own ({@link MemoryCellRun}): the same {@code java}
 * binary and class path as this JVM (under {@code mvn exec:java}, the project's class path, not
 * Maven's), this JVM's heap limits and the system properties that configure DJL and chtsl (e.g.
 * {@code ai.djl.pytorch.num_threads}). The child's output is passed on, prefixed, and its result
 * line collected.
 */
final class ChildJvm {

    /** System properties passed on to the child, by prefix. */
    private static final List<String> PROPERTY_PREFIXES =
            List.of("ai.djl.", "chtsl.", "org.chtsl.", "log4j");

    /** JVM options passed on to the child, by prefix. */
    private static final List<String> JVM_OPTION_PREFIXES = List.of("-Xmx", "-Xms");

    private ChildJvm() {}

    /**
     * Returns the command that runs a cell.
     *
     * @param cell the cell
     * @return the java binary, JVM options, system properties, class path, main class and the
     *     cell's arguments
     */
    static List<String> command(MemoryCell cell) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (JVM_OPTION_PREFIXES.stream().anyMatch(option::startsWith)) {
                command.add(option);
            }
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (PROPERTY_PREFIXES.stream().anyMatch(name::startsWith)) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.add("-cp");
        command.add(classPath());
        command.add(MemoryCellRun.class.getName());
        command.addAll(cell.toArgs());
        return command;
    }

    /**
     * Runs a cell and waits for it.
     *
     * @param cell the cell
     * @param log where the child's other output goes, each line prefixed with the cell
     * @return the child's result, or a failed result naming its exit status and last line
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    static MemoryResult run(MemoryCell cell, PrintStream log)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(cell)).redirectErrorStream(true).start();
        MemoryResult result = null;
        String last = "";
        try (BufferedReader output =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                Optional<MemoryResult> parsed = MemoryResult.parse(line);
                if (parsed.isPresent()) {
                    result = parsed.get();
                } else {
                    log.println("  [" + cell.label() + "] " + line);
                    if (!line.isBlank()) {
                        last = line.strip();
                    }
                }
            }
        }
        int status = process.waitFor();
        if (result != null) {
            return result;
        }
        return MemoryResult.failed(
                cell,
                "exit status "
                        + status
                        + (status == 137 ? " (killed: out of memory?)" : "")
                        + (last.isEmpty() ? "" : ", last line: " + last));
    }

    /**
     * The class path this class was loaded from: the URLs of its class loader where that is a
     * {@link URLClassLoader} ({@code mvn exec:java}), else {@code java.class.path}.
     */
    private static String classPath() {
        if (ChildJvm.class.getClassLoader() instanceof URLClassLoader loader
                && loader.getURLs().length > 0) {
            StringJoiner path = new StringJoiner(File.pathSeparator);
            for (URL url : loader.getURLs()) {
                try {
                    path.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("Class path entry " + url + " is no file.", e);
                }
            }
            return path.toString();
        }
        return System.getProperty("java.class.path");
    }
}
