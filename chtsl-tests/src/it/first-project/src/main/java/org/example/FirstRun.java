package org.example;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.LearningRateMultiplier;
import org.chtsl.training.LearningRateSchedule;
import org.chtsl.training.MaskedAdam;
import org.chtsl.training.TopologyUpdateRecord;

/** A tiny CHTsL LLaMA trained by DJL's own trainer on a toy corpus: the first hour with chtsl. */
public final class FirstRun {

    /**
     * Trains for {@code steps} optimizer steps and returns the topology updates made.
     *
     * @param steps optimizer steps (one epoch of {@code steps} batches)
     * @return the training result and the listener's history
     */
    public static Result train(int steps) throws Exception {
        Engine.getInstance().setRandomSeed(42); // the same seed gives the same run
        int batch = 8;
        int seqLen = 32;
        int vocab = 256;
        MethodPreset method = Methods.chtsl(); // or chts(), rigl(), set(), ...
        LlamaModel llama =
                LlamaModel.builder()
                        .setConfig(LlamaConfig.tiny().optVocabSize(vocab).build())
                        .optMethod(method, 0.9) // total sparsity of the projections
                        .build();
        // warm-up 10% of the steps, cosine to 10% of the peak, ramp 5 steps after each update
        MaskedAdam adam =
                MaskedAdam.builder()
                        .optLearningRateTracker(
                                new LearningRateSchedule(
                                        3e-3f,
                                        new LearningRateMultiplier(
                                                steps / 10, steps, 0.1, 20, 5)))
                        .build();
        DynamicSparseTraining topology =
                DynamicSparseTraining.builder()
                        .setModel(llama)
                        .setOptimizer(adam)
                        .setTotalSteps(steps)
                        .optMethod(method)
                        .optUpdateInterval(20) // ΔT; the papers use 100
                        .build();
        // task loss + λ·alignment, as two components: "task" and "alignment"
        SimpleCompositeLoss loss =
                AlignmentLoss.withTask(Loss.softmaxCrossEntropyLoss("task"), llama, 0.5f);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(adam)
                        .addTrainingListeners(TrainingListener.Defaults.logging())
                        .addTrainingListeners(topology);
        loss.getComponents().forEach(config::addEvaluator); // logs task and alignment apart

        try (Model model = Model.newInstance("first-run")) {
            model.setBlock(llama);
            NDManager manager = model.getNDManager();
            // a toy corpus of counting sequences: the next token is the current one + 1
            NDArray starts =
                    manager.randomInteger(0, vocab, new Shape(steps * batch, 1), DataType.INT64);
            NDArray offsets = manager.arange(0, seqLen + 1).toType(DataType.INT64, false);
            NDArray tokens = starts.add(offsets).mod(vocab);
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(tokens.get(":, :-1")) // token ids [N, T]
                            .optLabels(tokens.get(":, 1:").expandDims(-1)) // next ids [N, T, 1]
                            .setSampling(batch, true)
                            .build();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, seqLen));
                EasyTrain.fit(trainer, 1, data, null);
                return new Result(trainer.getTrainingResult(), topology.getHistory());
            }
        }
    }

    /**
     * What a run gives back.
     *
     * @param training DJL's result: the losses of the last epoch
     * @param topologyUpdates every update: per layer density, removed, regrown, churn
     */
    public record Result(TrainingResult training, List<TopologyUpdateRecord> topologyUpdates) {}

    public static void main(String[] args) throws Exception {
        Result result = train(100);
        System.out.printf(
                "train loss %.3f (task %.3f, alignment %.4f), %d topology updates%n",
                result.training().getTrainLoss(),
                result.training().getEvaluations().get("train_task"),
                result.training().getEvaluations().get("train_alignment"),
                result.topologyUpdates().size());
    }
}
