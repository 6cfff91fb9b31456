package org.chtsl.examples;

import java.nio.file.Path;

/** Where chtsl caches fetched packages, tokenizers and tokenized corpora. */
final class ChtslHome {

    private ChtslHome() {}

    /**
     * Returns {@code $CHTSL_HOME}, or {@code ~/.cache/chtsl}.
     *
     * @return the cache root
     */
    static Path get() {
        String home = System.getenv("CHTSL_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "chtsl");
    }
}
