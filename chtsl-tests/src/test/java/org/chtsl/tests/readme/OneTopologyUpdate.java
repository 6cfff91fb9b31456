package org.chtsl.tests.readme;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.SparseLinear;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.update.LayerUpdate;
import org.chtsl.topology.update.SparseLayer;
import org.chtsl.topology.update.UpdatePipeline;

/** One CHTs topology update of one sparse layer, by hand: what the listener does every ΔT steps. */
public final class OneTopologyUpdate {

    private OneTopologyUpdate() {}

    /**
     * Removes 10% of the layer's links and regrows as many, at step 100 of a 7,500-step T_end.
     *
     * @param sparse an initialized sparse layer
     * @param manager where the update's arrays live
     * @return the update: the new mask and the links removed and regrown
     */
    public static LayerUpdate update(SparseLinear sparse, NDManager manager) {
        MethodPreset chts = Methods.chts(); // soft removal, T 1 → 9; CH2-L3n top-k regrowth
        UpdatePipeline pipeline =
                UpdatePipeline.builder().setRules(chts.getRemoval(), chts.getRegrowth()).build();
        LayerState state = new LayerState(sparse.getMask(), sparse.getWeight().getArray(), null);
        List<LayerUpdate> updates =
                pipeline.update(
                        List.of(new SparseLayer("q_proj", state, sparse.getActiveLinks())),
                        new UpdateStep(100 /* t */, 7500 /* T_end */, 0.1 /* ζ_t */),
                        manager);
        sparse.setMask(updates.get(0).mask()); // removed weights become 0, new links start at 0
        return updates.get(0);
    }
}
