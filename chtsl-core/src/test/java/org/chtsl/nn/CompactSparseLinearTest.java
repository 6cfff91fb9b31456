package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.Test;

/** {@link SparseStorage#COMPACT} against the dense-masked form it must equal. */
public class CompactSparseLinearTest extends ManagedTest {

    private SparseLinear build(SparseStorage storage, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SparseLinear block =
                SparseLinear.builder().setUnits(6).optDensity(0.3).optStorage(storage).build();
        block.setInitializer(new NormalInitializer(0.5f), ai.djl.nn.Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(3, 5));
        return block;
    }

    private NDArray[] forwardAndGradient(SparseLinear block, NDArray input) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out =
                    block.forward(new ParameterStore(manager, false), new NDList(input), true)
                            .head();
            collector.backward(out.mul(out.add(1)).sum());
            return new NDArray[] {out, block.getWeight().getArray().getGradient()};
        }
    }

    @Test
    public void theSameSeedGivesTheSameLayerOutputsAndActiveGradients() {
        SparseLinear masked = build(SparseStorage.DENSE_MASKED, 5);
        SparseLinear compact = build(SparseStorage.COMPACT, 5);
        assertEquals(compact.denseMask(manager), masked.getMask(), "same topology");
        assertEquals(compact.denseWeight(manager), masked.getWeight().getArray(), "same weights");
        assertEquals(compact.getWeight().getArray().getShape(), new Shape(9)); // 30% of 30
        assertEquals(compact.getActiveLinks(), masked.getActiveLinks());
        NDArray input = manager.randomNormal(new Shape(3, 5));
        NDArray[] dense = forwardAndGradient(masked, input);
        NDArray[] slots = forwardAndGradient(compact, input);
        assertEquals(slots[0].toFloatArray(), dense[0].toFloatArray(), "outputs, bit for bit");
        NDArray activeGradient =
                dense[1].flatten().gather(compact.getPositions(), 0); // no spare slot yet
        assertEquals(slots[1].toFloatArray(), activeGradient.toFloatArray(), "gradients");
    }

    @Test
    public void fewerLinksLeaveZeroSlotsThatNeverLearnAndMoreLinksAreRefused() {
        SparseLinear compact = build(SparseStorage.COMPACT, 7);
        NDArray mask = compact.denseMask(manager);
        long[] positions = compact.getPositions().toLongArray();
        NDArray smaller = mask.duplicate().flatten();
        smaller.set(new ai.djl.ndarray.index.NDIndex(positions[0]), 0f);
        smaller.set(new ai.djl.ndarray.index.NDIndex(positions[4]), 0f);
        float kept = compact.getWeight().getArray().getFloat(1);
        compact.setMask(smaller.reshape(6, 5));
        assertEquals(compact.getActiveLinks(), 7);
        long[] after = compact.getPositions().toLongArray();
        assertEquals(after[7], 30L, "spare position");
        assertEquals(after[8], 30L);
        assertEquals(after[0], positions[1]);
        assertEquals(
                compact.getWeight().getArray().getFloat(0), kept, "a kept link keeps its value");
        assertEquals(compact.getWeight().getArray().getFloat(7), 0f);
        NDArray input = manager.randomNormal(new Shape(3, 5));
        NDArray gradient = forwardAndGradient(compact, input)[1];
        assertEquals(gradient.getFloat(7), 0f, "an unused slot gets no gradient");
        assertEquals(gradient.getFloat(8), 0f);
        assertEquals(compact.denseMask(manager).sum().getFloat(), 7f);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> compact.setMask(manager.ones(new Shape(6, 5))));
        assertTrue(e.getMessage().contains("DENSE_MASKED"), e.getMessage());
        assertThrows(IllegalStateException.class, compact::getMask);
        assertThrows(IllegalStateException.class, () -> compact.setDenseGradient(true));
    }

    @Test
    public void setMaskLeavesTheCallersMaskOpenInBothForms() {
        for (SparseStorage storage : SparseStorage.values()) {
            SparseLinear block = build(storage, 3);
            NDArray mask = block.denseMask(manager); // FLOAT32, the weight's own type
            block.setMask(mask);
            assertEquals(mask.sum().getFloat(), 9f, storage + ": still open and unchanged");
        }
    }

    @Test
    public void parametersRoundTripAndTheFileHoldsOnlyActiveLinks() throws Exception {
        SparseLinear compact = build(SparseStorage.COMPACT, 9);
        SparseLinear masked = build(SparseStorage.DENSE_MASKED, 9);
        byte[] compactBytes = save(compact);
        byte[] maskedBytes = save(masked);
        // 9 values (4 B) + 9 positions (4 B) against 30 weights + 30 mask entries (4 B each)
        assertTrue(
                compactBytes.length < maskedBytes.length - (60 - 18) * 4 + 64,
                compactBytes.length + " vs " + maskedBytes.length);
        SparseLinear loaded =
                SparseLinear.builder()
                        .setUnits(6)
                        .optDensity(0.3)
                        .optStorage(SparseStorage.COMPACT)
                        .build();
        loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(compactBytes)));
        loaded.initialize(manager, DataType.FLOAT32, new Shape(3, 5));
        assertEquals(loaded.getPositions(), compact.getPositions());
        NDArray input = manager.randomNormal(new Shape(3, 5));
        ParameterStore store = new ParameterStore(manager, false);
        assertEquals(
                loaded.forward(store, new NDList(input), false).head().toFloatArray(),
                masked.forward(store, new NDList(input), false).head().toFloatArray(),
                "the compact file gives the dense form's outputs, bit for bit");
        SparseLinear wrongForm = SparseLinear.builder().setUnits(6).optDensity(0.3).build();
        MalformedModelException e =
                expectThrows(
                        MalformedModelException.class,
                        () ->
                                wrongForm.loadParameters(
                                        manager,
                                        new DataInputStream(
                                                new ByteArrayInputStream(compactBytes))));
        assertTrue(e.getMessage().contains("storage=COMPACT"), e.getMessage());
    }

    private static byte[] save(SparseLinear block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
