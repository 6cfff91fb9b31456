package org.chtsl.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.training.dataset.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chtsl.testing.ManagedTest;
import org.testng.annotations.Test;

public class DataTest extends ManagedTest {

    private static final ByteTokenCodec BYTES = new ByteTokenCodec();

    @Test
    public void documentsAreJoinedWithEosAndCutIntoShiftedWindows() {
        TokenizedCorpus corpus = TokenizedCorpus.tokenize(List.of("ab", "c"), BYTES);
        assertEquals(corpus.getTokens(), new int[] {97, 98, 256, 99, 256});
        assertEquals(corpus.getDocumentStarts(), new int[] {0, 3});
        TokenWindowDataset windows =
                TokenWindowDataset.builder()
                        .setTokens(corpus.getTokens())
                        .optSequenceLength(2)
                        .setSampling(1, false)
                        .build();
        assertEquals(windows.size(), 2); // floor((5 − 1) / 2)
        Record first = windows.get(manager, 0);
        assertEquals(first.getData().head().toLongArray(), new long[] {97, 98});
        assertEquals(first.getLabels().head().toLongArray(), new long[] {98, 256});
        assertEquals(first.getLabels().head().getShape().dimension(), 2);
        Record second = windows.get(manager, 1);
        assertEquals(second.getData().head().toLongArray(), new long[] {256, 99});
        assertEquals(second.getLabels().head().toLongArray(), new long[] {99, 256});
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        TokenWindowDataset.builder()
                                .setTokens(new int[] {1, 2})
                                .optSequenceLength(2)
                                .setSampling(1, false)
                                .build());
    }

    @Test
    public void splitsKeepWholeDocuments() {
        List<String> documents = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            documents.add("document " + d + " " + "x".repeat(d));
        }
        TokenizedCorpus corpus = TokenizedCorpus.tokenize(documents, BYTES);
        TokenizedCorpus[] parts = corpus.split(0.2, 7);
        assertEquals(parts[1].documents(), 2);
        assertEquals(parts[0].documents(), 8);
        assertEquals(
                parts[0].getTokens().length + parts[1].getTokens().length,
                corpus.getTokens().length);
        Set<String> seen = new HashSet<>();
        for (TokenizedCorpus part : parts) {
            int[] starts = part.getDocumentStarts();
            for (int d = 0; d < starts.length; d++) {
                int end = d + 1 < starts.length ? starts[d + 1] : part.getTokens().length;
                long[] ids =
                        Arrays.stream(Arrays.copyOfRange(part.getTokens(), starts[d], end - 1))
                                .asLongStream()
                                .toArray();
                assertTrue(seen.add(BYTES.decode(ids)), "each document once");
                assertEquals(part.getTokens()[end - 1], 256, "documents end with EOS");
            }
        }
        assertEquals(seen, new HashSet<>(documents));
        assertEquals(corpus.split(0.2, 7)[1], parts[1], "the split depends only on the seed");
        List<String> held = new ArrayList<>();
        for (int d : TokenizedCorpus.validationDocuments(documents.size(), 0.2, 7)) {
            held.add(documents.get(d));
        }
        assertEquals(
                TokenizedCorpus.tokenize(held, BYTES),
                parts[1],
                "the held-out documents, tokenized alone, are the split's validation tokens");
        expectThrows(IllegalArgumentException.class, () -> corpus.split(1.0, 7));
    }

    @Test
    public void sourcesReadBlocksDirectoriesAndJsonLines() throws Exception {
        Path dir = Files.createTempDirectory("chtsl-sources");
        Path text = dir.resolve("corpus.txt");
        Files.writeString(
                text, "first line\nstill first\n\n\nsecond\n  \nthird\n", StandardCharsets.UTF_8);
        assertEquals(TextSources.read(text), List.of("first line\nstill first", "second", "third"));

        Path folder = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(folder.resolve("b.txt"), "bravo");
        Files.writeString(folder.resolve("a.txt"), "alpha\n\nstill alpha");
        Files.writeString(folder.resolve("skip.md"), "not text");
        assertEquals(TextSources.read(folder), List.of("alpha\n\nstill alpha", "bravo"));

        Path lines = dir.resolve("corpus.jsonl");
        Files.writeString(
                lines,
                "{\"text\": \"one\"}\n\n{\"text\": \"two\", \"id\": 2}\n",
                StandardCharsets.UTF_8);
        assertEquals(TextSources.read(lines), List.of("one", "two"));
        Files.writeString(
                lines, "{\"text\": \"one\"}\n{\"id\": 2}\n{bad json\n", StandardCharsets.UTF_8);
        IllegalArgumentException missing =
                expectThrows(IllegalArgumentException.class, () -> TextSources.read(lines));
        assertTrue(missing.getMessage().contains("line 2"), missing.getMessage());
        Files.writeString(lines, "{\"text\": \"one\"}\n{bad json\n", StandardCharsets.UTF_8);
        IllegalArgumentException bad =
                expectThrows(IllegalArgumentException.class, () -> TextSources.read(lines));
        assertTrue(
                bad.getMessage().contains("line 2") && bad.getMessage().contains("not valid JSON"),
                bad.getMessage());
        IllegalArgumentException absent =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TextSources.read(dir.resolve("nope.txt")));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    public void theCacheIsReusedAndInvalidatedWhenTheSourceChanges() throws Exception {
        Path dir = Files.createTempDirectory("chtsl-cache");
        TokenCache cache = new TokenCache(dir);
        CountingCodec codec = new CountingCodec();
        List<String> documents = List.of("hello", "world");
        TokenizedCorpus first = cache.tokenize(documents, codec, "bytes-v1");
        assertEquals(codec.calls, 2);
        TokenizedCorpus again = cache.tokenize(documents, codec, "bytes-v1");
        assertEquals(codec.calls, 2, "the second run reads the cache");
        assertEquals(again, first);
        cache.tokenize(List.of("hello", "world!"), codec, "bytes-v1");
        assertEquals(codec.calls, 4, "a changed source is tokenized again");
        assertNotEquals(
                TokenCache.key(documents, "bytes-v1"), TokenCache.key(documents, "bytes-v2"));
        assertNotEquals(
                TokenCache.key(List.of("ab", "c"), "t"), TokenCache.key(List.of("a", "bc"), "t"));
    }
}
