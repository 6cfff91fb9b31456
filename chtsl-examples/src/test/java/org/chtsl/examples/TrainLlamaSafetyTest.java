package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.chtsl.training.TrainingCheckpoint;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * TrainLlama loses nothing on divergence, corrupt files, a second writer or bad input, and the same
 * options and seed give the same run.
 */
public class TrainLlamaSafetyTest {

    @Test
    public void theSameOptionsAndSeedGiveTheSameRunBitForBit() throws Exception {
        // 4 x 64 tokens of width 128 per micro-batch: large enough for PyTorch to add the
        // embedding gradient of repeated ids with parallel atomic adds, if it were asked to
        Path first = Files.createTempDirectory("chtsl-same-1");
        Path second = Files.createTempDirectory("chtsl-same-2");
        String[] options = {
            "--batch", "4", "--micro-batch", "4", "--seq-len", "64", "--steps", "12"
        };
        assertEquals(RunFixtures.execute(RunFixtures.args("chtsl", first, options)).status(), 0);
        assertEquals(RunFixtures.execute(RunFixtures.args("chtsl", second, options)).status(), 0);
        Map<Long, Integer> a = RunFixtures.lossBits(first);
        assertEquals(a.size(), 12);
        assertEquals(RunFixtures.lossBits(second), a);
        assertEquals(
                RunFixtures.report(second).getAsJsonArray("evals"),
                RunFixtures.report(first).getAsJsonArray("evals"));
    }

    @Test
    public void anExplodingValidationLossStopsTheRunAndKeepsTheLastGoodCheckpoint()
            throws Exception {
        Path out = Files.createTempDirectory("chtsl-diverge");
        RunFixtures.Outcome outcome =
                RunFixtures.execute(
                        RunFixtures.args(
                                "chtsl", out, "--lr", "100", "--eval-every", "1", "--warmup", "0"));
        assertEquals(outcome.status(), ProgramRunner.DIVERGED, outcome.errors());
        assertTrue(outcome.errors().contains("Training diverged at step "), outcome.errors());
        assertFalse(outcome.errors().contains("\n"), outcome.errors());
        JsonObject report = RunFixtures.report(out);
        assertEquals(report.get("status").getAsString(), "diverged");
        assertTrue(report.get("reason").getAsString().contains("validation loss"));
        JsonArray evals = report.getAsJsonArray("evals");
        long lastStep = evals.get(evals.size() - 1).getAsJsonObject().get("step").getAsLong();
        assertEquals(report.getAsJsonArray("train_losses").size(), lastStep);
        // the checkpoint is the one of the evaluation before, whose loss was still sane
        long saved =
                TrainingCheckpoint.readDescription(out.resolve("checkpoint.chtsl"))
                        .progress()
                        .step();
        assertEquals(saved, lastStep - 1);
        double savedLoss =
                evals.get(evals.size() - 2).getAsJsonObject().get("val_loss").getAsDouble();
        assertTrue(savedLoss < 2 * Math.log(32000), "saved at loss " + savedLoss);
        assertTrue(Files.isRegularFile(out.resolve("loss.png")));
    }

    @Test
    public void aNonFiniteTrainingLossStopsTheRunAtItsStepWithItsReport() throws Exception {
        Path out = Files.createTempDirectory("chtsl-nan");
        RunFixtures.Outcome outcome =
                RunFixtures.execute(
                        RunFixtures.args(
                                "chtsl",
                                out,
                                "--lr",
                                "1e30",
                                "--warmup",
                                "0",
                                "--eval-every",
                                "100"));
        assertEquals(outcome.status(), ProgramRunner.DIVERGED, outcome.errors());
        JsonObject report = RunFixtures.report(out);
        assertEquals(report.get("status").getAsString(), "diverged");
        String reason = report.get("reason").getAsString();
        long step = Long.parseLong(reason.replaceAll(".*diverged at step (\\d+):.*", "$1"));
        assertEquals(report.getAsJsonArray("train_losses").size(), step - 1, reason);
        // Adam moves every weight by about the learning rate: the logits overflow at step 2
        assertTrue(step <= 3, reason);
        assertTrue(
                reason.contains("the training loss is NaN")
                        || reason.contains("the training loss is Infinity")
                        || reason.contains("a gradient is not finite"),
                reason);
        assertFalse(Files.exists(out.resolve("checkpoint.chtsl")), "no evaluation, no checkpoint");
    }

    @DataProvider
    public Object[][] damage() {
        return new Object[][] {{"flip", "corrupt"}, {"truncate", "truncated"}};
    }

    @Test(dataProvider = "damage")
    public void aDamagedCheckpointIsRefusedWithNothingLoaded(String how, String word)
            throws Exception {
        Path out = Files.createTempDirectory("chtsl-damaged");
        assertEquals(
                RunFixtures.execute(RunFixtures.args("chts", out, "--steps", "6")).status(), 0);
        Path checkpoint = out.resolve("checkpoint.chtsl");
        long size = Files.size(checkpoint);
        byte[] report = Files.readAllBytes(out.resolve("report.json"));
        byte[] log = Files.readAllBytes(out.resolve("train.log"));
        try (RandomAccessFile file = new RandomAccessFile(checkpoint.toFile(), "rw")) {
            if ("flip".equals(how)) {
                byte[] bytes = new byte[4096];
                file.seek(size / 2);
                file.readFully(bytes);
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) ~bytes[i];
                }
                file.seek(size / 2);
                file.write(bytes);
            } else {
                file.setLength(size - 1000);
            }
        }
        RunFixtures.Outcome outcome =
                RunFixtures.execute(RunFixtures.args("chts", out, "--steps", "6", "--resume"));
        assertEquals(outcome.status(), ProgramRunner.BAD_INPUT, outcome.errors());
        assertTrue(outcome.errors().contains(word), outcome.errors());
        assertTrue(outcome.errors().contains("checkpoint.chtsl"), outcome.errors());
        assertEquals(Files.size(checkpoint), "flip".equals(how) ? size : size - 1000);
        assertEquals(Files.readAllBytes(out.resolve("report.json")), report, "nothing written");
        assertEquals(Files.readAllBytes(out.resolve("train.log")), log);
    }

    @Test
    public void aRunFolderIsNeitherSetAsideByADryRunNorResumedOnOtherData() throws Exception {
        Path out = Files.createTempDirectory("chtsl-data-changed");
        Path corpus = Files.createTempDirectory("chtsl-own-corpus").resolve("corpus.txt");
        Files.copy(RunFixtures.corpus(), corpus);
        String[] run = RunFixtures.args("dense", out, "--steps", "6", "--data", corpus.toString());
        assertEquals(RunFixtures.execute(run).status(), 0);
        RunFixtures.Outcome dry = RunFixtures.execute(RunFixtures.args("dense", out, "--dry-run"));
        assertEquals(dry.status(), ProgramRunner.BAD_INPUT, dry.errors());
        assertTrue(dry.errors().contains("holds a run"), dry.errors());
        RunFixtures.Outcome bad =
                RunFixtures.execute(
                        RunFixtures.args("dense", out, "--data", "/nonexistent/corpus.txt"));
        assertEquals(bad.status(), ProgramRunner.BAD_INPUT, bad.errors());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.chtsl")), "the run stays in place");
        // the same path with other text: the tokens differ, so the resume is refused
        Files.writeString(corpus, Files.readString(corpus).replace("fox", "cat"));
        RunFixtures.Outcome resumed =
                RunFixtures.execute(
                        RunFixtures.args(
                                "dense",
                                out,
                                "--steps",
                                "6",
                                "--data",
                                corpus.toString(),
                                "--resume"));
        assertEquals(resumed.status(), ProgramRunner.BAD_INPUT, resumed.errors());
        assertTrue(resumed.errors().contains("differs from the one"), resumed.errors());
    }

    @Test
    public void aSecondRunOnTheSameFolderIsRefusedAndAnEarlierRunIsSetAside() throws Exception {
        Path out = Files.createTempDirectory("chtsl-two-writers");
        try (RunDirectory held = RunDirectory.lock(out, "--out")) {
            RunFixtures.Outcome outcome =
                    RunFixtures.execute(
                            RunFixtures.args("dense", out, "--steps", "2", "--warmup", "0"));
            assertEquals(outcome.status(), ProgramRunner.BAD_INPUT);
            assertTrue(outcome.errors().contains("is in use by another run"), outcome.errors());
        }
        Files.writeString(out.resolve("checkpoint.chtsl.123456789.tmp"), "left by a killed run");
        Files.writeString(out.resolve("keep.tmp"), "not ours");
        assertEquals(
                RunFixtures.execute(RunFixtures.args("dense", out, "--steps", "2", "--warmup", "0"))
                        .status(),
                0);
        assertFalse(Files.exists(out.resolve("checkpoint.chtsl.123456789.tmp")));
        assertTrue(Files.exists(out.resolve("keep.tmp")));
        byte[] firstReport = Files.readAllBytes(out.resolve("report.json"));
        // bad input that only the model's builder sees moves nothing either
        RunFixtures.Outcome tooLarge =
                RunFixtures.execute(
                        RunFixtures.args(
                                "chtsl", out, "--steps", "2", "--warmup", "0", "--rank", "65536"));
        assertEquals(tooLarge.status(), ProgramRunner.BAD_INPUT, tooLarge.errors());
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertTrue(
                    files.noneMatch(p -> p.getFileName().toString().startsWith("earlier-")),
                    "nothing set aside");
        }
        assertEquals(Files.readAllBytes(out.resolve("report.json")), firstReport);
        assertEquals(
                RunFixtures.execute(RunFixtures.args("dense", out, "--steps", "3", "--warmup", "0"))
                        .status(),
                0);
        Path aside;
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            aside =
                    files.filter(p -> p.getFileName().toString().startsWith("earlier-"))
                            .findFirst()
                            .orElseThrow();
        }
        assertEquals(Files.readAllBytes(aside.resolve("report.json")), firstReport);
        assertTrue(Files.isRegularFile(aside.resolve("checkpoint.chtsl")));
        assertEquals(RunFixtures.lossBits(out).size(), 3);
    }

    @DataProvider
    public Object[][] mismatches() {
        return new Object[][] {
            {new String[] {"--method", "chts"}, "--method chtsl", "--method chts"},
            {new String[] {"--seed", "12"}, "--seed 11", "--seed 12"},
            {new String[] {"--steps", "4"}, "--steps 16", "--steps 4"},
            {new String[] {"--sparsity", "0.8"}, "--sparsity 0.9", "--sparsity 0.8"},
        };
    }

    @Test(dataProvider = "mismatches")
    public void aResumeWithOtherOptionsIsRefusedNamingBothValues(
            String[] change, String saved, String given) throws Exception {
        Path out = Files.createTempDirectory("chtsl-mismatch");
        assertEquals(
                RunFixtures.execute(
                                RunFixtures.args(
                                        "chtsl", out, "--steps", "16", "--eval-every", "2"))
                        .status(),
                0);
        String[] resume = new String[change.length + 3];
        System.arraycopy(change, 0, resume, 0, change.length);
        resume[change.length] = "--eval-every";
        resume[change.length + 1] = "2";
        resume[change.length + 2] = "--resume";
        RunFixtures.Outcome outcome = RunFixtures.execute(RunFixtures.args("chtsl", out, resume));
        assertEquals(outcome.status(), ProgramRunner.BAD_INPUT, outcome.errors());
        assertTrue(outcome.errors().contains("trained with " + saved), outcome.errors());
        assertTrue(outcome.errors().contains("this command gives " + given), outcome.errors());
    }

    @DataProvider
    public Object[][] badInput() {
        return new Object[][] {
            {new String[] {"--batch", "0"}, "--batch must be in [1, 65536], got 0"},
            {new String[] {"--micro-batch", "0"}, "--micro-batch must be in [1, 8], got 0"},
            {
                new String[] {"--batch", "8", "--micro-batch", "3"},
                "--micro-batch must divide --batch"
            },
            {new String[] {"--seq-len", "0"}, "--seq-len must be in [2, 65536], got 0"},
            {new String[] {"--lr", "0"}, "--lr needs a finite number > 0, got '0'"},
            {new String[] {"--lr", "NaN"}, "--lr needs a finite number > 0, got 'NaN'"},
            {new String[] {"--steps", "0"}, "--steps must be in [1, 1000000000], got 0"},
            {
                new String[] {"--steps", "1e20"},
                "--steps needs a whole number in [1, 1000000000], got '1e20'"
            },
            {new String[] {"--eval-every", "0"}, "--eval-every must be in [1, 1000000000], got 0"},
            {new String[] {"--eval-tokens", "-5"}, "--eval-tokens must be >= 1, got -5"},
            {
                new String[] {"--update-interval", "0"},
                "--update-interval must be in [1, 1000000000], got 0"
            },
            {
                new String[] {"--warmup", "300"},
                "--warmup must be in [0, 299], got 300 (it must be below --steps 300)"
            },
            {new String[] {"--sparsity", "1"}, "--sparsity needs a number in (0, 1), got '1'"},
            {
                new String[] {"--sparse-sparsity", "-0.1"},
                "--sparse-sparsity needs a number in [0, 1), got '-0.1'"
            },
            {new String[] {"--rank", "0"}, "--rank must be in [1, 65536], got 0"},
            {new String[] {"--lambda", "-1"}, "--lambda needs a finite number >= 0, got '-1'"},
            {
                new String[] {"--method", "chts", "--lambda", "0.3"},
                "--lambda applies to methods with an alignment term (chtsl); --method chts has"
                        + " none."
            },
            {
                new String[] {"--method", "set", "--rank", "8"},
                "--rank applies to methods with a low-rank branch (cola, sltrain, chtsl)"
            },
            {
                new String[] {"--method", "dense", "--sparse-sparsity", "0.5"},
                "--sparse-sparsity applies to methods with a sparse branch"
            },
            {
                new String[] {"--method", "granet", "--conn-ratio", "1:1"},
                "--conn-ratio applies to methods with two branches to split (sltrain, chtsl)"
            },
            {
                new String[] {"--method", "dense", "--iterative-warmup", "20"},
                "--iterative-warmup warms the LR up after topology updates; --method dense has"
                        + " none"
            },
            {
                new String[] {"--method", "chts", "--pruning-end", "200"},
                "--pruning-end applies to methods that decay density (chtss, granet); --method"
                        + " chts keeps its density."
            },
            {
                new String[] {"--method", "chtss", "--pruning-end", "301"},
                "--pruning-end must be in [50, 300], got 301 (from ΔT 50, the first update, to"
                        + " --steps 300)"
            },
            {
                new String[] {"--method", "granet", "--pruning-end", "20"},
                "--pruning-end must be in [50, 300], got 20"
            },
            {
                new String[] {"--iterative-warmup", "50"},
                "--iterative-warmup must be in [0, 49], got 50 (the ramp must end before the next"
                        + " update, ΔT 50)"
            },
            {new String[] {"--clip-norm", "-1"}, "--clip-norm needs a finite number >= 0"},
            {
                new String[] {"--method", "sltrain", "--low-rank-activation", "silu"},
                "--low-rank-activation applies to methods with a low-rank branch with a"
                        + " nonlinearity (cola, chtsl)"
            },
            {
                new String[] {"--method", "chts", "--alignment-form", "MEAN_SQUARED"},
                "--alignment-form applies to methods with an alignment term (chtsl)"
            },
            {
                new String[] {"--alignment-form", "SQUARE"},
                "--alignment-form needs one of norm_per_element, norm_per_token, mean_squared (any"
                        + " case), got 'SQUARE'"
            },
            {new String[] {"-hx"}, "Unknown option -hx"},
            {new String[] {"--batch", "3000000000"}, "--batch must be in [1, 65536]"},
            {
                new String[] {"--model", "7b"},
                "--model: unknown value '7b'; allowed: tiny, 20m, 60m, 130m"
            },
            {new String[] {"--method", "magic"}, "--method: unknown value 'magic'; allowed: dense"},
            {new String[] {"--device", "tpu"}, "--device: unknown value 'tpu'; allowed: cpu, gpu"},
            {new String[] {"--seed", "x"}, "--seed needs a whole number, got 'x'"},
            {new String[] {"--conn-ratio", "1-3"}, "--conn-ratio needs d_conn:d_spec"},
            {
                new String[] {"--data", "/nonexistent/corpus.txt"},
                "--data /nonexistent/corpus.txt: file not found"
            },
            {new String[] {"--steps"}, "--steps needs a value"},
            {new String[] {"--steps", "3", "--steps", "4"}, "--steps is given twice"},
            {new String[] {"--colour", "red"}, "Unknown option --colour; allowed: --model"},
            {new String[] {"stray"}, "Unexpected argument 'stray'"},
            {new String[] {"--resume", "--dry-run"}, "--resume and --dry-run exclude each other"},
            {
                new String[] {"--device", "gpu", "--dry-run"},
                "--device gpu: PyTorch sees no GPU here"
            },
        };
    }

    @Test(dataProvider = "badInput")
    public void badInputIsOneLineNamingTheFlagAndExitStatusTwo(String[] args, String message) {
        RunFixtures.Outcome outcome = RunFixtures.execute(args);
        assertEquals(outcome.status(), ProgramRunner.BAD_INPUT, outcome.errors());
        assertTrue(outcome.errors().startsWith("TrainLlama: "), outcome.errors());
        assertTrue(outcome.errors().contains(message), outcome.errors());
        assertFalse(outcome.errors().contains("\n"), outcome.errors());
        assertFalse(outcome.errors().contains("Exception"), outcome.errors());
    }

    @Test
    public void smallValidValuesAreUsedNotReplacedByDefaults() throws Exception {
        TrainOptions options =
                TrainOptions.parse(
                        new String[] {"--steps", "1", "--update-interval", "1", "--batch", "1"});
        assertEquals(options.steps(), 1);
        assertEquals(options.warmup(), 0, "the warm-up default follows --steps");
        assertEquals(options.updateInterval(), 1);
        assertEquals(options.batch(), 1);
        assertEquals(options.microBatch(), 1);
        assertNull(options.lambda());
        Path out = Files.createTempDirectory("chtsl-one-step");
        assertEquals(
                RunFixtures.execute(RunFixtures.args("chtsl", out, "--steps", "1", "--warmup", "0"))
                        .status(),
                0);
        assertEquals(RunFixtures.lossBits(out).size(), 1);
    }

    @Test
    public void problemsWithFilesAreOneLine() throws Exception {
        Path dir = Files.createTempDirectory("chtsl-files");
        Path binary = dir.resolve("binary.txt");
        byte[] noise = new byte[4096];
        new java.util.Random(3).nextBytes(noise);
        Files.write(binary, noise);
        Path notJson = dir.resolve("tokenizer.json");
        Files.writeString(notJson, "{\"model\": {}}");
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Object[][] cases = {
            {
                RunFixtures.args("dense", dir.resolve("o1"), "--data", binary.toString()),
                "is not UTF-8 text"
            },
            {
                RunFixtures.args("dense", dir.resolve("o2"), "--tokenizer", notJson.toString()),
                "has no model.vocab object"
            },
            {RunFixtures.args("dense", file), "is a file; give a folder"},
            {RunFixtures.args("dense", dir.resolve("none"), "--resume"), "does not exist"},
            {RunFixtures.args("dense", dir, "--resume"), "there is no checkpoint in"},
        };
        for (Object[] c : cases) {
            RunFixtures.Outcome outcome = RunFixtures.execute((String[]) c[0]);
            assertEquals(outcome.status(), ProgramRunner.BAD_INPUT, outcome.errors());
            assertTrue(outcome.errors().contains((String) c[1]), outcome.errors());
            assertFalse(outcome.errors().contains("\n"), outcome.errors());
        }
    }
}
