package org.chtsl.examples;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/**
 * {@code RUN_DIR}: the finished TrainLlama run that Evaluate and Generate reopen, or a link to one
 * such as {@code runs/latest} (a mixin).
 */
final class RunFolder {

    @Parameters(
            index = "0",
            paramLabel = "RUN_DIR",
            description =
                    "a TrainLlama run's folder, holding report.json and checkpoint.chtsl, or a"
                            + " link to one such as runs/latest")
    @Allowed.PathTo("a TrainLlama --out folder")
    Path path;
}
