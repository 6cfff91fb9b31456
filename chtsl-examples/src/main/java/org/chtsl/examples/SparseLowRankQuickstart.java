package org.chtsl.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.List;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLowRankLinear;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.HalfSquaredErrorLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three chtsl blocks in an ordinary DJL model and training loop: a small network of {@link
 * SparseLowRankLinear} projections learns a synthetic regression task with a stock {@link Trainer},
 * and the alignment loss reaches training through {@link AlignmentLoss}.
 *
 * <p>Run: {@code mvn -q -pl chtsl-examples exec:java -Dexec.args="--epochs 20"} (after {@code mvn
 * install -DskipTests}).
 */
public final class SparseLowRankQuickstart {

    private static final Logger LOG = LoggerFactory.getLogger(SparseLowRankQuickstart.class);

    private SparseLowRankQuickstart() {}

    /**
     * Trains the network and logs loss, active links and the overlap cancellation ratio.
     *
     * @param args {@code --epochs N} (default 20)
     * @throws IOException if the data cannot be iterated
     * @throws TranslateException if a batch cannot be prepared
     */
    public static void main(String[] args) throws IOException, TranslateException {
        int epochs = parseEpochs(args);
        Engine.getInstance().setRandomSeed(42);
        try (Model model = Model.newInstance("quickstart")) {
            SequentialBlock net =
                    new SequentialBlock()
                            .add(projection(64, 8))
                            .add(Activation::relu)
                            .add(projection(64, 8))
                            .add(Activation::relu)
                            .add(projection(4, 2));
            model.setBlock(net);

            NDManager manager = model.getNDManager();
            NDArray x = manager.randomNormal(new Shape(1024, 32));
            NDArray y = x.get(":, 0:4").mul(2).add(x.get(":, 4:8").square());
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(x)
                            .optLabels(y)
                            .setSampling(64, true)
                            .build();

            Loss loss =
                    new SimpleCompositeLoss("task+alignment")
                            .addLoss(new HalfSquaredErrorLoss("task"))
                            .addLoss(new AlignmentLoss(net, 0.5f));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                                            .build())
                            .optDevices(Engine.getInstance().getDevices(1))
                            .addTrainingListeners(TrainingListener.Defaults.basic())
                            .addTrainingListeners(new EpochLossLogger());

            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, 32));
                List<SparseLowRankLinear> layers =
                        BlockSearch.findAll(net, SparseLowRankLinear.class);
                for (SparseLowRankLinear layer : layers) {
                    LOG.info(
                            "projection {} -> {}: {} active links of {}, rank {}",
                            layer.getSparse().getInputFeatures(),
                            layer.getUnits(),
                            layer.getSparse().getActiveLinks(),
                            layer.getUnits() * layer.getSparse().getInputFeatures(),
                            layer.getLowRank().getRank());
                }
                EasyTrain.fit(trainer, epochs, data, null);
                TrainingResult result = trainer.getTrainingResult();
                LOG.info("final training loss (task + alignment): {}", result.getTrainLoss());
                logOverlap(trainer, layers, x);
            }
        }
    }

    private static SparseLowRankLinear projection(long units, long rank) {
        return SparseLowRankLinear.builder().setUnits(units).setRank(rank).optDensity(0.2).build();
    }

    private static void logOverlap(Trainer trainer, List<SparseLowRankLinear> layers, NDArray x) {
        layers.forEach(layer -> layer.setOverlapTracking(true));
        trainer.evaluate(new NDList(x));
        for (int i = 0; i < layers.size(); i++) {
            LOG.info(
                    "projection {}: overlap cancellation ratio {}",
                    i,
                    String.format("%.4f", layers.get(i).getLastOverlapCancellationRatio()));
        }
        layers.forEach(layer -> layer.setOverlapTracking(false));
    }

    /** Logs the training loss (task + alignment) at the end of every epoch. */
    private static final class EpochLossLogger extends TrainingListenerAdapter {
        private int epoch;

        @Override
        public void onEpoch(Trainer trainer) {
            epoch++;
            LOG.info(
                    "epoch {}: training loss {}",
                    epoch,
                    trainer.getTrainingResult().getTrainLoss());
        }
    }

    private static int parseEpochs(String[] args) {
        if (args.length == 0) {
            return 20;
        }
        if (args.length == 2 && "--epochs".equals(args[0])) {
            try {
                int epochs = Integer.parseInt(args[1]);
                if (epochs >= 1) {
                    return epochs;
                }
            } catch (NumberFormatException e) {
                // fall through to the usage error
            }
        }
        throw new IllegalArgumentException(
                "Usage: SparseLowRankQuickstart [--epochs N] with N >= 1, got "
                        + String.join(" ", args));
    }
}
