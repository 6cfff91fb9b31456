package org.chtsl.data;

import java.util.regex.Pattern;

/** Turns a Brown corpus file ({@code word/tag} tokens) back into plain running text. */
final class BrownCleaner {

    private static final Pattern SPACE_BEFORE =
            Pattern.compile(" ([,.;:?!)'%]|n't|'s|'re|'ve|'ll|'d|'m)");
    private static final Pattern SPACE_AFTER = Pattern.compile("([(\\$]) ");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private BrownCleaner() {}

    /**
     * Strips the part-of-speech tags and undoes the tokenization's spacing.
     *
     * @param tagged the file's content
     * @return the text, one line
     */
    static String clean(String tagged) {
        StringBuilder words = new StringBuilder();
        for (String token : SPACES.split(tagged.strip())) {
            int slash = token.lastIndexOf('/');
            String word = slash > 0 ? token.substring(0, slash) : token;
            if (word.equals("``") || word.equals("''")) {
                word = "\"";
            }
            if (words.length() > 0) {
                words.append(' ');
            }
            words.append(word);
        }
        String text = SPACE_BEFORE.matcher(words.toString()).replaceAll("$1");
        return SPACE_AFTER.matcher(text).replaceAll("$1");
    }
}
