package org.chtsl.examples.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import org.chtsl.util.ProcessMemory;

/**
 * What this process's memory looks like at one moment, as far as it can be read: the resident set's
 * high-water mark and current size, the JVM heap pools' peaks, the JVM's direct buffers, and on a
 * GPU the device memory in use (CUDA's {@code cudaMemGetInfo}: PyTorch's caching allocator
 * included, other processes too). DJL exposes no PyTorch allocator statistics, so on the CPU the
 * native tensors show only in the resident set. A figure that cannot be read is {@code null}.
 *
 * @param peakResidentBytes the peak resident set size ({@code VmHWM})
 * @param residentBytes the resident set size now ({@code VmRSS})
 * @param heapPeakBytes the sum of the JVM heap pools' peak usage
 * @param directBytes the JVM's direct buffers now
 * @param gpuBytes the GPU memory in use, or {@code null} on the CPU
 */
record MemoryFigures(
        Long peakResidentBytes,
        Long residentBytes,
        Long heapPeakBytes,
        Long directBytes,
        Long gpuBytes) {

    /**
     * Reads the figures now.
     *
     * @param device the device the model trains on
     * @return the figures
     */
    static MemoryFigures now(Device device) {
        // the current size first: the high-water mark read after it is at least as large
        Long resident = known(PeakMemory.residentBytes());
        return new MemoryFigures(
                known(ProcessMemory.peakResidentBytes()),
                resident,
                PeakMemory.heapBytes(),
                known(PeakMemory.directBytes()),
                device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() : null);
    }

    private static Long known(long bytes) {
        return bytes < 0 ? null : bytes;
    }
}
