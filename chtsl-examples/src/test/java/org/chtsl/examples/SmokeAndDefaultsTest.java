package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chtsl.data.TextSources;
import org.chtsl.data.TokenCache;
import org.chtsl.models.llama.LlamaTrainingDefaults;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code --smoke}'s settings, the default validation budget that scales with the run, and default
 * warm-ups that hold for the shortest runs.
 */
public class SmokeAndDefaultsTest {

    private static JsonObject dryRunConfig(String... args) throws Exception {
        Path out = Files.createTempDirectory("chtsl-dry");
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--dry-run";
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        RunFixtures.Outcome outcome = RunFixtures.execute(all);
        assertEquals(outcome.status(), ProgramRunner.OK, outcome.errors());
        return RunFixtures.report(out).getAsJsonObject("config");
    }

    @DataProvider
    public Object[][] models() {
        return LlamaTrainingDefaults.names().stream()
                .map(name -> new Object[] {name})
                .toArray(Object[][]::new);
    }

    @Test(dataProvider = "models")
    public void smokeGivesEveryModelTheSameShortRun(String model) {
        TrainOptions options = TrainOptions.parse("--smoke", "--model", model);
        assertEquals(options.steps(), 4);
        assertEquals(options.batch(), 2);
        assertEquals(options.microBatch(), 2);
        assertEquals(options.sequenceLength(), 32);
        assertEquals(options.updateInterval(), 2);
        assertEquals(options.evalEvery(), 4);
        assertEquals(options.evalTokens(), 256);
        assertEquals(options.maxDocuments(), Integer.valueOf(20));
        assertEquals(options.warmup(), 0, "the recipe's tenth of 4 steps, rounded down");
        assertEquals(options.iterativeWarmup(), 1, "cut to ΔT − 1");
        // one update that moves links: at ΔT, before T_end (where ζ has decayed to 0)
        assertEquals(options.endStep(), 3);
        assertTrue(options.updateInterval() < options.endStep());
        assertTrue(2 * options.updateInterval() > options.endStep(), "exactly one update");
    }

    @Test
    public void smokeIsRecordedAsResolvedAndGivenOptionsWin() throws Exception {
        JsonObject config = dryRunConfig("--smoke", "--model", "60m");
        assertEquals(config.get("model").getAsString(), "60m");
        assertEquals(config.get("steps").getAsLong(), 4);
        assertEquals(config.get("batch").getAsInt(), 2);
        assertEquals(config.get("seq_len").getAsInt(), 32);
        assertEquals(config.get("update_interval").getAsLong(), 2);
        assertEquals(config.get("t_end").getAsLong(), 3);
        assertEquals(config.get("eval_every").getAsLong(), 4);
        assertEquals(config.get("eval_tokens").getAsLong(), 256);
        assertEquals(config.get("max_documents").getAsInt(), 20);
        assertEquals(config.get("warmup").getAsLong(), 0);

        TrainOptions given =
                TrainOptions.parse(
                        "--smoke", "--steps", "8", "--eval-tokens", "512", "--max-documents", "30");
        assertEquals(given.steps(), 8);
        assertEquals(given.evalTokens(), 512);
        assertEquals(given.maxDocuments(), Integer.valueOf(30));
        assertEquals(given.batch(), 2, "what is not given stays --smoke's");
        assertNull(TrainOptions.parse().maxDocuments(), "without --smoke, every document");
    }

    @Test
    public void aSmokeRunReadsOnlyItsDocumentsAndUpdatesTheTopologyOnce() throws Exception {
        Path out = Files.createTempDirectory("chtsl-smoke");
        Path corpus = RunFixtures.corpus();
        RunFixtures.Outcome outcome =
                RunFixtures.execute(
                        "--smoke", "--data", corpus.toString(), "--out", out.toString());
        assertEquals(outcome.status(), 0, outcome.errors());
        JsonObject report = RunFixtures.report(out);
        assertEquals(report.getAsJsonArray("train_losses").size(), 4);
        assertEquals(report.getAsJsonArray("evals").size(), 1);
        assertEquals(report.getAsJsonArray("topology_updates").size(), 1);
        long moved = 0;
        for (JsonElement layer :
                report.getAsJsonArray("topology_updates")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonArray("layers")) {
            moved += layer.getAsJsonObject().get("regrown").getAsLong();
        }
        assertTrue(moved > 0, "the update moves links");
        assertTrue(Files.isRegularFile(out.resolve(TrainLlama.CHECKPOINT)));
        JsonObject config = report.getAsJsonObject("config");
        List<String> documents = TextSources.read(corpus);
        assertTrue(documents.size() > 20, "the corpus has more than --smoke reads");
        String tokenizer = config.get("tokenizer_identity").getAsString();
        assertEquals(
                config.get(TrainingData.IDENTITY).getAsString(),
                TokenCache.key(documents.subList(0, 20), tokenizer),
                "the run's text is the first 20 documents");
    }

    @Test
    public void oneStepRunsWithTheDefaultWarmup() throws Exception {
        JsonObject config = dryRunConfig("--model", "60m", "--steps", "1", "--batch", "2");
        assertEquals(config.get("warmup").getAsLong(), 0);
        Path out = Files.createTempDirectory("chtsl-one-step");
        RunFixtures.Outcome outcome =
                RunFixtures.execute(
                        "--steps",
                        "1",
                        "--batch",
                        "2",
                        "--seq-len",
                        "32",
                        "--data",
                        RunFixtures.corpus().toString(),
                        "--out",
                        out.toString());
        assertEquals(outcome.status(), 0, outcome.errors());
        assertEquals(RunFixtures.report(out).getAsJsonArray("evals").size(), 1);
    }

    @Test
    public void theDefaultValidationBudgetScalesWithTheRunsTrainingTokens() throws Exception {
        // 1 step of 2 x 256 tokens: the floor, not the 60m preset's million
        assertEquals(
                dryRunConfig("--model", "60m", "--steps", "1", "--batch", "2")
                        .get("eval_tokens")
                        .getAsLong(),
                LlamaTrainingDefaults.MIN_EVAL_TOKENS);
        // 10 x 64 x 256 = 163,840 training tokens: a quarter
        assertEquals(
                TrainOptions.parse("--model", "60m", "--steps", "10", "--batch", "64").evalTokens(),
                40_960);
        // the presets' own runs read the preset's budget
        for (LlamaTrainingDefaults defaults : LlamaTrainingDefaults.all()) {
            assertEquals(
                    TrainOptions.parse("--model", defaults.model()).evalTokens(),
                    defaults.evalTokens(),
                    defaults.model());
        }
        assertEquals(
                TrainOptions.parse("--model", "60m", "--steps", "1", "--eval-tokens", "7")
                        .evalTokens(),
                7,
                "a value given is used");
    }

    @Test
    public void aLongEvaluationSaysHowFarItHasCome() {
        long[] now = {0};
        Evaluation.Progress progress = new Evaluation.Progress(1_000_000, () -> now[0], 5);
        now[0] = 4;
        assertNull(progress.after(100_000), "not yet 5 ns");
        now[0] = 5;
        assertEquals(progress.after(400_000), "validation 40% (400k/1M tokens)");
        now[0] = 9;
        assertNull(progress.after(500_000), "5 ns since the last line");
        now[0] = 20;
        assertEquals(progress.after(512), "validation 0% (512/1M tokens)");
        assertNull(progress.after(1_000_000), "done: the loss line follows");
        assertEquals(Evaluation.Progress.compact(16_384), "16.4k");
        assertEquals(Evaluation.Progress.compact(2_500_000), "2.5M");
    }
}
