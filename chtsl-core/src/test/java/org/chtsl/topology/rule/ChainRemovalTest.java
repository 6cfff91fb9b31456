package org.chtsl.topology.rule;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.testing.Arrays2D;
import org.chtsl.testing.ManagedTest;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.testng.annotations.Test;

public class ChainRemovalTest extends ManagedTest {

    @Override
    protected int seed() {
        return 8;
    }

    @Test
    public void chainPairRemovesLinksOfHalfDeadHiddenUnits() {
        // first: 3 hidden units × 2 inputs; second: 2 outputs × 3 hidden units
        NDArray first = manager.create(new float[][] {{1, 0}, {1, 1}, {0, 0}});
        NDArray second = manager.create(new float[][] {{1, 0, 1}, {0, 0, 1}});
        // h1 has inputs but no outputs → its inputs go; h2 has outputs but no inputs → they go
        NDList result = ChainRemoval.chain(first, second);
        assertEquals(Arrays2D.toMatrix(result.get(0)), new double[][] {{1, 0}, {0, 0}, {0, 0}});
        assertEquals(Arrays2D.toMatrix(result.get(1)), new double[][] {{1, 0, 0}, {0, 0, 0}});
        expectThrows(IllegalArgumentException.class, () -> ChainRemoval.chain(second, second));
    }

    @Test
    public void qkPairEmptiesRowsTheOtherSideLacks() {
        NDArray a = manager.create(new float[][] {{1, 0}, {0, 1}, {0, 0}});
        NDArray b = manager.create(new float[][] {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}});
        // row 0 of a goes (b's row 0 is empty); then rows 0 and 2 of b go (a's are empty)
        NDList result = ChainRemoval.qk(a, b);
        assertEquals(Arrays2D.toMatrix(result.get(0)), new double[][] {{0, 0}, {0, 1}, {0, 0}});
        assertEquals(
                Arrays2D.toMatrix(result.get(1)), new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 0, 0}});
    }

    @Test
    public void stackLeavesNoHalfConnectedHiddenNeuron() {
        for (int trial = 0; trial < 10; trial++) {
            List<NDArray> masks = new ArrayList<>();
            long[] widths = {20, 30, 25, 15, 10};
            for (int k = 0; k + 1 < widths.length; k++) {
                masks.add(
                        ErdosRenyiTopology.get()
                                .create(manager, widths[k + 1], widths[k], 0.04 + 0.02 * trial));
            }
            List<NDArray> cleaned = ChainRemoval.stack(masks);
            for (int k = 0; k + 1 < cleaned.size(); k++) {
                double[][] in = Arrays2D.toMatrix(cleaned.get(k));
                double[][] out = Arrays2D.toMatrix(cleaned.get(k + 1));
                for (int unit = 0; unit < in.length; unit++) {
                    boolean hasIncoming = false;
                    for (double v : in[unit]) {
                        hasIncoming |= v != 0;
                    }
                    boolean hasOutgoing = false;
                    for (double[] row : out) {
                        hasOutgoing |= row[unit] != 0;
                    }
                    assertEquals(hasIncoming, hasOutgoing, "layer " + k + " unit " + unit);
                }
            }
            for (int k = 0; k < masks.size(); k++) {
                // only removes: the cleaned mask is inside the original
                NDArray outside = cleaned.get(k).logicalAnd(masks.get(k).eq(0));
                assertEquals(LinkCounts.count(outside), 0);
            }
        }
    }

    @Test
    public void llamaPairingRunsQkPairsFirst() {
        ChainPairing pairing = ChainPairing.llamaDecoderLayer();
        assertTrue(pairing.getPairs().get(0).qk() && pairing.getPairs().get(1).qk());
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (String name : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            masks.put(name, manager.ones(new Shape(4, 4)));
        }
        masks.put("gate_proj", manager.ones(new Shape(6, 4)));
        masks.put("up_proj", manager.ones(new Shape(6, 4)));
        NDArray down = manager.ones(new Shape(4, 6));
        down.set(new ai.djl.ndarray.index.NDIndex(":, 5"), 0f); // intermediate unit 5 has no output
        masks.put("down_proj", down);
        NDArray k = manager.ones(new Shape(4, 4));
        k.set(new ai.djl.ndarray.index.NDIndex("2, :"), 0f); // head dimension 2 of k is empty
        masks.put("k_proj", k);

        Map<String, NDArray> result = pairing.apply(masks);
        assertEquals(LinkCounts.count(result.get("q_proj")), 12); // row 2 of q removed
        assertEquals(LinkCounts.count(result.get("gate_proj")), 20); // row 5 removed
        assertEquals(LinkCounts.count(result.get("up_proj")), 20);
        assertEquals(LinkCounts.count(result.get("v_proj")), 16);

        masks.remove("o_proj");
        IllegalArgumentException missing =
                expectThrows(IllegalArgumentException.class, () -> pairing.apply(masks));
        assertTrue(missing.getMessage().contains("o_proj"), missing.getMessage());
    }
}
