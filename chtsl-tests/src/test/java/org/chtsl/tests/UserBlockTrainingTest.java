package org.chtsl.tests;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.tests.readme.MyMlp;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.HalfSquaredErrorLoss;
import org.testng.annotations.Test;

/**
 * A user's own DJL block with chtsl projections inside (README's {@link MyMlp}), trained by a stock
 * {@link Trainer} and {@link EasyTrain#fit}: the alignment terms reach the loss with no plumbing in
 * the user's block.
 */
public class UserBlockTrainingTest {

    @Test
    public void stockTrainerTrainsAUserBlockWithAlignmentLoss()
            throws IOException, TranslateException, ai.djl.MalformedModelException {
        Engine.getInstance().setRandomSeed(2024);
        try (Model model = Model.newInstance("user-regressor")) {
            MyMlp block = new MyMlp(); // README's block
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            NDArray x = manager.randomNormal(new Shape(256, 16));
            NDArray y = x.get(":, 0:8").mul(2).add(x.get(":, 8:16").square());
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(x)
                            .optLabels(y)
                            .setSampling(32, true)
                            .build();
            AlignmentLoss alignment = new AlignmentLoss(block, 0.5f);
            Loss loss =
                    new SimpleCompositeLoss("chtsl")
                            .addLoss(new HalfSquaredErrorLoss())
                            .addLoss(alignment);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(0.01f))
                                            .build())
                            .optDevices(new ai.djl.Device[] {manager.getDevice()});

            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 16));
                List<SparseLinear> sparse = BlockSearch.findAll(block, SparseLinear.class);
                assertEquals(sparse.size(), 2);
                NDArray firstMask = sparse.get(0).getMask().duplicate();
                float before = meanLoss(trainer, data);

                EasyTrain.fit(trainer, 15, data, null);

                float after = meanLoss(trainer, data);
                assertTrue(after < 0.5f * before, "loss " + before + " -> " + after);
                // stock Adam never moves a pruned weight: gradients there are exactly zero
                for (SparseLinear layer : sparse) {
                    NDArray inactive = layer.getWeight().getArray().mul(layer.getMask().sub(1));
                    assertEquals(inactive.abs().max().getFloat(), 0f);
                }
                assertTrue(sparse.get(0).getMask().contentEquals(firstMask));

                // a training forward records one term per projection; the loss sees them
                try (ai.djl.training.GradientCollector collector = trainer.newGradientCollector()) {
                    NDList predictions = trainer.forward(new NDList(x));
                    float sum = alignment.sumOfTerms(x.getDevice()).getFloat();
                    assertTrue(sum > 0);
                    assertEquals(
                            alignment.evaluate(new NDList(y), predictions).getFloat(),
                            0.5f * sum,
                            1e-6f);
                    collector.backward(predictions.head().sum().mul(0));
                }
            }

            // Model.save / Model.load keep the masks and both branches bit-exact
            Path dir = Files.createTempDirectory("chtsl-user-block");
            model.save(dir, "user-regressor");
            try (Model loaded = Model.newInstance("user-regressor")) {
                loaded.setBlock(new MyMlp());
                loaded.load(dir, "user-regressor");
                List<SparseLinear> original = BlockSearch.findAll(block, SparseLinear.class);
                List<SparseLinear> restored =
                        BlockSearch.findAll(loaded.getBlock(), SparseLinear.class);
                for (int i = 0; i < original.size(); i++) {
                    assertTrue(restored.get(i).getMask().contentEquals(original.get(i).getMask()));
                    assertTrue(
                            restored.get(i)
                                    .getWeight()
                                    .getArray()
                                    .contentEquals(original.get(i).getWeight().getArray()));
                }
                ParameterStore ps = new ParameterStore(loaded.getNDManager(), false);
                NDArray restoredOut = loaded.getBlock().forward(ps, new NDList(x), false).head();
                NDArray originalOut =
                        block.forward(new ParameterStore(manager, false), new NDList(x), false)
                                .head();
                assertTrue(restoredOut.contentEquals(originalOut));

                // DJL unfreezes every parameter of a loaded model in newTrainer: masks must stay
                // masks when training goes on (AdamW's weight decay would shrink a trained mask)
                DefaultTrainingConfig resume =
                        new DefaultTrainingConfig(new HalfSquaredErrorLoss())
                                .optOptimizer(
                                        Optimizer.adamW()
                                                .optLearningRateTracker(Tracker.fixed(0.01f))
                                                .optWeightDecays(0.1f)
                                                .build())
                                .optDevices(new ai.djl.Device[] {manager.getDevice()});
                NDArray maskBefore = restored.get(0).getMask().duplicate();
                try (Trainer trainer = loaded.newTrainer(resume)) {
                    trainer.initialize(new Shape(32, 16));
                    EasyTrain.fit(trainer, 2, data, null);
                }
                assertTrue(restored.get(0).getMask().contentEquals(maskBefore));
                assertTrue(!restored.get(0).getMaskParameter().requiresGradient());
            }
        }
    }

    private static float meanLoss(Trainer trainer, ArrayDataset data)
            throws IOException, TranslateException {
        float total = 0;
        int batches = 0;
        for (ai.djl.training.dataset.Batch batch : trainer.iterateDataset(data)) {
            NDList predictions = trainer.evaluate(batch.getData());
            total += new HalfSquaredErrorLoss().evaluate(batch.getLabels(), predictions).getFloat();
            batches++;
            batch.close();
        }
        return total / batches;
    }
}
