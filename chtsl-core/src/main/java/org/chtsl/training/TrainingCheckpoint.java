package org.chtsl.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.util.ChecksummedFiles;

/**
 * A resumable snapshot of a run in one file: where the run stands ({@link TrainingProgress}), a
 * description of the run (for example its options, so a resume can refuse other ones), the model's
 * parameters (masks included), the optimizer's state and named {@link CheckpointState parts} (the
 * topology listener, recorders, a program's report).
 *
 * <p>The file is written to a temporary file next to the target and renamed over it, so a crash
 * never leaves a half-written checkpoint; its payload carries a CRC-32C that is verified before
 * anything is loaded, so a truncated or altered file is rejected with nothing changed.
 */
public final class TrainingCheckpoint {

    private static final String FORMAT = "chtsl-checkpoint";
    private static final int VERSION = 5;

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
        save(file, model, optimizer, progress, Map.of(), parts(topology));
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the checkpoint file
     * @param model the model
     * @param optimizer the optimizer (attached to the model)
     * @param progress where the run stands
     * @param description what the run is, e.g. its options (read back by {@link #readDescription})
     * @param parts more state, each under its own name
     * @throws IOException if writing fails (the previous checkpoint, if any, is kept)
     */
    public static void save(
            Path file,
            Block model,
            MaskedAdam optimizer,
            TrainingProgress progress,
            Map<String, String> description,
            List<? extends CheckpointState> parts)
            throws IOException {
        ChecksummedFiles.write(
                file,
                FORMAT,
                VERSION,
                os -> {
                    os.writeLong(progress.step());
                    os.writeLong(progress.seed());
                    os.writeLong(progress.samplesSeen());
                    os.writeInt(description.size());
                    for (Map.Entry<String, String> entry : description.entrySet()) {
                        os.writeUTF(entry.getKey());
                        os.writeUTF(entry.getValue());
                    }
                    // the parts' names come first, so a load can refuse before it changes anything
                    os.writeInt(parts.size());
                    for (CheckpointState part : parts) {
                        os.writeUTF(part.getStateName());
                    }
                    model.saveParameters(os);
                    optimizer.saveState(os);
                    for (CheckpointState part : parts) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        try (DataOutputStream partStream = new DataOutputStream(bytes)) {
                            part.saveState(partStream);
                        }
                        os.writeInt(bytes.size());
                        bytes.writeTo(os);
                    }
                });
    }

    /**
     * Reads where a saved run stood and its description, after verifying the file.
     *
     * @param file the checkpoint file
     * @return the description written with it (empty if none)
     * @throws IOException if reading fails, or the file is corrupt ({@link
     *     org.chtsl.util.CorruptFileException})
     */
    public static Description readDescription(Path file) throws IOException {
        try (DataInputStream is = ChecksummedFiles.open(file, FORMAT, VERSION)) {
            return readHeader(is);
        }
    }

    /**
     * Where a saved run stood and what it was.
     *
     * @param progress the step, seed and data position
     * @param description the run's description, e.g. its options
     * @param parts the names of the saved {@link CheckpointState parts}, in order
     */
    public record Description(
            TrainingProgress progress, Map<String, String> description, List<String> parts) {}

    private static Description readHeader(DataInputStream is) throws IOException {
        TrainingProgress progress =
                new TrainingProgress(is.readLong(), is.readLong(), is.readLong());
        int entries = is.readInt();
        Map<String, String> description = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            description.put(is.readUTF(), is.readUTF());
        }
        int parts = is.readInt();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            names.add(is.readUTF());
        }
        return new Description(
                progress, Collections.unmodifiableMap(description), List.copyOf(names));
    }

    /**
     * Loads a model's parameters and closes the arrays they replace: DJL's {@code Parameter.load}
     * sets new arrays and leaves the initialised ones on the manager, a second copy of the model.
     */
    private static void loadParameters(Block model, NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        Map<Parameter, NDArray> before = new IdentityHashMap<>();
        for (Parameter parameter : model.getParameters().values()) {
            if (parameter.isInitialized()) {
                before.put(parameter, parameter.getArray());
            }
        }
        model.loadParameters(manager, is);
        before.forEach(
                (parameter, array) -> {
                    if (parameter.getArray() != array) {
                        array.close();
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
     * @throws IOException if reading fails, or the file is corrupt (nothing is loaded then)
     * @throws MalformedModelException if the file is not a checkpoint of this kind of model
     */
    public static TrainingProgress loadModel(Path file, Block model, NDManager manager)
            throws IOException, MalformedModelException {
        try (DataInputStream is = ChecksummedFiles.open(file, FORMAT, VERSION)) {
            TrainingProgress progress = readHeader(is).progress();
            loadParameters(model, manager, is);
            return progress;
        }
    }

    /**
     * Restores a checkpoint into a model, optimizer and listener built like the saved ones. Load it
     * before the trainer is initialised: DJL's trainer keeps the arrays it saw at initialisation.
     *
     * @param file the checkpoint file
     * @param model the model (its parameters are replaced)
     * @param manager the manager of the model's parameters
     * @param optimizer the optimizer (attached to the model)
     * @param topology the topology listener, or {@code null}
     * @return where the saved run stood
     * @throws IOException if reading fails, or the file is corrupt (nothing is loaded then)
     * @throws MalformedModelException if the file is not a checkpoint of this kind of model
     */
    public static TrainingProgress load(
            Path file,
            Block model,
            NDManager manager,
            MaskedAdam optimizer,
            DynamicSparseTraining topology)
            throws IOException, MalformedModelException {
        return load(file, model, manager, optimizer, parts(topology));
    }

    /**
     * Restores a checkpoint into a model, optimizer and parts built like the saved ones. Load it
     * before the trainer is initialised: DJL's trainer keeps the arrays it saw at initialisation.
     *
     * @param file the checkpoint file
     * @param model the model (its parameters are replaced)
     * @param manager the manager of the model's parameters
     * @param optimizer the optimizer (attached to the model)
     * @param parts the parts to restore; the checkpoint must hold exactly these names, in order
     * @return where the saved run stood
     * @throws IOException if reading fails, or the file is corrupt (nothing is loaded then)
     * @throws MalformedModelException if the file is not a checkpoint of this kind of run
     */
    public static TrainingProgress load(
            Path file,
            Block model,
            NDManager manager,
            MaskedAdam optimizer,
            List<? extends CheckpointState> parts)
            throws IOException, MalformedModelException {
        try (DataInputStream is = ChecksummedFiles.open(file, FORMAT, VERSION)) {
            Description header = readHeader(is);
            List<String> expected = parts.stream().map(CheckpointState::getStateName).toList();
            if (!header.parts().equals(expected)) {
                throw new MalformedModelException(
                        file
                                + " holds the state of "
                                + describe(header.parts())
                                + ", but this run has "
                                + describe(expected)
                                + "; nothing was loaded.");
            }
            TrainingProgress progress = header.progress();
            loadParameters(model, manager, is);
            optimizer.loadState(is, manager);
            for (CheckpointState part : parts) {
                byte[] state = is.readNBytes(is.readInt());
                try (DataInputStream partStream =
                        new DataInputStream(new ByteArrayInputStream(state))) {
                    part.loadState(partStream);
                }
            }
            return progress;
        }
    }

    private static String describe(List<String> names) {
        return names.isEmpty() ? "nothing besides model and optimizer" : String.join(", ", names);
    }

    private static List<CheckpointState> parts(DynamicSparseTraining topology) {
        return topology == null ? List.of() : List.of(topology);
    }
}
