package org.chtsl.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chtsl.data.HuggingFaceTokenCodec;
import org.chtsl.data.TextSources;
import org.chtsl.data.TokenCache;
import org.chtsl.data.TokenizedCorpus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text {@link Evaluate} validates a run on, read without the run's training text wherever it
 * can be: {@code --val-data} (given, else the run's own) is read alone; the validation split of the
 * training text comes from the token cache, where TrainLlama left it, else from tokenizing the
 * held-out documents only. Where the text is to be found is settled by {@link #of} before anything
 * is loaded, so that a missing file is reported at once.
 */
final class ValidationText {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationText.class);

    /** A validation file, or {@code null}: the split of {@link #training}. */
    private final Path file;

    /** The training text whose split is validated on, or {@code null}: the default corpus. */
    private final Path training;

    /**
     * The run's data identity, which names its split's cached tokens, or {@code null}: Evaluate was
     * given other text, or the run recorded none.
     */
    private final String identity;

    private final TrainOptions options;
    private final TokenCache cache;
    private final Path home;

    private ValidationText(
            Path file, Path training, String identity, TrainOptions options, Path home) {
        this.file = file;
        this.training = training;
        this.identity = identity;
        this.options = options;
        this.cache = new TokenCache(home.resolve("tokens"));
        this.home = home;
    }

    /**
     * Settles where a run's validation text is: {@code --val-data} as given to Evaluate, else the
     * run's own {@code --val-data}, else the split of {@code --data} as given, else the split of
     * the run's training text (cached, or read from the text the run names).
     *
     * @param report the run's report.json, for messages
     * @param recorded the run's configuration, flattened
     * @param options the run's options with Evaluate's (its data options only as given)
     * @param home chtsl's cache
     * @return the text
     * @throws IllegalArgumentException if a file it needs is not found, naming the option to give
     */
    static ValidationText of(
            Path report, Map<String, String> recorded, TrainOptions options, Path home) {
        if (options.data.validation != null) {
            return new ValidationText(options.data.validation, null, null, options, home);
        }
        String validation = recorded.get("val_data");
        if (isPath(validation)) {
            return new ValidationText(
                    found(report, "--val-data", validation), null, null, options, home);
        }
        if (options.data.training != null) {
            return new ValidationText(null, options.data.training, null, options, home);
        }
        String identity = recorded.get(TrainingData.IDENTITY);
        if (identity != null && !identity.matches("[0-9a-f]{64}")) {
            identity = null; // a dry run's, or an earlier chtsl's
        }
        boolean cached =
                identity != null
                        && new TokenCache(home.resolve("tokens"))
                                .contains(TrainingData.validationKey(identity, options.seed));
        String data = recorded.get("data");
        Path training =
                !isPath(data) ? null : cached ? Path.of(data) : found(report, "--data", data);
        return new ValidationText(null, training, identity, options, home);
    }

    /**
     * Reads the validation tokens: the cached split, the validation file, or the split's held-out
     * documents, tokenized (and cached) alone.
     *
     * @param codec the run's tokenizer
     * @param tokenizerId its file's SHA-256
     * @return the tokens
     * @throws IOException if a text cannot be read
     */
    TokenizedCorpus load(HuggingFaceTokenCodec codec, String tokenizerId) throws IOException {
        if (file != null) {
            List<String> documents = TextSources.read(file);
            LOG.info("Validation text: {} documents of {}", documents.size(), file);
            return cache.tokenize(documents, codec, tokenizerId);
        }
        if (identity != null) {
            var tokens = cache.find(TrainingData.validationKey(identity, options.seed), codec);
            if (tokens.isPresent()) {
                LOG.info(
                        "Validation text: the run's split ({} of its documents) from the token"
                                + " cache",
                        tokens.get().documents());
                return tokens.get();
            }
        }
        List<String> documents = TrainingData.documents(training, options.maxDocuments(), home);
        String read = TokenCache.key(documents, tokenizerId);
        if (identity != null && !identity.equals(read)) {
            LOG.warn(
                    "The training text (or tokenizer) is not the run's any more (its checksum"
                            + " differs from report.json's {}): validating on the split of the"
                            + " text as it is now",
                    TrainingData.IDENTITY);
        }
        List<String> held = TrainingData.validationDocuments(documents, options.seed);
        LOG.info(
                "Validation text: tokenizing the {} held-out documents of {} ({} in all, the"
                        + " others are not tokenized)",
                held.size(),
                training == null ? DataOptions.DEFAULT_CORPUS : training,
                documents.size());
        return cache.store(
                TrainingData.validationKey(read, options.seed),
                TokenizedCorpus.tokenize(held, codec));
    }

    private static boolean isPath(String value) {
        return value != null && !RunConfig.NONE.equals(value) && !value.startsWith("default:");
    }

    /** Without the run's own text, the validation would be another corpus's. */
    private static Path found(Path report, String flag, String path) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            file = null;
        }
        if (file == null || !Files.exists(file)) {
            throw new IllegalArgumentException(
                    report
                            + ": the run was trained with "
                            + flag
                            + " "
                            + path
                            + ", which is not found from here; pass "
                            + flag
                            + " PATH.");
        }
        return file;
    }
}
