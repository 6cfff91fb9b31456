package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.chtsl.method.MethodPreset;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.models.llama.LlamaProjections;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseStorage;
import org.chtsl.training.TrainingCheckpoint;
import org.chtsl.training.TrainingDivergedException;
import org.chtsl.training.TrainingLoop;
import org.chtsl.training.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a LLaMA model with one of chtsl's methods and writes {@code report.json} (with the
 * resolved {@link RunConfig}), plots and a resumable checkpoint. The main job: {@code tiny} CHTsL
 * at 90% total sparsity on the default corpus. The options are {@link TrainOptions}' ({@code
 * --help} lists them).
 */
public final class TrainLlama {

    private static final Logger LOG = LoggerFactory.getLogger(TrainLlama.class);

    /** The checkpoint's file name in a run's folder. */
    static final String CHECKPOINT = "checkpoint.chtsl";

    private static final String REPORT = "report.json";
    private static final String DRY_RUN_DATA = "not read (dry run)";

    private TrainLlama() {}

    /**
     * Runs training. Exit status: 0 done (or {@code --help}), 1 unexpected failure (one line, the
     * trace in {@code train.log}), 2 bad input (one line), 3 diverged ({@code report.json} and the
     * last good checkpoint are kept).
     *
     * @param args the options
     */
    public static void main(String[] args) {
        ProgramRunner.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs training and reports failure as one line, without a stack trace.
     *
     * @param args the options
     * @param out where {@code --help} and {@code --version} go
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream out, PrintStream errors) {
        Path[] log = {null};
        return ProgramRunner.run(
                "TrainLlama",
                errors,
                () -> log[0],
                () -> {
                    TrainOptions options = new TrainOptions();
                    if (CommandLines.parse(options, out, args).isPresent()) {
                        run(
                                options,
                                null,
                                new RunsFolder(RunsFolder.DEFAULT),
                                folder -> log[0] = folder.resolve("train.log"));
                    }
                });
    }

    /**
     * Runs training with parsed options.
     *
     * @param options the options
     * @return the report written
     * @throws IOException if data, checkpoints or the report cannot be read or written
     * @throws MalformedModelException if a checkpoint does not fit the model
     */
    static TrainingReport run(TrainOptions options) throws IOException, MalformedModelException {
        return run(options, null);
    }

    /**
     * Runs training with parsed options, calling {@code afterStep} after each step has been
     * recorded (and checkpointed, at evaluations): tests stop a run there as a crash would.
     */
    static TrainingReport run(TrainOptions options, TrainingLoop.StepListener afterStep)
            throws IOException, MalformedModelException {
        return run(options, afterStep, new RunsFolder(RunsFolder.DEFAULT), folder -> {});
    }

    /**
     * Runs training in {@code --out}, or without it in a new folder of {@code runs} (or, for {@code
     * --resume}, in the one its {@code latest} links to), which {@link TrainOptions#out} then
     * holds.
     *
     * @param options the options
     * @param afterStep called after each step has been recorded, or {@code null}
     * @param runs where runs without {@code --out} go
     * @param owned told the folder once the run owns it (a new run has set an earlier one aside, or
     *     a resume has found its checkpoint): only then may a failure's trace go to its {@code
     *     train.log}, never to another run's
     */
    static TrainingReport run(
            TrainOptions options,
            TrainingLoop.StepListener afterStep,
            RunsFolder runs,
            Consumer<Path> owned)
            throws IOException, MalformedModelException {
        Device device = options.device.device();
        boolean created = options.out == null && !options.resume;
        options.out = folder(options, runs);
        try {
            return run(options, afterStep, device, created ? runs : null, owned);
        } catch (IOException | MalformedModelException | RuntimeException | Error e) {
            if (created) {
                RunsFolder.removeIfUnused(options.out);
            }
            throw e;
        }
    }

    /** The run's folder: {@code --out}, the latest run's for a resume, or a new one; logged. */
    private static Path folder(TrainOptions options, RunsFolder runs) throws IOException {
        if (options.out != null) {
            LOG.info("Run folder: {} (--out)", options.out.toAbsolutePath());
            return options.out;
        }
        if (options.resume) {
            Path latest = runs.resolveLatest();
            LOG.info("Run folder: {} (--resume of {})", latest, runs.latest());
            return latest;
        }
        Path created =
                runs.create(
                        options.methodPreset().getName(),
                        options.defaults().model(),
                        LocalDateTime.now());
        LOG.info("Run folder: {} (new)", created.toAbsolutePath());
        return created;
    }

    private static TrainingReport run(
            TrainOptions options,
            TrainingLoop.StepListener afterStep,
            Device device,
            RunsFolder newIn,
            Consumer<Path> owned)
            throws IOException, MalformedModelException {
        if (options.resume && !Files.isDirectory(options.out)) {
            throw new IllegalArgumentException(
                    "--resume: "
                            + options.out
                            + " does not exist; give the --out of the run to"
                            + " continue.");
        }
        try (RunDirectory directory = RunDirectory.lock(options.out, "--out")) {
            Map<String, String> saved = savedConfig(options);
            MethodPreset method = options.methodPreset();
            if (options.dryRun) {
                Engine.getInstance().setRandomSeed((int) options.seed);
                return withoutData(
                        options,
                        method,
                        device,
                        (block, setup, config) -> {
                            directory.setAsideEarlierRun();
                            return writeDryRun(block, setup, config);
                        });
            }
            if (saved != null) {
                owned.accept(options.out);
                // a changed setting is refused before minutes of data loading; the data's
                // checksums are compared once it has loaded
                withoutData(
                        options,
                        method,
                        device,
                        (block, setup, config) -> {
                            config.checkResumable(saved, options.out.resolve(CHECKPOINT), false);
                            return null;
                        });
            }
            Engine.getInstance().setRandomSeed((int) options.seed);
            long began = System.nanoTime();
            try (TrainingData data = TrainingData.load(options, ChtslHome.get())) {
                LOG.info("Data ready in {}", seconds(began));
                LlamaModel block =
                        build(options, method, llamaConfig(options, data.codec.vocabularySize()));
                try (Model model = Model.newInstance("llama", device)) {
                    model.setBlock(block);
                    TrainingSetup setup = new TrainingSetup(options, method, block, model);
                    RunConfig config =
                            RunConfig.of(
                                    options, block, setup, data.tokenizerIdentity, data.identity);
                    if (saved == null) {
                        // only now that data, model and setup are built: a run that fails on
                        // bad input moves nothing
                        directory.setAsideEarlierRun();
                        owned.accept(options.out);
                        if (newIn != null) {
                            newIn.pointLatestAt(options.out);
                        }
                    }
                    LlamaRun run = new LlamaRun(options, config, block, model, data, setup);
                    if (saved != null) {
                        config.checkResumable(saved, run.checkpoint(), true);
                    }
                    return train(run, saved != null, afterStep);
                }
            }
        }
    }

    /** The seconds since a {@link System#nanoTime()}, e.g. {@code 2.5 s}. */
    static String seconds(long since) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - since) / 1e9);
    }

    /**
     * The configuration a resumed run's checkpoint records (verified, nothing loaded), or {@code
     * null} for a new run; a dry run refuses a folder that holds a run.
     */
    private static Map<String, String> savedConfig(TrainOptions options) throws IOException {
        Path checkpoint = options.out.resolve(CHECKPOINT);
        if (options.resume) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new IllegalArgumentException(
                        "--resume: there is no checkpoint in "
                                + options.out
                                + " ("
                                + CHECKPOINT
                                + " is written at every evaluation); run without --resume to"
                                + " start.");
            }
            return TrainingCheckpoint.readDescription(checkpoint).description();
        }
        if (options.dryRun && Files.exists(checkpoint)) {
            throw new IllegalArgumentException(
                    "--dry-run: --out "
                            + options.out
                            + " holds a run ("
                            + CHECKPOINT
                            + "); give another --out.");
        }
        return null;
    }

    /**
     * The model's shape: the {@code --model} preset, with the sequence length and the vocabulary.
     *
     * @param options the options
     * @param vocabulary the tokenizer's vocabulary size, or {@code null} for the preset's
     * @return the configuration
     */
    static LlamaConfig llamaConfig(TrainOptions options, Integer vocabulary) {
        LlamaConfig.Builder config =
                LlamaConfig.preset(options.model).optMaxSequenceLength(options.sequenceLength());
        return (vocabulary == null ? config : config.optVocabSize(vocabulary)).build();
    }

    /** What is done with a run built without its data. */
    @FunctionalInterface
    private interface WithoutData<T> {
        T apply(LlamaModel block, TrainingSetup setup, RunConfig config) throws IOException;
    }

    /**
     * Builds the run's model, optimizer and listeners without its data (the data's checksums are
     * placeholders) and hands them on: the dry run and the resume check before the data loads.
     */
    private static <T> T withoutData(
            TrainOptions options, MethodPreset method, Device device, WithoutData<T> then)
            throws IOException {
        LlamaModel block = build(options, method, llamaConfig(options, null));
        try (Model model = Model.newInstance("llama", device)) {
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, options.sequenceLength()));
            TrainingSetup setup = new TrainingSetup(options, method, block, model);
            RunConfig config = RunConfig.of(options, block, setup, DRY_RUN_DATA, DRY_RUN_DATA);
            return then.apply(block, setup, config);
        }
    }

    private static TrainingReport writeDryRun(
            LlamaModel block, TrainingSetup setup, RunConfig config) throws IOException {
        TrainingReport report = new TrainingReport(config.toMap());
        report.collect(block, setup);
        report.status = TrainingReport.COMPLETED;
        Path out = Path.of(config.out());
        report.write(out);
        LOG.info(
                "Dry run: {} written; {}", out.toAbsolutePath().resolve(REPORT), report.parameters);
        return report;
    }

    /** Trains a prepared run (from its checkpoint on a resume) and writes its report. */
    private static TrainingReport train(
            LlamaRun run, boolean resume, TrainingLoop.StepListener afterStep)
            throws IOException, MalformedModelException {
        TrainingReport report = new TrainingReport(run.config().toMap());
        Shape input = new Shape(run.config().microBatch(), run.config().seqLen());
        long began = System.nanoTime();
        TrainingProgress start = initialize(run, report, input, resume);
        LOG.info(
                "Model {} in {} (the initial topology included)",
                resume ? "restored" : "initialized",
                seconds(began));
        RunLog runLog = new RunLog(run.options().out.resolve("train.log"));
        runLog.line(
                (resume ? "resume at step " + start.step() + ", " : "")
                        + "config "
                        + run.config().toMap());
        try (Trainer trainer = run.model().newTrainer(run.setup().trainingConfig)) {
            trainer.initialize(input);
            TrainingLoop loop =
                    new TrainingLoop(
                            trainer,
                            run.data().training,
                            run.config().microBatch(),
                            run.setup().accumulation);
            loop.run(
                    start,
                    run.config().steps(),
                    new RunRecorder(run, trainer, report, runLog, start.step(), afterStep));
            report.status = TrainingReport.COMPLETED;
        } catch (TrainingDivergedException e) {
            stopped(run, report, runLog, TrainingReport.DIVERGED, e);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            stopped(run, report, runLog, TrainingReport.FAILED, e);
            throw e;
        }
        report.collect(run.block(), run.setup());
        report.write(run.options().out);
        LOG.info(
                "Done: final validation perplexity {}; report, plots and checkpoint in {}",
                report.evals.isEmpty()
                        ? "n/a"
                        : String.format(
                                "%.2f",
                                (double) report.evals.get(report.evals.size() - 1).get("val_ppl")),
                run.options().out.toAbsolutePath());
        return report;
    }

    /**
     * Creates the parameters and, on a resume, replaces them (and the optimizer's and listeners'
     * state) with the checkpoint's, before the trainer exists: DJL's trainer keeps the arrays it
     * sees when it is initialised.
     *
     * @return where the run starts
     */
    private static TrainingProgress initialize(
            LlamaRun run, TrainingReport report, Shape input, boolean resume)
            throws IOException, MalformedModelException {
        run.block().initialize(run.model().getNDManager(), DataType.FLOAT32, input);
        if (!resume) {
            return new TrainingProgress(0, run.config().seed(), 0);
        }
        TrainingProgress start =
                TrainingCheckpoint.load(
                        run.checkpoint(),
                        run.block(),
                        run.model().getNDManager(),
                        run.setup().optimizer,
                        run.setup().parts(report));
        report.resumedAt.add(start.step());
        LOG.info("Resuming from step {} of {}", start.step(), run.checkpoint());
        return start;
    }

    /** A run that stopped early still writes its report, with every loss so far and why. */
    private static void stopped(
            LlamaRun run, TrainingReport report, RunLog runLog, String status, Throwable cause) {
        report.status = status;
        report.reason = ProgramRunner.oneLine(cause);
        try {
            runLog.line(status + ": " + report.reason);
            report.collect(run.block(), run.setup());
            report.write(run.options().out);
            LOG.info(
                    "Stopped ({}): report and the last checkpoint in {}",
                    status,
                    run.options().out.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    static LlamaModel build(TrainOptions options, MethodPreset method, LlamaConfig config) {
        LlamaProjections.Builder projections =
                LlamaProjections.builder().setConfig(config).setMethod(method, options.sparsity);
        if (options.sparseSparsity != null) {
            projections.optSparseSparsity(options.sparseSparsity);
        }
        if (options.rank != null) {
            projections.optRank(options.rank);
        }
        if (options.storage != null) {
            projections.optStorage(SparseStorage.fromName(options.storage));
        }
        if (options.connRatio != null) {
            projections.optBudgetSplit(options.connRatio[0], options.connRatio[1]);
        }
        return LlamaModel.builder().setConfig(config).optProjections(projections.build()).build();
    }

    /** Dense-equivalent and active parameter counts (spec §12.14: projections only are sparse). */
    static Map<String, Object> parameters(LlamaModel model) {
        LlamaConfig config = model.getConfig();
        long sparseLinks = 0;
        long lowRank = 0;
        long denseProjections = 0;
        for (Block projection : model.getProjections().values()) {
            for (SparseLinear sparse : BlockSearch.findAll(projection, SparseLinear.class)) {
                sparseLinks += sparse.getActiveLinks();
            }
            for (LowRankLinear factors : BlockSearch.findAll(projection, LowRankLinear.class)) {
                lowRank += factors.getRank() * (factors.getUnits() + factors.getInputFeatures());
            }
            if (projection instanceof Linear) {
                Parameter weight = projection.getParameters().get("weight");
                denseProjections += weight.getArray().size();
            }
        }
        long activeProjections = sparseLinks + lowRank + denseProjections;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("projections_dense_equivalent", config.projectionParameters());
        parameters.put("projections_active", activeProjections);
        parameters.put("projections_sparse_links", sparseLinks);
        parameters.put("low_rank", lowRank);
        parameters.put(
                "projection_density", (double) activeProjections / config.projectionParameters());
        parameters.put("embeddings", config.embeddingParameters());
        parameters.put("norms", config.normParameters());
        parameters.put(
                "total_trainable",
                activeProjections + config.embeddingParameters() + config.normParameters());
        return parameters;
    }
}
