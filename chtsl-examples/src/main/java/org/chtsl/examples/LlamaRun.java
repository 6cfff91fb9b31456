package org.chtsl.examples;

import ai.djl.Model;
import java.nio.file.Path;
import org.chtsl.models.llama.LlamaModel;

/**
 * A {@link TrainLlama} run ready to train: its options, resolved configuration, model, data and
 * optimizer with listeners.
 *
 * @param options the options given
 * @param config the resolved configuration
 * @param block the LLaMA block
 * @param model the DJL model holding it
 * @param data the tokenizer and the training and validation windows
 * @param setup the optimizer, loss and listeners
 */
record LlamaRun(
        TrainOptions options,
        RunConfig config,
        LlamaModel block,
        Model model,
        TrainingData data,
        TrainingSetup setup) {

    /**
     * Returns the run's checkpoint file.
     *
     * @return {@code --out}/{@value TrainLlama#CHECKPOINT}
     */
    Path checkpoint() {
        return options.out.resolve(TrainLlama.CHECKPOINT);
    }
}
