package org.chtsl.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chtsl.util.AtomicFiles;

/**
 * A resumable snapshot of a run in one file: the model's parameters (masks included), the
 * optimizer's state, the topology listener's state, and the progress (step, seed, data position).
 * It is written to a temporary file next to the target and renamed over it, so a crash never leaves
 * a half-written checkpoint.
 */
public final class TrainingCheckpoint {

    private static final String MAGIC = "chtsl-checkpoint";
    private static final int VERSION = 1;

    private TrainingCheckpoint() {}

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the checkpoint file
     * @param model the model
     * @param optimizer the optimizer (attached to the model)
     * @param topology the topology listener, or {@code null} for methods without one
     * @param progress where the run stands
     * @throws IOException if writing fails (the previous checkpoint, if any, is kept)
     */
    public static void save(
            Path file,
            Block model,
            MaskedAdam optimizer,
            DynamicSparseTraining topology,
            TrainingProgress progress)
            throws IOException {
        AtomicFiles.write(
                file,
                os -> {
                    os.writeUTF(MAGIC);
                    os.writeInt(VERSION);
                    os.writeLong(progress.step());
                    os.writeLong(progress.seed());
                    os.writeLong(progress.samplesSeen());
                    model.saveParameters(os);
                    optimizer.saveState(os);
                    os.writeBoolean(topology != null);
                    if (topology != null) {
                        topology.saveState(os);
                    }
                });
    }

    /**
     * Restores only the model's parameters from a checkpoint (for evaluation or generation).
     *
     * @param file the checkpoint file
     * @param model the model, built like the saved one
     * @param manager the manager of the model's parameters
     * @return where the saved run stood
     * @throws IOException if reading fails
     * @throws MalformedModelException if the file is not a checkpoint of this kind of model
     */
    public static TrainingProgress loadModel(Path file, Block model, NDManager manager)
            throws IOException, MalformedModelException {
        try (DataInputStream is =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            TrainingProgress progress = readHeader(file, is);
            model.loadParameters(manager, is);
            return progress;
        }
    }

    private static TrainingProgress readHeader(Path file, DataInputStream is)
            throws IOException, MalformedModelException {
        if (!MAGIC.equals(is.readUTF()) || is.readInt() != VERSION) {
            throw new MalformedModelException(
                    file + " is not a chtsl checkpoint of version " + VERSION + ".");
        }
        return new TrainingProgress(is.readLong(), is.readLong(), is.readLong());
    }

    /**
     * Restores a checkpoint into a model, optimizer and listener built like the saved ones.
     *
     * @param file the checkpoint file
     * @param model the model (its parameters are replaced)
     * @param manager the manager of the model's parameters
     * @param optimizer the optimizer (attached to the model)
     * @param topology the topology listener, or {@code null}
     * @return where the saved run stood
     * @throws IOException if reading fails
     * @throws MalformedModelException if the file is not a checkpoint of this kind of model
     */
    public static TrainingProgress load(
            Path file,
            Block model,
            NDManager manager,
            MaskedAdam optimizer,
            DynamicSparseTraining topology)
            throws IOException, MalformedModelException {
        try (DataInputStream is =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            TrainingProgress progress = readHeader(file, is);
            model.loadParameters(manager, is);
            optimizer.loadState(is, manager);
            boolean hasTopology = is.readBoolean();
            if (hasTopology != (topology != null)) {
                throw new MalformedModelException(
                        "The checkpoint "
                                + (hasTopology ? "has" : "lacks")
                                + " topology state, but the run "
                                + (topology != null ? "has" : "lacks")
                                + " a topology listener.");
            }
            if (topology != null) {
                topology.loadState(is);
            }
            return progress;
        }
    }
}
