package org.chtsl.examples;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * The rule of one option or positional argument, read from its declaration: its {@link Allowed}
 * annotation, its type and its completion candidates (the choices of a word). It words every
 * message about a value the same way: the option (or argument), the value given and what is
 * allowed. A value given is always checked and used: 0 is a value, never "the default".
 */
final class ArgumentRule {

    private final ArgSpec spec;

    /**
     * The rule of an option or argument.
     *
     * @param spec its picocli model
     */
    ArgumentRule(ArgSpec spec) {
        this.spec = spec;
    }

    /**
     * Returns how messages name an option or argument: its long name, or its label.
     *
     * @param spec the option or argument
     * @return e.g. {@code --steps} or {@code RUN_DIR}
     */
    static String name(ArgSpec spec) {
        return spec.isOption() ? ((OptionSpec) spec).longestName() : spec.paramLabel();
    }

    /**
     * Returns what the value may be.
     *
     * @return e.g. {@code a whole number in [1, 65536]}
     */
    String allowed() {
        Allowed.PathTo path = annotation(Allowed.PathTo.class);
        Allowed.Real real = annotation(Allowed.Real.class);
        List<String> choices = choices();
        if (path != null) {
            return path.value();
        } else if (real != null) {
            return describe(real);
        } else if (isWhole()) {
            String bounds = bounds(min(), max(), typeMax());
            return "a whole number" + (bounds.isEmpty() ? "" : " " + bounds);
        } else if (isReal()) {
            return "a finite number";
        } else if (choices != null) {
            return "one of " + String.join(", ", choices);
        }
        return "a value";
    }

    /**
     * Words a value that could not be converted.
     *
     * @param text the value as given
     * @param cause why it could not
     * @return the exception to report
     */
    IllegalArgumentException notConverted(String text, TypeConversionException cause) {
        if (cause instanceof ValueConverters.OutOfTypeRange range) {
            return outOfRange(name(spec), range.value, min(), max(), typeMax(), "");
        }
        if (cause instanceof ValueConverters.InvalidPath) {
            return new IllegalArgumentException(
                    name(spec)
                            + " '"
                            + text
                            + "' is not a valid path ("
                            + cause.getMessage()
                            + ").");
        }
        String allowed = cause.getMessage().isEmpty() ? allowed() : cause.getMessage();
        return new IllegalArgumentException(
                name(spec) + " needs " + allowed + ", got '" + text + "'.");
    }

    /**
     * Checks a converted value against the declared rule; a word is put in lower case.
     *
     * @throws IllegalArgumentException if the value is not allowed
     */
    void check() {
        Object value = spec.getValue();
        if (value == null) {
            return;
        }
        String name = name(spec);
        if (value instanceof Number number && isWhole()) {
            long whole = number.longValue();
            if (whole < min() || whole > max()) {
                throw outOfRange(name, whole, min(), max(), typeMax(), "");
            }
        } else if (value instanceof Number number && isReal()) {
            Allowed.Real real = annotation(Allowed.Real.class);
            if (real != null && !within(number.doubleValue(), real)) {
                throw new IllegalArgumentException(
                        name + " needs " + allowed() + ", got '" + given() + "'.");
            }
        } else if (value instanceof Path path) {
            checkPath(name, path);
        } else if (value instanceof String word && choices() != null) {
            String normal = word.strip().toLowerCase(Locale.ROOT);
            if (!choices().contains(normal)) {
                throw new IllegalArgumentException(
                        name
                                + ": unknown value '"
                                + word
                                + "'; allowed: "
                                + String.join(", ", choices())
                                + ".");
            }
            spec.setValue(normal);
        }
    }

    /**
     * Checks a whole number against bounds that depend on other options.
     *
     * @param name the option
     * @param value the value given
     * @param min the smallest allowed
     * @param max the largest allowed
     * @param why what the message adds, e.g. {@code (it must be below --steps 300)}
     * @throws IllegalArgumentException naming the option, the bounds and the value
     */
    static void requireWhole(String name, long value, long min, long max, String why) {
        if (value < min || value > max) {
            throw outOfRange(name, value, min, max, Long.MAX_VALUE, why);
        }
    }

    private static IllegalArgumentException outOfRange(
            String name, long value, long min, long max, long typeMax, String why) {
        String bounds = bounds(min, max, typeMax);
        boolean beyondType = value > max && max == typeMax;
        return new IllegalArgumentException(
                name
                        + " must be "
                        + (beyondType || bounds.isEmpty()
                                ? "in [" + min + ", " + max + "]"
                                : bounds)
                        + ", got "
                        + value
                        + why
                        + ".");
    }

    /**
     * {@code in [min, max]}, {@code >= min} up to the type's limit, or empty for the whole type.
     */
    private static String bounds(long min, long max, long typeMax) {
        if (max < typeMax) {
            return "in [" + min + ", " + max + "]";
        }
        return min <= -typeMax - 1 ? "" : ">= " + min;
    }

    private void checkPath(String name, Path path) {
        Allowed.PathTo rule = annotation(Allowed.PathTo.class);
        if (rule == null) {
            return;
        }
        if (rule.exists() && !Files.exists(path)) {
            throw new IllegalArgumentException(name + " " + path + ": file not found.");
        }
        if (rule.exists() && !Files.isReadable(path)) {
            throw new IllegalArgumentException(name + " " + path + ": not readable.");
        }
        if (rule.file() && Files.isDirectory(path)) {
            throw new IllegalArgumentException(
                    name + " " + path + " is a folder; give " + rule.value() + ".");
        }
    }

    private static boolean within(double value, Allowed.Real rule) {
        boolean above = rule.minIncluded() ? value >= rule.min() : value > rule.min();
        boolean below = rule.maxIncluded() ? value <= rule.max() : value < rule.max();
        return above && below;
    }

    private static String describe(Allowed.Real rule) {
        String text =
                rule.max() == Double.MAX_VALUE
                        ? "a finite number "
                                + (rule.minIncluded() ? ">= " : "> ")
                                + plain(rule.min())
                        : "a number in "
                                + (rule.minIncluded() ? "[" : "(")
                                + plain(rule.min())
                                + ", "
                                + plain(rule.max())
                                + (rule.maxIncluded() ? "]" : ")");
        return rule.note().isEmpty() ? text : text + " " + rule.note();
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
    }

    private String given() {
        List<String> texts = spec.originalStringValues();
        return texts.isEmpty() ? String.valueOf(spec.getValue()) : texts.get(texts.size() - 1);
    }

    private List<String> choices() {
        Iterable<String> candidates = spec.completionCandidates();
        if (candidates == null || spec.type() != String.class) {
            return null;
        }
        List<String> choices = new ArrayList<>();
        candidates.forEach(choices::add);
        return choices;
    }

    private boolean isWhole() {
        Class<?> type = spec.type();
        return type == Long.class
                || type == Long.TYPE
                || type == Integer.class
                || type == Integer.TYPE;
    }

    private boolean isReal() {
        Class<?> type = spec.type();
        return type == Double.class
                || type == Double.TYPE
                || type == Float.class
                || type == Float.TYPE;
    }

    private long typeMax() {
        Class<?> type = spec.type();
        return type == Integer.class || type == Integer.TYPE ? Integer.MAX_VALUE : Long.MAX_VALUE;
    }

    private long min() {
        Allowed.Whole rule = annotation(Allowed.Whole.class);
        return Math.max(rule == null ? Long.MIN_VALUE : rule.min(), -typeMax() - 1);
    }

    private long max() {
        Allowed.Whole rule = annotation(Allowed.Whole.class);
        return Math.min(rule == null ? Long.MAX_VALUE : rule.max(), typeMax());
    }

    private <A extends Annotation> A annotation(Class<A> type) {
        return spec.userObject() instanceof AnnotatedElement element
                ? element.getAnnotation(type)
                : null;
    }
}
