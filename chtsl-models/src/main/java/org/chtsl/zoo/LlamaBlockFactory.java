package org.chtsl.zoo;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.translate.ArgumentsUtil;
import java.nio.file.Path;
import java.util.Map;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;

/**
 * Builds a {@link LlamaModel} from arguments, for DJL's zoo machinery ({@code blockFactory} in a
 * model's {@code metadata.json}, or {@link LlamaModelLoader}).
 *
 * <p>Arguments: {@code preset} ({@code tiny}, {@code 20m}, {@code 60m}, {@code 130m}; default
 * {@code tiny}), {@code method} (one of {@link Methods#names()}; default {@code chtsl}), {@code
 * sparsity} (total, default 0.9), and optionally {@code vocabSize} and {@code maxSequenceLength}.
 */
public class LlamaBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return newModel(arguments);
    }

    /**
     * Builds the model the arguments describe.
     *
     * @param arguments the arguments
     * @return a new, uninitialized model
     * @throws IllegalArgumentException if an argument is invalid
     */
    public static LlamaModel newModel(Map<String, ?> arguments) {
        LlamaConfig config = config(arguments);
        String method = ArgumentsUtil.stringValue(arguments, "method", "chtsl");
        double sparsity = ArgumentsUtil.floatValue(arguments, "sparsity", 0.9f);
        return LlamaModel.builder()
                .setConfig(config)
                .optMethod(Methods.forName(method), sparsity)
                .build();
    }

    /**
     * The configuration the arguments describe.
     *
     * @param arguments the arguments
     * @return the configuration
     */
    public static LlamaConfig config(Map<String, ?> arguments) {
        LlamaConfig.Builder builder =
                LlamaConfig.preset(ArgumentsUtil.stringValue(arguments, "preset", "tiny"));
        if (arguments.containsKey("vocabSize")) {
            builder.optVocabSize(ArgumentsUtil.intValue(arguments, "vocabSize"));
        }
        if (arguments.containsKey("maxSequenceLength")) {
            builder.optMaxSequenceLength(ArgumentsUtil.intValue(arguments, "maxSequenceLength"));
        }
        return builder.build();
    }
}
