package org.chtsl.examples;

import static org.testng.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.training.LayerUpdateRecord;
import org.chtsl.training.TopologyUpdateRecord;
import org.testng.annotations.Test;

/** The total density counts what report.json's parameters count, at every step. */
public class DensityHistoryTest {

    private static final String Q = "layers.0.self_attn.q_proj.sparse";
    private static final String UP = "layers.0.mlp.up_proj.sparse";

    private static LayerUpdateRecord layer(String name, double density) {
        return new LayerUpdateRecord(name, density, 1, 1, 0, 0, 1, 0);
    }

    @Test
    public void theTotalIsSparseLinksPlusLowRankOverTheDenseSize() {
        // q: 100 positions, up: 300; 20 low-rank parameters beside each; built at density 0.1
        Map<String, ProjectionSizes.Layer> layers = new LinkedHashMap<>();
        layers.put(Q, new ProjectionSizes.Layer(100, 20, 0.1));
        layers.put(UP, new ProjectionSizes.Layer(300, 20, 0.1));
        // after the update: q 0.2 (20 links), up 0.1 (30 links)
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("projections_dense_equivalent", 400L);
        parameters.put("projections_active", 90L);
        parameters.put("projections_sparse_links", 50L);
        parameters.put("low_rank", 40L);
        parameters.put("projection_density", 90 / 400.0);
        DensityHistory history =
                DensityHistory.of(
                        List.of(
                                new TopologyUpdateRecord(
                                        10, 0, List.of(layer(Q, 0.2), layer(UP, 0.1)))),
                        new ProjectionSizes(layers),
                        parameters,
                        25);
        assertEquals(history.lowRank, 40 / 400.0, 1e-12);
        // step 0: S = 0.1·100 + 0.1·300 = 40; total (40 + 40) / 400
        assertCurve(history.total, 0.2, 0.225, 0.225);
        assertCurve(history.sparse, 0.1, 0.125, 0.125);
        assertEquals(
                history.total.lastEntry().getValue(),
                (double) parameters.get("projection_density"),
                1e-12);
        assertCurve(history.layers.get(Q), 0.1, 0.2, 0.2);
        assertCurve(history.layers.get(UP), 0.1, 0.1, 0.1);
    }

    @Test
    public void withoutUpdatesTheDensityAsBuiltIsOnePoint() {
        Map<String, ProjectionSizes.Layer> layers =
                Map.of(Q, new ProjectionSizes.Layer(100, 0, 0.3));
        DensityHistory history =
                DensityHistory.of(List.of(), new ProjectionSizes(layers), Map.of(), 0);
        assertEquals(history.total.keySet(), java.util.Set.of(0L));
        assertEquals(history.total.get(0L), 0.3, 1e-12);
        assertEquals(history.lowRank, 0.0);
    }

    /** The curve at steps 0, 10 and 25. */
    private static void assertCurve(java.util.NavigableMap<Long, Double> curve, double... values) {
        assertEquals(curve.keySet(), java.util.Set.of(0L, 10L, 25L));
        assertEquals(curve.get(0L), values[0], 1e-12);
        assertEquals(curve.get(10L), values[1], 1e-12);
        assertEquals(curve.get(25L), values[2], 1e-12);
    }
}
