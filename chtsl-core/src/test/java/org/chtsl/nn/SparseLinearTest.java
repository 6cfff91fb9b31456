package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.chtsl.testing.Arrays2D;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class SparseLinearTest extends ManagedTest {

    @Override
    protected int seed() {
        return 1234;
    }

    private SparseLinear initialized(long units, long in, double density, boolean bias) {
        SparseLinear block =
                SparseLinear.builder().setUnits(units).optDensity(density).optBias(bias).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, in));
        return block;
    }

    @DataProvider
    public Object[][] densities() {
        return new Object[][] {
            {8, 16, 0.1, 12}, // floor(12.8)
            {512, 512, 0.05, 13107}, // floor(13107.2)
            {100, 1, 0.29, 29}, // 0.29 · 100 is 28.999… in binary
            {3, 4, 1.0, 12},
            {5, 5, 0.001, 1}, // never a dead layer
        };
    }

    @Test(dataProvider = "densities")
    public void initialMaskHasExactLinkCount(long units, long in, double density, long expected) {
        SparseLinear block = initialized(units, in, density, false);
        assertEquals(block.getActiveLinks(), expected);
        assertEquals(block.getCurrentDensity(), (double) expected / (units * in), 1e-12);
        NDArray mask = block.getMask();
        assertEquals(mask.getShape(), new Shape(units, in));
        assertEquals(mask.getDataType(), DataType.FLOAT32);
    }

    @Test
    public void inactiveWeightsStartAtZeroAndActiveOnesDoNot() {
        SparseLinear block = initialized(32, 48, 0.2, true);
        double[][] weight = Arrays2D.toMatrix(block.getWeight().getArray());
        double[][] mask = Arrays2D.toMatrix(block.getMask());
        int nonZeroActive = 0;
        for (int i = 0; i < weight.length; i++) {
            for (int j = 0; j < weight[i].length; j++) {
                if (mask[i][j] == 0) {
                    assertEquals(weight[i][j], 0.0, "inactive weight at " + i + "," + j);
                } else if (weight[i][j] != 0) {
                    nonZeroActive++;
                }
            }
        }
        assertEquals(nonZeroActive, block.getActiveLinks());
    }

    @Test
    public void forwardIsMaskedLinearMapOn2dAnd3dInputs() {
        SparseLinear block = initialized(6, 5, 0.4, true);
        block.getBias().getArray().addi(manager.arange(6f));
        // junk in inactive weights must not reach the output
        block.getWeight().getArray().addi(0.5f);
        double[][] effective =
                Arrays2D.hadamard(
                        Arrays2D.toMatrix(block.getWeight().getArray()),
                        Arrays2D.toMatrix(block.getMask()));
        double[] bias = block.getBias().getArray().toType(DataType.FLOAT64, false).toDoubleArray();
        ParameterStore ps = new ParameterStore(manager, false);

        NDArray x2 = manager.randomNormal(new Shape(3, 5));
        NDArray y2 = block.forward(ps, new NDList(x2), false).singletonOrThrow();
        assertEquals(y2.getShape(), new Shape(3, 6));
        double[][] expected = Arrays2D.linear(Arrays2D.toMatrix(x2), effective, bias);
        assertTrue(Arrays2D.maxAbsDifference(Arrays2D.toMatrix(y2), expected) < 1e-5);

        NDArray x3 = manager.randomNormal(new Shape(2, 4, 5));
        NDArray y3 = block.forward(ps, new NDList(x3), false).singletonOrThrow();
        assertEquals(y3.getShape(), new Shape(2, 4, 6));
        double[][] expected3 =
                Arrays2D.linear(Arrays2D.toMatrix(x3.reshape(8, 5)), effective, bias);
        assertTrue(
                Arrays2D.maxAbsDifference(Arrays2D.toMatrix(y3.reshape(8, 6)), expected3) < 1e-5);
        assertEquals(
                block.getOutputShapes(new Shape[] {new Shape(2, 4, 5)})[0], new Shape(2, 4, 6));
    }

    @Test
    public void gradientsOfPrunedEntriesAreExactlyZero() {
        SparseLinear block = initialized(16, 24, 0.25, false);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(4, 7, 24));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(ps, new NDList(x), true).singletonOrThrow();
            collector.backward(y.square().sum());
        }
        double[][] gradient = Arrays2D.toMatrix(block.getWeight().getArray().getGradient());
        double[][] mask = Arrays2D.toMatrix(block.getMask());
        int activeWithGradient = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int j = 0; j < mask[i].length; j++) {
                if (mask[i][j] == 0) {
                    assertEquals(gradient[i][j], 0.0, "pruned entry " + i + "," + j);
                } else if (gradient[i][j] != 0) {
                    activeWithGradient++;
                }
            }
        }
        assertEquals(activeWithGradient, block.getActiveLinks());
        assertFalse(block.getMaskParameter().requiresGradient());
    }

    @Test
    public void setMaskKeepsStayingLinksZeroesRemovedOnesAndNewLinksStartAtZero() {
        SparseLinear block = initialized(4, 4, 0.5, false);
        double[][] before = Arrays2D.toMatrix(block.getWeight().getArray());
        double[][] oldMask = Arrays2D.toMatrix(block.getMask());
        NDArray newMask = block.getMask().sub(1).abs(); // the complement: every link changes
        newMask.set(new NDIndex("0, :"), 1f); // row 0: old links stay
        double[][] expectedMask = Arrays2D.toMatrix(newMask);

        block.setMask(newMask.toType(DataType.INT32, false));

        double[][] after = Arrays2D.toMatrix(block.getWeight().getArray());
        assertEquals(Arrays2D.toMatrix(block.getMask()), expectedMask);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                boolean stays = oldMask[i][j] == 1 && expectedMask[i][j] == 1;
                assertEquals(after[i][j], stays ? before[i][j] : 0.0, "weight " + i + "," + j);
            }
        }
    }

    @Test
    public void setMaskAcceptsBooleanMasks() {
        SparseLinear block = initialized(3, 4, 0.5, false);
        NDArray mask =
                manager.create(new float[] {1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1}, new Shape(3, 4));
        block.setMask(mask.gt(0.5f));
        assertEquals(block.getActiveLinks(), 8);
        assertEquals(Arrays2D.toMatrix(block.getMask()), Arrays2D.toMatrix(mask));
    }

    @Test
    public void setMaskRejectsWrongShapeValuesAndState() {
        SparseLinear block = initialized(3, 4, 0.5, false);
        IllegalArgumentException shape =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> block.setMask(manager.ones(new Shape(4, 3))));
        assertTrue(shape.getMessage().contains("(4, 3)"), shape.getMessage());
        assertTrue(shape.getMessage().contains("(3, 4)"), shape.getMessage());

        NDArray notBinary = manager.ones(new Shape(3, 4));
        notBinary.set(new NDIndex("1, 2"), 0.5f);
        IllegalArgumentException values =
                expectThrows(IllegalArgumentException.class, () -> block.setMask(notBinary));
        assertTrue(values.getMessage().contains("only 0 and 1"), values.getMessage());
        assertTrue(values.getMessage().contains("0.5"), values.getMessage());

        NDArray nan = manager.ones(new Shape(3, 4));
        nan.set(new NDIndex("0, 0"), Float.NaN);
        assertThrows(IllegalArgumentException.class, () -> block.setMask(nan));
        assertThrows(IllegalArgumentException.class, () -> block.setMask(null));

        // nothing was changed by the rejected masks
        assertEquals(block.getActiveLinks(), 6);

        SparseLinear fresh = SparseLinear.builder().setUnits(3).build();
        assertThrows(
                IllegalStateException.class, () -> fresh.setMask(manager.ones(new Shape(3, 4))));
        assertThrows(IllegalStateException.class, fresh::getMask);
    }

    @Test
    public void builderRejectsBadSettings() {
        IllegalArgumentException units =
                expectThrows(IllegalArgumentException.class, () -> SparseLinear.builder().build());
        assertTrue(units.getMessage().contains("setUnits"), units.getMessage());
        for (double density : new double[] {0, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> SparseLinear.builder().setUnits(4).optDensity(density).build());
            assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(density)), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> SparseLinear.builder().setUnits(4).optTopology(null).build());
    }

    @Test
    public void unsupportedDataTypesAreRejectedBeforeNativeCode() {
        for (DataType type : new DataType[] {DataType.BFLOAT16, DataType.INT32, DataType.BOOLEAN}) {
            SparseLinear block = SparseLinear.builder().setUnits(4).build();
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> block.initialize(manager, type, new Shape(1, 3)));
            assertTrue(e.getMessage().contains(type.name()), e.getMessage());
            assertTrue(e.getMessage().contains("FLOAT32"), e.getMessage());
            assertFalse(block.getWeight().isInitialized());
        }
        IllegalArgumentException bf16 =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> SupportedDataTypes.checkMaskType(DataType.BFLOAT16));
        assertTrue(bf16.getMessage().contains("bfloat16"), bf16.getMessage());
    }

    @Test
    public void float16BlocksWork() {
        SparseLinear block = SparseLinear.builder().setUnits(4).optDensity(0.5).build();
        block.initialize(manager, DataType.FLOAT16, new Shape(2, 6));
        assertEquals(block.getMask().getDataType(), DataType.FLOAT16);
        assertEquals(block.getActiveLinks(), 12);
        NDArray y =
                block.forward(
                                new ParameterStore(manager, false),
                                new NDList(manager.ones(new Shape(2, 6), DataType.FLOAT16)),
                                false)
                        .singletonOrThrow();
        assertEquals(y.getShape(), new Shape(2, 4));
    }

    @Test
    public void blockWideInitializerDoesNotReplaceTheTopology() {
        SparseLinear block = SparseLinear.builder().setUnits(10).optDensity(0.3).build();
        block.setInitializer(new ConstantInitializer(1f), parameter -> true);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 10));
        assertEquals(block.getActiveLinks(), 30);
        // the weight took the user's initializer, masked
        assertEquals(block.getWeight().getArray().sum().getFloat(), 30f);
    }

    @Test
    public void saveLoadRoundTripIsBitExact() throws IOException, MalformedModelException {
        SparseLinear block = initialized(12, 9, 0.3, true);
        byte[] saved = save(block);

        Engine.getInstance().setRandomSeed(99); // a different initial topology, then overwritten
        SparseLinear loaded = SparseLinear.builder().setUnits(12).optDensity(0.3).build();
        loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));

        assertTrue(loaded.getMask().contentEquals(block.getMask()));
        assertTrue(loaded.getWeight().getArray().contentEquals(block.getWeight().getArray()));
        assertTrue(loaded.getBias().getArray().contentEquals(block.getBias().getArray()));
        assertEquals(loaded.getInputFeatures(), 9);
        NDArray x = manager.randomNormal(new Shape(5, 9));
        ParameterStore ps = new ParameterStore(manager, false);
        assertTrue(
                loaded.forward(ps, new NDList(x), false)
                        .singletonOrThrow()
                        .contentEquals(block.forward(ps, new NDList(x), false).singletonOrThrow()));
        // loading then initializing (what a Trainer does) keeps the loaded mask
        loaded.initialize(manager, DataType.FLOAT32, new Shape(5, 9));
        assertTrue(loaded.getMask().contentEquals(block.getMask()));
        assertTrue(saved.length == save(loaded).length);
    }

    @Test
    public void loadingIntoADifferentBlockFailsClearly() throws IOException {
        byte[] saved = save(initialized(12, 9, 0.3, true));
        SparseLinear other = SparseLinear.builder().setUnits(7).build();
        MalformedModelException e =
                expectThrows(
                        MalformedModelException.class,
                        () ->
                                other.loadParameters(
                                        manager,
                                        new DataInputStream(new ByteArrayInputStream(saved))));
        assertTrue(e.getMessage().contains("units=12"), e.getMessage());
    }

    static byte[] save(ai.djl.nn.Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            block.saveParameters(os);
        }
        return bytes.toByteArray();
    }
}
