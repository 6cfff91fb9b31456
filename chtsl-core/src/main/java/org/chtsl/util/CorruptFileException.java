package org.chtsl.util;

import java.io.IOException;

/** A file that is not what it claims to be: truncated, altered, or of another format or version. */
public class CorruptFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with which file
     */
    public CorruptFileException(String message) {
        super(message);
    }
}
