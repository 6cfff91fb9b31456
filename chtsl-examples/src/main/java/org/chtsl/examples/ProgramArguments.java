package org.chtsl.examples;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command-line rules of the small example programs, the same as {@link TrainOptions}': every
 * value is validated with a one-line message naming the option (or positional argument), the value
 * given and what is allowed; a value given is always used (0 is a value, never "unset"); unknown,
 * repeated and value-less options are errors; numbers are parsed strictly. {@code --} ends the
 * options (for a positional argument that starts with {@code --}).
 */
final class ProgramArguments {

    /**
     * An option.
     *
     * @param flag e.g. {@code --epochs}
     * @param metavar its value in usage text, e.g. {@code N}; {@code null} for a switch
     * @param allowed what its value may be, e.g. {@code a whole number >= 1}
     */
    record Option(String flag, String metavar, String allowed) {

        static Option of(String flag, String metavar, String allowed) {
            return new Option(flag, metavar, allowed);
        }

        static Option toggle(String flag) {
            return new Option(flag, null, null);
        }

        @Override
        public String toString() {
            return metavar == null ? flag : flag + " " + metavar;
        }
    }

    private static final Pattern REAL =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String usage;
    private final Map<String, Option> options = new LinkedHashMap<>();
    private final List<String> positionalNames;
    private final int required;
    private final boolean repeatLast;
    private final Map<String, String> given = new LinkedHashMap<>();
    private final List<String> flagsGiven = new ArrayList<>();
    private final List<String> rest = new ArrayList<>();

    /**
     * Describes a command line.
     *
     * @param usage the usage line, e.g. {@code Evaluate RUN_DIR [--data PATH]}
     * @param positionalNames the positional arguments' names, in order; a last name ending in
     *     {@code ...} is repeatable
     * @param required how many positional arguments must be given
     * @param options the options
     */
    ProgramArguments(String usage, List<String> positionalNames, int required, Option... options) {
        this.usage = usage;
        this.positionalNames = List.copyOf(positionalNames);
        this.required = required;
        this.repeatLast =
                !positionalNames.isEmpty()
                        && positionalNames.get(positionalNames.size() - 1).endsWith("...");
        for (Option option : options) {
            this.options.put(option.flag(), option);
        }
    }

    /**
     * Reads a command line.
     *
     * @param args the arguments
     * @return this
     * @throws IllegalArgumentException with a one-line message if an option is unknown, repeated or
     *     lacks its value, or positional arguments are missing or too many
     */
    ProgramArguments parse(String... args) {
        boolean onlyPositional = false;
        int positionals = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!onlyPositional && "--".equals(arg)) {
                onlyPositional = true;
            } else if (!onlyPositional && arg.startsWith("--")) {
                i = option(args, i);
            } else if (positionals < positionalNames.size() - (repeatLast ? 1 : 0)) {
                given.put(positionalNames.get(positionals++), arg);
            } else if (repeatLast) {
                positionals++;
                rest.add(arg);
            } else {
                Option before = i > 0 ? options.get(args[i - 1]) : null;
                throw new IllegalArgumentException(
                        "Unexpected argument '"
                                + arg
                                + "'"
                                + (before != null && before.metavar() == null
                                        ? " (" + before.flag() + " takes no value)"
                                        : "")
                                + "; usage: "
                                + sentence(usage));
            }
        }
        if (positionals < required) {
            String name = positionalNames.get(Math.min(positionals, positionalNames.size() - 1));
            throw new IllegalArgumentException(
                    "Missing " + name.replace("...", "") + "; usage: " + sentence(usage));
        }
        return this;
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    private int option(String[] args, int i) {
        String flag = args[i];
        Option option = options.get(flag);
        if (option == null) {
            throw new IllegalArgumentException(
                    "Unknown option "
                            + flag
                            + (options.isEmpty()
                                    ? "; it takes none"
                                    : "; allowed: "
                                            + String.join(
                                                    ", ",
                                                    options.values().stream()
                                                            .map(Option::toString)
                                                            .toList()))
                            + " (usage: "
                            + usage
                            + ").");
        }
        if (given.containsKey(flag)) {
            throw new IllegalArgumentException(flag + " is given twice; give it once.");
        }
        if (option.metavar() == null) {
            given.put(flag, "true");
            flagsGiven.add(flag);
            return i;
        }
        if (i + 1 >= args.length || options.containsKey(args[i + 1])) {
            throw new IllegalArgumentException(flag + " needs a value: " + option.allowed() + ".");
        }
        String value = args[i + 1];
        if (value.isBlank()) {
            throw new IllegalArgumentException(
                    flag + " needs " + option.allowed() + ", got '" + value + "'.");
        }
        given.put(flag, value);
        flagsGiven.add(flag);
        flagsGiven.add(value);
        return i + 1;
    }

    /**
     * Returns whether an option or positional argument was given.
     *
     * @param name e.g. {@code --epochs} or {@code MAX_TOKENS}
     * @return whether it was given
     */
    boolean has(String name) {
        return given.containsKey(name);
    }

    /**
     * Returns a value as given.
     *
     * @param name the option or positional argument
     * @param fallback the value if it was not given
     * @return the value
     */
    String text(String name, String fallback) {
        return given.getOrDefault(name, fallback);
    }

    /**
     * Returns the repeated last positional arguments.
     *
     * @return them, in order
     */
    List<String> rest() {
        return List.copyOf(rest);
    }

    /**
     * Returns the options given, with their values, as they were given.
     *
     * @return e.g. {@code --data PATH}
     */
    String[] flags() {
        return flagsGiven.toArray(new String[0]);
    }

    /**
     * Returns a whole number.
     *
     * @param name the option or positional argument
     * @param fallback the value if it was not given
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the value
     * @throws IllegalArgumentException if it is not a whole number in range
     */
    long integer(String name, long fallback, long min, long max) {
        if (!has(name)) {
            return fallback;
        }
        String value = given.get(name);
        String bounds = bounds(min, max);
        long parsed;
        try {
            parsed = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name
                            + " needs a whole number"
                            + (bounds.isEmpty() ? "" : " " + bounds)
                            + ", got '"
                            + value
                            + "'.");
        }
        if (parsed < min || parsed > max) {
            boolean typeLimit = isTypeLimit(max) && parsed > max;
            throw new IllegalArgumentException(
                    name
                            + " must be "
                            + (typeLimit || bounds.isEmpty()
                                    ? "in [" + min + ", " + max + "]"
                                    : bounds)
                            + ", got "
                            + parsed
                            + ".");
        }
        return parsed;
    }

    private static boolean isTypeLimit(long max) {
        return max == Integer.MAX_VALUE || max >= Long.MAX_VALUE / 2;
    }

    private static String bounds(long min, long max) {
        if (!isTypeLimit(max)) {
            return "in [" + min + ", " + max + "]";
        }
        return min <= Integer.MIN_VALUE ? "" : ">= " + min;
    }

    /**
     * Returns a real number.
     *
     * @param name the option or positional argument
     * @param fallback the value if it was not given
     * @param allowed which values are allowed, for the message
     * @param valid whether a parsed value is allowed
     * @return the value
     * @throws IllegalArgumentException if it is not a number, or not allowed
     */
    double real(
            String name,
            double fallback,
            String allowed,
            java.util.function.DoublePredicate valid) {
        if (!has(name)) {
            return fallback;
        }
        String value = given.get(name);
        String text = value.strip().replace("_", "");
        double parsed = REAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
        if (!Double.isFinite(parsed) || !valid.test(parsed)) {
            throw new IllegalArgumentException(
                    name + " needs " + allowed + ", got '" + value + "'.");
        }
        return parsed;
    }

    /**
     * Returns one of a list of words (case does not matter).
     *
     * @param name the option or positional argument
     * @param fallback the value if it was not given
     * @param allowed the words
     * @return the word, in lower case
     * @throws IllegalArgumentException if it is not one of them
     */
    String choice(String name, String fallback, List<String> allowed) {
        if (!has(name)) {
            return fallback;
        }
        String value = given.get(name).strip().toLowerCase(Locale.ROOT);
        if (allowed.contains(value)) {
            return value;
        }
        throw new IllegalArgumentException(
                name
                        + ": unknown value '"
                        + given.get(name)
                        + "'; allowed: "
                        + String.join(", ", allowed)
                        + ".");
    }

    /**
     * Returns a path.
     *
     * @param name the option or positional argument
     * @param fallback the value if it was not given
     * @return the path
     * @throws IllegalArgumentException if it is not a valid path
     */
    Path path(String name, String fallback) {
        String value = given.getOrDefault(name, fallback);
        return value == null ? null : toPath(name, value);
    }

    /**
     * Returns a path given as an argument.
     *
     * @param name the option or positional argument, for the message
     * @param value the text given
     * @return the path
     * @throws IllegalArgumentException if it is not a valid path
     */
    static Path toPath(String name, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    name + " '" + value + "' is not a valid path (" + e.getReason() + ").");
        }
    }

    /**
     * Returns the path of a file or folder that must exist and be readable.
     *
     * @param name the option or positional argument
     * @return the path, or {@code null} if it was not given
     * @throws IllegalArgumentException if it is not found or not readable
     */
    Path existing(String name) {
        Path path = path(name, null);
        if (path == null) {
            return null;
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(name + " " + path + ": file not found.");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(name + " " + path + ": not readable.");
        }
        return path;
    }
}
