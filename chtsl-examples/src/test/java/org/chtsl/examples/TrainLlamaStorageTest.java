package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Compact storage is the same run as dense-masked storage through TrainLlama's own code path: the
 * same per-step losses and evaluations bit for bit (topology updates at steps 4, 8 and 12, CHTss's
 * density decay included), a smaller checkpoint, and the same logits when Evaluate and Generate
 * reopen the two checkpoints.
 */
public class TrainLlamaStorageTest {

    @DataProvider
    public Object[][] methods() {
        return new Object[][] {{"chtsl"}, {"chtss"}};
    }

    @Test(dataProvider = "methods")
    public void compactAndDenseMaskedRunsAreTheSameRun(String method) throws Exception {
        Path compact = Files.createTempDirectory("chtsl-compact-" + method);
        Path masked = Files.createTempDirectory("chtsl-masked-" + method);
        assertEquals(RunFixtures.execute(RunFixtures.args(method, compact)).status(), 0);
        assertEquals(
                RunFixtures.execute(RunFixtures.args(method, masked, "--storage", "dense-masked"))
                        .status(),
                0);
        assertEquals(config(compact, "storage"), "compact", "the default for " + method);
        assertEquals(config(masked, "storage"), "dense-masked");

        Map<Long, Integer> losses = RunFixtures.lossBits(masked);
        assertEquals(losses.size(), 16);
        assertEquals(RunFixtures.lossBits(compact), losses, "per-step losses, bit for bit");
        assertEquals(
                RunFixtures.report(compact).getAsJsonArray("evals"),
                RunFixtures.report(masked).getAsJsonArray("evals"));
        assertEquals(
                RunFixtures.report(compact).getAsJsonArray("topology_updates").size(),
                RunFixtures.report(masked).getAsJsonArray("topology_updates").size());

        long compactBytes = Files.size(compact.resolve(TrainedRun.CHECKPOINT));
        long maskedBytes = Files.size(masked.resolve(TrainedRun.CHECKPOINT));
        assertTrue(compactBytes < maskedBytes, compactBytes + " vs " + maskedBytes + " bytes");

        float[] fromCompact = logits(compact);
        float[] fromMasked = logits(masked);
        assertEquals(fromCompact, fromMasked, "logits of the reopened checkpoints, bit for bit");
    }

    private static String config(Path run, String key) throws Exception {
        return RunFixtures.report(run).getAsJsonObject("config").get(key).getAsString();
    }

    /** The logits the reopened run (as Evaluate and Generate open it) gives for fixed tokens. */
    private static float[] logits(Path run) throws Exception {
        try (TrainedRun reopened = TrainedRun.open(run);
                NDManager manager = reopened.model.getNDManager().newSubManager()) {
            NDArray tokens = manager.arange(0, 64, 1, DataType.INT64).reshape(new Shape(2, 32));
            NDArray out =
                    reopened.model
                            .getBlock()
                            .forward(new ParameterStore(manager, false), new NDList(tokens), false)
                            .head();
            return out.toFloatArray();
        }
    }
}
