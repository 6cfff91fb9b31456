package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.chtsl.examples.plot.SmallMultiples;
import org.chtsl.training.LayerUpdateRecord;
import org.chtsl.training.OverlapRecorder;
import org.chtsl.training.TopologyUpdateRecord;
import org.testng.annotations.Test;

/**
 * What {@link TrainingReport#write} puts in a run folder besides report.json: the plots, and
 * report.html with every plot embedded, nothing fetched from elsewhere, every value escaped.
 */
public class RunPageTest {

    private static final List<String> KINDS =
            List.of(
                    "self_attn.q",
                    "self_attn.k",
                    "self_attn.v",
                    "self_attn.o",
                    "mlp.gate",
                    "mlp.up",
                    "mlp.down");

    /** A report of a model with {@code layers} decoder layers, OCR and topology updates. */
    private static TrainingReport report(int layers, Map<String, Object> config) {
        TrainingReport report = new TrainingReport(config);
        for (int step = 1; step <= 60; step++) {
            report.trainLosses.add(new double[] {step, 10 - step / 10.0});
        }
        report.addEval(30, 7.5);
        report.addEval(60, 6.5);
        Map<String, ProjectionSizes.Layer> sizes = new LinkedHashMap<>();
        List<LayerUpdateRecord> records = new ArrayList<>();
        Map<String, Double> ocr = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            for (String kind : KINDS) {
                String projection = "layers." + l + "." + kind + "_proj";
                sizes.put(projection + ".sparse", new ProjectionSizes.Layer(64 * 64, 512, 0.05));
                records.add(
                        new LayerUpdateRecord(
                                projection + ".sparse", 0.05, 7, 7, 0, 0.03, 0.9, 0.1));
                ocr.put(projection, 0.4);
            }
        }
        report.sizes = new ProjectionSizes(sizes);
        report.topologyUpdates =
                List.of(
                        new TopologyUpdateRecord(20, 0.1, records),
                        new TopologyUpdateRecord(40, 0.1, records));
        report.overlap =
                List.of(
                        new OverlapRecorder.Entry(30, ocr, ocr),
                        new OverlapRecorder.Entry(60, ocr, ocr));
        report.status = TrainingReport.COMPLETED;
        return report;
    }

    @Test
    public void thePageEmbedsEveryPlotAndFetchesNothing() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "tiny");
        config.put("method", "chtsl");
        config.put("sparsity", 0.9);
        config.put("data", "corpus <b>&\"quoted\"</b>.txt");
        Path dir = Files.createTempDirectory("chtsl-page");
        report(2, config).write(dir);
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        List<Path> plots;
        try (Stream<Path> files = Files.list(dir)) {
            plots = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(
                plots.stream().map(p -> p.getFileName().toString()).toList(),
                List.of("density.png", "loss.png", "ocr.png", "ppl.png"));
        for (Path plot : plots) {
            String uri =
                    "data:image/png;base64,"
                            + Base64.getEncoder().encodeToString(Files.readAllBytes(plot));
            assertTrue(html.contains(uri), plot.getFileName() + " is embedded as written");
        }
        Matcher sources = Pattern.compile("(src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (sources.find()) {
            assertTrue(sources.group(2).startsWith("data:image/png;base64,"), sources.group());
            images++;
        }
        assertEquals(images, 4);
        assertFalse(html.contains("http"), "no link to anything elsewhere");
        assertFalse(html.contains("<script"), "no script");
        assertTrue(
                html.contains("corpus &lt;b&gt;&amp;&quot;quoted&quot;&lt;/b&gt;.txt"), "escaped");
        assertFalse(html.contains("<b>"), "a value's markup is text, not markup");
        assertTrue(html.contains("<details>"), "the layers' rows are collapsed");
        // the details: a header and a row per layer (2 × 7) and update (2)
        String details = html.substring(html.indexOf("<details>"), html.indexOf("</details>"));
        assertEquals(count(details, "<tr>"), 1 + 2 * 14);
    }

    @Test
    public void everyFileWrittenIsARunFile() throws Exception {
        Path dir = Files.createTempDirectory("chtsl-page-files");
        report(1, new LinkedHashMap<>()).write(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertTrue(
                        RunDirectory.RUN_FILES.contains(file.getFileName().toString()),
                        file.getFileName() + " is set aside and cleaned like the other run files");
            }
        }
        assertTrue(RunDirectory.RUN_FILES.contains("report.html"));
    }

    @Test
    public void aSixtyMillionModelHasAnOcrPanelPerLayerAndProjection() {
        // LLaMA-60m: 8 layers × 7 projections
        TrainingReport report = report(8, Map.of());
        SmallMultiples ocr = OcrPlot.grid(report.overlap, "").orElseThrow();
        assertEquals(ocr.rows(), 8);
        assertEquals(ocr.columns(), 7);
        assertEquals(ocr.panelCount(), 56);
        SmallMultiples density =
                DensityPlot.perLayer(
                                DensityHistory.of(
                                        report.topologyUpdates, report.sizes, Map.of(), 60))
                        .orElseThrow();
        // one panel per projection kind, four to a row
        assertEquals(density.rows(), 2);
        assertEquals(density.columns(), 4);
        assertEquals(density.panelCount(), 7);
        assertTrue(OcrPlot.grid(List.of(), "").isEmpty());
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
