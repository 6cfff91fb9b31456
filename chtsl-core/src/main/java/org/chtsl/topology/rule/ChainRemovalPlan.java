package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sparse layers chain removal couples during a topology update (spec §2.8): it receives the
 * masks left after removal, by layer name, and returns them with the links of neurons that can no
 * longer carry signal removed too. Regrowth then restores each layer's target count.
 */
@FunctionalInterface
public interface ChainRemovalPlan {

    /**
     * Applies chain removal.
     *
     * @param kept the masks after removal, by layer name (all of the listener's layers)
     * @return the masks after chain removal, by layer name (layers left out are unchanged)
     */
    Map<String, NDArray> apply(Map<String, NDArray> kept);

    /**
     * Where a layer may grow links after chain removal, so that regrowth does not bring dead
     * neurons back half-connected.
     *
     * @param layer the layer's name
     * @param kept all masks after chain removal, by name
     * @return a boolean array of the layer's shape, true where links may grow; null for no limit
     */
    default NDArray allowedRegrowth(String layer, Map<String, NDArray> kept) {
        return null;
    }

    /**
     * A stack of consecutive layers, input layer first (an MLP): a backward then a forward sweep.
     *
     * @param names the layers' names, in the order data flows through them
     * @return the plan
     */
    static ChainRemovalPlan stack(List<String> names) {
        return new ChainRemovalPlan() {
            @Override
            public Map<String, NDArray> apply(Map<String, NDArray> kept) {
                List<NDArray> masks = new ArrayList<>();
                for (String name : names) {
                    masks.add(require(kept, name));
                }
                List<NDArray> cleaned = ChainRemoval.stack(masks);
                Map<String, NDArray> result = new LinkedHashMap<>(kept);
                for (int i = 0; i < names.size(); i++) {
                    result.put(names.get(i), cleaned.get(i));
                }
                return result;
            }

            /**
             * Links may grow from a neuron that still has inputs (or is an input of the network) to
             * a neuron that still has outputs (or is an output of the stack).
             */
            @Override
            public NDArray allowedRegrowth(String layer, Map<String, NDArray> kept) {
                int k = names.indexOf(layer);
                if (k < 0) {
                    return null;
                }
                NDArray mask = require(kept, layer);
                NDArray rows =
                        mask.getManager()
                                .ones(new Shape(mask.getShape().get(0), 1), DataType.BOOLEAN);
                NDArray columns =
                        mask.getManager()
                                .ones(new Shape(1, mask.getShape().get(1)), DataType.BOOLEAN);
                if (k + 1 < names.size()) {
                    NDArray next = require(kept, names.get(k + 1)).toType(DataType.FLOAT32, false);
                    rows = next.sum(new int[] {0}).gt(0).reshape(-1, 1);
                }
                if (k > 0) {
                    NDArray previous =
                            require(kept, names.get(k - 1)).toType(DataType.FLOAT32, false);
                    columns = previous.sum(new int[] {1}).gt(0).reshape(1, -1);
                }
                return rows.logicalAnd(columns);
            }
        };
    }

    /**
     * The LLaMA pairing of every decoder layer ({@link ChainPairing#llamaDecoderLayer()}), over
     * layers named {@code layers.<i>.self_attn.q_proj} … {@code layers.<i>.mlp.down_proj}, with an
     * optional suffix for the sparse branch of a sparse + low-rank projection ({@code .sparse}).
     *
     * @param decoderLayers the number of decoder layers
     * @param suffix appended to each projection's name (empty for sparse projections)
     * @return the plan
     */
    static ChainRemovalPlan llama(int decoderLayers, String suffix) {
        ChainPairing pairing = ChainPairing.llamaDecoderLayer();
        return kept -> {
            Map<String, NDArray> result = new LinkedHashMap<>(kept);
            for (int i = 0; i < decoderLayers; i++) {
                Map<String, String> fullNames = new LinkedHashMap<>();
                for (String projection : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                    fullNames.put(projection, "layers." + i + ".self_attn." + projection + suffix);
                }
                for (String projection : new String[] {"gate_proj", "up_proj", "down_proj"}) {
                    fullNames.put(projection, "layers." + i + ".mlp." + projection + suffix);
                }
                Map<String, NDArray> block = new LinkedHashMap<>();
                fullNames.forEach((shortName, full) -> block.put(shortName, require(result, full)));
                pairing.apply(block)
                        .forEach((shortName, mask) -> result.put(fullNames.get(shortName), mask));
            }
            return result;
        };
    }

    private static NDArray require(Map<String, NDArray> kept, String name) {
        NDArray mask = kept.get(name);
        if (mask == null) {
            throw new IllegalArgumentException(
                    "Chain removal names layer '"
                            + name
                            + "', which the model lacks; its sparse layers are "
                            + kept.keySet()
                            + ".");
        }
        return mask;
    }
}
