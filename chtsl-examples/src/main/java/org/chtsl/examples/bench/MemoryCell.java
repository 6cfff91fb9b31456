package org.chtsl.examples.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.SparseStorage;

/**
 * One cell of the {@link MemoryBenchmark}: a model trained with a method at a total sparsity for a
 * few steps, measured in a JVM of its own. A dense method has sparsity 0.
 *
 * <p>The axes are model × method × sparsity × layout (how sparse weights are stored).
 *
 * @param model the LLaMA preset ({@code tiny}, {@code 20m}, {@code 60m}, {@code 130m})
 * @param method the method's name ({@link Methods#forName})
 * @param sparsity the total sparsity of the projections, in [0, 1)
 * @param layout {@code dense} for a dense method, else a {@link SparseStorage} name ({@code
 *     compact} or {@code dense-masked})
 * @param steps the optimizer steps, from 2 (the first is a warm-up) to {@value #MAX_STEPS}
 * @param batch sequences per step, at least 1
 * @param seqLen tokens per sequence, at least 1
 */
record MemoryCell(
        String model,
        String method,
        double sparsity,
        String layout,
        int steps,
        int batch,
        int seqLen) {

    /** The layout of a dense method's cell. */
    static final String DENSE = "dense";

    /** The most steps a cell trains. */
    static final int MAX_STEPS = 500;

    private static final int ARGUMENTS = 7;

    /**
     * Validates the cell.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    MemoryCell {
        LlamaConfig.preset(model); // refuses an unknown preset
        Methods.forName(method); // refuses an unknown method
        if (isDense(method) != DENSE.equals(layout)) {
            throw new IllegalArgumentException(
                    "A dense method's cell has layout dense, a sparse method's compact or"
                            + " dense-masked; got "
                            + method
                            + " with "
                            + layout
                            + ".");
        }
        if (!isDense(method)) {
            SparseStorage.fromName(layout); // refuses an unknown layout
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("Sparsity must be in [0, 1), got " + sparsity + ".");
        }
        if (steps < 2 || steps > MAX_STEPS || batch < 1 || seqLen < 1) {
            throw new IllegalArgumentException(
                    "A cell needs steps in [2, "
                            + MAX_STEPS
                            + "] (the first is a warm-up), batch >= 1 and seq-len >= 1, got "
                            + steps
                            + ", "
                            + batch
                            + " and "
                            + seqLen
                            + ".");
        }
    }

    /**
     * Plans the cells of a run: for each model, each method at each sparsity in each layout, except
     * that a dense method runs once, at sparsity 0, and a method whose rules need dense gradients
     * skips the compact layout.
     *
     * @param models the LLaMA presets
     * @param methods the methods' names
     * @param sparsities the total sparsities of the sparse methods
     * @param layouts the storages of the sparse methods ({@code compact}, {@code dense-masked})
     * @param steps optimizer steps per cell
     * @param batch sequences per step
     * @param seqLen tokens per sequence
     * @return the cells, model by model, in the order given
     */
    static List<MemoryCell> plan(
            List<String> models,
            List<String> methods,
            List<Double> sparsities,
            List<String> layouts,
            int steps,
            int batch,
            int seqLen) {
        List<MemoryCell> cells = new ArrayList<>();
        for (String model : models) {
            for (String method : methods) {
                if (isDense(method)) {
                    cells.add(new MemoryCell(model, method, 0, DENSE, steps, batch, seqLen));
                    continue;
                }
                for (double sparsity : sparsities) {
                    for (String layout : layouts) {
                        SparseStorage storage = SparseStorage.fromName(layout);
                        if (storage == SparseStorage.COMPACT
                                && Methods.forName(method).needsDenseGradient()) {
                            continue;
                        }
                        cells.add(
                                new MemoryCell(
                                        model,
                                        method,
                                        sparsity,
                                        storage.optionName(),
                                        steps,
                                        batch,
                                        seqLen));
                    }
                }
            }
        }
        return cells;
    }

    /**
     * Returns whether a method trains dense projections (sparsity does not apply to it).
     *
     * @param method the method's name
     * @return whether its projections are plain linear layers
     */
    static boolean isDense(String method) {
        return Methods.forName(method).getKind() == ProjectionKind.DENSE;
    }

    /**
     * Returns the command-line arguments a child JVM reads the cell back from ({@link #fromArgs}).
     *
     * @return model, method, sparsity, layout, steps, batch, sequence length
     */
    List<String> toArgs() {
        return List.of(
                model,
                method,
                Double.toString(sparsity),
                layout,
                Integer.toString(steps),
                Integer.toString(batch),
                Integer.toString(seqLen));
    }

    /**
     * Reads a cell from the arguments {@link #toArgs} wrote.
     *
     * @param args model, method, sparsity, layout, steps, batch, sequence length
     * @return the cell
     * @throws IllegalArgumentException if there are not seven arguments or one is invalid
     */
    static MemoryCell fromArgs(String... args) {
        if (args.length != ARGUMENTS) {
            throw new IllegalArgumentException(
                    "A memory-benchmark cell needs "
                            + ARGUMENTS
                            + " arguments (model method sparsity layout steps batch seq-len), got "
                            + args.length
                            + ".");
        }
        return new MemoryCell(
                args[0],
                args[1],
                Double.parseDouble(args[2]),
                args[3],
                Integer.parseInt(args[4]),
                Integer.parseInt(args[5]),
                Integer.parseInt(args[6]));
    }

    /**
     * Describes the cell in a few words, for progress lines.
     *
     * @return e.g. {@code 20m chts 0.9 compact}
     */
    String label() {
        return model + " " + method + " " + sparsityText(sparsity) + " " + layout;
    }

    /**
     * Writes a sparsity as the options give it.
     *
     * @param sparsity the sparsity
     * @return e.g. {@code 0.9}, or {@code 0} for a dense method
     */
    static String sparsityText(double sparsity) {
        return BigDecimal.valueOf(sparsity).stripTrailingZeros().toPlainString();
    }
}
