package org.chtsl.examples.bench;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.util.Optional;

/**
 * What one {@link MemoryCell} measured, or why it failed, as the child JVM reports it: one line on
 * its standard output, {@value #MARKER} followed by the result as JSON ({@link #toLine()}, read
 * back by {@link #parse}). Figures that are not available are {@code null} (absent from the JSON).
 *
 * @param model the LLaMA preset
 * @param method the method's name
 * @param sparsity the total sparsity of the projections (0 for a dense method)
 * @param layout how the projections' weights are stored: {@code dense} or {@code dense-masked}
 *     (full-size weights and masks)
 * @param device the device the model trained on
 * @param failure why the cell failed, or {@code null} when it ran
 * @param state the model's, gradients' and optimizer's bytes after the steps
 * @param memory the process's memory after the steps (before the checkpoint is written)
 * @param checkpointBytes the size of the training checkpoint written after the steps
 * @param tokensPerSecond tokens per second of the median timed step (steps 2 and later, less their
 *     topology update)
 * @param topologyUpdateMs the median time of one topology update, or {@code null} for a static
 *     method
 * @param stepPeakResidentBytes the peak resident set size at the end of the first step, before any
 *     topology update: what training steps alone need
 */
record MemoryResult(
        String model,
        String method,
        double sparsity,
        String layout,
        String device,
        String failure,
        ModelState state,
        MemoryFigures memory,
        Long checkpointBytes,
        Double tokensPerSecond,
        Double topologyUpdateMs,
        Long stepPeakResidentBytes) {

    /** What a child's result line starts with. */
    static final String MARKER = "@memory-benchmark-result ";

    private static final Gson GSON = new Gson();

    /**
     * The result of a cell that did not finish.
     *
     * @param cell the cell
     * @param failure why, in one line
     * @return a result with no figures
     */
    static MemoryResult failed(MemoryCell cell, String failure) {
        return new MemoryResult(
                cell.model(),
                cell.method(),
                cell.sparsity(),
                cell.layout(),
                null,
                failure,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * Returns whether the cell failed.
     *
     * @return whether {@link #failure()} is set
     */
    boolean failed() {
        return failure != null;
    }

    /**
     * Writes the result line.
     *
     * @return {@value #MARKER} and the JSON, on one line
     */
    String toLine() {
        return MARKER + GSON.toJson(this);
    }

    /**
     * Reads a result line of a child's output.
     *
     * @param line one line of the output
     * @return the result, or empty if the line is not a result line
     * @throws IllegalArgumentException if the line has the marker but no valid result (malformed
     *     JSON, or no model or method)
     */
    static Optional<MemoryResult> parse(String line) {
        if (!line.startsWith(MARKER)) {
            return Optional.empty();
        }
        MemoryResult result;
        try {
            result = GSON.fromJson(line.substring(MARKER.length()), MemoryResult.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Malformed memory-benchmark result: " + line, e);
        }
        if (result == null || result.model() == null || result.method() == null) {
            throw new IllegalArgumentException(
                    "A memory-benchmark result needs a model and a method: " + line);
        }
        return Optional.of(result);
    }
}
