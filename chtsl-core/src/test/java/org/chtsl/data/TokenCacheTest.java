package org.chtsl.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.chtsl.util.ChecksummedFiles;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class TokenCacheTest {

    private static final ByteTokenCodec BYTES = new ByteTokenCodec();
    private static final String TOKENIZER = "bytes";

    private Path dir;
    private Captured warnings;
    private Logger logger;

    @BeforeMethod
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("chtsl-token-cache");
        warnings = new Captured();
        warnings.start();
        logger = (Logger) LogManager.getLogger(TokenCache.class);
        logger.addAppender(warnings);
        logger.setAdditive(true); // addAppender turns it off; keep the console output
    }

    @AfterMethod(alwaysRun = true)
    public void tearDown() throws IOException {
        logger.removeAppender(warnings);
        warnings.stop();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    public void aCacheIsReadBackWithoutTokenizingAgain() throws IOException {
        List<String> documents = List.of("hello", "", "wörld ✓", "x");
        CountingCodec codec = new CountingCodec();
        TokenCache cache = new TokenCache(dir);
        TokenizedCorpus first = cache.tokenize(documents, codec, TOKENIZER);
        assertEquals(codec.calls, 4);
        assertEquals(first, TokenizedCorpus.tokenize(documents, BYTES));
        assertTrue(Files.isRegularFile(cacheFile(documents)));
        TokenizedCorpus again = new TokenCache(dir).tokenize(documents, codec, TOKENIZER);
        assertEquals(codec.calls, 4, "the second call reads the cache");
        assertEquals(again.getTokens(), first.getTokens());
        assertEquals(again.getDocumentStarts(), first.getDocumentStarts());
        assertEquals(warnings.warnings(), List.of());
    }

    @Test
    public void aCorpusStoredUnderAKeyIsFoundByItsKeyAlone() throws IOException {
        TokenCache cache = new TokenCache(dir);
        String key = TokenCache.key(List.of("the held-out part"), "of a corpus");
        assertFalse(cache.contains(key));
        assertTrue(cache.find(key, BYTES).isEmpty());
        TokenizedCorpus corpus = TokenizedCorpus.tokenize(List.of("ab", "cde"), BYTES);
        assertEquals(cache.store(key, corpus), corpus);
        assertTrue(cache.contains(key));
        assertEquals(new TokenCache(dir).find(key, BYTES).orElseThrow(), corpus);
        assertEquals(warnings.warnings(), List.of());
        Path file = dir.resolve(key + ".tokens");
        flip(file, Files.size(file) - 6, 3);
        assertTrue(cache.find(key, BYTES).isEmpty(), "a corrupt entry is not returned");
        assertEquals(warnings.warnings().size(), 1, warnings.warnings().toString());
        expectThrows(IllegalArgumentException.class, () -> cache.store("../outside", corpus));
    }

    @Test
    public void aLargeCacheIsReadBackExactly() throws IOException {
        List<String> documents = largeDocuments();
        CountingCodec codec = new CountingCodec();
        TokenizedCorpus first = new TokenCache(dir).tokenize(documents, codec, TOKENIZER);
        assertTrue(first.getTokens().length > 3 * (1 << 16), "spans several chunks");
        TokenizedCorpus again = new TokenCache(dir).tokenize(documents, codec, TOKENIZER);
        assertEquals(codec.calls, documents.size());
        assertEquals(again, TokenizedCorpus.tokenize(documents, BYTES));
        assertEquals(warnings.warnings(), List.of());
        assertEquals(listDirectory(), List.of(cacheFile(documents)), "no temporary files left");
    }

    @Test
    public void flippedBytesInALargeCacheAreRebuiltWithAWarning() throws IOException {
        List<String> documents = largeDocuments();
        new TokenCache(dir).tokenize(documents, BYTES, TOKENIZER);
        Path file = cacheFile(documents);
        long size = Files.size(file);
        assertTrue(size > 3 * 4096);
        flip(file, size / 2 - 2048, 4096);
        assertRebuilt(documents, "checksum");
    }

    @Test
    public void aFlippedByteInASmallCacheIsRebuiltWithAWarning() throws IOException {
        List<String> documents = List.of("ab", "cde");
        new TokenCache(dir).tokenize(documents, BYTES, TOKENIZER);
        Path file = cacheFile(documents);
        flip(file, Files.size(file) - 6, 3); // in a token id
        assertRebuilt(documents, "checksum");
    }

    @Test
    public void aTruncatedCacheIsRebuiltWithAWarning() throws IOException {
        List<String> documents = largeDocuments();
        Path file = cacheFile(documents);
        new TokenCache(dir).tokenize(documents, BYTES, TOKENIZER);
        long size = Files.size(file);
        for (long length : new long[] {size - 1, size / 2, 30, 5, 0}) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(length);
            }
            assertEquals(Files.size(file), length);
            assertRebuilt(documents, null);
            assertEquals(Files.size(file), size, "the rebuilt file is complete again");
        }
    }

    @Test
    public void aCacheOfVersionOneIsRebuiltWithAWarning() throws IOException {
        List<String> documents = List.of("ab", "c");
        TokenizedCorpus corpus = TokenizedCorpus.tokenize(documents, BYTES);
        Files.createDirectories(dir);
        try (DataOutputStream os =
                new DataOutputStream(Files.newOutputStream(cacheFile(documents)))) {
            os.writeInt(0x43485453);
            os.writeInt(1);
            writeInts(os, corpus.getTokens());
            writeInts(os, corpus.getDocumentStarts());
        }
        assertRebuilt(documents, null);
    }

    @Test
    public void aTokenIdOutsideTheVocabularyIsRebuiltWithAWarning() throws IOException {
        List<String> documents = List.of("ab", "c");
        // A well-formed, correctly checksummed file whose second token is out of range.
        writeCache(
                documents, new int[] {97, BYTES.vocabularySize(), 256, 99, 256}, new int[] {0, 3});
        TokenizedCorpus corpus = assertRebuilt(documents, "outside the vocabulary");
        for (int token : corpus.getTokens()) {
            assertTrue(token >= 0 && token < BYTES.vocabularySize(), "token " + token);
        }
        writeCache(documents, new int[] {97, -1, 256, 99, 256}, new int[] {0, 3});
        assertRebuilt(documents, "outside the vocabulary");
    }

    @Test
    public void invalidDocumentStartsAreRebuiltWithAWarning() throws IOException {
        List<String> documents = List.of("ab", "c", "d");
        int[] tokens = {97, 98, 256, 99, 256, 100, 256};
        int[][] invalid = {
            {1, 3, 5}, // does not start at 0
            {0, 5, 3}, // decreasing
            {0, 3, 8}, // past the tokens
            {0, 3}, // fewer starts than documents
            {0, 2, 5}, // a document not ending with EOS
        };
        for (int[] starts : invalid) {
            writeCache(documents, tokens, starts);
            assertRebuilt(documents, "invalid content");
        }
        writeCache(List.of(), new int[] {256}, new int[0]);
        assertRebuilt(List.of(), "invalid content");
    }

    @Test
    public void trailingBytesAreRebuiltWithAWarning() throws IOException {
        List<String> documents = List.of("ab");
        ChecksummedFiles.write(
                cacheFile(documents),
                TokenCache.FORMAT,
                TokenCache.VERSION,
                os -> {
                    writeInts(os, new int[] {97, 98, 256});
                    writeInts(os, new int[] {0});
                    os.writeInt(7);
                });
        assertRebuilt(documents, "bytes follow");
    }

    @Test
    public void anImpossibleCountIsRebuiltWithAWarning() throws IOException {
        List<String> documents = List.of("ab");
        ChecksummedFiles.write(
                cacheFile(documents),
                TokenCache.FORMAT,
                TokenCache.VERSION,
                os -> {
                    os.writeInt(Integer.MAX_VALUE);
                    os.writeInt(97);
                });
        assertRebuilt(documents, "impossible token count");
    }

    @Test
    public void aCacheThatCannotBeWrittenThrows() throws IOException {
        Path notADirectory = Files.createFile(dir.resolve("file"));
        TokenCache cache = new TokenCache(notADirectory.resolve("tokens"));
        expectThrows(IOException.class, () -> cache.tokenize(List.of("ab"), BYTES, TOKENIZER));
    }

    /**
     * Asserts that the next call warns once about the documents' cache file (mentioning {@code
     * reason} if given), tokenizes again, returns the right corpus, and that the rewritten file is
     * then read silently.
     */
    private TokenizedCorpus assertRebuilt(List<String> documents, String reason)
            throws IOException {
        Path file = cacheFile(documents);
        int before = warnings.warnings().size();
        CountingCodec codec = new CountingCodec();
        TokenizedCorpus corpus = new TokenCache(dir).tokenize(documents, codec, TOKENIZER);
        assertEquals(corpus, TokenizedCorpus.tokenize(documents, BYTES));
        assertEquals(codec.calls, documents.size(), "tokenized again");
        List<String> added = warnings.warnings().subList(before, warnings.warnings().size());
        assertEquals(added.size(), 1, "one warning: " + added);
        String warning = added.get(0);
        assertTrue(warning.contains(file.toString()), warning);
        assertTrue(warning.contains("rebuilding"), warning);
        if (reason != null) {
            assertTrue(warning.contains(reason), warning);
        }
        TokenizedCorpus reread = new TokenCache(dir).tokenize(documents, codec, TOKENIZER);
        assertEquals(reread, corpus);
        assertEquals(codec.calls, documents.size(), "the rewritten cache is read");
        assertEquals(warnings.warnings().size(), before + 1, "the rewritten cache is valid");
        return corpus;
    }

    private Path cacheFile(List<String> documents) {
        return dir.resolve(TokenCache.key(documents, TOKENIZER) + ".tokens");
    }

    private void writeCache(List<String> documents, int[] tokens, int[] starts) throws IOException {
        ChecksummedFiles.write(
                cacheFile(documents),
                TokenCache.FORMAT,
                TokenCache.VERSION,
                os -> {
                    writeInts(os, tokens);
                    writeInts(os, starts);
                });
    }

    private List<Path> listDirectory() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void writeInts(DataOutputStream os, int[] values) throws IOException {
        os.writeInt(values.length);
        for (int value : values) {
            os.writeInt(value);
        }
    }

    private static void flip(Path file, long offset, int length) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < length; i++) {
            bytes[Math.toIntExact(offset + i)] ^= (byte) 0xFF;
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            os.write(bytes);
        }
    }

    private static List<String> largeDocuments() {
        Random random = new Random(5);
        List<String> documents = new ArrayList<>();
        for (int d = 0; d < 250; d++) {
            StringBuilder document = new StringBuilder();
            int length = 500 + random.nextInt(1000);
            for (int i = 0; i < length; i++) {
                document.append((char) ('a' + random.nextInt(26)));
            }
            documents.add(document.toString());
        }
        return documents;
    }

    /** Collects the WARN (and worse) messages logged through it. */
    private static final class Captured extends AbstractAppender {
        private final List<String> messages = new CopyOnWriteArrayList<>();

        Captured() {
            super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                messages.add(event.getMessage().getFormattedMessage());
            }
        }

        List<String> warnings() {
            return List.copyOf(messages);
        }
    }
}
