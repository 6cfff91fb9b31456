package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.chtsl.method.Methods;
import org.chtsl.nn.SparseLinear;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class MaskedAdamTest extends ManagedTest {

    private static float[] values(NDArray array) {
        return array.toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Test
    public void adamFollowsTorchSemanticsByHand() {
        MaskedAdam adam = MaskedAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
        NDArray weight = manager.create(new float[] {1, -2});
        NDArray grad = manager.create(new float[] {0.5f, 0.1f});
        adam.update("w", weight, grad);
        // step 1: m̂ = g, v̂ = g², so w moves by lr·g/(|g| + ε) = 0.1·sign(g)
        assertEquals(values(weight)[0], 0.9f, 1e-6f);
        assertEquals(values(weight)[1], -2.1f, 1e-6f);
        NDArray[] moments = adam.getMoments("w");
        assertEquals(values(moments[0])[0], 0.05f, 1e-7f);
        assertEquals(values(moments[1])[0], 0.00025f, 1e-8f); // (1 − β₂) in float32
        // the same gradient again: m̂ = g and v̂ = g² still, so another 0.1·sign(g)
        adam.update("w", weight, manager.create(new float[] {0.5f, 0.1f}));
        assertEquals(values(weight)[0], 0.8f, 1e-6f);
        assertEquals(adam.getIteration(), 1);
    }

    @Test
    public void withoutMasksItTrainsLikeDjlsAdam() throws Exception {
        float[] losses = new float[2];
        for (int variant = 0; variant < 2; variant++) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(21);
            try (DstHarness harness = new DstHarness(Methods.dense())) {
                ai.djl.training.optimizer.Optimizer optimizer =
                        variant == 0
                                ? ai.djl.training.optimizer.Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.01f))
                                        .build()
                                : harness.optimizer;
                ai.djl.training.DefaultTrainingConfig config =
                        new ai.djl.training.DefaultTrainingConfig(harness.loss)
                                .optOptimizer(optimizer)
                                .optDevices(new ai.djl.Device[] {ai.djl.Device.cpu()});
                try (ai.djl.training.Trainer trainer = harness.model.newTrainer(config)) {
                    trainer.initialize(new Shape(DstHarness.BATCH, 16));
                    ai.djl.training.EasyTrain.fit(trainer, 5, harness.data, null);
                }
                losses[variant] = harness.taskLoss();
            }
        }
        // the two differ only in where ε enters (√v̂ + ε against √v + ε)
        assertEquals(losses[1], losses[0], 1e-3f * losses[0]);
    }

    @Test
    public void adamWDecaysDecoupledAndAdamAddsTheL2Gradient() {
        NDArray weight = manager.create(new float[] {2});
        MaskedAdam adamW =
                MaskedAdam.builder()
                        .optLearningRateTracker(Tracker.fixed(0.1f))
                        .optWeightDecays(0.5f)
                        .optDecoupledWeightDecay(true)
                        .build();
        adamW.update("w", weight, manager.create(new float[] {1}));
        // w·(1 − 0.1·0.5) − 0.1·1 = 1.9 − 0.1
        assertEquals(values(weight)[0], 1.8f, 1e-6f);
        NDArray other = manager.create(new float[] {2});
        MaskedAdam adam =
                MaskedAdam.builder()
                        .optLearningRateTracker(Tracker.fixed(0.1f))
                        .optWeightDecays(0.5f)
                        .build();
        NDArray grad = manager.create(new float[] {-0.5f}); // g + wd·w = −0.5 + 1 = 0.5 > 0
        adam.update("w", other, grad);
        assertEquals(values(other)[0], 1.9f, 1e-6f);
    }

    @Test(dataProvider = "decays")
    public void inactiveWeightsAndMomentsStayZeroWithoutReMasking(boolean decoupled) {
        SparseLinear layer =
                SparseLinear.builder().setUnits(4).optBias(false).optDensity(0.5).build();
        SequentialBlock model = new SequentialBlock().add(layer);
        model.initialize(manager, DataType.FLOAT32, new Shape(3, 4));
        MaskedAdam adam =
                MaskedAdam.builder()
                        .optWeightDecays(0.1f)
                        .optDecoupledWeightDecay(decoupled)
                        .build()
                        .attach(model);
        Parameter weight = layer.getWeight();
        NDArray inactive = layer.getMask().eq(0);
        NDArray input = manager.randomNormal(new Shape(3, 4));
        for (int step = 0; step < 3; step++) {
            try (ai.djl.training.GradientCollector collector =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        model.forward(
                                        new ai.djl.training.ParameterStore(manager, false),
                                        new ai.djl.ndarray.NDList(input),
                                        true)
                                .head();
                collector.backward(out.square().sum());
            }
            NDArray grad = weight.getArray().getGradient().duplicate();
            adam.update(weight.getId(), weight.getArray(), grad);
        }
        // the mask inside the forward gives inactive links an exactly zero gradient, so Adam and
        // both kinds of weight decay leave them at zero
        assertEquals(weight.getArray().get(inactive).abs().sum().getFloat(), 0f);
        for (NDArray moment : adam.getMoments(weight.getId())) {
            assertEquals(moment.get(inactive).abs().sum().getFloat(), 0f);
            assertTrue(moment.abs().sum().getFloat() > 0);
        }
        assertEquals(weight.getArray().getGradient().abs().sum().getFloat(), 0f, "zero_grad");
    }

    @DataProvider
    public Object[][] decays() {
        return new Object[][] {{true}, {false}};
    }

    @Test
    public void aSkippedIterationChangesNothingButCountsForTheSchedule() {
        MaskedAdam adam = MaskedAdam.builder().build();
        NDArray a = manager.create(new float[] {1});
        NDArray b = manager.create(new float[] {1});
        adam.update("a", a, manager.create(new float[] {1}));
        adam.update("b", b, manager.create(new float[] {1}));
        adam.skipNextUpdate();
        NDArray grad = manager.create(new float[] {3});
        adam.update("a", a, grad);
        adam.update("b", b, manager.create(new float[] {3}));
        assertEquals(values(grad)[0], 0f);
        assertEquals(values(a)[0], 0.999f, 1e-6f); // only the first update moved it
        assertEquals(adam.getIteration(), 1);
        adam.update("a", a, manager.create(new float[] {1}));
        assertEquals(adam.getIteration(), 2);
        assertTrue(values(a)[0] < 0.999f);
    }

    @Test
    public void resetAndStateRoundTrip() throws Exception {
        SparseLinear layer =
                SparseLinear.builder().setUnits(3).optBias(false).optDensity(1).build();
        SequentialBlock model = new SequentialBlock().add(layer);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        MaskedAdam adam = MaskedAdam.builder().build().attach(model);
        String id = layer.getWeight().getId();
        adam.update(id, layer.getWeight().getArray(), manager.ones(new Shape(3, 2)));
        adam.resetState(
                id,
                manager.create(
                        new boolean[] {true, false, false, false, false, true}, new Shape(3, 2)));
        float[] mean = values(adam.getMoments(id)[0]);
        assertEquals(mean[0], 0f);
        assertEquals(mean[5], 0f);
        assertTrue(mean[1] > 0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        adam.saveState(new DataOutputStream(bytes));
        MaskedAdam restored = MaskedAdam.builder().build().attach(model);
        restored.loadState(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), manager);
        assertTrue(restored.getMoments(id)[0].contentEquals(adam.getMoments(id)[0]));
        assertTrue(restored.getMoments(id)[1].contentEquals(adam.getMoments(id)[1]));
        assertEquals(restored.getIteration(), 1);
        expectThrows(
                IllegalArgumentException.class, () -> MaskedAdam.builder().optBeta1(1f).build());
    }
}
