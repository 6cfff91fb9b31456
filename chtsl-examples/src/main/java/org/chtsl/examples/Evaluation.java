package org.chtsl.examples;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Record;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.chtsl.data.TokenWindowDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation loss: the token-weighted mean cross-entropy over the first windows. An evaluation that
 * takes more than a few seconds logs how far it has come ({@link Progress}).
 */
final class Evaluation {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

    /** How often a long evaluation logs its progress. */
    static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Evaluation() {}

    static double loss(Trainer trainer, TokenWindowDataset data, long maxTokens, int batchSize)
            throws IOException {
        long windows = Math.min(data.size(), Math.max(1, maxTokens / data.getSequenceLength()));
        Loss crossEntropy = Loss.softmaxCrossEntropyLoss();
        Progress progress =
                new Progress(
                        windows * data.getSequenceLength(), System::nanoTime, PROGRESS_EVERY_NANOS);
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
            String line = progress.after(counted * data.getSequenceLength());
            if (line != null) {
                LOG.info(line);
            }
        }
        return sum / counted;
    }

    /**
     * The progress of one evaluation, as a line ({@code validation 40% (400k/1M tokens)}) at most
     * every few seconds, and none for an evaluation quicker than that.
     */
    static final class Progress {

        private final long total;
        private final LongSupplier clock;
        private final long every;
        private long last;

        /**
         * Starts counting.
         *
         * @param total the tokens the evaluation reads
         * @param clock nanoseconds, e.g. {@code System::nanoTime}
         * @param every the nanoseconds between two lines
         */
        Progress(long total, LongSupplier clock, long every) {
            this.total = total;
            this.clock = clock;
            this.every = every;
            this.last = clock.getAsLong();
        }

        /**
         * Returns the line to log after some tokens, or {@code null} if the last (or the start) was
         * less than {@code every} ago or the evaluation is done.
         *
         * @param done the tokens read so far
         * @return the line, or {@code null}
         */
        String after(long done) {
            long now = clock.getAsLong();
            if (done >= total || now - last < every) {
                return null;
            }
            last = now;
            return String.format(
                    Locale.ROOT,
                    "validation %d%% (%s/%s tokens)",
                    100 * done / total,
                    compact(done),
                    compact(total));
        }

        /** A count the way people say it: 512, 16.4k, 400k, 1M, 2.5M. */
        static String compact(long count) {
            DecimalFormat format =
                    new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));
            if (count >= 1_000_000) {
                return format.format(count / 1e6) + "M";
            }
            if (count >= 1_000) {
                return format.format(count / 1e3) + "k";
            }
            return Long.toString(count);
        }
    }
}
