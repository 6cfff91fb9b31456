package org.chtsl.examples;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Record;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.data.TokenWindowDataset;

/** Validation loss: the token-weighted mean cross-entropy over the first windows. */
final class Evaluation {

    private Evaluation() {}

    static double loss(Trainer trainer, TokenWindowDataset data, long maxTokens, int batchSize)
            throws IOException {
        long windows = Math.min(data.size(), Math.max(1, maxTokens / data.getSequenceLength()));
        Loss crossEntropy = Loss.softmaxCrossEntropyLoss();
        double sum = 0;
        long counted = 0;
        for (long start = 0; start < windows; start += batchSize) {
            try (NDManager manager = trainer.getManager().newSubManager()) {
                List<NDList> inputs = new ArrayList<>();
                List<NDList> labels = new ArrayList<>();
                long end = Math.min(windows, start + batchSize);
                for (long i = start; i < end; i++) {
                    Record record = data.get(manager, i);
                    inputs.add(record.getData());
                    labels.add(record.getLabels());
                }
                NDList logits =
                        trainer.evaluate(Batchifier.STACK.batchify(inputs.toArray(new NDList[0])));
                NDList targets = Batchifier.STACK.batchify(labels.toArray(new NDList[0]));
                double mean = crossEntropy.evaluate(targets, new NDList(logits.head())).getFloat();
                sum += mean * (end - start);
                counted += end - start;
            }
        }
        return sum / counted;
    }
}
