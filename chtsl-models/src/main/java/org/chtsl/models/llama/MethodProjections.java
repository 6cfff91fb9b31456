package org.chtsl.models.llama;

import java.util.List;
import java.util.Locale;
import org.chtsl.nn.ParameterBudget;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparsityRankSplit;
import org.chtsl.topology.BrfTopology;
import org.chtsl.topology.ErdosRenyiTopology;

/**
 * The projections each method of the papers trains, at a total sparsity (spec §1.1, §4, §13):
 * sparse kinds at density {@code 1 − s_total} (CHTss starts at 0.5 and decays), CoLA at the rank of
 * the whole budget, SLTrain and CHTsL split 1:1 between branches with LLaMA rank steps. Initial
 * topologies: Erdős–Rényi for SET, RigL, MEST, CHT and SLTrain; BRF r = 0.25 for CHTs and CHTss;
 * BRF r = 0 for CHTsL.
 */
public final class MethodProjections {

    /** The methods, by their command-line names. */
    public static final List<String> METHODS =
            List.of(
                    "dense", "set", "rigl", "mest", "cht", "chts", "chtss", "cola", "sltrain",
                    "chtsl");

    /** CHTss' initial sparsity s₀. */
    public static final double CHTSS_INITIAL_SPARSITY = 0.5;

    private MethodProjections() {}

    /**
     * The projection spec of a method.
     *
     * @param method one of {@link #METHODS} (case-insensitive)
     * @param config the model's shape (for rank steps)
     * @param totalSparsity the total sparsity of the projections, in [0, 1)
     * @return the spec
     * @throws IllegalArgumentException for an unknown method or a sparsity outside [0, 1)
     */
    public static ProjectionSpec forMethod(
            String method, LlamaConfig config, double totalSparsity) {
        if (!(totalSparsity >= 0 && totalSparsity < 1)) {
            throw new IllegalArgumentException(
                    "Total sparsity must be in [0, 1), got " + totalSparsity + ".");
        }
        String name = method == null ? "" : method.toLowerCase(Locale.ROOT);
        double density = 1 - totalSparsity;
        long hidden = config.getHidden();
        long ffn = config.getIntermediate();
        switch (name) {
            case "dense":
                return ProjectionSpec.dense();
            case "set":
            case "rigl":
            case "mest":
            case "cht":
                return ProjectionSpec.sparse(density, ErdosRenyiTopology.get());
            case "chts":
                return ProjectionSpec.sparse(density, brf(0.25));
            case "chtss":
                double initial = 1 - Math.min(CHTSS_INITIAL_SPARSITY, totalSparsity);
                return ProjectionSpec.sparse(initial, brf(0.25));
            case "cola":
                return ProjectionSpec.lowRank(
                        ParameterBudget.splitLlama(hidden, ffn, totalSparsity, 0, 1).rank());
            case "sltrain":
                SparsityRankSplit sl = ParameterBudget.splitLlama(hidden, ffn, totalSparsity, 1, 1);
                return ProjectionSpec.slTrain(
                        1 - sl.sparsity(), sl.rank(), ProjectionSpec.DEFAULT_SLTRAIN_ALPHA);
            case "chtsl":
                SparsityRankSplit split =
                        ParameterBudget.splitLlama(hidden, ffn, totalSparsity, 1, 1);
                return ProjectionSpec.sparseLowRank(1 - split.sparsity(), split.rank(), brf(0));
            default:
                throw new IllegalArgumentException(
                        "Unknown method '"
                                + method
                                + "'; allowed: "
                                + String.join(", ", METHODS)
                                + ".");
        }
    }

    private static BrfTopology brf(double randomness) {
        return BrfTopology.builder().optRandomness(randomness).build();
    }
}
