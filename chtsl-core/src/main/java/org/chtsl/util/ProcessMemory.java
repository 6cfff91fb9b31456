package org.chtsl.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memory this process has used, as reports and benchmarks print it. */
public final class ProcessMemory {

    private ProcessMemory() {}

    /**
     * Returns the peak resident set size (JVM heap, native tensors and code), from {@code
     * /proc/self/status} on Linux.
     *
     * @return bytes, or −1 where it cannot be read
     */
    public static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
