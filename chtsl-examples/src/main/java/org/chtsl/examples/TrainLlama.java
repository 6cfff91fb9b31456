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
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.LearningRateMultiplier;
import org.chtsl.training.AlignmentLosses;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.GlobalNormClipping;
import org.chtsl.training.LearningRateSchedule;
import org.chtsl.training.MaskedAdam;
import org.chtsl.training.MethodPreset;
import org.chtsl.training.OverlapRecorder;
import org.chtsl.training.TrainingCheckpoint;
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
    private static final int ITERATIVE_WARMUP = 20;
    private static final float CLIP_NORM = 1f;

    private TrainLlama() {}

    /**
     * Runs training; on bad input prints one line and exits with status 2.
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
     * @return 0 on success, 2 on bad input or failure
     */
    static int execute(String[] args, java.io.PrintStream errors) {
        try {
            run(TrainOptions.parse(args));
            return 0;
        } catch (IllegalArgumentException
                | IllegalStateException
                | IOException
                | MalformedModelException e) {
            errors.println("TrainLlama: " + e.getMessage());
            return 2;
        }
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
        Engine.getInstance().setRandomSeed((int) options.seed);
        MethodPreset method = MethodPreset.forName(options.method);
        float lambda =
                options.lambda == null ? method.getAlignmentWeight() : options.lambda.floatValue();
        Device device = "gpu".equals(options.device) ? Device.gpu() : Device.cpu();
        LlamaConfig config =
                LlamaConfig.preset(options.model)
                        .optMaxSequenceLength(options.sequenceLength)
                        .build();
        Files.createDirectories(options.out);
        if (options.dryRun) {
            LlamaModel block = build(options, method, config);
            try (Model model = Model.newInstance("llama", device)) {
                model.setBlock(block);
                block.initialize(
                        model.getNDManager(),
                        DataType.FLOAT32,
                        new Shape(1, options.sequenceLength));
                TrainingReport report = new TrainingReport(options.asMap());
                report.parameters = parameters(block);
                report.write(options.out);
                LOG.info(
                        "Dry run: {} written; {}",
                        options.out.resolve("report.json"),
                        report.parameters);
                return report;
            }
        }
        try (TrainingData data = TrainingData.load(options, ChtslHome.get())) {
            config =
                    LlamaConfig.preset(options.model)
                            .optMaxSequenceLength(options.sequenceLength)
                            .optVocabSize(data.codec.vocabularySize())
                            .build();
            LlamaModel block = build(options, method, config);
            try (Model model = Model.newInstance("llama", device)) {
                model.setBlock(block);
                return train(options, method, lambda, block, model, data);
            }
        }
    }

    private static TrainingReport train(
            TrainOptions options,
            MethodPreset method,
            float lambda,
            LlamaModel block,
            Model model,
            TrainingData data)
            throws IOException, MalformedModelException {
        int accumulation = options.batch / options.microBatch;
        MaskedAdam optimizer =
                MaskedAdam.builder()
                        .optLearningRateTracker(
                                new LearningRateSchedule(
                                        options.learningRate,
                                        new LearningRateMultiplier(
                                                options.warmup,
                                                options.steps,
                                                0.1,
                                                options.updateInterval,
                                                Math.min(
                                                        ITERATIVE_WARMUP,
                                                        options.updateInterval - 1))))
                        .setRescaleGrad(1f / accumulation)
                        .build();
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(
                                AlignmentLosses.withAlignment(
                                        Loss.softmaxCrossEntropyLoss("task"), block, lambda))
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {model.getNDManager().getDevice()});
        DynamicSparseTraining topology = null;
        if (method.isDynamic()) {
            topology =
                    DynamicSparseTraining.builder()
                            .setModel(block)
                            .setOptimizer(optimizer)
                            .setTotalSteps(options.steps)
                            .optMethod(method)
                            .optUpdateInterval(options.updateInterval)
                            .optGradientAccumulation(accumulation)
                            .optFinalSparsity(options.sparsity)
                            .build();
            trainingConfig.addTrainingListeners(topology);
        } else {
            optimizer.attach(block);
        }
        OverlapRecorder overlap = null;
        if (method.getKind() == ProjectionKind.SPARSE_LOW_RANK) {
            overlap = new OverlapRecorder(block, Math.max(1, options.evalEvery / 2), accumulation);
            trainingConfig.addTrainingListeners(overlap);
        }
        trainingConfig.addTrainingListeners(new GlobalNormClipping(block, CLIP_NORM, accumulation));
        TrainingReport report = new TrainingReport(options.asMap());
        Path checkpoint = options.out.resolve("checkpoint.chtsl");
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            trainer.initialize(new Shape(options.microBatch, options.sequenceLength));
            TrainingProgress start = new TrainingProgress(0, options.seed, 0);
            if (options.resume && Files.isRegularFile(checkpoint)) {
                start =
                        TrainingCheckpoint.load(
                                checkpoint, block, model.getNDManager(), optimizer, topology);
                LOG.info("Resuming from step {}", start.step());
            }
            long tokensPerStep = (long) options.batch * options.sequenceLength;
            long began = System.nanoTime();
            long firstStep = start.step();
            DynamicSparseTraining listener = topology;
            RunLog runLog = new RunLog(options.out.resolve("train.log"));
            runLog.line("config " + options.asMap());
            TrainingLoop loop =
                    new TrainingLoop(trainer, data.training, options.microBatch, accumulation);
            loop.run(
                    start,
                    options.steps,
                    (progress, loss) -> {
                        report.trainLosses.add(new double[] {progress.step(), loss});
                        double seconds = (System.nanoTime() - began) / 1e9;
                        double rate = (progress.step() - firstStep) * tokensPerStep / seconds;
                        report.tokensPerSecond = rate;
                        if (progress.step() % 10 == 0 || progress.step() == options.steps) {
                            long left = options.steps - progress.step();
                            runLog.line(
                                    String.format(
                                            "step %d/%d loss %.4f | %.0f tokens/s | ETA %.0f s",
                                            progress.step(),
                                            options.steps,
                                            loss,
                                            rate,
                                            left * tokensPerStep / Math.max(rate, 1)));
                            LOG.info(
                                    "step {}/{} loss {} | {} tokens/s | ETA {} s",
                                    progress.step(),
                                    options.steps,
                                    String.format("%.4f", loss),
                                    String.format("%.0f", rate),
                                    String.format(
                                            "%.0f", left * tokensPerStep / Math.max(rate, 1)));
                        }
                        if (progress.step() % options.evalEvery == 0
                                || progress.step() == options.steps) {
                            double validation =
                                    Evaluation.loss(
                                            trainer,
                                            data.validation,
                                            options.evalTokens,
                                            options.microBatch);
                            report.addEval(progress.step(), validation);
                            runLog.line(
                                    String.format(
                                            "step %d: validation loss %.4f, perplexity %.2f",
                                            progress.step(), validation, Math.exp(validation)));
                            LOG.info(
                                    "step {}: validation loss {}, perplexity {}",
                                    progress.step(),
                                    String.format("%.4f", validation),
                                    String.format("%.2f", Math.exp(validation)));
                            TrainingCheckpoint.save(
                                    checkpoint, block, optimizer, listener, progress);
                        }
                    });
        }
        report.parameters = parameters(block); // after training: CHTss' densities have decayed
        if (topology != null) {
            report.topologyUpdates = topology.getHistory();
        }
        if (overlap != null) {
            report.overlap = overlap.getHistory();
        }
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

    static LlamaModel build(TrainOptions options, MethodPreset method, LlamaConfig config) {
        LlamaModel.Builder builder = LlamaModel.builder().setConfig(config);
        if (options.connRatio != null) {
            method =
                    method.toBuilder()
                            .optBudgetSplit(options.connRatio[0], options.connRatio[1])
                            .build();
        }
        if (options.sparseSparsity == null && options.rank == null) {
            return builder.optMethod(method, options.sparsity).build();
        }
        ProjectionSpec preset =
                method.projectionSpec(
                        options.sparsity, config.getHidden(), config.getIntermediate());
        double density =
                options.sparseSparsity == null ? preset.density() : 1 - options.sparseSparsity;
        long rank = options.rank == null ? preset.rank() : options.rank;
        return builder.optProjections(
                        new ProjectionSpec(
                                preset.kind(),
                                density,
                                rank,
                                preset.topology(),
                                preset.sltrainAlpha()))
                .build();
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
