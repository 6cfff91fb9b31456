package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** N steps + checkpoint + load + N steps must equal 2N steps, to the last bit. */
public class ResumeTest {

    private static final long TOTAL = 12;
    private static final long HALF = 6;
    private static final long SEED = 77;

    /** One run's pieces, built the same way every time. */
    private static final class Run implements AutoCloseable {
        final DstHarness harness;
        final MaskedAdam optimizer;
        final DynamicSparseTraining topology;

        Run(MethodPreset method, int initSeed) {
            Engine.getInstance().setRandomSeed(initSeed);
            harness = new DstHarness(method);
            optimizer =
                    MaskedAdam.builder()
                            .optLearningRateTracker(
                                    new LearningRateSchedule(
                                            0.01f, new LearningRateMultiplier(3, TOTAL, 0.1, 3, 2)))
                            .optWeightDecays(0.01f)
                            .optDecoupledWeightDecay(true)
                            .build();
            topology =
                    DynamicSparseTraining.builder()
                            .setModel(harness.network)
                            .setOptimizer(optimizer)
                            .setTotalSteps(TOTAL)
                            .optMethod(method)
                            .optUpdateInterval(3)
                            .optFinalSparsity(0.8)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(harness.loss)
                            .optOptimizer(optimizer)
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(
                                    topology, new GlobalNormClipping(harness.network, 1f, 1));
            this.trainerConfig = config;
        }

        private final DefaultTrainingConfig trainerConfig;
        private Trainer started;
        private TrainingLoop startedLoop;

        TrainingLoop loop() {
            if (started == null) {
                started = harness.model.newTrainer(trainerConfig);
                started.initialize(new Shape(DstHarness.BATCH, 16));
                startedLoop = new TrainingLoop(started, harness.data, DstHarness.BATCH, 1);
            }
            return startedLoop;
        }

        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
            harness.close();
        }
    }

    @DataProvider
    public Object[][] dynamicMethods() {
        return Methods.all().stream()
                .filter(MethodPreset::isDynamic)
                .map(method -> new Object[] {method.getName()})
                .toArray(Object[][]::new);
    }

    @Test(dataProvider = "dynamicMethods")
    public void resumingContinuesExactly(String name) throws IOException, MalformedModelException {
        MethodPreset method = Methods.forName(name);
        List<Float> straight = new ArrayList<>();
        try (Run run = new Run(method, 5)) {
            run.loop()
                    .run(new TrainingProgress(0, SEED, 0), TOTAL, (p, loss) -> straight.add(loss));
            assertEquals(run.topology.getHistory().size(), 3); // steps 3, 6, 9 (T_end = 9)
        }

        Path file = Files.createTempDirectory("chtsl-resume").resolve("checkpoint.chtsl");
        List<Float> resumed = new ArrayList<>();
        try (Run first = new Run(method, 5)) {
            first.loop()
                    .run(
                            new TrainingProgress(0, SEED, 0),
                            HALF,
                            (progress, loss) -> {
                                resumed.add(loss);
                                if (progress.step() == HALF) {
                                    TrainingCheckpoint.save(
                                            file,
                                            first.harness.network,
                                            first.optimizer,
                                            first.topology,
                                            progress);
                                }
                            });
        }
        try (Run second =
                new Run(method, 12345)) { // a different initialization, replaced by the checkpoint
            TrainingProgress progress =
                    TrainingCheckpoint.load(
                            file,
                            second.harness.network,
                            second.harness.model.getNDManager(),
                            second.optimizer,
                            second.topology);
            assertEquals(progress, new TrainingProgress(HALF, SEED, HALF * DstHarness.BATCH));
            second.loop().run(progress, TOTAL, (p, loss) -> resumed.add(loss));
            assertEquals(second.topology.getHistory().size(), 3);
        }
        assertEquals(resumed.size(), straight.size());
        for (int i = 0; i < straight.size(); i++) {
            assertEquals(
                    Float.floatToIntBits(resumed.get(i)),
                    Float.floatToIntBits(straight.get(i)),
                    name + " step " + (i + 1) + ": " + resumed.get(i) + " vs " + straight.get(i));
        }
    }

    @Test
    public void aCheckpointOfAnotherModelIsRejectedAndNothingIsHalfWritten() throws Exception {
        Path dir = Files.createTempDirectory("chtsl-resume-bad");
        Path file = dir.resolve("checkpoint.chtsl");
        try (Run run = new Run(Methods.chtsl(), 5)) {
            run.loop().run(new TrainingProgress(0, SEED, 0), 1, null);
            TrainingCheckpoint.save(
                    file,
                    run.harness.network,
                    run.optimizer,
                    null,
                    new TrainingProgress(1, SEED, 8));
        }
        try (Stream files = new Stream(dir)) {
            assertEquals(files.count(), 1, "only the checkpoint, no temporary file");
        }
        try (Run other = new Run(Methods.chtsl(), 5)) {
            MalformedModelException e =
                    expectThrows(
                            MalformedModelException.class,
                            () ->
                                    TrainingCheckpoint.load(
                                            file,
                                            other.harness.network,
                                            other.harness.model.getNDManager(),
                                            other.optimizer,
                                            other.topology));
            assertTrue(e.getMessage().contains("topology"), e.getMessage());
        }
        Path notACheckpoint = dir.resolve("other.bin");
        Files.write(notACheckpoint, new byte[] {0, 3, 'a', 'b', 'c', 0, 0, 0, 1});
        try (Run other = new Run(Methods.chtsl(), 5)) {
            expectThrows(
                    org.chtsl.util.CorruptFileException.class,
                    () ->
                            TrainingCheckpoint.load(
                                    notACheckpoint,
                                    other.harness.network,
                                    other.harness.model.getNDManager(),
                                    other.optimizer,
                                    other.topology));
        }
    }

    /** Counts the files of a directory. */
    private static final class Stream implements AutoCloseable {
        private final java.util.stream.Stream<Path> files;

        Stream(Path dir) throws IOException {
            files = Files.list(dir);
        }

        long count() {
            return files.count();
        }

        @Override
        public void close() {
            files.close();
        }
    }
}
