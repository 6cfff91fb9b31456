package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import java.io.DataOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.chtsl.method.Methods;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.util.AtomicFiles;
import org.chtsl.util.CorruptFileException;
import org.testng.annotations.Test;

/** Checkpoints are verified before anything is loaded; interrupted writes leave nothing behind. */
public class CheckpointFilesTest {

    private static Path saved(DstHarness harness, DynamicSparseTraining topology) throws Exception {
        Path file = Files.createTempDirectory("chtsl-ckpt").resolve("checkpoint.chtsl");
        TrainingCheckpoint.save(
                file,
                harness.network,
                harness.optimizer,
                new TrainingProgress(7, 3, 56),
                Map.of("method", "chts", "seed", "3"),
                java.util.List.of(topology));
        return file;
    }

    private static DynamicSparseTraining topology(DstHarness harness) {
        return DynamicSparseTraining.builder()
                .setModel(harness.network)
                .setOptimizer(harness.optimizer)
                .setTotalSteps(10)
                .optMethod(Methods.chts())
                .build();
    }

    @Test
    public void aDamagedCheckpointIsRejectedBeforeAnythingIsLoaded() throws Exception {
        Path file;
        try (DstHarness first = new DstHarness(Methods.chts())) {
            first.trainer().close();
            file = saved(first, topology(first));
        }
        assertEquals(
                TrainingCheckpoint.readDescription(file).description(),
                Map.of("method", "chts", "seed", "3"));
        assertEquals(
                TrainingCheckpoint.readDescription(file).progress(),
                new TrainingProgress(7, 3, 56));
        long size = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(size / 2);
            int b = raw.read();
            raw.seek(size / 2);
            raw.write(b ^ 0x10); // one bit
        }
        try (DstHarness other = new DstHarness(Methods.chts())) {
            other.trainer().close();
            SparseLinear layer = BlockSearch.findAll(other.network, SparseLinear.class).get(0);
            float[] before = layer.getWeight().getArray().toFloatArray();
            float[] mask = layer.getMask().toFloatArray();
            DynamicSparseTraining topology = topology(other);
            CorruptFileException e =
                    expectThrows(
                            CorruptFileException.class,
                            () ->
                                    TrainingCheckpoint.load(
                                            file,
                                            other.network,
                                            other.model.getNDManager(),
                                            other.optimizer,
                                            java.util.List.of(topology)));
            assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
            NDArray after = layer.getWeight().getArray();
            assertEquals(after.toFloatArray(), before, "the model is untouched");
            assertEquals(layer.getMask().toFloatArray(), mask);
            assertEquals(topology.getStep(), 0);
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(size / 3);
        }
        CorruptFileException truncated =
                expectThrows(
                        CorruptFileException.class, () -> TrainingCheckpoint.readDescription(file));
        assertTrue(truncated.getMessage().contains("is truncated"), truncated.getMessage());
    }

    @Test
    public void aCheckpointOfAnOlderFormatIsNamedAsSuch() throws Exception {
        Path file = Files.createTempDirectory("chtsl-v1").resolve("old.chtsl");
        try (DataOutputStream os = new DataOutputStream(Files.newOutputStream(file))) {
            os.writeUTF("chtsl-checkpoint");
            os.writeInt(1);
            os.writeLong(5);
        }
        CorruptFileException e =
                expectThrows(
                        CorruptFileException.class, () -> TrainingCheckpoint.readDescription(file));
        assertTrue(
                e.getMessage().contains("version 1; this chtsl reads version 5"), e.getMessage());
        Path text = file.resolveSibling("text.chtsl");
        Files.writeString(text, "hello");
        assertTrue(
                expectThrows(
                                CorruptFileException.class,
                                () -> TrainingCheckpoint.readDescription(text))
                        .getMessage()
                        .contains("is not a chtsl-checkpoint file"));
    }

    @Test
    public void onlyTheTemporariesOfInterruptedWritesAreRemoved() throws Exception {
        Path dir = Files.createTempDirectory("chtsl-stale");
        Path target = dir.resolve("checkpoint.chtsl");
        Files.write(dir.resolve("checkpoint.chtsl.8412345678901.tmp"), new byte[1000]);
        Files.write(dir.resolve("checkpoint.chtsl.notdigits.tmp"), new byte[10]);
        Files.write(dir.resolve("report.json.42.tmp"), new byte[10]);
        Files.write(target, new byte[5]);
        assertEquals(AtomicFiles.removeStaleTemporaries(target), 1000);
        assertFalse(Files.exists(dir.resolve("checkpoint.chtsl.8412345678901.tmp")));
        assertTrue(Files.exists(dir.resolve("checkpoint.chtsl.notdigits.tmp")));
        assertTrue(Files.exists(dir.resolve("report.json.42.tmp")));
        assertTrue(Files.exists(target));
        // a write that fails half-way leaves no temporary file and keeps the old content
        expectThrows(
                java.io.IOException.class,
                () ->
                        AtomicFiles.write(
                                target,
                                os -> {
                                    os.write(new byte[100]);
                                    throw new java.io.IOException("disk full");
                                }));
        assertEquals(Files.size(target), 5);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(files.count(), 3);
        }
    }
}
