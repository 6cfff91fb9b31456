package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.ProjectionKind;
import org.testng.annotations.Test;

public class TrainLlamaTest {

    private static JsonObject report(Path dir) throws Exception {
        return JsonParser.parseString(
                        Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    @Test
    public void dryRunWritesACompleteReportForEveryMethod() throws Exception {
        for (String method : Methods.names()) {
            Path out = Files.createTempDirectory("chtsl-dry-" + method);
            TrainLlama.run(
                    TrainOptions.parse(
                            new String[] {
                                "--method", method, "--dry-run", "--out", out.toString()
                            }));
            JsonObject report = report(out);
            for (String key :
                    new String[] {
                        "config",
                        "parameters",
                        "evals",
                        "topology_updates",
                        "ocr",
                        "throughput",
                        "final"
                    }) {
                assertTrue(report.has(key), method + " report lacks " + key);
            }
            JsonObject parameters = report.getAsJsonObject("parameters");
            double density = parameters.get("projection_density").getAsDouble();
            // at the default total sparsity 0.9; a density decay starts at its initial sparsity
            MethodPreset preset = Methods.forName(method);
            double expected =
                    preset.getKind() == ProjectionKind.DENSE
                            ? 1.0
                            : 1 - preset.initialSparsity(0.9);
            assertEquals(density, expected, 0.02, method + " projection density");
            assertEquals(report.getAsJsonObject("config").get("method").getAsString(), method);
            for (String plot : new String[] {"loss.png", "ppl.png", "density.png", "ocr.png"}) {
                assertTrue(Files.size(out.resolve(plot)) > 0, plot);
            }
        }
    }

    @Test
    public void theBudgetSplitCanBeChosen() throws Exception {
        Path even = Files.createTempDirectory("chtsl-ratio-even");
        Path spectral = Files.createTempDirectory("chtsl-ratio-spectral");
        TrainLlama.run(TrainOptions.parse(new String[] {"--dry-run", "--out", even.toString()}));
        TrainLlama.run(
                TrainOptions.parse(
                        new String[] {
                            "--dry-run", "--conn-ratio", "1:3", "--out", spectral.toString()
                        }));
        JsonObject a = report(even).getAsJsonObject("parameters");
        JsonObject b = report(spectral).getAsJsonObject("parameters");
        // 1:3 at s_total 0.9 leaves d_spec 0.075: two rank steps instead of one
        assertEquals(b.get("low_rank").getAsLong(), 2 * a.get("low_rank").getAsLong());
        assertTrue(
                b.get("projections_sparse_links").getAsLong()
                        < a.get("projections_sparse_links").getAsLong());
    }

    @Test
    public void shortRunsKeepTheirDensitiesAndLearn() throws Exception {
        Path data = Files.createTempDirectory("chtsl-text").resolve("corpus.txt");
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < 60; d++) {
            text.append("The quick brown fox jumps over the lazy dog number ")
                    .append(d % 7)
                    .append(". The dog sleeps while the fox runs.\n\n");
        }
        Files.writeString(data, text.toString(), StandardCharsets.UTF_8);
        java.util.List<String> runs = new java.util.ArrayList<>();
        for (String method : new String[] {"chtsl", "chts"}) {
            Path out = Files.createTempDirectory("chtsl-run-" + method);
            TrainLlama.run(
                    TrainOptions.parse(
                            new String[] {
                                "--method",
                                method,
                                "--data",
                                data.toString(),
                                "--steps",
                                "40",
                                "--batch",
                                "4",
                                "--seq-len",
                                "32",
                                "--eval-every",
                                "20",
                                "--eval-tokens",
                                "256",
                                "--update-interval",
                                "10",
                                "--lr",
                                "0.01",
                                "--out",
                                out.toString()
                            }));
            JsonObject report = report(out);
            JsonArray evals = report.getAsJsonArray("evals");
            assertEquals(evals.size(), 2);
            double first = evals.get(0).getAsJsonObject().get("val_loss").getAsDouble();
            double last = evals.get(1).getAsJsonObject().get("val_loss").getAsDouble();
            assertTrue(last < first, method + ": validation loss " + first + " -> " + last);
            JsonArray updates = report.getAsJsonArray("topology_updates");
            assertEquals(updates.size(), 3); // steps 10, 20, 30 (T_end = 30)
            double target = "chts".equals(method) ? 0.1 : 0.05;
            for (JsonElement update : updates) {
                for (JsonElement layer : update.getAsJsonObject().getAsJsonArray("layers")) {
                    assertEquals(
                            layer.getAsJsonObject().get("density").getAsDouble(), target, 0.002);
                }
            }
            assertEquals(report.getAsJsonArray("ocr").size() > 0, "chtsl".equals(method));
            assertTrue(Files.isRegularFile(out.resolve("checkpoint.chtsl")));
            assertTrue(Files.readString(out.resolve("train.log")).contains("validation loss"));
            runs.add(out.toString());
            // the checkpoint reopens with the weights that gave the last evaluation
            try (TrainedRun run =
                            TrainedRun.open(
                                    out,
                                    "--data",
                                    data.toString(),
                                    "--eval-tokens",
                                    "256",
                                    "--batch",
                                    "4");
                    ai.djl.training.Trainer trainer =
                            run.model.newTrainer(
                                    new ai.djl.training.DefaultTrainingConfig(
                                            ai.djl.training.loss.Loss.softmaxCrossEntropyLoss()))) {
                assertEquals(run.step, 40);
                double loss = Evaluation.loss(trainer, run.validation, 256, 4);
                assertEquals(loss, last, 1e-6);
                long[] prompt = run.codec.encode("The quick brown");
                long[] generated =
                        new org.chtsl.models.generation.TextGenerator(run.block, 32)
                                .generate(
                                        run.model.getNDManager(),
                                        prompt,
                                        org.chtsl.models.generation.GenerationConfig.greedy(5, -1));
                assertEquals(generated.length, prompt.length + 5);
            }
        }
        String table = Compare.table(runs.toArray(new String[0]));
        assertTrue(table.contains("chtsl (tiny)") && table.contains("chts (tiny)"), table);
        assertTrue(table.contains("s = 0.90"), table);
    }

    @Test
    public void badInputIsOneClearLine() {
        IllegalArgumentException method =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainOptions.parse(new String[] {"--method", "magic"}));
        assertTrue(method.getMessage().contains("allowed: dense"), method.getMessage());
        IllegalArgumentException sparsity =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainOptions.parse(new String[] {"--sparsity", "1.5"}));
        assertTrue(sparsity.getMessage().contains("(0, 1)"), sparsity.getMessage());
        IllegalArgumentException missing =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                TrainOptions.parse(
                                        new String[] {"--data", "/nonexistent/corpus.txt"}));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        IllegalArgumentException unknown =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainOptions.parse(new String[] {"--colour", "red"}));
        assertTrue(unknown.getMessage().contains("Unknown option --colour"), unknown.getMessage());
        for (IllegalArgumentException e :
                new IllegalArgumentException[] {method, sparsity, missing, unknown}) {
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }
}
