package org.chtsl.tests.readme;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.HalfSquaredErrorLoss;

/** {@link MyMlp} trained by DJL's stock trainer, with the alignment loss beside the task loss. */
public final class MyMlpTraining {

    private MyMlpTraining() {}

    /**
     * Fits {@code y = 2·x[:, :8]} for some epochs.
     *
     * @param epochs the epochs, of 8 batches each
     * @return DJL's result: {@code train_task} and {@code train_alignment} are the loss's parts
     */
    public static TrainingResult train(int epochs) throws IOException, TranslateException {
        try (Model model = Model.newInstance("my-mlp")) {
            model.setBlock(new MyMlp());
            NDManager manager = model.getNDManager();
            NDArray x = manager.randomNormal(new Shape(256, 16));
            NDArray y = x.get(":, 0:8").mul(2); // data, not in the autograd graph
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(x)
                            .optLabels(y)
                            .setSampling(32, true)
                            .build();
            // task loss + λ·alignment of every SparseLowRankLinear in the model, λ = 0.5;
            // HalfSquaredErrorLoss is DJL's Loss.l2Loss() without its scalar flaw (README)
            SimpleCompositeLoss loss =
                    AlignmentLoss.withTask(
                            new HalfSquaredErrorLoss("task"), model.getBlock(), 0.5f);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(0.01f))
                                            .build())
                            .addTrainingListeners(TrainingListener.Defaults.logging());
            loss.getComponents().forEach(config::addEvaluator); // "task" and "alignment"
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 16));
                EasyTrain.fit(trainer, epochs, data, null);
                return trainer.getTrainingResult();
            }
        }
    }
}
