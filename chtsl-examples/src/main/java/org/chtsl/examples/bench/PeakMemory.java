package org.chtsl.examples.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process: the JVM heap pools' peaks, the resident set's high-water mark and current
 * size, and the JVM's direct buffers.
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
     * Returns the resident set size now ({@code VmRSS} of {@code /proc/self/status}; the peak is
     * {@link org.chtsl.util.ProcessMemory#peakResidentBytes()}).
     *
     * @return bytes, or −1 where it cannot be read (not Linux)
     */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Returns the memory the JVM's direct buffers use now.
     *
     * @return bytes, or −1 if the JVM reports no direct pool
     */
    static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                return pool.getMemoryUsed();
            }
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
                heapBytes() / 1048576.0,
                org.chtsl.util.ProcessMemory.peakResidentBytes() / 1048576.0);
    }
}
