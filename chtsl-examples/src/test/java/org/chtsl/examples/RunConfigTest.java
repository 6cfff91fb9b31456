package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.chtsl.training.TrainingCheckpoint;
import org.testng.annotations.Test;

/**
 * The resolved configuration a run records: every value used, defaults with their values, what the
 * model and the listeners were built with, the same in report.json and in the checkpoint; a resume
 * compares it.
 */
public class RunConfigTest {

    private static JsonObject dryRunConfig(String... more) throws Exception {
        Path out = Files.createTempDirectory("chtsl-config");
        String[] args = new String[more.length + 3];
        args[0] = "--dry-run";
        args[1] = "--out";
        args[2] = out.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        RunFixtures.Outcome outcome = RunFixtures.execute(args);
        assertEquals(outcome.status(), ProgramRunner.OK, outcome.errors());
        return RunFixtures.report(out).getAsJsonObject("config");
    }

    @Test
    public void theDefaultRunRecordsEveryValueItUses() throws Exception {
        JsonObject config = dryRunConfig();
        JsonObject parameters;
        assertEquals(config.get("model").getAsString(), "tiny");
        assertEquals(config.get("method").getAsString(), "chtsl");
        assertEquals(config.getAsJsonObject("recipe").get("name").getAsString(), "chtsl");
        assertEquals(config.get("lambda").getAsDouble(), 0.5, "CHTsL's λ, not given");
        assertEquals(config.get("conn_ratio").getAsString(), "1:1");
        // 90% total at 1:1: half the remaining 10% to each branch, so the sparse branch keeps 5%
        assertEquals(config.get("sparse_sparsity").getAsDouble(), 0.95, 1e-12);
        assertEquals(config.get("steps").getAsLong(), 300);
        assertEquals(config.get("warmup").getAsLong(), 30, "a tenth of the steps");
        assertEquals(config.get("t_end").getAsLong(), 225, "75% of the steps");
        assertEquals(config.get("batch").getAsInt(), 8);
        assertEquals(config.get("micro_batch").getAsInt(), 8);
        assertEquals(config.get("seq_len").getAsInt(), 128);
        assertEquals(config.get("lr").getAsDouble(), 0.002, 1e-9);
        assertEquals(config.get("update_interval").getAsLong(), 50);
        assertEquals(config.get("iterative_warmup").getAsLong(), 20);
        assertEquals(config.get("lr_min_ratio").getAsDouble(), 0.1);
        assertEquals(config.get("clip_norm").getAsDouble(), 0.0, "the CHT family does not clip");
        assertEquals(config.get("alignment_form").getAsString(), "MEAN_SQUARED");
        assertEquals(config.get("low_rank_activation").getAsString(), "SILU");
        assertEquals(config.getAsJsonObject("recipe").get("optimizer").getAsString(), "adam");
        assertEquals(config.get("eval_every").getAsLong(), 100);
        assertEquals(config.get("eval_tokens").getAsLong(), 16_384);
        assertEquals(config.get("seed").getAsLong(), 42);
        assertEquals(config.get("device").getAsString(), "cpu");
        assertTrue(config.get("data").getAsString().startsWith("default:"));
        assertTrue(config.get("tokenizer").getAsString().startsWith("default:"));
        assertTrue(config.getAsJsonObject("versions").has("pytorch"));
        for (Map.Entry<String, JsonElement> entry : config.entrySet()) {
            assertFalse(entry.getValue().isJsonNull(), entry.getKey() + " is recorded as null");
        }
        parameters = dryRunParameters();
        // tiny: 2 layers of q, k, v, o (128 -> 128), gate, up (128 -> 344), down (344 -> 128)
        long perRank = 2 * (4 * (128 + 128) + 3 * (128 + 344));
        long rank = config.get("rank").getAsLong();
        assertEquals(rank * perRank, parameters.get("low_rank").getAsLong(), "the rank built");
        assertEquals(rank, 4);
    }

    private static JsonObject dryRunParameters() throws Exception {
        Path out = Files.createTempDirectory("chtsl-config-parameters");
        assertEquals(RunFixtures.execute("--dry-run", "--out", out.toString()).status(), 0);
        return RunFixtures.report(out).getAsJsonObject("parameters");
    }

    @Test
    public void givenValuesAndOtherMethodsAreRecordedAsUsed() throws Exception {
        JsonObject given = dryRunConfig("--lambda", "0.25", "--rank", "8", "--steps", "40");
        assertEquals(given.get("lambda").getAsDouble(), 0.25);
        assertEquals(given.get("rank").getAsLong(), 8);
        assertEquals(given.get("t_end").getAsLong(), 30);
        assertEquals(given.get("warmup").getAsLong(), 4);
        JsonObject chts = dryRunConfig("--method", "chts");
        assertFalse(chts.has("lambda"), "CHTs has no alignment term");
        assertFalse(chts.has("conn_ratio"), "nor two branches to split");
        assertEquals(chts.get("sparse_sparsity").getAsDouble(), 0.9, 1e-12);
        assertFalse(chts.has("rank"), "no low-rank branch, no rank");
        assertFalse(chts.has("pruning_end"), "a constant density has no pruning end");
        JsonObject granet = dryRunConfig("--method", "granet", "--steps", "400");
        assertEquals(granet.get("pruning_end").getAsLong(), 300, "the decay ends at T_end");
        assertEquals(granet.get("sparse_sparsity").getAsDouble(), 0.5, 1e-12, "where it starts");
        assertTrue(
                granet.getAsJsonObject("recipe")
                        .get("density_schedule")
                        .getAsString()
                        .startsWith("cubic(s0=0.5"));
        JsonObject dense = dryRunConfig("--method", "dense");
        assertEquals(dense.get("lr").getAsDouble(), 0.001, 1e-9, "dense training's peak rate");
        assertFalse(dense.has("t_end"), "a static method has no T_end");
        assertFalse(dense.has("sparse_sparsity"));
        assertEquals(dense.get("iterative_warmup").getAsLong(), 0, "no topology updates, no ramp");
        assertEquals(dense.get("clip_norm").getAsDouble(), 0.0);
    }

    @Test
    public void eachMethodTrainsWithItsRecipeUnlessAFlagOverridesIt() throws Exception {
        // CoLA's own recipe, its 6e-3 limited to tiny's 2e-3; at 60m it is the script's value
        JsonObject cola = dryRunConfig("--method", "cola");
        assertEquals(cola.get("clip_norm").getAsDouble(), 0.5, "cola60m.sh GC=0.5");
        assertEquals(cola.get("iterative_warmup").getAsLong(), 0);
        assertEquals(cola.get("lr").getAsDouble(), 0.002, 1e-9, "tiny's limit");
        assertEquals(cola.get("warmup").getAsLong(), 60, "2000 of 10k steps");
        assertEquals(cola.getAsJsonObject("recipe").get("optimizer").getAsString(), "adamw");
        assertEquals(cola.getAsJsonObject("recipe").get("weight_decay").getAsDouble(), 0.01);
        JsonObject cola60m = dryRunConfig("--method", "cola", "--model", "60m", "--steps", "100");
        assertEquals(cola60m.get("lr").getAsDouble(), 0.006, 1e-9, "cola60m.sh LR=0.006");
        JsonObject slTrain = dryRunConfig("--method", "sltrain", "--model", "60m", "--steps", "10");
        assertEquals(slTrain.get("iterative_warmup").getAsLong(), 0);
        assertEquals(slTrain.get("sltrain_alpha").getAsDouble(), 32.0, "sltrain60m.sh");
        JsonObject slTrain130m =
                dryRunConfig("--method", "sltrain", "--model", "130m", "--steps", "10");
        assertEquals(slTrain130m.get("sltrain_alpha").getAsDouble(), 16.0, "sltrain130m.sh");
        assertEquals(slTrain.get("lr").getAsDouble(), 0.003, 1e-9);
        // flags win
        JsonObject given =
                dryRunConfig(
                        "--method",
                        "chtss",
                        "--clip-norm",
                        "0.25",
                        "--iterative-warmup",
                        "5",
                        "--pruning-end",
                        "240",
                        "--steps",
                        "300");
        assertEquals(given.get("clip_norm").getAsDouble(), 0.25);
        assertEquals(given.get("iterative_warmup").getAsLong(), 5);
        assertEquals(given.get("pruning_end").getAsLong(), 240, "the reference's 0.8 of the steps");
        JsonObject naive =
                dryRunConfig(
                        "--lambda",
                        "0",
                        "--low-rank-activation",
                        "IDENTITY",
                        "--alignment-form",
                        "MEAN_SQUARED");
        assertEquals(naive.get("low_rank_activation").getAsString(), "IDENTITY");
        assertEquals(naive.get("alignment_form").getAsString(), "MEAN_SQUARED");
        assertFalse(naive.getAsJsonObject("recipe").has("low_rank_activation"), "recorded once");
    }

    @Test
    public void aResumeComparesResolvedValuesNotFlags() throws Exception {
        Path out = Files.createTempDirectory("chtsl-resolved");
        RunFixtures.Outcome first = RunFixtures.execute(RunFixtures.args("chtsl", out));
        assertEquals(first.status(), 0, first.errors());
        // either file alone holds the whole configuration
        Map<String, String> saved =
                TrainingCheckpoint.readDescription(out.resolve("checkpoint.chtsl")).description();
        assertEquals(saved, RunConfig.describe(RunFixtures.report(out).getAsJsonObject("config")));
        assertEquals(saved.get("lambda"), "0.5");
        assertTrue(saved.get("data_identity").length() > 16, saved.get("data_identity"));
        byte[] report = Files.readAllBytes(out.resolve("report.json"));
        String[][] changes = {
            {"--lambda", "0.3", "--lambda 0.5", "--lambda 0.3"},
            {"--rank", "8", "--rank 4", "--rank 8"},
            {"--model", "20m", "--model tiny", "--model 20m"},
        };
        for (String[] change : changes) {
            RunFixtures.Outcome refused =
                    RunFixtures.execute(
                            RunFixtures.args("chtsl", out, change[0], change[1], "--resume"));
            assertEquals(refused.status(), ProgramRunner.BAD_INPUT, refused.errors());
            assertTrue(refused.errors().contains("trained with " + change[2]), refused.errors());
            assertTrue(
                    refused.errors().contains("this command gives " + change[3]), refused.errors());
            assertEquals(Files.readAllBytes(out.resolve("report.json")), report, "nothing written");
        }
        // the defaults given explicitly are the same run
        RunFixtures.Outcome same =
                RunFixtures.execute(
                        RunFixtures.args(
                                "chtsl", out, "--lambda", "0.5", "--rank", "4", "--resume"));
        assertEquals(same.status(), ProgramRunner.OK, same.errors());
        assertEquals(RunFixtures.report(out).get("status").getAsString(), "completed");
    }
}
