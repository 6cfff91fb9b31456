package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of chain-removal pairs between the projections of one block, applied qk pairs first
 * and chain pairs second, each in the order given (spec §2.8).
 */
public final class ChainPairing {

    /**
     * One pair of named masks.
     *
     * @param first the first mask's name
     * @param second the second mask's name
     * @param qk {@code true} for a qk pair (outputs multiplied), {@code false} for a chain pair
     *     ({@code first} feeds {@code second})
     */
    public record Pair(String first, String second, boolean qk) {}

    private final List<Pair> pairs;

    private ChainPairing(List<Pair> pairs) {
        List<Pair> ordered = new ArrayList<>();
        pairs.stream().filter(Pair::qk).forEach(ordered::add);
        pairs.stream().filter(pair -> !pair.qk()).forEach(ordered::add);
        this.pairs = Collections.unmodifiableList(ordered);
    }

    /**
     * Creates a pairing.
     *
     * @param pairs the pairs; qk pairs are applied before chain pairs
     * @return the pairing
     */
    public static ChainPairing of(List<Pair> pairs) {
        return new ChainPairing(pairs);
    }

    /**
     * The pairing of a LLaMA decoder layer (spec §2.8): qk pairs {@code (k_proj, q_proj)} and
     * {@code (gate_proj, up_proj)}, then chain pairs {@code (v_proj, o_proj)}, {@code (gate_proj,
     * down_proj)}, {@code (up_proj, down_proj)}.
     *
     * @return the pairing, over masks named {@code q_proj}, {@code k_proj}, … {@code down_proj}
     */
    public static ChainPairing llamaDecoderLayer() {
        return of(
                List.of(
                        new Pair("k_proj", "q_proj", true),
                        new Pair("gate_proj", "up_proj", true),
                        new Pair("v_proj", "o_proj", false),
                        new Pair("gate_proj", "down_proj", false),
                        new Pair("up_proj", "down_proj", false)));
    }

    /**
     * Applies the pairs.
     *
     * @param masks masks by name; every name the pairs mention must be present
     * @return the updated masks by name (boolean), including untouched ones
     * @throws IllegalArgumentException if a name is missing
     */
    public Map<String, NDArray> apply(Map<String, NDArray> masks) {
        Map<String, NDArray> result = new LinkedHashMap<>(masks);
        for (Pair pair : pairs) {
            NDArray first = require(result, pair.first());
            NDArray second = require(result, pair.second());
            NDList updated =
                    pair.qk() ? ChainRemoval.qk(first, second) : ChainRemoval.chain(first, second);
            result.put(pair.first(), updated.get(0));
            result.put(pair.second(), updated.get(1));
        }
        return result;
    }

    private static NDArray require(Map<String, NDArray> masks, String name) {
        NDArray mask = masks.get(name);
        if (mask == null) {
            throw new IllegalArgumentException(
                    "Chain pairing needs a mask named '" + name + "'; got " + masks.keySet() + ".");
        }
        return mask;
    }

    /**
     * Returns the pairs in the order they are applied.
     *
     * @return the pairs
     */
    public List<Pair> getPairs() {
        return pairs;
    }
}
