package org.chtsl.examples;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** {@code RUN_DIR}: the finished TrainLlama run that Evaluate and Generate reopen (a mixin). */
final class RunFolder {

    @Parameters(
            index = "0",
            paramLabel = "RUN_DIR",
            description = "a TrainLlama --out folder, holding report.json and checkpoint.chtsl")
    @Allowed.PathTo("a TrainLlama --out folder")
    Path path;
}
