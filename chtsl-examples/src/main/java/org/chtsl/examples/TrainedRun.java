package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.MethodPreset;
import org.chtsl.training.TrainingCheckpoint;

/**
 * A finished {@link TrainLlama} run reopened: its model with the checkpoint's weights, and data.
 */
final class TrainedRun implements AutoCloseable {

    final TrainOptions options;
    final TrainingData data;
    final LlamaModel block;
    final Model model;
    final long step;

    private TrainedRun(
            TrainOptions options, TrainingData data, LlamaModel block, Model model, long step) {
        this.options = options;
        this.data = data;
        this.block = block;
        this.model = model;
        this.step = step;
    }

    static TrainedRun open(Path runDirectory, String... overrides)
            throws IOException, MalformedModelException {
        TrainOptions options = TrainOptions.fromRun(runDirectory, overrides);
        Path checkpoint = runDirectory.resolve("checkpoint.chtsl");
        if (!Files.isRegularFile(checkpoint)) {
            throw new IllegalArgumentException("No checkpoint.chtsl in " + runDirectory + ".");
        }
        TrainingData data = TrainingData.load(options, ChtslHome.get());
        LlamaConfig config =
                LlamaConfig.preset(options.model)
                        .optMaxSequenceLength(options.sequenceLength)
                        .optVocabSize(data.codec.vocabularySize())
                        .build();
        LlamaModel block = TrainLlama.build(options, MethodPreset.forName(options.method), config);
        Model model =
                Model.newInstance(
                        "llama", "gpu".equals(options.device) ? Device.gpu() : Device.cpu());
        model.setBlock(block);
        long step = TrainingCheckpoint.loadModel(checkpoint, block, model.getNDManager()).step();
        return new TrainedRun(options, data, block, model, step);
    }

    @Override
    public void close() {
        model.close();
        data.close();
    }
}
