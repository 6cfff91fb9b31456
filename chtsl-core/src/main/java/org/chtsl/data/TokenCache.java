package org.chtsl.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.chtsl.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk cache of tokenized corpora, so a second run starts at once: one compact binary file per
 * (documents, tokenizer), keyed by a SHA-256 of both. A changed source or tokenizer gives a new
 * key, so a stale cache is never read. Files are written to a temporary file and renamed.
 */
public final class TokenCache {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);
    private static final int MAGIC = 0x43485453; // "CHTS"
    private static final int VERSION = 1;

    private final Path directory;

    /**
     * Creates a cache in a directory (created when first written).
     *
     * @param directory where the cache files live
     */
    public TokenCache(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns the cached corpus for the documents and tokenizer, tokenizing and caching it first if
     * needed.
     *
     * @param documents the documents
     * @param codec the tokenizer
     * @param tokenizerId identifies the tokenizer's vocabulary (e.g. a checksum of its file)
     * @return the corpus
     * @throws IOException if the cache cannot be read or written
     */
    public TokenizedCorpus tokenize(List<String> documents, TokenCodec codec, String tokenizerId)
            throws IOException {
        Path file = directory.resolve(key(documents, tokenizerId) + ".tokens");
        if (Files.isRegularFile(file)) {
            LOG.info("Using cached tokens {}", file);
            return read(file);
        }
        TokenizedCorpus corpus = TokenizedCorpus.tokenize(documents, codec);
        write(file, corpus);
        LOG.info(
                "Cached {} tokens of {} documents in {}",
                corpus.getTokens().length,
                corpus.documents(),
                file);
        return corpus;
    }

    /**
     * The cache key of documents and a tokenizer.
     *
     * @param documents the documents
     * @param tokenizerId the tokenizer's identity
     * @return a hex SHA-256
     */
    public static String key(List<String> documents, String tokenizerId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(tokenizerId.getBytes(StandardCharsets.UTF_8));
            for (String document : documents) {
                byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
                digest.update(new byte[] {0});
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static TokenizedCorpus read(Path file) throws IOException {
        try (DataInputStream is =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (is.readInt() != MAGIC || is.readInt() != VERSION) {
                throw new IOException(
                        file
                                + " is not a chtsl token cache of version "
                                + VERSION
                                + "; delete it.");
            }
            int[] tokens = new int[is.readInt()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = is.readInt();
            }
            int[] starts = new int[is.readInt()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = is.readInt();
            }
            return new TokenizedCorpus(tokens, starts);
        }
    }

    private static void write(Path file, TokenizedCorpus corpus) throws IOException {
        AtomicFiles.write(
                file,
                os -> {
                    os.writeInt(MAGIC);
                    os.writeInt(VERSION);
                    os.writeInt(corpus.getTokens().length);
                    for (int token : corpus.getTokens()) {
                        os.writeInt(token);
                    }
                    os.writeInt(corpus.getDocumentStarts().length);
                    for (int start : corpus.getDocumentStarts()) {
                        os.writeInt(start);
                    }
                });
    }
}
