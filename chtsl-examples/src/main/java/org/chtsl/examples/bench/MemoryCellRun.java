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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.method.TrainingRecipe;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.models.llama.LlamaProjections;
import org.chtsl.nn.SparseStorage;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.DynamicSparseTraining;
import org.chtsl.training.GlobalNormClipping;
import org.chtsl.training.MaskedAdam;
import org.chtsl.training.TopologyUpdateRecord;
import org.chtsl.training.TrainingCheckpoint;
import org.chtsl.training.TrainingLoop;
import org.chtsl.training.TrainingProgress;

/**
 * One cell of the {@link MemoryBenchmark}, run in a JVM of its own (peak memory is per process):
 * builds the model as {@code TrainLlama} does, trains it for the cell's steps on random token ids
 * with a real {@link MaskedAdam}, the task loss plus the method's alignment term, the topology
 * listener of a dynamic method and the recipe's clipping, then measures and prints one {@link
 * MemoryResult} line.
 *
 * <p>The optimizer runs at the recipe's peak learning rate without weight decay (neither changes
 * the state's size). A dynamic method's topology changes every {@value #UPDATE_INTERVAL} steps, at
 * step 2 first, with ζ as in a run of {@value #NOMINAL_RUN} steps (near its start); an update step
 * skips the optimizer update, as in training. Arguments: {@link MemoryCell#toArgs()}.
 */
public final class MemoryCellRun {

    /** Topology updates at steps 2, 4, …: the first timed step is an update step. */
    static final int UPDATE_INTERVAL = 2;

    /**
     * The run length the topology listener's ζ and T_end schedules assume: T_end is 75% of it,
     * beyond a cell's last step.
     */
    static final int NOMINAL_RUN = 2 * MemoryCell.MAX_STEPS;

    private MemoryCellRun() {}

    /**
     * Runs one cell and prints its result line; exits with status 1 if the cell failed.
     *
     * @param args the cell ({@link MemoryCell#toArgs()})
     */
    public static void main(String[] args) {
        MemoryCell cell = MemoryCell.fromArgs(args);
        MemoryResult result;
        try {
            result = measure(cell);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            e.printStackTrace();
            result = MemoryResult.failed(cell, e.toString().replace('\n', ' '));
        }
        System.out.println(result.toLine());
        System.out.flush();
        if (result.failed()) {
            System.exit(1);
        }
    }

    /**
     * Trains and measures one cell in this process.
     *
     * @param cell the cell
     * @return what it measured
     * @throws IOException if the checkpoint cannot be written
     */
    static MemoryResult measure(MemoryCell cell) throws IOException {
        Engine.getInstance().setRandomSeed(0);
        MethodPreset method = Methods.forName(cell.method());
        LlamaConfig config =
                LlamaConfig.preset(cell.model()).optMaxSequenceLength(cell.seqLen()).build();
        LlamaProjections.Builder projections =
                LlamaProjections.builder().setConfig(config).setMethod(method, cell.sparsity());
        if (!MemoryCell.DENSE.equals(cell.layout())) {
            projections.optStorage(SparseStorage.fromName(cell.layout()));
        }
        LlamaModel block =
                LlamaModel.builder().setConfig(config).optProjections(projections.build()).build();
        Device device = Engine.getInstance().defaultDevice();
        Shape input = new Shape(cell.batch(), cell.seqLen());
        try (Model model = Model.newInstance("memory-benchmark", device)) {
            model.setBlock(block);
            MaskedAdam optimizer =
                    MaskedAdam.builder()
                            .optLearningRateTracker(Tracker.fixed(peakLearningRate(method, config)))
                            .build();
            DefaultTrainingConfig training =
                    new DefaultTrainingConfig(
                                    AlignmentLoss.withTask(
                                            Loss.softmaxCrossEntropyLoss("task"),
                                            block,
                                            method.getAlignmentWeight(),
                                            method.getAlignmentForm()))
                            .optOptimizer(optimizer)
                            .optDevices(new Device[] {device});
            DynamicSparseTraining topology = listen(training, block, method, optimizer, cell);
            block.initialize(model.getNDManager(), DataType.FLOAT32, input);
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(input);
                ArrayDataset data = randomTokens(model.getNDManager(), config, cell);
                StepTimes times = new StepTimes();
                TrainingProgress end =
                        new TrainingLoop(trainer, data, cell.batch(), 1)
                                .run(new TrainingProgress(0, 1, 0), cell.steps(), times);
                MemoryFigures memory = MemoryFigures.now(device);
                ModelState state = ModelState.of(block, optimizer);
                long checkpoint = checkpointBytes(block, optimizer, topology, end);
                Map<Long, Double> updates = new TreeMap<>();
                if (topology != null) {
                    for (TopologyUpdateRecord update : topology.getHistory()) {
                        updates.put(update.step(), update.seconds());
                    }
                }
                return new MemoryResult(
                        cell.model(),
                        cell.method(),
                        cell.sparsity(),
                        cell.layout(),
                        device.toString(),
                        null,
                        state,
                        memory,
                        checkpoint,
                        times.tokensPerSecond((long) cell.batch() * cell.seqLen(), updates),
                        updates.isEmpty() ? null : 1000 * StepTimes.median(updates.values()),
                        times.firstStepPeakResidentBytes());
            }
        }
    }

    private static float peakLearningRate(MethodPreset method, LlamaConfig config) {
        return (float) method.getRecipe().learningRate().at(config.getHidden());
    }

    /**
     * Adds the topology listener of a dynamic method (a static method's masks are attached to the
     * optimizer instead) and the recipe's clipping.
     *
     * @return the listener, or {@code null} for a static method
     */
    private static DynamicSparseTraining listen(
            DefaultTrainingConfig training,
            LlamaModel block,
            MethodPreset method,
            MaskedAdam optimizer,
            MemoryCell cell) {
        DynamicSparseTraining topology = null;
        if (method.isDynamic()) {
            DynamicSparseTraining.Builder listener =
                    DynamicSparseTraining.builder()
                            .setModel(block)
                            .setOptimizer(optimizer)
                            .setTotalSteps(NOMINAL_RUN)
                            .optMethod(method)
                            .optUpdateInterval(UPDATE_INTERVAL);
            if (method.getDensitySchedule().decays()) {
                listener.optFinalSparsity(cell.sparsity());
            }
            topology = listener.build();
            training.addTrainingListeners(topology);
        } else {
            optimizer.attach(block);
        }
        TrainingRecipe recipe = method.getRecipe();
        if (recipe.clips()) {
            training.addTrainingListeners(
                    new GlobalNormClipping(block, (float) recipe.clipNorm(), 1));
        }
        return topology;
    }

    /** Random token ids, one batch per step: inputs and the next-token labels. */
    private static ArrayDataset randomTokens(
            NDManager manager, LlamaConfig config, MemoryCell cell) {
        NDArray tokens =
                manager.randomInteger(
                        0,
                        config.getVocabSize(),
                        new Shape((long) cell.batch() * cell.steps(), cell.seqLen() + 1),
                        DataType.INT64);
        return new ArrayDataset.Builder()
                .setData(tokens.get(":, :-1"))
                .optLabels(tokens.get(":, 1:").expandDims(2))
                .setSampling(cell.batch(), false)
                .build();
    }

    /** Writes the training checkpoint as {@code TrainLlama} does, measures it and deletes it. */
    private static long checkpointBytes(
            LlamaModel block,
            MaskedAdam optimizer,
            DynamicSparseTraining topology,
            TrainingProgress progress)
            throws IOException {
        Path folder = Files.createTempDirectory("chtsl-memory-benchmark");
        Path file = folder.resolve("checkpoint.chtsl");
        try {
            TrainingCheckpoint.save(file, block, optimizer, topology, progress);
            return Files.size(file);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(folder);
        }
    }
}
