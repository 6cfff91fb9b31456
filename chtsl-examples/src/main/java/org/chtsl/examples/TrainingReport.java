package org.chtsl.examples;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.training.LayerUpdateRecord;
import org.chtsl.training.OverlapRecorder;
import org.chtsl.training.TopologyUpdateRecord;
import org.chtsl.util.AtomicFiles;
import org.chtsl.util.ProcessMemory;

/** {@code report.json} and the PNG plots of a training run. */
final class TrainingReport {

    final Map<String, Object> config;
    Map<String, Object> parameters = Map.of();
    final List<Map<String, Object>> evals = new ArrayList<>();
    final List<double[]> trainLosses = new ArrayList<>();
    List<TopologyUpdateRecord> topologyUpdates = List.of();
    List<OverlapRecorder.Entry> overlap = List.of();
    double tokensPerSecond = Double.NaN;

    TrainingReport(Map<String, Object> config) {
        this.config = config;
    }

    void addEval(long step, double loss) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("step", step);
        entry.put("val_loss", loss);
        entry.put("val_ppl", Math.exp(loss));
        evals.add(entry);
    }

    /** Writes {@code report.json} (atomically) and the plots into a directory. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
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
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("tokens_per_s", Double.isNaN(tokensPerSecond) ? null : tokensPerSecond);
        throughput.put("peak_memory_bytes", ProcessMemory.peakResidentBytes());
        json.put("throughput", throughput);
        json.put(
                "final",
                Map.of(
                        "val_ppl",
                        evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).get("val_ppl")));
        json.put("train_losses", trainLosses);
        AtomicFiles.writeString(
                dir.resolve("report.json"),
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeNulls()
                        .serializeSpecialFloatingPointValues()
                        .create()
                        .toJson(json));
        plots(dir);
    }

    private void plots(Path dir) throws IOException {
        LineChart loss = new LineChart("Loss", "step", "cross-entropy");
        trainLosses.forEach(point -> loss.add("train", point[0], point[1]));
        evals.forEach(
                e ->
                        loss.add(
                                "validation",
                                ((Number) e.get("step")).doubleValue(),
                                (double) e.get("val_loss")));
        loss.write(dir.resolve("loss.png"));
        LineChart ppl = new LineChart("Validation perplexity", "step", "PPL");
        evals.forEach(
                e ->
                        ppl.add(
                                "validation",
                                ((Number) e.get("step")).doubleValue(),
                                (double) e.get("val_ppl")));
        ppl.write(dir.resolve("ppl.png"));
        LineChart density = new LineChart("Density per layer", "step", "density");
        for (TopologyUpdateRecord update : topologyUpdates) {
            for (LayerUpdateRecord layer : update.layers()) {
                density.add(layer.name(), update.step(), layer.density());
            }
        }
        density.write(dir.resolve("density.png"));
        LineChart ocr = new LineChart("Overlap cancellation ratio (q, k, v, o)", "step", "OCR");
        for (OverlapRecorder.Entry entry : overlap) {
            entry.layers()
                    .forEach(
                            (name, value) -> {
                                if (name.contains("self_attn")) {
                                    ocr.add(name.replace(".self_attn", ""), entry.step(), value);
                                }
                            });
        }
        ocr.write(dir.resolve("ocr.png"));
    }
}
