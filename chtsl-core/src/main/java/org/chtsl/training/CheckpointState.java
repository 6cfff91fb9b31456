package org.chtsl.training;

import ai.djl.MalformedModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A part of a run's state that {@link TrainingCheckpoint} saves and restores besides the model and
 * the optimizer: a listener's counters and history, a program's report. Each part is stored under
 * its name, so a checkpoint restores only into a run with the same parts.
 */
public interface CheckpointState {

    /**
     * Returns the part's name in the checkpoint (unique within one run).
     *
     * @return the name
     */
    String getStateName();

    /**
     * Writes the state.
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    void saveState(DataOutputStream os) throws IOException;

    /**
     * Restores the state written by {@link #saveState}.
     *
     * @param is the stream, holding exactly what {@link #saveState} wrote
     * @throws IOException if reading fails
     * @throws MalformedModelException if the state does not fit this object
     */
    void loadState(DataInputStream is) throws IOException, MalformedModelException;

    /**
     * Reads a part's state version byte and refuses another version.
     *
     * @param is the stream, at the version byte
     * @param part what the state is, e.g. {@code "topology"}
     * @param expected the version this build reads
     * @throws IOException if reading fails
     * @throws MalformedModelException if the saved version is another
     */
    static void readVersion(DataInputStream is, String part, byte expected)
            throws IOException, MalformedModelException {
        byte version = is.readByte();
        if (version != expected) {
            throw new MalformedModelException(
                    "The checkpoint's "
                            + part
                            + " state has version "
                            + version
                            + "; this build reads version "
                            + expected
                            + ". Start the run again.");
        }
    }
}
