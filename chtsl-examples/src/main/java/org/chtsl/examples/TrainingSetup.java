package org.chtsl.examples;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.MethodPreset;
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
 * for a start and a resume ({@link TrainingWiring}): the LR schedule (warm-up, cosine decay to
 * {@value #MIN_LR_RATIO} of the peak, iterative warm-up after topology updates), the task loss plus
 * λ × alignment, the topology listener of dynamic methods, the OCR recorder of CHTsL and
 * global-norm clipping.
 */
final class TrainingSetup {

    private static final int ITERATIVE_WARMUP = 20;
    private static final double MIN_LR_RATIO = 0.1;

    /** The largest global gradient norm. */
    static final float CLIP_NORM = 1f;

    final MaskedAdam optimizer;
    final DefaultTrainingConfig trainingConfig;
    final DynamicSparseTraining topology;
    final OverlapRecorder overlap;
    final int accumulation;

    /** The learning-rate multiplier the optimizer's schedule follows. */
    final LearningRateMultiplier schedule;

    /** The alignment loss, with the λ it weighs by. */
    final AlignmentLoss alignment;

    TrainingSetup(TrainOptions options, MethodPreset method, LlamaModel block, Model model) {
        accumulation = options.batch() / options.microBatch();
        long interval = options.updateInterval();
        float lambda =
                options.lambda() == null
                        ? method.getAlignmentWeight()
                        : options.lambda().floatValue();
        schedule =
                new LearningRateMultiplier(
                        options.warmup(),
                        options.steps(),
                        MIN_LR_RATIO,
                        interval,
                        Math.min(ITERATIVE_WARMUP, interval - 1));
        SimpleCompositeLoss loss =
                AlignmentLoss.withTask(Loss.softmaxCrossEntropyLoss("task"), block, lambda);
        alignment = (AlignmentLoss) loss.getComponents().get(1);
        overlap =
                method.getKind() == ProjectionKind.SPARSE_LOW_RANK
                        ? new OverlapRecorder(
                                block, Math.max(1, options.evalEvery() / 2), accumulation)
                        : null;
        TrainingWiring.Builder wiring =
                TrainingWiring.builder()
                        .setModel(block, method, options.steps())
                        .setObjective(
                                loss, new LearningRateSchedule(options.learningRate(), schedule))
                        .optDevice(model.getNDManager().getDevice())
                        .optGradientAccumulation(accumulation)
                        .optUpdateInterval(interval)
                        .optFinalSparsity(options.sparsity)
                        .optClipping(CLIP_NORM);
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
