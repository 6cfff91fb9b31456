package org.chtsl.examples;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.chtsl.nn.AlignmentForm;
import org.chtsl.nn.LowRankActivation;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * The strict text-to-value conversions of every program: whole numbers (underscores allowed, no
 * decimals), finite decimal numbers (no {@code NaN}, {@code Infinity}, hexadecimal or type
 * suffixes) and paths (not blank). A failure says only what was wrong; {@link ArgumentRule} names
 * the option and what it allows.
 */
final class ValueConverters {

    private static final Pattern REAL =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private ValueConverters() {}

    /**
     * The text is not a value of the option's type; {@link ArgumentRule#allowed()} says which are.
     */
    static final class NotAllowed extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        NotAllowed() {
            super("");
        }

        /**
         * A failure that says itself what is allowed.
         *
         * @param allowed e.g. {@code d_conn:d_spec as two whole numbers}
         */
        NotAllowed(String allowed) {
            super(allowed);
        }
    }

    /** A whole number beyond the range of the option's type. */
    static final class OutOfTypeRange extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        final long value;

        OutOfTypeRange(long value) {
            super(String.valueOf(value));
            this.value = value;
        }
    }

    /** Text that the file system does not accept as a path. */
    static final class InvalidPath extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        InvalidPath(String reason) {
            super(reason);
        }
    }

    /**
     * Registers the conversions on a command line (for its options and positional arguments).
     *
     * @param commandLine the command line
     */
    static void register(CommandLine commandLine) {
        commandLine.registerConverter(Long.class, ValueConverters::whole);
        commandLine.registerConverter(Long.TYPE, ValueConverters::whole);
        commandLine.registerConverter(Integer.class, ValueConverters::integer);
        commandLine.registerConverter(Integer.TYPE, ValueConverters::integer);
        commandLine.registerConverter(Double.class, ValueConverters::real);
        commandLine.registerConverter(Double.TYPE, ValueConverters::real);
        commandLine.registerConverter(Float.class, ValueConverters::single);
        commandLine.registerConverter(Float.TYPE, ValueConverters::single);
        commandLine.registerConverter(Path.class, ValueConverters::path);
        commandLine.registerConverter(
                AlignmentForm.class, text -> constant(AlignmentForm.class, text));
        commandLine.registerConverter(
                LowRankActivation.class, text -> constant(LowRankActivation.class, text));
    }

    /** An enum constant by name, in any case. */
    static <E extends Enum<E>> E constant(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.strip())) {
                return constant;
            }
        }
        throw new NotAllowed("one of " + String.join(", ", names(type)) + " (any case)");
    }

    /** An enum's constants in lower case, as help texts and messages show them. */
    static List<String> names(Class<? extends Enum<?>> type) {
        List<String> names = new ArrayList<>();
        for (Enum<?> constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    static long whole(String text) {
        try {
            return Long.parseLong(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new NotAllowed();
        }
    }

    static int integer(String text) {
        long value = whole(text);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new OutOfTypeRange(value);
        }
        return (int) value;
    }

    static double real(String text) {
        String plain = text.strip().replace("_", "");
        double value = REAL.matcher(plain).matches() ? Double.parseDouble(plain) : Double.NaN;
        if (!Double.isFinite(value)) {
            throw new NotAllowed();
        }
        return value;
    }

    static float single(String text) {
        float value = (float) real(text);
        if (!Float.isFinite(value)) {
            throw new NotAllowed();
        }
        return value;
    }

    static Path path(String text) {
        if (text.isBlank()) {
            throw new NotAllowed();
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidPath(e.getReason());
        }
    }
}
