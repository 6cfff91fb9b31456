package org.chtsl.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

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
