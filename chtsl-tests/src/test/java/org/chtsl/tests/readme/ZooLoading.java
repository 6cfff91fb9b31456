package org.chtsl.tests.readme;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.util.Set;
import org.chtsl.models.llama.LlamaModel;

/** A LLaMA from chtsl's model zoo, by artifact id, as any DJL model is loaded. */
public final class ZooLoading {

    private ZooLoading() {}

    /**
     * Loads an untrained CHTsL LLaMA-60M at 90% total sparsity.
     *
     * @return the names of its sparse projections
     */
    public static Set<String> projections()
            throws ModelNotFoundException, MalformedModelException, IOException {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class) // token ids [B, T] → logits [B, T, V]
                        .optGroupId("org.chtsl")
                        .optArtifactId("llama-60m-chtsl") // or "llama" with preset and method
                        .optArgument("sparsity", 0.9) // total sparsity of the projections
                        .build(); // .optArgument("checkpoint", dir): a folder of Model.save
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            LlamaModel llama = (LlamaModel) model.getBlock();
            return Set.copyOf(llama.getProjections().keySet()); // layers.0.self_attn.q_proj, …
        }
    }
}
