package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chtsl.method.Methods;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** {@code --help} and {@code --version} of every program, through its entry point. */
public class ProgramHelpTest {

    /** A help line that lists an option or argument: {@code --steps=N ...} or {@code RUN_DIR}. */
    private static final Pattern LISTED =
            Pattern.compile("^\\s+(?:-\\w, )?(--[\\w-]+|\\[?[A-Z][A-Z_]*\\]?(?:\\.\\.\\.)?)[=\\s]");

    @DataProvider
    public Object[][] programs() {
        return new Object[][] {
            {
                (RunFixtures.Program) TrainLlama::execute,
                "TrainLlama",
                List.of(
                        "--model",
                        "--method",
                        "--sparsity",
                        "--conn-ratio",
                        "--sparse-sparsity",
                        "--storage",
                        "--rank",
                        "--lambda",
                        "--low-rank-activation",
                        "--alignment-form",
                        "--steps",
                        "--batch",
                        "--micro-batch",
                        "--seq-len",
                        "--lr",
                        "--warmup",
                        "--update-interval",
                        "--clip-norm",
                        "--iterative-warmup",
                        "--pruning-end",
                        "--eval-every",
                        "--eval-tokens",
                        "--data",
                        "--val-data",
                        "--tokenizer",
                        "--max-documents",
                        "--out",
                        "--resume",
                        "--smoke",
                        "--device",
                        "--seed",
                        "--dry-run",
                        "--help",
                        "--version")
            },
            {
                (RunFixtures.Program) Evaluate::execute,
                "Evaluate",
                List.of(
                        "RUN_DIR",
                        "--data",
                        "--val-data",
                        "--eval-tokens",
                        "--device",
                        "--help",
                        "--version")
            },
            {
                (RunFixtures.Program) Generate::execute,
                "Generate",
                List.of(
                        "RUN_DIR",
                        "PROMPT",
                        "[MAX_TOKENS]",
                        "[TEMPERATURE]",
                        "[TOP_K]",
                        "--device",
                        "--seed",
                        "--help",
                        "--version")
            },
            {
                (RunFixtures.Program) Compare::execute,
                "Compare",
                List.of("RUN_DIR...", "--help", "--version")
            },
            {
                (RunFixtures.Program) PaperClaims::execute,
                "PaperClaims",
                List.of(
                        "--model",
                        "--steps",
                        "--seeds",
                        "--sparsity",
                        "--mlp-epochs",
                        "--share-models",
                        "--no-share",
                        "--report-only",
                        "--out",
                        "--help",
                        "--version")
            },
            {
                (RunFixtures.Program) TrainMlp::execute,
                "TrainMlp",
                List.of(
                        "--method",
                        "--chain-removal",
                        "--epochs",
                        "--seed",
                        "--density",
                        "--out",
                        "--help",
                        "--version")
            },
        };
    }

    private static List<String> listed(String help) {
        List<String> names = new ArrayList<>();
        for (String line : help.split("\\R")) {
            Matcher matcher = LISTED.matcher(line + " ");
            if (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    @Test(dataProvider = "programs")
    public void helpExitsZeroAndListsEveryOptionOnce(
            RunFixtures.Program program, String name, List<String> expected) throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        for (String flag : new String[] {"--help", "-h"}) {
            RunFixtures.Outcome outcome = RunFixtures.execute(program, flag);
            assertEquals(outcome.status(), ProgramRunner.OK, outcome.errors());
            assertEquals(outcome.errors(), "");
            assertTrue(outcome.output().startsWith("Usage: " + name + " "), outcome.output());
            assertEquals(listed(outcome.output()), expected, outcome.output());
            assertTrue(outcome.output().contains("Exit status:"), outcome.output());
        }
        assertEquals(Path.of("").toAbsolutePath(), cwd);
    }

    @Test(dataProvider = "programs")
    public void theReadmeShowsTheGeneratedHelp(
            RunFixtures.Program program, String name, List<String> expected) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String help = RunFixtures.execute(program, "--help").output().strip();
        assertTrue(
                readme.contains("```text\n" + help.replace(System.lineSeparator(), "\n") + "\n```"),
                "README.md's " + name + " --help is out of date; paste:\n" + help);
    }

    @Test
    public void helpComesBeforeAnyOtherCheckAndWritesNothing() throws Exception {
        Path out = Files.createTempDirectory("chtsl-help").resolve("never");
        RunFixtures.Outcome outcome =
                RunFixtures.execute("--steps", "0", "--out", out.toString(), "--help");
        assertEquals(outcome.status(), ProgramRunner.OK, outcome.errors());
        assertFalse(Files.exists(out), "--help creates no run folder");
    }

    @Test
    public void trainLlamasHelpShowsEachModelsDefaults() {
        String help = RunFixtures.execute("--help").output();
        // the papers' settings (60m, 130m) and the CPU demo's (tiny)
        assertTrue(
                help.matches("(?s).*\\n\\s+steps\\s+300\\s+2000\\s+10000\\s+20000\\s*\\n.*"), help);
        assertTrue(help.matches("(?s).*\\n\\s+batch\\s+8\\s+32\\s+512\\s+512\\s*\\n.*"), help);
        assertTrue(help.replaceAll("\\s+", " ").contains(String.join(", ", Methods.names())), help);
    }

    @Test
    public void versionExitsZeroAndNamesChtslDjlAndPytorch() {
        RunFixtures.Outcome outcome = RunFixtures.execute(Evaluate::execute, "--version");
        assertEquals(outcome.status(), ProgramRunner.OK, outcome.errors());
        String[] lines = outcome.output().strip().split("\\R");
        assertEquals(lines.length, 3, outcome.output());
        assertTrue(lines[0].matches("chtsl \\d+\\.\\d+\\.\\d+.*"), lines[0]);
        assertTrue(lines[1].matches("DJL \\d+\\.\\d+\\.\\d+.*"), lines[1]);
        assertTrue(lines[2].matches("PyTorch \\d+\\.\\d+\\.\\d+.*"), lines[2]);
    }
}
