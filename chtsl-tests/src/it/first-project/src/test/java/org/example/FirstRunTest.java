package org.example;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** The README's first project trains offline, learns, and its logs show chtsl's lines. */
public class FirstRunTest {

    @Test
    public void trainsLearnsAndLogs() throws Exception {
        FirstRun.Result result = FirstRun.train(60);
        // one topology update every 20 steps up to T_end = 45: steps 20 and 40
        assertEquals(result.topologyUpdates().size(), 2);
        float task = result.training().getEvaluations().get("train_task");
        float alignment = result.training().getEvaluations().get("train_alignment");
        // a uniform guess over 256 tokens costs ln 256 = 5.55; counting is learnt well below it
        assertTrue(task < 4.5f, "task loss " + task);
        assertTrue(alignment > 0 && alignment < task, "alignment " + alignment);
        String log = Files.readString(Path.of("first-run.log"));
        assertTrue(
                log.contains("INFO  org.chtsl.training.DynamicSparseTraining - Topology update at step 20"),
                log);
    }
}
