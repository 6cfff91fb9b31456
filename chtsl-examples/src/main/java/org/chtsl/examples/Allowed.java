package org.chtsl.examples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the value of an option or positional argument may be, declared next to its picocli
 * annotation and enforced by {@link ArgumentRule} for every program: the one place where values are
 * validated and their error messages worded.
 */
final class Allowed {

    private Allowed() {}

    /**
     * A whole number in {@code [min, max]}; the bounds default to the range of the field's type.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD})
    @interface Whole {

        /**
         * Returns the smallest value allowed.
         *
         * @return the bound
         */
        long min() default Long.MIN_VALUE;

        /**
         * Returns the largest value allowed.
         *
         * @return the bound
         */
        long max() default Long.MAX_VALUE;
    }

    /** A finite number between {@code min} and {@code max}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD})
    @interface Real {

        /**
         * Returns the lower bound.
         *
         * @return the bound
         */
        double min();

        /**
         * Returns whether the lower bound itself is allowed.
         *
         * @return whether it is
         */
        boolean minIncluded() default true;

        /**
         * Returns the upper bound ({@link Double#MAX_VALUE}: none but finiteness).
         *
         * @return the bound
         */
        double max() default Double.MAX_VALUE;

        /**
         * Returns whether the upper bound itself is allowed.
         *
         * @return whether it is
         */
        boolean maxIncluded() default true;

        /**
         * Returns what a message adds about the value, e.g. {@code (0: greedy)}.
         *
         * @return the note, or empty
         */
        String note() default "";
    }

    /** A path to a file or folder. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD})
    @interface PathTo {

        /**
         * Returns what the path names, for messages, e.g. {@code a folder}.
         *
         * @return the description
         */
        String value();

        /**
         * Returns whether the path must exist and be readable.
         *
         * @return whether it must
         */
        boolean exists() default false;

        /**
         * Returns whether the path must be a regular file (not a folder).
         *
         * @return whether it must
         */
        boolean file() default false;
    }
}
