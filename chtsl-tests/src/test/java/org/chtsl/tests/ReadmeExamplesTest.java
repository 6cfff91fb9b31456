package org.chtsl.tests;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.TrainingResult;
import java.util.Set;
import org.chtsl.nn.SparseLinear;
import org.chtsl.tests.readme.MyMlpTraining;
import org.chtsl.tests.readme.OneTopologyUpdate;
import org.chtsl.tests.readme.ZooLoading;
import org.chtsl.topology.update.LayerUpdate;
import org.testng.annotations.Test;

/** README's snippets (package {@code org.chtsl.tests.readme}) do what README says they do. */
public class ReadmeExamplesTest {

    @Test
    public void myMlpLearnsWithTheAlignmentLossBesideTheTaskLoss() throws Exception {
        Engine.getInstance().setRandomSeed(11);
        TrainingResult first = MyMlpTraining.train(1);
        Engine.getInstance().setRandomSeed(11);
        TrainingResult result = MyMlpTraining.train(20);
        float task = result.getEvaluations().get("train_task");
        float alignment = result.getEvaluations().get("train_alignment");
        float firstTask = first.getEvaluations().get("train_task");
        assertTrue(task < 0.5f * firstTask, "task loss " + firstTask + " -> " + task);
        assertTrue(alignment > 0, "the alignment part is logged: " + alignment);
        // the total DJL reports is the sum of the parts
        assertEquals(result.getTrainLoss(), task + alignment, 1e-3 * (task + alignment));
    }

    @Test
    public void oneTopologyUpdateKeepsTheLinkCount() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            SparseLinear sparse = SparseLinear.builder().setUnits(64).optDensity(0.1).build();
            sparse.initialize(manager, DataType.FLOAT32, new Shape(4, 48));
            NDArray before = sparse.getMask().duplicate();
            long links = sparse.getActiveLinks();

            LayerUpdate update = OneTopologyUpdate.update(sparse, manager);

            // ζ = 0.1 of the links: removed and as many regrown
            assertEquals(update.removed(), Math.round(0.1 * links), 1.0);
            assertEquals(update.regrown(), update.removed());
            assertEquals(sparse.getActiveLinks(), links);
            assertFalse(sparse.getMask().contentEquals(before));
            NDArray inactive = sparse.getWeight().getArray().mul(sparse.getMask().sub(1));
            assertEquals(inactive.abs().max().getFloat(), 0f);
        }
    }

    @Test
    public void theZooGivesLlama60mWithAllSevenProjectionsOfEightLayers() throws Exception {
        Set<String> projections = ZooLoading.projections();
        assertEquals(projections.size(), 8 * 7);
        assertTrue(projections.contains("layers.0.self_attn.q_proj"), projections.toString());
        assertTrue(projections.contains("layers.7.mlp.down_proj"), projections.toString());
    }
}
