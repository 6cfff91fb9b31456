package org.chtsl.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Documents turned into one token stream: each document's tokens followed by EOS, concatenated
 * (spec §12.13: packing, no padding). It remembers where documents start, so it can be split into
 * training and validation by whole documents.
 */
public final class TokenizedCorpus {

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(TokenizedCorpus.class);

    private final int[] tokens;
    private final int[] documentStarts;

    /**
     * Wraps a token stream.
     *
     * @param tokens the joined tokens
     * @param documentStarts the offset at which each document starts, ascending, first 0
     */
    public TokenizedCorpus(int[] tokens, int[] documentStarts) {
        this.tokens = tokens;
        this.documentStarts = documentStarts;
    }

    /**
     * Tokenizes documents and joins them, each followed by EOS.
     *
     * @param documents the documents
     * @param codec the tokenizer
     * @return the corpus
     */
    public static TokenizedCorpus tokenize(List<String> documents, TokenCodec codec) {
        List<long[]> encoded = new ArrayList<>();
        long total = 0;
        int reported = 0;
        for (String document : documents) {
            long[] ids = codec.encode(document);
            encoded.add(ids);
            total += ids.length + 1;
            int percent = 100 * encoded.size() / documents.size();
            if (percent >= reported + 10) {
                reported = percent - percent % 10;
                LOG.info(
                        "Tokenizing: {}% ({} of {} documents)",
                        reported, encoded.size(), documents.size());
            }
        }
        int[] tokens = new int[Math.toIntExact(total)];
        int[] starts = new int[encoded.size()];
        int offset = 0;
        int eos = Math.toIntExact(codec.eosId());
        for (int d = 0; d < encoded.size(); d++) {
            starts[d] = offset;
            for (long id : encoded.get(d)) {
                tokens[offset++] = Math.toIntExact(id);
            }
            tokens[offset++] = eos;
        }
        return new TokenizedCorpus(tokens, starts);
    }

    /**
     * Splits by whole documents: a seeded shuffle of the documents, the first {@code
     * validationFraction} of them (at least one, at most all but one) for validation.
     *
     * @param validationFraction the share of documents held out, in (0, 1)
     * @param seed the shuffle's seed
     * @return {@code {training, validation}}
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or there are fewer than
     *     two documents
     */
    public TokenizedCorpus[] split(double validationFraction, long seed) {
        int documents = documentStarts.length;
        List<Integer> validation = validationDocuments(documents, validationFraction, seed);
        List<Integer> training = new ArrayList<>();
        for (int d = 0, next = 0; d < documents; d++) {
            if (next < validation.size() && validation.get(next) == d) {
                next++;
            } else {
                training.add(d);
            }
        }
        return new TokenizedCorpus[] {select(training), select(validation)};
    }

    /**
     * Returns the documents that {@link #split} holds out for validation, without tokenizing any:
     * tokenizing only these documents gives the same tokens as the split's validation corpus.
     *
     * @param documents how many documents there are
     * @param validationFraction the share of documents held out, in (0, 1)
     * @param seed the shuffle's seed
     * @return the held-out documents' indices, ascending
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or there are fewer than
     *     two documents
     */
    public static List<Integer> validationDocuments(
            int documents, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1) || documents < 2) {
            throw new IllegalArgumentException(
                    "A split needs a validation fraction in (0, 1) and at least two documents, got "
                            + validationFraction
                            + " and "
                            + documents
                            + " documents.");
        }
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            order.add(d);
        }
        Collections.shuffle(order, new Random(seed));
        int held =
                Math.max(
                        1,
                        Math.min(documents - 1, (int) Math.round(validationFraction * documents)));
        List<Integer> validation = new ArrayList<>(order.subList(0, held));
        Collections.sort(validation);
        return validation;
    }

    private TokenizedCorpus select(List<Integer> documents) {
        int total = 0;
        for (int d : documents) {
            total += documentLength(d);
        }
        int[] selected = new int[total];
        int[] starts = new int[documents.size()];
        int offset = 0;
        for (int k = 0; k < documents.size(); k++) {
            int d = documents.get(k);
            starts[k] = offset;
            System.arraycopy(tokens, documentStarts[d], selected, offset, documentLength(d));
            offset += documentLength(d);
        }
        return new TokenizedCorpus(selected, starts);
    }

    private int documentLength(int d) {
        int end = d + 1 < documentStarts.length ? documentStarts[d + 1] : tokens.length;
        return end - documentStarts[d];
    }

    /**
     * Returns the token stream (not a copy).
     *
     * @return the tokens
     */
    public int[] getTokens() {
        return tokens;
    }

    /**
     * Returns where each document starts (not a copy).
     *
     * @return the offsets
     */
    public int[] getDocumentStarts() {
        return documentStarts;
    }

    /**
     * Returns the number of documents.
     *
     * @return the count
     */
    public int documents() {
        return documentStarts.length;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object other) {
        return other instanceof TokenizedCorpus
                && Arrays.equals(tokens, ((TokenizedCorpus) other).tokens)
                && Arrays.equals(documentStarts, ((TokenizedCorpus) other).documentStarts);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(documentStarts);
    }
}
