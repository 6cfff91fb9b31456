package org.chtsl.examples;

import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.LinkCounts;

/**
 * The sizes behind a run's densities, per sparse layer under the names topology updates record
 * ({@code layers.0.self_attn.q_proj} for a sparse projection, {@code …q_proj.sparse} for the sparse
 * branch of a two-branch one): the dense matrix it masks, the low-rank parameters beside it in its
 * projection, and the density it was built with.
 *
 * @param layers the sizes by sparse layer's name, in the model's order
 */
record ProjectionSizes(Map<String, Layer> layers) {

    /** No sparse layer (a dense model, or a report not yet collected). */
    static final ProjectionSizes NONE = new ProjectionSizes(Map.of());

    /**
     * One sparse layer's sizes.
     *
     * @param dense its dense matrix's entries, {@code m·n}
     * @param lowRank the low-rank parameters of its projection, {@code r·(m + n)}; 0 without
     * @param initialDensity the density it was built with, as links over {@code m·n}
     */
    record Layer(long dense, long lowRank, double initialDensity) {}

    /** Copies the map. */
    ProjectionSizes {
        layers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /**
     * Reads the sizes of an initialized model.
     *
     * @param model the model
     * @return the sizes of its sparse layers
     */
    static ProjectionSizes of(LlamaModel model) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (Map.Entry<String, Block> projection : model.getProjections().entrySet()) {
            long lowRank = 0;
            for (LowRankLinear factors :
                    BlockSearch.findAll(projection.getValue(), LowRankLinear.class)) {
                lowRank += factors.getRank() * (factors.getUnits() + factors.getInputFeatures());
            }
            for (Map.Entry<String, SparseLinear> sparse :
                    BlockSearch.findAllNamed(projection.getValue(), SparseLinear.class)
                            .entrySet()) {
                SparseLinear layer = sparse.getValue();
                long size = layer.getUnits() * layer.getInputFeatures();
                String name =
                        sparse.getKey().isEmpty()
                                ? projection.getKey()
                                : projection.getKey() + "." + sparse.getKey();
                layers.put(
                        name,
                        new Layer(
                                size,
                                lowRank,
                                size == 0
                                        ? layer.getDensity()
                                        // the initial topology's count: floor(density · m·n)
                                        : (double) LinkCounts.targetLinks(layer.getDensity(), size)
                                                / size));
            }
        }
        return new ProjectionSizes(layers);
    }
}
