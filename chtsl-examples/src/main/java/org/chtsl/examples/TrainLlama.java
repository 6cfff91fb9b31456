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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.models.llama.LlamaProjections;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.SparseLinear;
import org.chtsl.training.NonFiniteValues;
import org.chtsl.training.TrainingCheckpoint;
import org.chtsl.training.TrainingDivergedException;
import org.chtsl.training.TrainingLoop;
import org.chtsl.training.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a LLaMA model with one of chtsl's methods and writes {@code report.json}, plots and a
 * resumable checkpoint. The main job: {@code tiny} CHTsL at 90% total sparsity on the default
 * corpus.
 *
 * <p>Options (all optional): {@code --model tiny|20m|60m|130m --method
 * dense|set|rigl|mest|cht|chts|chtss|cola|sltrain|chtsl --sparsity S --sparse-sparsity s --rank r
 * --lambda λ --steps N --batch B --micro-batch b --seq-len T --lr η --warmup W --update-interval ΔT
 * --eval-every K --eval-tokens E --data PATH --val-data PATH --tokenizer tokenizer.json --out DIR
 * --resume --device cpu|gpu --seed N --dry-run}.
 */
public final class TrainLlama {

    private static final Logger LOG = LoggerFactory.getLogger(TrainLlama.class);
    private static final String CHECKPOINT = "checkpoint.chtsl";
    private static final String REPORT = "report.json";

    private TrainLlama() {}

    /**
     * Runs training. Exit status: 0 done, 1 unexpected failure (one line, the trace in {@code
     * train.log}), 2 bad input (one line), 3 diverged ({@code report.json} and the last good
     * checkpoint are kept).
     *
     * @param args the options
     */
    public static void main(String[] args) {
        int status = execute(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs training and reports failure as one line, without a stack trace.
     *
     * @param args the options
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream errors) {
        Path[] log = {null};
        return ProgramRunner.run(
                "TrainLlama",
                errors,
                () -> log[0],
                () -> {
                    TrainOptions options = TrainOptions.parse(args);
                    log[0] = options.out.resolve("train.log");
                    run(options, null);
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
        Device device = device(options.device);
        if (options.resume && !Files.isDirectory(options.out)) {
            throw new IllegalArgumentException(
                    "--resume: "
                            + options.out
                            + " does not exist; give the --out of the run to"
                            + " continue.");
        }
        try (RunDirectory directory = RunDirectory.lock(options.out, "--out")) {
            Path checkpoint = options.out.resolve(CHECKPOINT);
            TrainingCheckpoint.Description saved = null;
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
                saved = TrainingCheckpoint.readDescription(checkpoint);
                options.checkResumable(saved.description(), checkpoint);
            } else if (options.dryRun && Files.exists(checkpoint)) {
                throw new IllegalArgumentException(
                        "--dry-run: --out "
                                + options.out
                                + " holds a run ("
                                + CHECKPOINT
                                + "); give another --out.");
            }
            Engine.getInstance().setRandomSeed((int) options.seed);
            MethodPreset method = Methods.forName(options.method);
            if (options.dryRun) {
                return dryRun(options, method, device);
            }
            try (TrainingData data = TrainingData.load(options, ChtslHome.get())) {
                if (saved != null) {
                    checkSameData(saved, data, checkpoint);
                } else {
                    // only now that the data loads: a run that fails on bad input moves nothing
                    directory.setAsideEarlierRun();
                }
                LlamaConfig config =
                        LlamaConfig.preset(options.model)
                                .optMaxSequenceLength(options.sequenceLength)
                                .optVocabSize(data.codec.vocabularySize())
                                .build();
                LlamaModel block = build(options, method, config);
                try (Model model = Model.newInstance("llama", device)) {
                    model.setBlock(block);
                    return train(options, method, block, model, data, saved != null, afterStep);
                }
            }
        }
    }

    private static void checkSameData(
            TrainingCheckpoint.Description saved, TrainingData data, Path checkpoint) {
        String before = saved.description().get(TrainingData.IDENTITY);
        if (before != null && !before.equals(data.identity)) {
            throw new IllegalArgumentException(
                    "--resume: the training or validation text, or the tokenizer, differs from the"
                            + " one "
                            + checkpoint
                            + " was trained on (its tokens have another checksum); resume with"
                            + " the run's data.");
        }
    }

    /**
     * The device of {@code --device}.
     *
     * @throws IllegalArgumentException for {@code gpu} where PyTorch sees none
     */
    static Device device(String name) {
        if (!"gpu".equals(name)) {
            return Device.cpu();
        }
        if (Engine.getInstance().getGpuCount() == 0) {
            throw new IllegalArgumentException(
                    "--device gpu: PyTorch sees no GPU here (it needs a CUDA build of libtorch and a"
                            + " driver, see the README's GPU section); use --device cpu.");
        }
        return Device.gpu();
    }

    private static TrainingReport dryRun(TrainOptions options, MethodPreset method, Device device)
            throws IOException {
        LlamaConfig config =
                LlamaConfig.preset(options.model)
                        .optMaxSequenceLength(options.sequenceLength)
                        .build();
        LlamaModel block = build(options, method, config);
        try (Model model = Model.newInstance("llama", device)) {
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, options.sequenceLength));
            TrainingReport report = new TrainingReport(options.asMap());
            report.parameters = parameters(block);
            report.status = TrainingReport.COMPLETED;
            report.write(options.out);
            LOG.info("Dry run: {} written; {}", options.out.resolve(REPORT), report.parameters);
            return report;
        }
    }

    private static TrainingReport train(
            TrainOptions options,
            MethodPreset method,
            LlamaModel block,
            Model model,
            TrainingData data,
            boolean resume,
            TrainingLoop.StepListener afterStep)
            throws IOException, MalformedModelException {
        TrainingReport report = new TrainingReport(options.asMap());
        TrainingSetup setup = new TrainingSetup(options, method, block, model, report);
        Shape input = new Shape(options.microBatch, options.sequenceLength);
        // Parameters are created and, on a resume, replaced by the checkpoint's *before* the
        // trainer exists: DJL's trainer keeps the arrays it sees when it is initialised.
        block.initialize(model.getNDManager(), DataType.FLOAT32, input);
        Path checkpoint = options.out.resolve(CHECKPOINT);
        TrainingProgress start = new TrainingProgress(0, options.seed, 0);
        if (resume) {
            start =
                    TrainingCheckpoint.load(
                            checkpoint, block, model.getNDManager(), setup.optimizer, setup.parts);
            report.resumedAt.add(start.step());
            LOG.info("Resuming from step {} of {}", start.step(), checkpoint);
        }
        RunLog runLog = new RunLog(options.out.resolve("train.log"));
        runLog.line(
                (resume ? "resume at step " + start.step() + ", " : "")
                        + "config "
                        + options.asMap());
        double validationLimit = 2 * Math.log(data.codec.vocabularySize());
        try (Trainer trainer = model.newTrainer(setup.trainingConfig)) {
            trainer.initialize(input);
            long tokensPerStep = (long) options.batch * options.sequenceLength;
            long began = System.nanoTime();
            long firstStep = start.step();
            TrainingLoop loop =
                    new TrainingLoop(
                            trainer, data.training, options.microBatch, setup.accumulation);
            loop.run(
                    start,
                    options.steps,
                    (progress, loss) -> {
                        report.trainLosses.add(new double[] {progress.step(), loss});
                        double seconds = (System.nanoTime() - began) / 1e9;
                        double rate = (progress.step() - firstStep) * tokensPerStep / seconds;
                        report.tokensPerSecond = rate;
                        if (progress.step() % 10 == 0 || progress.step() == options.steps) {
                            String line =
                                    String.format(
                                            Locale.ROOT,
                                            "step %d/%d loss %.4f | %.0f tokens/s | ETA %.0f s",
                                            progress.step(),
                                            options.steps,
                                            loss,
                                            rate,
                                            (options.steps - progress.step())
                                                    * tokensPerStep
                                                    / Math.max(rate, 1));
                            runLog.line(line);
                            LOG.info(line);
                        }
                        if (progress.step() % options.evalEvery == 0
                                || progress.step() == options.steps) {
                            evaluate(
                                    options,
                                    data,
                                    trainer,
                                    report,
                                    runLog,
                                    progress,
                                    validationLimit,
                                    block);
                            TrainingCheckpoint.save(
                                    checkpoint,
                                    block,
                                    setup.optimizer,
                                    progress,
                                    description(options, data),
                                    setup.parts);
                            finish(report, block, setup);
                            report.writeJson(options.out);
                        }
                        if (afterStep != null) {
                            afterStep.onStep(progress, loss);
                        }
                    });
            report.status = TrainingReport.COMPLETED;
        } catch (TrainingDivergedException e) {
            stopped(options, report, block, setup, runLog, TrainingReport.DIVERGED, e);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            stopped(options, report, block, setup, runLog, TrainingReport.FAILED, e);
            throw e;
        }
        finish(report, block, setup);
        report.write(options.out);
        LOG.info(
                "Done: final validation perplexity {}; report, plots and checkpoint in {}",
                report.evals.isEmpty()
                        ? "n/a"
                        : String.format(
                                "%.2f",
                                (double) report.evals.get(report.evals.size() - 1).get("val_ppl")),
                options.out.toAbsolutePath());
        return report;
    }

    /** The run's options and the identity of its tokens, as the checkpoint records them. */
    private static Map<String, String> description(TrainOptions options, TrainingData data) {
        Map<String, String> description = new LinkedHashMap<>(options.runDescription());
        description.put(TrainingData.IDENTITY, data.identity);
        return description;
    }

    private static void evaluate(
            TrainOptions options,
            TrainingData data,
            Trainer trainer,
            TrainingReport report,
            RunLog runLog,
            TrainingProgress progress,
            double limit,
            LlamaModel block)
            throws IOException {
        double validation =
                Evaluation.loss(trainer, data.validation, options.evalTokens, options.microBatch);
        String line =
                String.format(
                        Locale.ROOT,
                        "step %d: validation loss %.4f, perplexity %.2f",
                        progress.step(),
                        validation,
                        Math.exp(validation));
        runLog.line(line);
        LOG.info(line);
        report.addEval(progress.step(), validation);
        if (!(validation <= limit)) {
            // never replace the last good checkpoint with this state
            throw new TrainingDivergedException(
                    progress.step(),
                    String.format(
                            Locale.ROOT,
                            "the validation loss is %.4g, above %.2f (twice a uniform guess's);"
                                    + " the checkpoint of the last evaluation is kept",
                            validation,
                            limit),
                    NonFiniteValues.firstNonFiniteWeight(block));
        }
    }

    /** Copies what the listeners recorded into the report. */
    private static void finish(TrainingReport report, LlamaModel block, TrainingSetup setup) {
        report.parameters = parameters(block); // CHTss' densities decay during training
        if (setup.topology != null) {
            report.topologyUpdates = List.copyOf(setup.topology.getHistory());
        }
        if (setup.overlap != null) {
            report.overlap = List.copyOf(setup.overlap.getHistory());
        }
    }

    /** A run that stopped early still writes its report, with every loss so far and why. */
    private static void stopped(
            TrainOptions options,
            TrainingReport report,
            LlamaModel block,
            TrainingSetup setup,
            RunLog runLog,
            String status,
            Throwable cause) {
        report.status = status;
        report.reason = ProgramRunner.oneLine(cause);
        try {
            runLog.line(status + ": " + report.reason);
            finish(report, block, setup);
            report.write(options.out);
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
