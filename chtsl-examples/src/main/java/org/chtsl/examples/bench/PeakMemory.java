package org.chtsl.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process: the JVM heap pools' peaks and the resident set's high-water mark.
 */
final class PeakMemory {

    private PeakMemory() {}

    /**
     * Returns the sum of the heap pools' peak usage.
     *
     * @return bytes
     */
    static long heapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /**
     * Returns the peak resident set size (heap, native tensors and code), from {@code
     * /proc/self/status} on Linux.
     *
     * @return bytes, or -1 where it cannot be read
     */
    static long residentBytes() {
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

    /**
     * Describes both peaks in MiB.
     *
     * @return a short text
     */
    static String describe() {
        return String.format(
                "peak heap %.0f MiB, peak resident %.0f MiB",
                heapBytes() / 1048576.0, residentBytes() / 1048576.0);
    }
}
