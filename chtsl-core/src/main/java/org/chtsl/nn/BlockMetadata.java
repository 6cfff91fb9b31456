package org.chtsl.nn;

import ai.djl.MalformedModelException;

/** Checks shared by the builders and the {@code loadMetadata} of chtsl's blocks. */
public final class BlockMetadata {

    private BlockMetadata() {}

    /**
     * Checks the number of output features a builder was given.
     *
     * @param block the block's name
     * @param units the output features
     * @throws IllegalArgumentException if units are below 1 (or were never set)
     */
    public static void checkUnits(String block, long units) {
        if (units < 1) {
            throw new IllegalArgumentException(
                    block + " needs setUnits(n) with n >= 1 output features, got " + units + ".");
        }
    }

    /**
     * Checks the version byte of saved parameters.
     *
     * @param block the block's name
     * @param loaded the version read
     * @param expected the version this code writes
     * @throws MalformedModelException if they differ
     */
    public static void checkVersion(String block, byte loaded, byte expected)
            throws MalformedModelException {
        if (loaded != expected) {
            throw new MalformedModelException(
                    "Unsupported " + block + " version " + loaded + ", expected " + expected + ".");
        }
    }

    /**
     * Checks that saved parameters were written by a block built like this one.
     *
     * @param block the block's name
     * @param saved the saved structure, as text
     * @param built this block's structure, as text
     * @throws MalformedModelException if they differ
     */
    public static void checkSame(String block, String saved, String built)
            throws MalformedModelException {
        if (!saved.equals(built)) {
            throw new MalformedModelException(
                    "Saved "
                            + block
                            + " has "
                            + saved
                            + " but this block was built with "
                            + built
                            + ".");
        }
    }
}
