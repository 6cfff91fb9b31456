package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.CheckpointState;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.GlobalNormClipping;
import org.chtsl.training.LearningRateMultiplier;
import org.chtsl.training.LearningRateSchedule;
import org.chtsl.training.MaskedAdam;
import org.chtsl.training.OverlapRecorder;

/**
 * The optimizer, listeners and checkpointed state of one {@link TrainLlama} run, built the same way
 * for a start and a resume: the optimizer with the LR schedule (warm-up, cosine decay, iterative
 * warm-up after topology updates), the topology listener of dynamic methods, the OCR recorder of
 * CHTsL and global-norm clipping.
 */
final class TrainingSetup {

    private static final int ITERATIVE_WARMUP = 20;
    private static final float CLIP_NORM = 1f;

    final MaskedAdam optimizer;
    final DefaultTrainingConfig trainingConfig;
    final DynamicSparseTraining topology;
    final OverlapRecorder overlap;
    final List<CheckpointState> parts = new ArrayList<>();
    final int accumulation;

    TrainingSetup(
            TrainOptions options,
            MethodPreset method,
            LlamaModel block,
            Model model,
            TrainingReport report) {
        accumulation = options.batch / options.microBatch;
        float lambda =
                options.lambda == null ? method.getAlignmentWeight() : options.lambda.floatValue();
        optimizer =
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
        trainingConfig =
                new DefaultTrainingConfig(
                                AlignmentLoss.withTask(
                                        Loss.softmaxCrossEntropyLoss("task"), block, lambda))
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {model.getNDManager().getDevice()});
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
            parts.add(topology);
        } else {
            topology = null;
            optimizer.attach(block);
        }
        if (method.getKind() == ProjectionKind.SPARSE_LOW_RANK) {
            overlap = new OverlapRecorder(block, Math.max(1, options.evalEvery / 2), accumulation);
            trainingConfig.addTrainingListeners(overlap);
            parts.add(overlap);
        } else {
            overlap = null;
        }
        trainingConfig.addTrainingListeners(new GlobalNormClipping(block, CLIP_NORM, accumulation));
        parts.add(report);
    }
}
