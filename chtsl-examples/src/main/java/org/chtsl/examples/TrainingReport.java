package org.chtsl.examples;

import com.google.gson.GsonBuilder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.CheckpointState;
import org.chtsl.training.LayerUpdateRecord;
import org.chtsl.training.OverlapRecorder;
import org.chtsl.training.TopologyUpdateRecord;
import org.chtsl.util.AtomicFiles;
import org.chtsl.util.ProcessMemory;

/**
 * {@code report.json}, the PNG plots and {@code report.html} of a training run. Its history
 * (losses, evaluations, resumes) is part of the run's checkpoint, so the report of a resumed run
 * covers the whole run.
 */
final class TrainingReport implements CheckpointState {

    /** The run finished. */
    static final String COMPLETED = "completed";

    /** The run is under way (the report is rewritten at every evaluation). */
    static final String RUNNING = "running";

    /** The run stopped at a non-finite value; {@link #reason} says where. */
    static final String DIVERGED = "diverged";

    /** The run stopped on an unexpected error; {@link #reason} says which. */
    static final String FAILED = "failed";

    final Map<String, Object> config;
    Map<String, Object> parameters = Map.of();
    final List<Map<String, Object>> evals = new ArrayList<>();
    final List<double[]> trainLosses = new ArrayList<>();
    List<TopologyUpdateRecord> topologyUpdates = List.of();
    List<OverlapRecorder.Entry> overlap = List.of();
    ProjectionSizes sizes = ProjectionSizes.NONE;
    double tokensPerSecond = Double.NaN;
    String status = RUNNING;
    String reason;
    final List<Long> resumedAt = new ArrayList<>();

    TrainingReport(Map<String, Object> config) {
        this.config = config;
    }

    /**
     * Copies what the run's listeners recorded so far, the parameter counts (CHTss' densities decay
     * during training) and the sparse layers' sizes (for the density plot).
     *
     * @param model the run's model, initialized
     * @param setup the run's listeners
     */
    void collect(LlamaModel model, TrainingSetup setup) {
        parameters = TrainLlama.parameters(model);
        sizes = ProjectionSizes.of(model);
        if (setup.topology != null) {
            topologyUpdates = List.copyOf(setup.topology.getHistory());
        }
        if (setup.overlap != null) {
            overlap = List.copyOf(setup.overlap.getHistory());
        }
    }

    void addEval(long step, double loss) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("step", step);
        entry.put("val_loss", loss);
        entry.put("val_ppl", Math.exp(loss));
        evals.add(entry);
    }

    @Override
    public String getStateName() {
        return "report";
    }

    @Override
    public void saveState(DataOutputStream os) throws IOException {
        os.writeInt(trainLosses.size());
        for (double[] point : trainLosses) {
            os.writeLong((long) point[0]);
            os.writeDouble(point[1]);
        }
        os.writeInt(evals.size());
        for (Map<String, Object> entry : evals) {
            os.writeLong(((Number) entry.get("step")).longValue());
            os.writeDouble((double) entry.get("val_loss"));
        }
        os.writeInt(resumedAt.size());
        for (long step : resumedAt) {
            os.writeLong(step);
        }
    }

    @Override
    public void loadState(DataInputStream is) throws IOException {
        trainLosses.clear();
        for (int i = is.readInt(); i > 0; i--) {
            trainLosses.add(new double[] {is.readLong(), is.readDouble()});
        }
        evals.clear();
        for (int i = is.readInt(); i > 0; i--) {
            addEval(is.readLong(), is.readDouble());
        }
        resumedAt.clear();
        for (int i = is.readInt(); i > 0; i--) {
            resumedAt.add(is.readLong());
        }
    }

    /**
     * Writes {@code report.json}, the plots ({@link TrainingPlots}) and {@code report.html} ({@link
     * RunPage}, the plots embedded) into a directory, each file atomically.
     */
    void write(Path dir) throws IOException {
        writeJson(dir);
        Map<String, byte[]> plots = TrainingPlots.draw(this);
        for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
            AtomicFiles.write(dir.resolve(plot.getKey()), os -> os.write(plot.getValue()));
        }
        AtomicFiles.writeString(dir.resolve("report.html"), RunPage.html(this, dir, plots));
    }

    /** Writes {@code report.json} only (atomically), e.g. while the run is under way. */
    void writeJson(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status);
        json.put("reason", reason);
        json.put("resumed_at", resumedAt);
        json.put("config", config);
        json.put("parameters", parameters);
        json.put("evals", evals);
        List<Map<String, Object>> updates = new ArrayList<>();
        for (TopologyUpdateRecord update : topologyUpdates) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", update.step());
            entry.put("seconds", update.seconds());
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerUpdateRecord layer : update.layers()) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("name", layer.name());
                record.put("density", layer.density());
                record.put("removed", layer.removed());
                record.put("regrown", layer.regrown());
                record.put("seconds", layer.seconds());
                record.put("churn", layer.churn());
                record.put("overlap", layer.overlap());
                record.put("coverage", layer.coverage());
                layers.add(record);
            }
            entry.put("layers", layers);
            updates.add(entry);
        }
        json.put("topology_updates", updates);
        List<Map<String, Object>> ocr = new ArrayList<>();
        for (OverlapRecorder.Entry entry : overlap) {
            ocr.add(Map.of("step", entry.step(), "layers", entry.layers()));
        }
        json.put("ocr", ocr);
        // λ·‖∂term/∂S‖ / ‖∂ℒ/∂O‖ per projection: how much the alignment term weighs at its outputs
        List<Map<String, Object>> shares = new ArrayList<>();
        for (OverlapRecorder.Entry entry : overlap) {
            shares.add(Map.of("step", entry.step(), "layers", entry.gradientShares()));
        }
        json.put("alignment_gradient_share", shares);
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("tokens_per_s", Double.isNaN(tokensPerSecond) ? null : tokensPerSecond);
        throughput.put("peak_memory_bytes", ProcessMemory.peakResidentBytes());
        json.put("throughput", throughput);
        json.put(
                "final",
                Map.of(
                        "val_ppl",
                        evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).get("val_ppl")));
        List<Map<String, Object>> losses = new ArrayList<>();
        for (double[] point : trainLosses) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", (long) point[0]);
            entry.put("loss", point[1]);
            losses.add(entry);
        }
        json.put("train_losses", losses);
        AtomicFiles.writeString(
                dir.resolve("report.json"),
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeNulls()
                        .serializeSpecialFloatingPointValues()
                        .create()
                        .toJson(json));
    }
}
