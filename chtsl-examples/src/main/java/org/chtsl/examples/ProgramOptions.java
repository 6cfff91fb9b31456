package org.chtsl.examples;

/**
 * The options of a program (a picocli {@code @Command} class), with the checks that involve more
 * than one option. {@link CommandLines#parse} calls {@link #validate()} after every value has
 * passed its own {@link ArgumentRule}.
 */
interface ProgramOptions {

    /**
     * Checks what one option's rule cannot: bounds that depend on other options, options that
     * exclude each other.
     *
     * @throws IllegalArgumentException naming the options, the values and what is allowed
     */
    default void validate() {}

    /**
     * Returns text for the end of {@code --help}, after the options.
     *
     * @return the text (picocli format: {@code %n} for a line break), or empty
     */
    default String helpFooter() {
        return "";
    }
}
