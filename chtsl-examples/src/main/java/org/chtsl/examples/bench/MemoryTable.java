package org.chtsl.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@link MemoryBenchmark}'s results as one Markdown table: a row per cell, memory in MiB
 * (2<sup>20</sup> bytes), {@code n/a} where a figure is not available, and a failed cell's reason
 * in place of its figures.
 */
final class MemoryTable {

    /** What a figure that is not available reads as. */
    static final String NOT_AVAILABLE = "n/a";

    private static final double MIB = 1 << 20;

    /** One column: its header, whether it holds numbers (right-aligned), how a result fills it. */
    private record Column(String header, boolean numeric, Function<MemoryResult, String> value) {

        static Column text(String header, Function<MemoryResult, String> value) {
            return new Column(header, false, value);
        }

        static Column figure(String header, Function<MemoryResult, String> value) {
            return new Column(header, true, value);
        }
    }

    /** The columns that name the cell, filled for failed cells too. */
    private static final List<Column> CELL =
            List.of(
                    Column.text("model", MemoryResult::model),
                    Column.text("method", MemoryResult::method),
                    Column.figure("sparsity", r -> MemoryCell.sparsityText(r.sparsity())),
                    Column.text("layout", MemoryResult::layout));

    private static final List<Column> FIGURES =
            List.of(
                    Column.figure("active params", r -> millions(r.state().activeParameters())),
                    Column.figure("projections MiB", r -> mib(r.state().projectionBytes())),
                    Column.figure("other params MiB", r -> mib(r.state().otherBytes())),
                    Column.figure("gradients MiB", r -> mib(r.state().gradientBytes())),
                    Column.figure("Adam state MiB", r -> mib(r.state().optimizerBytes())),
                    Column.figure(
                            "projection state MiB", r -> mib(r.state().projectionStateBytes())),
                    Column.figure(
                            "B/param",
                            r -> String.format(Locale.ROOT, "%.1f", r.state().bytesPerParameter())),
                    Column.figure("step peak RSS MiB", r -> mib(r.stepPeakResidentBytes())),
                    Column.figure("peak RSS MiB", r -> mib(r.memory().peakResidentBytes())),
                    Column.figure("RSS after MiB", r -> mib(r.memory().residentBytes())),
                    Column.figure("JVM heap peak MiB", r -> mib(r.memory().heapPeakBytes())),
                    Column.figure("JVM direct MiB", r -> mib(r.memory().directBytes())),
                    Column.figure("GPU in use MiB", r -> mib(r.memory().gpuBytes())),
                    Column.figure("checkpoint MiB", r -> mib(r.checkpointBytes())),
                    Column.figure(
                            "ckpt projections MiB",
                            r ->
                                    r.checkpointBytes() == null
                                            ? null
                                            : mib(
                                                    r.checkpointBytes()
                                                            - r.state().otherStateBytes())),
                    Column.figure("tokens/s", r -> whole(r.tokensPerSecond())),
                    Column.figure("topology update ms", r -> whole(r.topologyUpdateMs())));

    private MemoryTable() {}

    /**
     * Renders the results.
     *
     * @param results the cells' results, in the order the rows take
     * @return the table: a header row, the alignment row and one row per result, each ending in a
     *     newline
     */
    static String markdown(List<MemoryResult> results) {
        List<Column> columns = new ArrayList<>(CELL);
        columns.addAll(FIGURES);
        StringBuilder table = new StringBuilder();
        row(table, columns.stream().map(Column::header).toList());
        row(table, columns.stream().map(c -> c.numeric() ? "---:" : "---").toList());
        for (MemoryResult result : results) {
            List<String> cells = new ArrayList<>();
            if (result.failed()) {
                CELL.forEach(column -> cells.add(column.value().apply(result)));
                cells.add("failed: " + result.failure());
                while (cells.size() < columns.size()) {
                    cells.add("");
                }
            } else {
                columns.forEach(column -> cells.add(column.value().apply(result)));
            }
            row(table, cells);
        }
        return table.toString();
    }

    private static void row(StringBuilder table, List<String> cells) {
        for (String text : cells) {
            String shown =
                    text == null ? NOT_AVAILABLE : text.replace("|", "\\|").replace('\n', ' ');
            table.append("| ").append(shown).append(' ');
        }
        table.append("|\n");
    }

    private static String mib(Long bytes) {
        return bytes == null ? null : String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }

    private static String millions(long count) {
        return String.format(Locale.ROOT, "%.2fM", count / 1e6);
    }

    private static String whole(Double value) {
        return value == null ? null : String.format(Locale.ROOT, "%.0f", value);
    }
}
