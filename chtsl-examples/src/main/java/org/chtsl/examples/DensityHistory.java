package org.chtsl.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.chtsl.training.LayerUpdateRecord;
import org.chtsl.training.TopologyUpdateRecord;

/**
 * The projections' density over a run, read from its topology updates: at step 0 (every layer at
 * the density it was built with), at each update, and at the run's last step.
 *
 * <p>The total counts what {@code report.json}'s {@code "parameters"} count, the share of the dense
 * projections' weights that are trained: {@code total(t) = (S(t) + R + D) / N}, where {@code S(t) =
 * Σ_l d_l(t)·m_l·n_l} are the sparse links ({@code d_l(t)} layer l's density after the last update
 * at or before t), {@code R = "low_rank"}, {@code D = "projections_active" −
 * "projections_sparse_links" − "low_rank"} the weights of projections that are dense (none for a
 * sparse method) and {@code N = "projections_dense_equivalent"}. At the step the report was written
 * {@code S} is {@code "projections_sparse_links"}, so the curve ends at {@code
 * "projection_density"}, the density the configuration's total sparsity asks for. The sparse
 * branch's share is {@code S(t) / N}, the low-rank branch's the constant {@code R / N}.
 */
final class DensityHistory {

    /** Step → total density. */
    final NavigableMap<Long, Double> total = new TreeMap<>();

    /** Step → the sparse links' share of the dense projections. */
    final NavigableMap<Long, Double> sparse = new TreeMap<>();

    /** Sparse layer's name → step → its density, {@code d_l(t)}. */
    final Map<String, NavigableMap<Long, Double>> layers = new LinkedHashMap<>();

    /** The low-rank branch's share of the dense projections, {@code R / N}. */
    final double lowRank;

    private final ProjectionSizes sizes;
    private final double dense;
    private final double denseEquivalent;
    private final Map<String, Double> current = new LinkedHashMap<>();

    private DensityHistory(ProjectionSizes sizes, Map<String, Object> parameters) {
        this.sizes = sizes;
        long sparseTotal = 0;
        long lowRankTotal = 0;
        for (ProjectionSizes.Layer layer : sizes.layers().values()) {
            sparseTotal += layer.dense();
            lowRankTotal += layer.lowRank();
        }
        double n = number(parameters, "projections_dense_equivalent", sparseTotal);
        double r = number(parameters, "low_rank", lowRankTotal);
        dense =
                number(parameters, "projections_active", 0)
                        - number(parameters, "projections_sparse_links", 0)
                        - number(parameters, "low_rank", 0);
        denseEquivalent = n > 0 ? n : 1;
        lowRank = r / denseEquivalent;
    }

    /**
     * Replays a run's topology updates.
     *
     * @param updates the updates, by step
     * @param sizes the sparse layers' sizes
     * @param parameters the report's parameter counts (empty: the sizes' own)
     * @param lastStep the run's last step (0 before training)
     * @return the history
     */
    static DensityHistory of(
            List<TopologyUpdateRecord> updates,
            ProjectionSizes sizes,
            Map<String, Object> parameters,
            long lastStep) {
        DensityHistory history = new DensityHistory(sizes, parameters);
        sizes.layers().forEach((name, layer) -> history.current.put(name, layer.initialDensity()));
        history.record(0);
        long recorded = 0;
        for (TopologyUpdateRecord update : updates) {
            for (LayerUpdateRecord layer : update.layers()) {
                history.current.put(layer.name(), layer.density());
            }
            history.record(update.step());
            recorded = Math.max(recorded, update.step());
        }
        if (lastStep > recorded) {
            history.record(lastStep);
        }
        return history;
    }

    private void record(long step) {
        double links = 0;
        for (Map.Entry<String, Double> layer : current.entrySet()) {
            layers.computeIfAbsent(layer.getKey(), k -> new TreeMap<>())
                    .put(step, layer.getValue());
            ProjectionSizes.Layer size = sizes.layers().get(layer.getKey());
            links += size == null ? 0 : layer.getValue() * size.dense();
        }
        sparse.put(step, links / denseEquivalent);
        total.put(step, (links + dense) / denseEquivalent + lowRank);
    }

    private static double number(Map<String, Object> parameters, String key, double otherwise) {
        Object value = parameters.get(key);
        return value instanceof Number number ? number.doubleValue() : otherwise;
    }
}
