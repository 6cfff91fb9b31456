package org.chtsl.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.chtsl.util.ChecksummedFiles;
import org.chtsl.util.CorruptFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk cache of tokenized corpora, so a second run starts at once: one compact binary file per
 * (documents, tokenizer), keyed by a SHA-256 of both. A changed source or tokenizer gives a new
 * key, so a stale cache is never read. Files are written atomically with a checksum ({@link
 * ChecksummedFiles}), and their content is checked on reading (token ids within the vocabulary,
 * document starts in order); a corrupt cache is rebuilt with a warning.
 */
public final class TokenCache {

    /** The format name in the files' header. */
    static final String FORMAT = "chtsl-token-cache";

    /** The format version; version 1 had no checksum. */
    static final int VERSION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);

    /** Ints per chunk when writing and reading (256 KiB). */
    private static final int CHUNK_INTS = 1 << 16;

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
     * needed. A cache file that is truncated, altered, of another format or version, or whose
     * content does not fit the documents and tokenizer is logged as a warning, tokenized again and
     * overwritten.
     *
     * @param documents the documents
     * @param codec the tokenizer
     * @param tokenizerId identifies the tokenizer's vocabulary (e.g. a checksum of its file)
     * @return the corpus
     * @throws IOException if the cache cannot be written
     */
    public TokenizedCorpus tokenize(List<String> documents, TokenCodec codec, String tokenizerId)
            throws IOException {
        String key = key(documents, tokenizerId);
        Optional<TokenizedCorpus> cached = read(key, documents.size(), codec);
        if (cached.isPresent()) {
            return cached.get();
        }
        return store(key, TokenizedCorpus.tokenize(documents, codec));
    }

    /**
     * Returns the corpus cached under a key of the caller's choosing (e.g. a part of a corpus that
     * is named by the corpus's key), if it is there and sound; a corrupt entry is logged as a
     * warning and treated as missing.
     *
     * @param key the entry's name, as given to {@link #store}
     * @param codec the tokenizer its ids must fit
     * @return the corpus, or empty
     */
    public Optional<TokenizedCorpus> find(String key, TokenCodec codec) {
        return read(key, -1, codec);
    }

    /**
     * Returns whether an entry of a key is cached (it is checked only when {@linkplain #find
     * read}).
     *
     * @param key the entry's name, as given to {@link #store}
     * @return whether its file exists
     */
    public boolean contains(String key) {
        return Files.isRegularFile(file(key));
    }

    /**
     * Caches a corpus under a key (atomically, replacing an entry of that key).
     *
     * @param key the entry's name: a hex digest, as {@link #key} gives, so it is a file name
     * @param corpus the corpus
     * @return the corpus
     * @throws IOException if the cache cannot be written
     */
    public TokenizedCorpus store(String key, TokenizedCorpus corpus) throws IOException {
        Path file = file(key);
        write(file, corpus);
        LOG.info(
                "Cached {} tokens of {} documents in {}",
                corpus.getTokens().length,
                corpus.documents(),
                file);
        return corpus;
    }

    private Path file(String key) {
        if (!key.matches("[0-9a-f]{16,128}")) {
            throw new IllegalArgumentException(
                    "A token cache key is a hex digest, got '" + key + "'.");
        }
        return directory.resolve(key + ".tokens");
    }

    /** The entry of a key, checked (against a document count unless it is -1), if it is sound. */
    private Optional<TokenizedCorpus> read(String key, int documents, TokenCodec codec) {
        Path file = file(key);
        if (Files.isRegularFile(file)) {
            try {
                TokenizedCorpus corpus = read(file, documents, codec);
                LOG.info("Using cached tokens {}", file);
                return Optional.of(corpus);
            } catch (CorruptFileException e) {
                LOG.warn(
                        "Token cache {} is corrupt ({}); rebuilding it",
                        file,
                        withoutPath(e.getMessage(), file));
            } catch (IOException e) {
                LOG.warn("Token cache {} cannot be read ({}); rebuilding it", file, e.toString());
            }
        }
        return Optional.empty();
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

    /**
     * Reads and checks a cache file: payload {@code int n, n token ids, int m, m document starts},
     * big-endian.
     */
    private static TokenizedCorpus read(Path file, int documents, TokenCodec codec)
            throws IOException {
        long maxInts = Files.size(file) / Integer.BYTES;
        int[] tokens;
        int[] starts;
        try (DataInputStream is = ChecksummedFiles.open(file, FORMAT, VERSION)) {
            tokens = readInts(is, maxInts, "token");
            starts = readInts(is, maxInts, "document start");
            if (is.read() != -1) {
                throw new CorruptFileException("bytes follow the document starts");
            }
        } catch (EOFException e) {
            throw new CorruptFileException("its payload ends before its counts say");
        }
        String invalid = validate(tokens, starts, documents, codec);
        if (invalid != null) {
            throw new CorruptFileException("invalid content: " + invalid);
        }
        return new TokenizedCorpus(tokens, starts);
    }

    private static int[] readInts(DataInputStream is, long maxInts, String what)
            throws IOException {
        int count = is.readInt();
        if (count < 0 || count > maxInts) {
            throw new CorruptFileException("impossible " + what + " count " + count);
        }
        int[] values = new int[count];
        byte[] chunk = new byte[Math.min(count, CHUNK_INTS) * Integer.BYTES];
        for (int offset = 0; offset < count; ) {
            int n = Math.min(count - offset, CHUNK_INTS);
            is.readFully(chunk, 0, n * Integer.BYTES);
            ByteBuffer.wrap(chunk, 0, n * Integer.BYTES).asIntBuffer().get(values, offset, n);
            offset += n;
        }
        return values;
    }

    /**
     * Checks that a corpus could have come from tokenizing the documents: ids within the
     * vocabulary, one start per document (when their number, {@code documents}, is not -1),
     * starting at 0, non-decreasing, within the tokens, and every document ending with EOS.
     *
     * @return what is wrong, or null
     */
    private static String validate(int[] tokens, int[] starts, int documents, TokenCodec codec) {
        int vocabulary = codec.vocabularySize();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabulary) {
                return "token "
                        + i
                        + " has id "
                        + tokens[i]
                        + ", outside the vocabulary of "
                        + vocabulary;
            }
        }
        if (documents >= 0 && starts.length != documents) {
            return starts.length + " document starts for " + documents + " documents";
        }
        if (starts.length > 0 && starts[0] != 0) {
            return "the first document starts at " + starts[0] + ", not 0";
        }
        if (starts.length == 0 && tokens.length > 0) {
            return tokens.length + " tokens but no documents";
        }
        for (int d = 1; d < starts.length; d++) {
            if (starts[d] < starts[d - 1]) {
                return "document "
                        + d
                        + " starts at "
                        + starts[d]
                        + ", before document "
                        + (d - 1)
                        + " at "
                        + starts[d - 1];
            }
        }
        if (starts.length > 0 && starts[starts.length - 1] > tokens.length) {
            return "the last document starts at "
                    + starts[starts.length - 1]
                    + ", past the "
                    + tokens.length
                    + " tokens";
        }
        long eos = codec.eosId();
        for (int d = 0; d < starts.length; d++) {
            int end = d + 1 < starts.length ? starts[d + 1] : tokens.length;
            if (end == starts[d] || tokens[end - 1] != eos) {
                return "document " + d + " does not end with EOS (" + eos + ")";
            }
        }
        return null;
    }

    /** A reason without the file's path that {@link ChecksummedFiles} puts first. */
    private static String withoutPath(String message, Path file) {
        String path = file.toString();
        return message != null && message.startsWith(path + " ")
                ? "the file" + message.substring(path.length())
                : message;
    }

    private static void write(Path file, TokenizedCorpus corpus) throws IOException {
        ChecksummedFiles.write(
                file,
                FORMAT,
                VERSION,
                os -> {
                    writeInts(os, corpus.getTokens());
                    writeInts(os, corpus.getDocumentStarts());
                });
    }

    private static void writeInts(DataOutputStream os, int[] values) throws IOException {
        os.writeInt(values.length);
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(values.length, CHUNK_INTS) * Integer.BYTES);
        for (int offset = 0; offset < values.length; ) {
            int n = Math.min(values.length - offset, CHUNK_INTS);
            chunk.clear();
            chunk.asIntBuffer().put(values, offset, n);
            os.write(chunk.array(), 0, n * Integer.BYTES);
            offset += n;
        }
    }
}
