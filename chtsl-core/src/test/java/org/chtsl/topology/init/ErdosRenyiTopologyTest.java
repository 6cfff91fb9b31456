package org.chtsl.topology.init;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.chtsl.topology.LinkCounts;
import org.testng.annotations.Test;

public class ErdosRenyiTopologyTest {

    @Test
    public void linkCountsFollowFloorOfDensityTimesSize() {
        assertEquals(LinkCounts.targetLinks(0.1, 512L * 512), 26214);
        assertEquals(LinkCounts.targetLinks(0.29, 100), 29);
        assertEquals(LinkCounts.targetLinks(1.0, 7), 7);
        assertEquals(LinkCounts.targetLinks(1e-9, 10), 1);
        expectThrows(IllegalArgumentException.class, () -> LinkCounts.targetLinks(0, 10));
        expectThrows(IllegalArgumentException.class, () -> LinkCounts.targetLinks(0.5, 0));
    }

    @Test
    public void masksHaveExactCountsAndDifferWithTheSeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            NDArray first = ErdosRenyiTopology.get().create(manager, 1376, 512, 0.05);
            assertEquals(first.getShape(), new Shape(1376, 512));
            assertEquals(first.countNonzero().getLong(), 35225); // floor(0.05 · 704512)
            Engine.getInstance().setRandomSeed(1);
            NDArray again = ErdosRenyiTopology.get().create(manager, 1376, 512, 0.05);
            assertTrue(first.contentEquals(again));
            Engine.getInstance().setRandomSeed(2);
            NDArray other = ErdosRenyiTopology.get().create(manager, 1376, 512, 0.05);
            assertFalse(first.contentEquals(other));
            // uniform: every row has links, with a mean of 0.05 · 512 = 25.6 per row
            NDArray perRow =
                    first.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum(new int[] {1});
            assertTrue(perRow.min().getFloat() > 5, "an Erdős–Rényi row has far fewer links");
        }
    }
}
