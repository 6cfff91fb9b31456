package org.chtsl.examples.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.MaskedAdam;
import org.chtsl.training.TopologyUpdateRecord;
import org.chtsl.training.TrainingLoop;
import org.chtsl.training.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost of dynamic sparse training itself: a {@code tiny} LLaMA (vocabulary 2048, batch 8 × 64)
 * at 90% sparsity trained with CHTs (topology updates every 100 steps up to 75% of the run) against
 * the same masked model with the listener off.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl chtsl-examples exec:java
 * -Dexec.mainClass=org.chtsl.examples.bench.TopologyOverheadBenchmark [-Dexec.args="--steps 400"]}.
 */
public final class TopologyOverheadBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyOverheadBenchmark.class);
    private static final int BATCH = 8;
    private static final int LENGTH = 64;
    private static final int VOCAB = 2048;

    private TopologyOverheadBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --steps N} (default 400)
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        int steps = args.length == 2 && "--steps".equals(args[0]) ? Integer.parseInt(args[1]) : 400;
        double withOff = seconds(steps, false); // warm-up run, discarded
        double off = seconds(steps, false);
        double on = seconds(steps, true);
        LOG.info(
                "{} steps: listener off {} s (warm-up {} s), CHTs listener on {} s: overhead {}%",
                steps,
                String.format("%.2f", off),
                String.format("%.2f", withOff),
                String.format("%.2f", on),
                String.format("%.1f", 100 * (on - off) / off));
        LOG.info(PeakMemory.describe());
    }

    private static double seconds(int steps, boolean dynamic) throws IOException {
        Engine.getInstance().setRandomSeed(1);
        LlamaConfig config =
                LlamaConfig.tiny().optVocabSize(VOCAB).optMaxSequenceLength(LENGTH).build();
        MethodPreset method = Methods.chts();
        LlamaModel block = LlamaModel.builder().setConfig(config).optMethod(method, 0.9).build();
        try (Model model = Model.newInstance("overhead", Device.cpu())) {
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            NDArray tokens =
                    manager.randomInteger(0, VOCAB, new Shape(256, LENGTH + 1), DataType.INT64);
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(tokens.get(":, :-1"))
                            .optLabels(tokens.get(":, 1:").expandDims(2))
                            .setSampling(BATCH, false)
                            .build();
            MaskedAdam optimizer =
                    MaskedAdam.builder().optLearningRateTracker(Tracker.fixed(3e-3f)).build();
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(optimizer)
                            .optDevices(new Device[] {Device.cpu()});
            DynamicSparseTraining topology = null;
            if (dynamic) {
                topology =
                        DynamicSparseTraining.builder()
                                .setModel(block)
                                .setOptimizer(optimizer)
                                .setTotalSteps(steps)
                                .optMethod(method)
                                .build();
                trainingConfig.addTrainingListeners(topology);
            } else {
                optimizer.attach(block);
            }
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(BATCH, LENGTH));
                long start = System.nanoTime();
                new TrainingLoop(trainer, data, BATCH, 1)
                        .run(new TrainingProgress(0, 1, 0), steps, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (topology != null) {
                    double inUpdates =
                            topology.getHistory().stream()
                                    .mapToDouble(TopologyUpdateRecord::seconds)
                                    .sum();
                    LOG.info(
                            "{} topology updates took {} s in all, {}% of the {} s run",
                            topology.getHistory().size(),
                            String.format("%.3f", inUpdates),
                            String.format("%.2f", 100 * inUpdates / seconds),
                            String.format("%.2f", seconds));
                }
                return seconds;
            }
        }
    }
}
