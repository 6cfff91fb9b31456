package org.chtsl.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseStorage;
import org.chtsl.training.MaskedAdam;

/**
 * The bytes a model's training state holds, counted array by array: the parameters (masks included)
 * of the projections and of the rest of the model, their gradients, and the optimizer's two moments
 * per parameter; and the active parameters they train (a sparse layer's links, every other
 * trainable parameter whole; masks are not trainable).
 *
 * @param activeParameters the trainable parameters that are not masked out
 * @param projectionBytes the projections' parameters (weights, masks, low-rank factors)
 * @param otherBytes the other parameters (embedding, norms, lm_head)
 * @param gradientBytes the gradients attached to the parameters
 * @param optimizerBytes the optimizer's moments
 * @param projectionStateBytes what the projections hold between steps: their parameters, compact
 *     positions and Adam moments (gradients left out)
 * @param otherStateBytes the other parameters and their Adam moments (what a checkpoint holds
 *     beside the projections)
 */
record ModelState(
        long activeParameters,
        long projectionBytes,
        long otherBytes,
        long gradientBytes,
        long optimizerBytes,
        long projectionStateBytes,
        long otherStateBytes) {

    /**
     * Counts a model's state.
     *
     * @param model the LLaMA model, initialised
     * @param optimizer its optimizer, after at least one update (before, its moments count 0)
     * @return the counts
     */
    static ModelState of(LlamaModel model, MaskedAdam optimizer) {
        Set<String> inProjections = new HashSet<>();
        for (Block projection : model.getProjections().values()) {
            for (Pair<String, Parameter> pair : projection.getParameters()) {
                inProjections.add(pair.getValue().getId());
            }
        }
        Map<String, Long> activeLinks = new HashMap<>();
        long projections = 0;
        for (SparseLinear layer : BlockSearch.findAll(model, SparseLinear.class)) {
            activeLinks.put(layer.getWeight().getId(), layer.getActiveLinks());
            if (layer.getStorage() == SparseStorage.COMPACT) {
                projections += bytes(layer.getPositions()); // not a parameter, but model state
            }
        }
        long active = 0;
        long projectionMoments = 0;
        long otherMoments = 0;
        long other = 0;
        long gradients = 0;
        long moments = 0;
        for (Pair<String, Parameter> pair : model.getParameters()) {
            Parameter parameter = pair.getValue();
            NDArray array = parameter.getArray();
            if (inProjections.contains(parameter.getId())) {
                projections += bytes(array);
            } else {
                other += bytes(array);
            }
            if (parameter.requiresGradient()) {
                active += activeLinks.getOrDefault(parameter.getId(), array.size());
            }
            if (array.hasGradient()) {
                try (NDArray gradient = array.getGradient()) {
                    gradients += bytes(gradient);
                }
            }
            NDArray[] state = optimizer.getMoments(parameter.getId());
            if (state != null) {
                long both = bytes(state[0]) + bytes(state[1]);
                moments += both;
                if (inProjections.contains(parameter.getId())) {
                    projectionMoments += both;
                } else {
                    otherMoments += both;
                }
            }
        }
        return new ModelState(
                active,
                projections,
                other,
                gradients,
                moments,
                projections + projectionMoments,
                other + otherMoments);
    }

    /**
     * Returns the bytes of the model's parameters.
     *
     * @return projections plus the rest
     */
    long modelBytes() {
        return projectionBytes + otherBytes;
    }

    /**
     * Returns the bytes of model state per active parameter: parameters plus optimizer moments
     * (gradients left out), over the active parameters. Dense fp32 Adam holds 12.
     *
     * @return bytes per active parameter
     */
    double bytesPerParameter() {
        return (double) (modelBytes() + optimizerBytes) / activeParameters;
    }

    private static long bytes(NDArray array) {
        return array.size() * array.getDataType().getNumOfBytes();
    }
}
