package org.chtsl.zoo;

import ai.djl.repository.zoo.ModelZoo;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.chtsl.method.Methods;

/**
 * The chtsl model zoo: artifact {@code llama} (preset and method from the criteria's arguments) and
 * one artifact per preset and method, {@code llama-<preset>-<method>} (e.g. {@code
 * llama-60m-chtsl}).
 */
public class ChtslModelZoo extends ModelZoo {

    /** The zoo's group id. */
    public static final String GROUP_ID = "org.chtsl";

    /** The presets with an artifact of their own. */
    public static final String[] PRESETS = {"tiny", "20m", "60m", "130m"};

    /** Creates the zoo. */
    @SuppressWarnings("this-escape")
    public ChtslModelZoo() {
        addModel(new LlamaModelLoader("llama", Collections.emptyMap()));
        for (String preset : PRESETS) {
            for (String method : Methods.names()) {
                addModel(
                        new LlamaModelLoader(
                                "llama-" + preset + "-" + method,
                                Map.of("preset", preset, "method", method)));
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getSupportedEngines() {
        return Collections.singleton("PyTorch");
    }
}
