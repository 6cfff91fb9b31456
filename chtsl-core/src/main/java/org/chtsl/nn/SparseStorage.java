package org.chtsl.nn;

/**
 * How a {@link SparseLinear} holds its sparse weight.
 *
 * <p>Both forms compute the same function with the same arithmetic: the forward multiplies the
 * input by the dense matrix {@code W⊙M}, and an active link's gradient is the same number. They
 * differ in what is kept between steps, and so in memory, optimizer work and file size.
 */
public enum SparseStorage {

    /**
     * A dense weight {@code W} of shape {@code (units, in)} and a dense 0/1 mask of the same shape
     * (a parameter that never trains): 4 + 4 bytes per position, plus a dense gradient and dense
     * Adam moments. Every rule works with it, including those that rank inactive links by their
     * dense gradient (RigL, MEST, GraNet's regrowth).
     */
    DENSE_MASKED,

    /**
     * Only the active links: a vector of values (the trainable parameter, its gradient and its Adam
     * moments all of that length) and the list of their flat positions {@code row·in + column}
     * (sorted, saved as 32-bit integers). The dense matrix exists only transiently inside the
     * forward and backward pass. About 0.12–0.15× the state of {@link #DENSE_MASKED} at 10%
     * density. Inactive links have no gradient, so rules that need a dense gradient cannot run.
     */
    COMPACT;

    /**
     * Parses a storage name as written on command lines: {@code compact} or {@code dense-masked}
     * (case-insensitive, {@code _} allowed for {@code -}).
     *
     * @param name the name
     * @return the storage
     * @throws IllegalArgumentException if the name is neither
     */
    public static SparseStorage fromName(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        switch (normalized.replace('_', '-')) {
            case "compact":
                return COMPACT;
            case "dense-masked":
                return DENSE_MASKED;
            default:
                throw new IllegalArgumentException(
                        "Unknown sparse storage '" + name + "'; allowed: compact, dense-masked.");
        }
    }

    /**
     * Returns the name {@link #fromName(String)} reads: {@code compact} or {@code dense-masked}.
     *
     * @return the command-line name
     */
    public String optionName() {
        return this == COMPACT ? "compact" : "dense-masked";
    }
}
