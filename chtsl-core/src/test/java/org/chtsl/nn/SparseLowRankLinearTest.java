package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.Test;

public class SparseLowRankLinearTest extends ManagedTest {

    // Spec §8.6: one layer's branch outputs, batch 1, 2 tokens, 2 features.
    private static final float[] S_86 = {1, -2, 0.5f, -1};
    private static final float[] L_86 = {-0.5f, 1, 0.5f, 2};

    @Override
    protected int seed() {
        return 11;
    }

    private SparseLowRankLinear initialized(long units, long rank, long in) {
        SparseLowRankLinear block =
                SparseLowRankLinear.builder()
                        .setUnits(units)
                        .setRank(rank)
                        .optDensity(0.3)
                        .optBias(false)
                        .build();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, in));
        return block;
    }

    @Test
    public void alignmentLossMatchesTheHandComputedNorm() {
        // the default form, mean((S − L)²): (1.5² + 3² + 0² + 3²) / 4 = 20.25 / 4 (spec §8.6's S,
        // L)
        NDArray s = manager.create(S_86, new Shape(1, 2, 2));
        NDArray l = manager.create(L_86, new Shape(1, 2, 2));
        assertEquals(SparseLowRankLinear.alignmentLoss(s, l).getFloat(), 20.25f / 4, 1e-6f);
        // the same four values as a [B = 2, d = 2] batch: the same mean
        assertEquals(
                SparseLowRankLinear.alignmentLoss(s.reshape(2, 2), l.reshape(2, 2)).getFloat(),
                20.25f / 4,
                1e-6f);
        // squared: doubling the difference quadruples the term
        assertEquals(
                SparseLowRankLinear.alignmentLoss(s.mul(2), l.mul(2)).getFloat(), 20.25f, 1e-5f);
        // B = 3 copies of the sample: a mean, so the same value (scale-free in the batch)
        NDArray s3 = s.repeat(0, 3);
        NDArray l3 = l.repeat(0, 3);
        assertEquals(SparseLowRankLinear.alignmentLoss(s3, l3).getFloat(), 20.25f / 4, 1e-6f);
        assertEquals(SparseLowRankLinear.alignmentLoss(s, s).getFloat(), 0f, 1e-6f);
    }

    @Test
    public void overlapCancellationRatioMatchesTheSpecVector() {
        NDArray s = manager.create(S_86, new Shape(1, 2, 2));
        NDArray l = manager.create(L_86, new Shape(1, 2, 2));
        // min(|S|,|L|) = [0.5, 1, 0.5, 1]; opposite signs at [1, 1, 0, 1] → 2.5 / 3
        assertEquals(
                SparseLowRankLinear.overlapCancellationRatio(s, l).getFloat(), 2.5f / 3, 1e-6f);
        assertEquals(SparseLowRankLinear.overlapCancellationRatio(s, s).getFloat(), 0f);
        assertEquals(
                SparseLowRankLinear.overlapCancellationRatio(s, s.neg()).getFloat(), 1f, 1e-6f);
        NDArray zeros = manager.zeros(new Shape(1, 2, 2));
        assertEquals(SparseLowRankLinear.overlapCancellationRatio(zeros, l).getFloat(), 0f);
    }

    @Test
    public void helpersRejectMismatchedShapes() {
        NDArray a = manager.ones(new Shape(2, 3));
        NDArray b = manager.ones(new Shape(3, 2));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> SparseLowRankLinear.alignmentLoss(a, b));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"));
        expectThrows(
                IllegalArgumentException.class,
                () -> SparseLowRankLinear.overlapCancellationRatio(a, b));
    }

    @Test
    public void outputIsTheSumOfTheBranches() {
        SparseLowRankLinear block = initialized(6, 2, 5);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(3, 4, 5));
        NDArray y = block.forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray s = block.getSparse().forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray l = block.getLowRank().forward(ps, new NDList(x), false).singletonOrThrow();
        assertEquals(y.getShape(), new Shape(3, 4, 6));
        assertTrue(y.contentEquals(s.add(l)));
        assertEquals(block.getOutputShapes(new Shape[] {new Shape(3, 4, 5)})[0], y.getShape());
        assertEquals(block.getSparse().getActiveLinks(), 9); // floor(0.3 · 30)
        assertEquals(block.getLowRank().getRank(), 2);
    }

    @Test
    public void trainingForwardRecordsTheAlignmentTermAndInferenceClearsIt() {
        SparseLowRankLinear block = initialized(6, 2, 5);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(3, 5));
        NDArray s = block.getSparse().forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray l = block.getLowRank().forward(ps, new NDList(x), false).singletonOrThrow();
        float expected = SparseLowRankLinear.alignmentLoss(s, l).getFloat();

        Device device = x.getDevice();
        assertNull(block.getAlignmentTerm(device));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            block.forward(ps, new NDList(x), true);
            NDArray term = block.getAlignmentTerm(device);
            assertNotNull(term);
            assertEquals(term.getShape(), new Shape());
            assertEquals(term.getFloat(), expected, 1e-6f);
            collector.backward(term);
        }
        // the term's gradient reaches both branches
        assertTrue(
                block.getSparse().getWeight().getArray().getGradient().abs().sum().getFloat() > 0);
        assertTrue(block.getLowRank().getA().getArray().getGradient().abs().sum().getFloat() > 0);
        assertTrue(block.getLowRank().getB().getArray().getGradient().abs().sum().getFloat() > 0);

        block.forward(ps, new NDList(x), false);
        assertNull(block.getAlignmentTerm(device));
    }

    @Test
    public void alignmentCanBeTurnedOff() {
        SparseLowRankLinear block =
                SparseLowRankLinear.builder().setUnits(4).setRank(1).optAlignment(false).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        NDArray x = manager.ones(new Shape(2, 4));
        block.forward(new ParameterStore(manager, false), new NDList(x), true);
        assertNull(block.getAlignmentTerm(x.getDevice()));
        assertFalse(block.isAlignment());
    }

    @Test
    public void overlapTrackingComputesTheRatioOfTheLastForward() {
        SparseLowRankLinear block = initialized(6, 2, 5);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(3, 5));
        block.forward(ps, new NDList(x), false);
        assertTrue(Double.isNaN(block.getLastOverlapCancellationRatio()));

        block.setOverlapTracking(true);
        block.forward(ps, new NDList(x), false);
        NDArray s = block.getSparse().forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray l = block.getLowRank().forward(ps, new NDList(x), false).singletonOrThrow();
        assertEquals(
                block.getLastOverlapCancellationRatio(),
                SparseLowRankLinear.overlapCancellationRatio(s, l).getFloat(),
                1e-7);
        block.setOverlapTracking(false);
        assertTrue(Double.isNaN(block.getLastOverlapCancellationRatio()));
    }

    @Test
    public void dropsIntoASequentialBlockLikeALinear() {
        SequentialBlock net =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(8).build())
                        .add(SparseLowRankLinear.builder().setUnits(8).setRank(2).build())
                        .add(Activation::relu)
                        .add(SparseLowRankLinear.builder().setUnits(3).setRank(1).build());
        net.initialize(manager, DataType.FLOAT32, new Shape(4, 6));
        NDArray y =
                net.forward(
                                new ParameterStore(manager, false),
                                new NDList(manager.ones(new Shape(4, 6))),
                                true)
                        .singletonOrThrow();
        assertEquals(y.getShape(), new Shape(4, 3));
        assertEquals(BlockSearch.findAll(net, SparseLowRankLinear.class).size(), 2);
        assertEquals(BlockSearch.findAll(net, SparseLinear.class).size(), 2);
        for (SparseLowRankLinear layer : BlockSearch.findAll(net, SparseLowRankLinear.class)) {
            assertNotNull(layer.getAlignmentTerm(y.getDevice()));
        }
    }

    @Test
    public void badBranchSettingsAreRejected() {
        IllegalArgumentException rank =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> SparseLowRankLinear.builder().setUnits(4).build());
        assertTrue(rank.getMessage().contains("rank"), rank.getMessage());
        IllegalArgumentException density =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                SparseLowRankLinear.builder()
                                        .setUnits(4)
                                        .setRank(1)
                                        .optDensity(2)
                                        .build());
        assertTrue(density.getMessage().contains("(0, 1]"), density.getMessage());
        SparseLowRankLinear block = SparseLowRankLinear.builder().setUnits(4).setRank(1).build();
        expectThrows(
                IllegalArgumentException.class,
                () -> block.initialize(manager, DataType.BFLOAT16, new Shape(1, 4)));
    }

    @Test
    public void saveLoadRoundTripIsBitExact() throws IOException, MalformedModelException {
        SparseLowRankLinear block = initialized(6, 2, 5);
        byte[] saved = SparseLinearTest.save(block);
        Engine.getInstance().setRandomSeed(12345);
        SparseLowRankLinear loaded =
                SparseLowRankLinear.builder()
                        .setUnits(6)
                        .setRank(2)
                        .optDensity(0.3)
                        .optBias(false)
                        .build();
        loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));
        assertTrue(loaded.getSparse().getMask().contentEquals(block.getSparse().getMask()));
        assertTrue(
                loaded.getSparse()
                        .getWeight()
                        .getArray()
                        .contentEquals(block.getSparse().getWeight().getArray()));
        assertTrue(
                loaded.getLowRank()
                        .getA()
                        .getArray()
                        .contentEquals(block.getLowRank().getA().getArray()));
        assertTrue(
                loaded.getLowRank()
                        .getB()
                        .getArray()
                        .contentEquals(block.getLowRank().getB().getArray()));
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(2, 5));
        assertTrue(
                loaded.forward(ps, new NDList(x), false)
                        .head()
                        .contentEquals(block.forward(ps, new NDList(x), false).head()));

        SparseLowRankLinear wrongRank =
                SparseLowRankLinear.builder().setUnits(6).setRank(3).optBias(false).build();
        expectThrows(
                MalformedModelException.class,
                () ->
                        wrongRank.loadParameters(
                                manager, new DataInputStream(new ByteArrayInputStream(saved))));
    }
}
