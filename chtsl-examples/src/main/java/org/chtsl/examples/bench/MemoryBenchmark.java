package org.chtsl.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Memory of training: LLaMA models trained for a few steps, dense and with sparse methods at some
 * total sparsities, one child JVM per cell ({@link MemoryCellRun}; peak resident memory is per
 * process), and one table of what each measured ({@link MemoryTable}): the bytes of parameters,
 * gradients and Adam state, bytes per active parameter, peak and final resident memory, the JVM's
 * heap and direct figures (and the GPU's, on a GPU), checkpoint size, tokens per second and the
 * time of one topology update. The table is printed and written as Markdown to {@code --out}.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl chtsl-examples exec:java
 * -Dexec.mainClass=org.chtsl.examples.bench.MemoryBenchmark [-Dexec.args="--models 20m"]}.
 */
@Command(
        name = "MemoryBenchmark",
        description =
                "Trains LLaMA models a few steps per method and sparsity, one JVM per cell, and"
                        + " prints a table of their memory.")
public final class MemoryBenchmark implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "prints this help")
    private boolean help;

    @Option(
            names = "--models",
            split = ",",
            paramLabel = "M",
            description = "LLaMA presets (default: ${DEFAULT-VALUE})")
    private List<String> models = List.of("20m", "60m", "130m");

    @Option(
            names = "--methods",
            split = ",",
            paramLabel = "NAME",
            description = "methods; a dense one runs once per model (default: ${DEFAULT-VALUE})")
    private List<String> methods = List.of("dense", "chts", "chtsl");

    @Option(
            names = "--sparsities",
            split = ",",
            paramLabel = "S",
            description = "total sparsities of the sparse methods (default: ${DEFAULT-VALUE})")
    private List<Double> sparsities = List.of(0.9, 0.7);

    @Option(
            names = "--layouts",
            split = ",",
            paramLabel = "FORM",
            description =
                    "how sparse methods store weights: compact, dense-masked (default:"
                            + " ${DEFAULT-VALUE}; compact is skipped for methods that need dense"
                            + " gradients)")
    private List<String> layouts = List.of("compact", "dense-masked");

    @Option(
            names = "--steps",
            paramLabel = "N",
            description =
                    "optimizer steps per cell, the first a warm-up (default: ${DEFAULT-VALUE})")
    private int steps = 3;

    @Option(
            names = "--batch",
            paramLabel = "B",
            description = "sequences per step (default: ${DEFAULT-VALUE})")
    private int batch = 2;

    @Option(
            names = "--seq-len",
            paramLabel = "T",
            description = "tokens per sequence (default: ${DEFAULT-VALUE})")
    private int seqLen = 256;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "where the Markdown table is written (default: ${DEFAULT-VALUE})")
    private Path out = Path.of("target", "memory-benchmark.md");

    /**
     * Runs the benchmark.
     *
     * @param args the options ({@code --help} lists them)
     */
    public static void main(String[] args) {
        int status =
                new CommandLine(new MemoryBenchmark())
                        .setExecutionExceptionHandler(MemoryBenchmark::badInput)
                        .execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** A bad model, method or value is one line and exit status 2; anything else is thrown. */
    private static int badInput(Exception e, CommandLine command, CommandLine.ParseResult parsed)
            throws Exception {
        if (e instanceof IllegalArgumentException) {
            command.getErr().println("MemoryBenchmark: " + e.getMessage());
            return 2;
        }
        throw e;
    }

    /**
     * Runs every cell, then prints and writes the table.
     *
     * @return 0 when every cell ran, 1 when one failed (its row says why)
     * @throws IOException if a child cannot be started or the table cannot be written
     * @throws InterruptedException if interrupted while a child runs
     */
    @Override
    public Integer call() throws IOException, InterruptedException {
        List<MemoryCell> cells =
                MemoryCell.plan(models, methods, sparsities, layouts, steps, batch, seqLen);
        List<MemoryResult> results = new ArrayList<>();
        for (MemoryCell cell : cells) {
            System.out.printf(
                    Locale.ROOT,
                    "cell %d/%d: %s%n",
                    results.size() + 1,
                    cells.size(),
                    cell.label());
            results.add(ChildJvm.run(cell, System.err));
        }
        String report = heading(results) + "\n" + MemoryTable.markdown(results);
        System.out.println();
        System.out.print(report);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, report);
        System.out.println("\nwritten to " + out.toAbsolutePath());
        return results.stream().anyMatch(MemoryResult::failed) ? 1 : 0;
    }

    /** What the table was measured with. */
    private String heading(List<MemoryResult> results) {
        return String.format(
                Locale.ROOT,
                "Memory benchmark: %d steps of batch %d × %d tokens per cell (the first a warm-up),"
                        + " random token ids, on %s; PyTorch threads: %s; CPU cores: %d.%n",
                steps,
                batch,
                seqLen,
                results.stream()
                        .map(MemoryResult::device)
                        .filter(device -> device != null)
                        .findFirst()
                        .orElse("device unknown"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                Runtime.getRuntime().availableProcessors());
    }
}
