package org.chtsl.examples;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Recipes;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.CheckpointState;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.LearningRateMultiplier;
import org.chtsl.training.LearningRateSchedule;
import org.chtsl.training.MaskedAdam;
import org.chtsl.training.OverlapRecorder;

/**
 * The optimizer, listeners and checkpointed state of one {@link TrainLlama} run, built the same way
 * for a start and a resume ({@link TrainingWiring}) from the method's recipe and the options that
 * override it: the LR schedule (warm-up, cosine decay to {@link Recipes#MIN_LR_RATIO} of the peak,
 * iterative warm-up after topology updates for dynamic methods), the optimizer, the task loss plus
 * λ × alignment, the topology listener of dynamic methods, the OCR recorder of CHTsL and, where the
 * recipe clips, global-norm clipping of the mean gradient.
 */
final class TrainingSetup {

    final MaskedAdam optimizer;
    final DefaultTrainingConfig trainingConfig;
    final DynamicSparseTraining topology;
    final OverlapRecorder overlap;
    final int accumulation;

    /** The largest global norm of the mean gradient; 0 for no clipping. */
    final double clipNorm;

    /** The learning-rate multiplier the optimizer's schedule follows. */
    final LearningRateMultiplier schedule;

    /** The alignment loss, with the λ it weighs by. */
    final AlignmentLoss alignment;

    TrainingSetup(TrainOptions options, MethodPreset method, LlamaModel block, Model model) {
        accumulation = options.batch() / options.microBatch();
        clipNorm = options.clipNorm();
        long interval = options.updateInterval();
        float lambda =
                options.lambda() == null
                        ? method.getAlignmentWeight()
                        : options.lambda().floatValue();
        schedule =
                new LearningRateMultiplier(
                        options.warmup(),
                        options.steps(),
                        Recipes.MIN_LR_RATIO,
                        interval,
                        options.iterativeWarmup());
        SimpleCompositeLoss loss =
                AlignmentLoss.withTask(
                        Loss.softmaxCrossEntropyLoss("task"),
                        block,
                        lambda,
                        options.alignmentForm());
        alignment = (AlignmentLoss) loss.getComponents().get(1);
        overlap =
                method.getKind() == ProjectionKind.SPARSE_LOW_RANK
                        ? new OverlapRecorder(
                                block, Math.max(1, options.evalEvery() / 2), accumulation, lambda)
                        : null;
        TrainingWiring.Builder wiring =
                TrainingWiring.builder()
                        .setModel(block, method, options.steps())
                        .setObjective(
                                loss, new LearningRateSchedule(options.learningRate(), schedule))
                        .optDevice(model.getNDManager().getDevice())
                        .optGradientAccumulation(accumulation)
                        .optUpdateInterval(interval)
                        .optEndStep(options.endStep())
                        .optFinalSparsity(options.sparsity);
        if (options.pruningEnd() > 0) {
            wiring.optPruningEnd(options.pruningEnd());
        }
        if (clipNorm > 0) {
            wiring.optClipping((float) clipNorm);
        }
        if (overlap != null) {
            wiring.addListener(overlap);
        }
        TrainingWiring wired = wiring.build();
        optimizer = wired.optimizer;
        trainingConfig = wired.config;
        topology = wired.topology;
    }

    /**
     * Returns what the run's checkpoint holds besides the model and the optimizer.
     *
     * @param report the run's report (its history of losses and evaluations)
     * @return the topology listener's and OCR recorder's state (where there are), then the report
     */
    List<CheckpointState> parts(TrainingReport report) {
        List<CheckpointState> parts = new ArrayList<>();
        if (topology != null) {
            parts.add(topology);
        }
        if (overlap != null) {
            parts.add(overlap);
        }
        parts.add(report);
        return parts;
    }
}
