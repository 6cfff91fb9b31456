package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Bad input to Evaluate, Generate, Compare and TrainMlp: exit status 2 and one line that names the
 * argument and the value, before any data is loaded or any output written.
 */
public class ProgramInputTest {

    private static final RunFixtures.Program EVALUATE = Evaluate::execute;
    private static final RunFixtures.Program GENERATE = Generate::execute;
    private static final RunFixtures.Program COMPARE = Compare::execute;
    private static final RunFixtures.Program TRAIN_MLP = TrainMlp::execute;

    private static final String CONFIG =
            "\"model\": \"tiny\", \"method\": \"chtsl\", \"sparsity\": 0.9, \"seq_len\": 32,"
                    + " \"seed\": 1, \"tokenizer\": \"default:llama-32k\","
                    + " \"data\": \"default:books-speeches\"";

    private static final Path GONE = Path.of("/nonexistent-chtsl", "corpus.txt");

    private Path missing;
    private Path file;
    private Path empty;
    private Path reportOnly;
    private Path badJson;
    private Path noConfig;
    private Path badConfig;
    private Path corrupt;
    private Path dataGone;
    private Path runA;
    private Path twinOfA;
    private Path runB;
    private Path noMethod;
    private Path noFinal;
    private Path mlpOut;

    private static Path run(Path root, String name, String report, boolean checkpoint)
            throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        if (report != null) {
            Files.writeString(dir.resolve("report.json"), report, StandardCharsets.UTF_8);
        }
        if (checkpoint) {
            Files.write(
                    dir.resolve("checkpoint.chtsl"),
                    "not a checkpoint at all".getBytes(StandardCharsets.UTF_8));
        }
        return dir;
    }

    private static String report(String status, String config, String finalPpl) {
        return "{\"status\": \""
                + status
                + "\", \"config\": {"
                + config
                + "}, \"final\": {\"val_ppl\": "
                + finalPpl
                + "}}";
    }

    @BeforeClass
    public void makeFolders() throws Exception {
        Path root = Files.createTempDirectory("chtsl-input");
        missing = root.resolve("no-such-run");
        file = Files.writeString(root.resolve("plain.txt"), "text", StandardCharsets.UTF_8);
        empty = run(root, "empty", null, false);
        String good = report("completed", CONFIG, "42.5");
        reportOnly = run(root, "report-only", good, false);
        badJson = run(root, "bad-json", "{\"config\": {\"model\": ", true);
        noConfig = run(root, "no-config", "{\"status\": \"completed\"}", true);
        badConfig =
                run(
                        root,
                        "bad-config",
                        report("completed", CONFIG.replace("\"chtsl\"", "\"magic\""), "1"),
                        true);
        corrupt = run(root, "corrupt", good, true);
        dataGone =
                run(
                        root,
                        "data-gone",
                        report(
                                "completed",
                                CONFIG.replace("default:books-speeches", GONE.toString()),
                                "1"),
                        true);
        runA = run(root, "run-a", good, false);
        twinOfA = run(root, "twin-of-a", good, false);
        runB = run(root, "run-b", report("diverged", CONFIG.replace("0.9", "0.8"), "NaN"), false);
        noMethod = run(root, "no-method", report("completed", "\"model\": \"tiny\"", "1"), false);
        noFinal = run(root, "no-final", "{\"config\": {" + CONFIG + "}}", false);
        mlpOut = root.resolve("mlp-out");
    }

    private static Object[] bad(RunFixtures.Program program, String[] args, String... expected) {
        return new Object[] {program, args, expected};
    }

    private static String[] args(Object... values) {
        return Arrays.stream(values).map(String::valueOf).toArray(String[]::new);
    }

    @DataProvider
    public Object[][] badInput() {
        List<Object[]> cases = new ArrayList<>();
        Path report = Path.of("report.json");
        // Evaluate: options are checked before the run folder, the folder before its files
        cases.add(bad(EVALUATE, args(), "Missing RUN_DIR", "usage: Evaluate [OPTIONS] RUN_DIR."));
        cases.add(bad(EVALUATE, args(missing, "--colour", "red"), "Unknown option --colour"));
        cases.add(
                bad(
                        EVALUATE,
                        args(missing, "--eval-tokens", "many"),
                        "--eval-tokens needs a whole number >= 1, got 'many'."));
        cases.add(
                bad(
                        EVALUATE,
                        args(missing, "--eval-tokens", "0"),
                        "--eval-tokens must be >= 1, got 0."));
        cases.add(bad(EVALUATE, args(missing, "--eval-tokens"), "--eval-tokens needs a value"));
        cases.add(
                bad(
                        EVALUATE,
                        args(missing, "--eval-tokens", "--device", "cpu"),
                        "--eval-tokens needs a value"));
        cases.add(
                bad(
                        EVALUATE,
                        args(missing, "--eval-tokens", "5", "--eval-tokens", "6"),
                        "--eval-tokens is given twice"));
        cases.add(bad(EVALUATE, args(missing, "--device", "tpu"), "--device", "'tpu'", "cpu, gpu"));
        cases.add(
                bad(
                        EVALUATE,
                        args(missing, "--data", missing.resolveSibling("none.txt")),
                        "--data",
                        "none.txt",
                        "not found"));
        cases.add(bad(EVALUATE, args(missing, "extra"), "Unexpected argument 'extra'"));
        cases.add(bad(EVALUATE, args(missing), "RUN_DIR " + missing, "does not exist"));
        cases.add(bad(EVALUATE, args(file), "RUN_DIR " + file, "is a file"));
        cases.add(bad(EVALUATE, args(empty), "RUN_DIR " + empty, "has no report.json"));
        cases.add(bad(EVALUATE, args(reportOnly), "RUN_DIR " + reportOnly, "checkpoint.chtsl"));
        cases.add(bad(EVALUATE, args(badJson), badJson.resolve(report).toString(), "JSON"));
        cases.add(bad(EVALUATE, args(noConfig), noConfig.resolve(report).toString(), "config"));
        cases.add(
                bad(
                        EVALUATE,
                        args(badConfig),
                        badConfig.resolve(report).toString(),
                        "--method",
                        "'magic'"));
        cases.add(
                bad(
                        EVALUATE,
                        args(corrupt),
                        corrupt.resolve("checkpoint.chtsl").toString(),
                        "is not a"));
        cases.add(bad(EVALUATE, args(dataGone), "--data " + GONE, "not found", "pass --data PATH"));
        // Generate: positional settings, then the folder
        cases.add(bad(GENERATE, args(), "Missing RUN_DIR"));
        cases.add(bad(GENERATE, args(missing), "Missing PROMPT", "usage: Generate"));
        cases.add(
                bad(
                        GENERATE,
                        args(missing, "Once", "x"),
                        "MAX_TOKENS needs a whole number in [1, 1000000], got 'x'."));
        cases.add(
                bad(
                        GENERATE,
                        args(missing, "Once", "0"),
                        "MAX_TOKENS must be in [1, 1000000], got 0."));
        cases.add(bad(GENERATE, args(missing, "Once", "5", "-0.5"), "TEMPERATURE", "'-0.5'"));
        cases.add(bad(GENERATE, args(missing, "Once", "5", "NaN"), "TEMPERATURE", "'NaN'"));
        cases.add(
                bad(GENERATE, args(missing, "Once", "5", "Infinity"), "TEMPERATURE", "'Infinity'"));
        cases.add(bad(GENERATE, args(missing, "Once", "5", "1e-60"), "TEMPERATURE 1e-60"));
        cases.add(bad(GENERATE, args(missing, "Once", "5", "1f"), "TEMPERATURE", "'1f'"));
        cases.add(
                bad(
                        GENERATE,
                        args(missing, "Once", "5", "1", "-1"),
                        "TOP_K must be >= 0, got -1."));
        cases.add(
                bad(
                        GENERATE,
                        args(missing, "Once", "5", "1", "2.5"),
                        "TOP_K needs a whole number >= 0, got '2.5'."));
        cases.add(
                bad(
                        GENERATE,
                        args(missing, "Once", "5", "1", "1", "more"),
                        "Unexpected argument 'more'"));
        cases.add(
                bad(
                        GENERATE,
                        args(missing, "Once", "--temperature", "1"),
                        "Unknown option --temperature",
                        "--device,"));
        cases.add(bad(GENERATE, args(missing, "Once", "--device"), "--device needs a value"));
        cases.add(bad(GENERATE, args(missing, ""), "PROMPT is empty"));
        cases.add(bad(GENERATE, args(missing, "Once"), "RUN_DIR " + missing, "does not exist"));
        cases.add(bad(GENERATE, args(file, "Once"), "RUN_DIR " + file, "is a file"));
        cases.add(bad(GENERATE, args(empty, "Once"), "RUN_DIR " + empty, "has no report.json"));
        cases.add(bad(GENERATE, args(reportOnly, "Once"), "checkpoint.chtsl"));
        cases.add(
                bad(
                        GENERATE,
                        args(corrupt, "Once"),
                        corrupt.resolve("checkpoint.chtsl").toString()));
        // the corpus is not needed to generate: the checkpoint is the first problem found
        cases.add(
                bad(
                        GENERATE,
                        args(dataGone, "Once"),
                        dataGone.resolve("checkpoint.chtsl").toString()));
        // Compare: run folders only
        cases.add(bad(COMPARE, args(), "Missing RUN_DIR; usage: Compare [OPTIONS] RUN_DIR..."));
        cases.add(bad(COMPARE, args("--colour"), "Unknown option --colour"));
        cases.add(bad(COMPARE, args(runA, "--colour", "red"), "Unknown option --colour"));
        cases.add(bad(COMPARE, args(runA, missing), "RUN_DIR " + missing, "does not exist"));
        cases.add(bad(COMPARE, args(file), "RUN_DIR " + file, "is a file"));
        cases.add(bad(COMPARE, args(empty), "RUN_DIR " + empty, "has no report.json"));
        cases.add(bad(COMPARE, args(badJson), badJson.resolve(report).toString(), "JSON"));
        cases.add(
                bad(COMPARE, args(noMethod), noMethod.resolve(report).toString(), "config.method"));
        cases.add(bad(COMPARE, args(noFinal), noFinal.resolve(report).toString(), "final"));
        cases.add(bad(COMPARE, args(runA, runA), "RUN_DIR " + runA, "given twice"));
        cases.add(bad(COMPARE, args(runA, runA.resolve(report)), "given twice"));
        cases.add(
                bad(
                        COMPARE,
                        args(runA, twinOfA),
                        runA.resolve(report).toString(),
                        twinOfA.resolve(report).toString(),
                        "chtsl (tiny) at sparsity 0.90"));
        // TrainMlp: everything is checked before --out is created or MNIST fetched
        String out = mlpOut.toString();
        cases.add(bad(TRAIN_MLP, args("--out", out, "--colour", "red"), "Unknown option --colour"));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--epochs", "x"),
                        "--epochs needs a whole number >= 1, got 'x'."));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--epochs", "0"),
                        "--epochs must be >= 1, got 0."));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--epochs", "99999999999"),
                        "--epochs must be in [1, 2147483647], got 99999999999."));
        cases.add(bad(TRAIN_MLP, args("--out", out, "--epochs"), "--epochs needs a value"));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--epochs", "1", "--epochs", "2"),
                        "--epochs is given twice"));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--density", "0"),
                        "--density needs a number in (0, 1], got '0'."));
        cases.add(bad(TRAIN_MLP, args("--out", out, "--density", "1.5"), "--density", "'1.5'"));
        cases.add(bad(TRAIN_MLP, args("--out", out, "--density", "abc"), "--density", "'abc'"));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--method", "magic"),
                        "--method: unknown value 'magic'; allowed: dense, set, cht, chts."));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--seed", "1.5"),
                        "--seed needs a whole number, got '1.5'."));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--seed", "4294967296"),
                        "--seed must be in [-2147483648, 2147483647], got 4294967296."));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--chain-removal", "yes"),
                        "Unexpected argument 'yes' (--chain-removal takes no value)"));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", out, "--method", "dense", "--chain-removal"),
                        "--chain-removal",
                        "--method dense"));
        cases.add(bad(TRAIN_MLP, args("--out", ""), "--out needs a folder, got ''."));
        cases.add(bad(TRAIN_MLP, args("--out", file), "--out " + file, "is a file"));
        cases.add(
                bad(
                        TRAIN_MLP,
                        args("--out", file.resolve("sub")),
                        "--out " + file.resolve("sub"),
                        "cannot create"));
        return cases.toArray(new Object[0][]);
    }

    @Test(dataProvider = "badInput")
    public void badInputIsOneLineNamingTheArgumentAndExitStatusTwo(
            RunFixtures.Program program, String[] args, String[] expected) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                program.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        String shown = Arrays.toString(args) + " -> " + output;
        assertEquals(status, ProgramRunner.BAD_INPUT, shown);
        assertTrue(output.endsWith(System.lineSeparator()), shown);
        String[] lines = output.strip().split("\\R");
        assertEquals(lines.length, 1, shown);
        assertTrue(lines[0].matches("(Evaluate|Generate|Compare|TrainMlp): \\S.*"), shown);
        assertFalse(lines[0].endsWith("...."), shown);
        for (String part : expected) {
            assertTrue(lines[0].contains(part), "expected '" + part + "' in " + shown);
        }
        assertFalse(Files.exists(mlpOut), "TrainMlp created --out before validating: " + shown);
        assertEquals(out.size(), 0, "nothing on the output stream: " + shown);
    }

    @Test
    public void compareTablesRunsAndMarksOnesThatDidNotComplete() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status =
                Compare.execute(
                        args(runA, runB.resolve("report.json")),
                        System.out,
                        new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(status, ProgramRunner.OK, bytes.toString(StandardCharsets.UTF_8));
        String table = Compare.table(runA.toString(), runB.toString());
        assertEquals(
                table,
                "| method | s = 0.80 | s = 0.90 |\n|---|---|---|\n| chtsl (tiny) | n/a (diverged) |"
                        + " 42.50 |");
    }

    @Test
    public void theTraceOfAnUnexpectedFailureGoesToTheRunsLogIfItExists() {
        assertEquals(Evaluate.traceFile(runA), runA.resolve("train.log"));
        assertNull(Evaluate.traceFile(missing));
        assertNull(Evaluate.traceFile(null));
    }
}
