package org.chtsl.examples;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.method.Methods;
import org.chtsl.nn.AlignmentForm;
import org.chtsl.training.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Reproduces the CHTsL paper's claims at a size this machine trains: (a) Table 1, the naive sum vs
 * the activation vs activation plus alignment (in each alignment form) at an equal budget; (b)
 * Figure 2, the OCR of every attention projection with and without alignment; (c) CHTsL vs CHTs vs
 * SLTrain vs CoLA vs dense at one total sparsity; (d) the CHTs paper's MNIST MLP at 1% density,
 * CHTs with chain removal vs dense; (e) the alignment term's share of the output gradient in each
 * form at larger models, from two steps each. Every configuration runs once per seed through {@link
 * TrainLlama}'s and {@link TrainMlp}'s own command lines, each in its own folder under {@code
 * --out}; a finished run is reused and an interrupted one resumed, so the program can be stopped,
 * restarted, or run as several processes on different seeds into one folder. {@code claims.md} and
 * the plots are written from whatever runs have finished ({@link ClaimsReport}).
 */
public final class PaperClaims {

    private static final Logger LOG = LoggerFactory.getLogger(PaperClaims.class);

    /** PaperClaims' command line. */
    @Command(
            name = "PaperClaims",
            description =
                    "Runs the CHTsL paper's Table 1, Figure 2 and method comparison, and the CHTs"
                            + " paper's MNIST MLP claim, at a size this machine trains; writes"
                            + " claims.md and plots to --out.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                ProgramRunner.OK_LINE,
                ProgramRunner.FAILED_LINE,
                ProgramRunner.BAD_INPUT_LINE
            })
    static final class Options implements ProgramOptions {
        @Option(
                names = "--model",
                paramLabel = "MODEL",
                description = "the LLaMA preset (default: ${DEFAULT-VALUE})")
        String model = "tiny";

        @Option(
                names = "--steps",
                paramLabel = "N",
                description = "optimizer steps of each LLaMA run (default: ${DEFAULT-VALUE})")
        @Allowed.Whole(min = 2)
        long steps = 600;

        @Option(
                names = "--seeds",
                paramLabel = "S",
                split = ",",
                description = "the seeds, each a run of every configuration (default: 1,2)")
        List<Long> seeds = List.of(1L, 2L);

        @Option(
                names = "--sparsity",
                paramLabel = "S",
                description = "the total sparsity of (a) and (c) (default: ${DEFAULT-VALUE})")
        @Allowed.Real(min = 0, minIncluded = false, max = 1, maxIncluded = false)
        double sparsity = 0.9;

        @Option(
                names = "--mlp-epochs",
                paramLabel = "N",
                description =
                        "epochs of each MNIST run of (d), 0 to leave (d) out"
                                + " (default: ${DEFAULT-VALUE})")
        @Allowed.Whole(min = 0)
        int mlpEpochs = 20;

        @Option(
                names = "--share-models",
                paramLabel = "MODEL",
                split = ",",
                description =
                        "models whose alignment gradient share (e) is measured in two steps of"
                                + " batch 16 per form (default: 20m,60m)")
        List<String> shareModels = List.of("20m", "60m");

        @Option(names = "--no-share", description = "leave (e) out")
        boolean noShare;

        @Option(
                names = "--report-only",
                description = "write claims.md from the finished runs; train nothing")
        boolean reportOnly;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "the folder of the runs and the report (default: ${DEFAULT-VALUE})")
        @Allowed.PathTo("a folder")
        Path out = Path.of("runs", "claims");
    }

    /**
     * One LLaMA configuration of the experiment.
     *
     * @param name its folder's prefix and its row in the report
     * @param args TrainLlama's options beyond model, steps, sparsity, seed and out
     */
    record Config(String name, List<String> args) {}

    /** (a): Table 1's three integrations, the alignment in each of its forms. */
    static final List<Config> TABLE_1 =
            List.of(
                    new Config(
                            "naive",
                            List.of(
                                    "--method",
                                    "chtsl",
                                    "--lambda",
                                    "0",
                                    "--low-rank-activation",
                                    "IDENTITY")),
                    new Config("act", List.of("--method", "chtsl", "--lambda", "0")),
                    alignment(AlignmentForm.NORM_PER_ELEMENT),
                    alignment(AlignmentForm.NORM_PER_TOKEN),
                    alignment(AlignmentForm.MEAN_SQUARED));

    /** Table 1's row of CHTsL as the preset trains it, which (b) and (c) reuse. */
    static final String CHTSL_ROW = alignmentRow(Methods.chtsl().getAlignmentForm());

    private static Config alignment(AlignmentForm form) {
        return new Config(
                alignmentRow(form), List.of("--method", "chtsl", "--alignment-form", form.name()));
    }

    private static String alignmentRow(AlignmentForm form) {
        return "act-align-" + form.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** (c): the methods at one total sparsity (CHTsL is Table 1's default row). */
    static final List<Config> METHODS =
            List.of(
                    new Config("chts", List.of("--method", "chts")),
                    new Config("sltrain", List.of("--method", "sltrain")),
                    new Config("cola", List.of("--method", "cola")),
                    new Config("dense", List.of("--method", "dense")));

    /** (e): the alignment term's gradient share in each form, two steps at batch 16 × 256. */
    static final List<Config> SHARE =
            List.of(
                    shareConfig("NORM_PER_ELEMENT"),
                    shareConfig("NORM_PER_TOKEN"),
                    shareConfig("MEAN_SQUARED"));

    private static Config shareConfig(String form) {
        return new Config(
                "share-" + form.toLowerCase(java.util.Locale.ROOT),
                List.of(
                        "--method",
                        "chtsl",
                        "--alignment-form",
                        form,
                        "--steps",
                        "2",
                        "--batch",
                        "16",
                        "--micro-batch",
                        "16",
                        "--warmup",
                        "0",
                        "--eval-every",
                        "2",
                        "--eval-tokens",
                        "4096"));
    }

    /** (d): the MNIST MLP at 1% density. */
    static final List<Config> MLP =
            List.of(
                    new Config("mlp-chts-chain", List.of("--method", "chts", "--chain-removal")),
                    new Config("mlp-dense", List.of("--method", "dense")));

    private PaperClaims() {}

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
        return ProgramRunner.run(
                "PaperClaims",
                errors,
                () -> null,
                () -> {
                    Options options = new Options();
                    if (CommandLines.parse(options, out, args).isPresent()) {
                        run(options);
                    }
                });
    }

    private static void run(Options options) throws Exception {
        Files.createDirectories(options.out);
        Map<String, List<JsonObject>> reports = new LinkedHashMap<>();
        List<Config> llama = new ArrayList<>(TABLE_1);
        llama.addAll(METHODS);
        for (long seed : options.seeds) {
            for (Config config : llama) {
                JsonObject report = llamaRun(options, config, seed);
                if (report != null) {
                    reports.computeIfAbsent(config.name(), k -> new ArrayList<>()).add(report);
                }
            }
            if (options.mlpEpochs > 0) {
                for (Config config : MLP) {
                    JsonObject report = mlpRun(options, config, seed);
                    if (report != null) {
                        reports.computeIfAbsent(config.name(), k -> new ArrayList<>()).add(report);
                    }
                }
            }
        }
        Map<String, JsonObject> shares = new LinkedHashMap<>();
        if (!options.noShare) {
            for (String model : options.shareModels) {
                for (Config config : SHARE) {
                    JsonObject report = shareRun(options, config, model);
                    if (report != null) {
                        shares.put(model + " " + config.name(), report);
                    }
                }
            }
        }
        Path written = new ClaimsReport(options, reports, shares).write();
        LOG.info("Wrote {}", written.toAbsolutePath());
    }

    private static Path folder(Options options, Config config, long seed) {
        String prefix = config.name().startsWith("mlp") ? "" : options.model + "-";
        return options.out.resolve(prefix + config.name() + "-seed" + seed);
    }

    /**
     * A finished run's report (completed, or diverged: the same seed diverges again), or {@code
     * null} if it has not run to its end.
     */
    private static JsonObject finished(Path dir) throws IOException {
        Path report = dir.resolve("report.json");
        if (!Files.isRegularFile(report)) {
            return null;
        }
        JsonObject json = TrainedRun.readReport(report);
        boolean llama = json.has("status");
        String status = llama ? json.get("status").getAsString() : TrainingReport.COMPLETED;
        return TrainingReport.COMPLETED.equals(status) || TrainingReport.DIVERGED.equals(status)
                ? json
                : null;
    }

    private static JsonObject llamaRun(Options options, Config config, long seed) throws Exception {
        return runIn(
                options,
                folder(options, config, seed),
                config,
                List.of(
                        "--model", options.model,
                        "--steps", Long.toString(options.steps),
                        "--sparsity", Double.toString(options.sparsity),
                        "--seed", Long.toString(seed)),
                false);
    }

    private static JsonObject shareRun(Options options, Config config, String model)
            throws Exception {
        return runIn(
                options,
                options.out.resolve(model + "-" + config.name()),
                config,
                List.of("--model", model, "--seed", "1"),
                false);
    }

    private static JsonObject mlpRun(Options options, Config config, long seed) throws Exception {
        return runIn(
                options,
                folder(options, config, seed),
                config,
                List.of(
                        "--epochs", Integer.toString(options.mlpEpochs),
                        "--seed", Long.toString(seed)),
                true);
    }

    /**
     * Runs a configuration in its folder unless it finished there before (an interrupted LLaMA run
     * is resumed), through the program's own command line.
     */
    private static JsonObject runIn(
            Options options, Path dir, Config config, List<String> more, boolean mlp)
            throws Exception {
        JsonObject done = finished(dir);
        if (done != null || options.reportOnly) {
            return done;
        }
        List<String> args = new ArrayList<>(config.args());
        args.addAll(more);
        args.addAll(List.of("--out", dir.toString()));
        String program = mlp ? "TrainMlp" : "TrainLlama";
        if (!mlp && Files.isRegularFile(dir.resolve(TrainLlama.CHECKPOINT))) {
            args.add("--resume");
        }
        LOG.info("{}: {} {}", dir.getFileName(), program, String.join(" ", args));
        if (mlp) {
            int status = TrainMlp.execute(args.toArray(new String[0]), System.out, System.err);
            if (status != ProgramRunner.OK) {
                throw new IllegalStateException(
                        program + " " + String.join(" ", args) + " failed with status " + status);
            }
        } else {
            try {
                TrainLlama.run(TrainOptions.parse(args.toArray(new String[0])));
            } catch (TrainingDivergedException e) {
                // its report says so; the table shows the run as diverged, the others go on
                LOG.warn("{} diverged: {}", dir.getFileName(), e.getMessage());
            }
        }
        return finished(dir);
    }
}
