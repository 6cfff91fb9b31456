package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/**
 * Evaluate and Generate reopen a run with its own tokenizer and never read its training text: they
 * work after the text and its cached tokens are gone, and validate on the very tokens the run did.
 */
public class ReopenedRunTest {

    /**
     * A copy of the test corpus, with a document of its own so that its cached tokens are its own
     * too: a test may delete both.
     */
    private static Path ownCorpus() throws Exception {
        Path corpus = Files.createTempDirectory("chtsl-own-text").resolve("corpus.txt");
        Files.writeString(
                corpus,
                Files.readString(RunFixtures.corpus(), StandardCharsets.UTF_8)
                        + "a document of "
                        + corpus.getParent().getFileName()
                        + "\n",
                StandardCharsets.UTF_8);
        return corpus;
    }

    private static double lastValidationLoss(Path out) throws Exception {
        JsonArray evals = RunFixtures.report(out).getAsJsonArray("evals");
        return evals.get(evals.size() - 1).getAsJsonObject().get("val_loss").getAsDouble();
    }

    /** The validation loss of the reopened run's checkpoint, as Evaluate computes it. */
    private static double evaluate(Path out) throws Exception {
        try (TrainedRun run = TrainedRun.open(out);
                Trainer trainer =
                        run.model.newTrainer(
                                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
            return Evaluation.loss(
                    trainer, run.validation, run.options.evalTokens(), run.options.microBatch());
        }
    }

    private static Path tokens(String key) {
        return ChtslHome.get().resolve("tokens").resolve(key + ".tokens");
    }

    @Test
    public void evaluateAndGenerateNeedNeitherTheTrainingTextNorItsTokens() throws Exception {
        Path corpus = ownCorpus();
        Path out = Files.createTempDirectory("chtsl-reopen-split");
        assertEquals(
                RunFixtures.execute(
                                RunFixtures.args(
                                        "chtsl", out, "--steps", "6", "--data", corpus.toString()))
                        .status(),
                0);
        JsonObject config = RunFixtures.report(out).getAsJsonObject("config");
        String identity = config.get(TrainingData.IDENTITY).getAsString();
        Path corpusTokens = tokens(identity);
        Path splitTokens = tokens(TrainingData.validationKey(identity, 11));
        assertTrue(Files.isRegularFile(corpusTokens), corpusTokens.toString());
        assertTrue(Files.isRegularFile(splitTokens), splitTokens.toString());

        Files.delete(corpus);
        Files.delete(corpusTokens);
        assertEquals(evaluate(out), lastValidationLoss(out), 1e-6);
        assertEquals(RunFixtures.execute(Evaluate::execute, out.toString()).status(), 0);
        RunFixtures.Outcome generated =
                RunFixtures.execute(Generate::execute, out.toString(), "the quick", "3");
        assertEquals(generated.status(), 0, generated.errors());

        // with the split's tokens gone too, the text is needed, and its absence is one line
        Files.delete(splitTokens);
        RunFixtures.Outcome missing = RunFixtures.execute(Evaluate::execute, out.toString());
        assertEquals(missing.status(), ProgramRunner.BAD_INPUT, missing.errors());
        assertTrue(missing.errors().contains("--data " + corpus), missing.errors());
        assertTrue(missing.errors().contains("not found"), missing.errors());
        assertEquals(
                RunFixtures.execute(Generate::execute, out.toString(), "the quick", "3").status(),
                0,
                "Generate reads no text at all");
    }

    @Test
    public void withoutCachedSplitOnlyTheHeldOutDocumentsAreTokenized() throws Exception {
        Path corpus = ownCorpus();
        Path out = Files.createTempDirectory("chtsl-reopen-uncached");
        assertEquals(
                RunFixtures.execute(
                                RunFixtures.args(
                                        "chts", out, "--steps", "6", "--data", corpus.toString()))
                        .status(),
                0);
        String identity =
                RunFixtures.report(out)
                        .getAsJsonObject("config")
                        .get(TrainingData.IDENTITY)
                        .getAsString();
        Path splitTokens = tokens(TrainingData.validationKey(identity, 11));
        Files.delete(splitTokens);
        Files.delete(tokens(identity)); // re-tokenizing the corpus would cache it again
        assertEquals(evaluate(out), lastValidationLoss(out), 1e-6);
        assertTrue(Files.isRegularFile(splitTokens), "the split is cached again");
        assertTrue(!Files.exists(tokens(identity)), "the training part was not tokenized");
    }

    @Test
    public void aRunWithValidationTextIsEvaluatedOnItAlone() throws Exception {
        Path corpus = ownCorpus();
        Path validation = Files.createTempDirectory("chtsl-own-validation").resolve("val.txt");
        Files.writeString(
                validation,
                Files.readString(RunFixtures.corpus(), StandardCharsets.UTF_8).substring(0, 20_000),
                StandardCharsets.UTF_8);
        Path out = Files.createTempDirectory("chtsl-reopen-val");
        assertEquals(
                RunFixtures.execute(
                                RunFixtures.args(
                                        "dense",
                                        out,
                                        "--steps",
                                        "4",
                                        "--data",
                                        corpus.toString(),
                                        "--val-data",
                                        validation.toString()))
                        .status(),
                0);
        Files.delete(corpus);
        assertEquals(evaluate(out), lastValidationLoss(out), 1e-6);
    }

    @Test
    public void anotherTokenizerThanTheRunsIsRefused() throws Exception {
        // the default tokenizer, converted once into the cache by the runs above or here
        Path out = Files.createTempDirectory("chtsl-reopen-tokenizer");
        Path tokenizer = Files.createTempDirectory("chtsl-own-tokenizer").resolve("tok.json");
        Files.copy(
                TrainingData.tokenizerFile(TrainOptions.parse("--dry-run"), ChtslHome.get()),
                tokenizer);
        assertEquals(
                RunFixtures.execute(
                                RunFixtures.args(
                                        "dense",
                                        out,
                                        "--steps",
                                        "4",
                                        "--tokenizer",
                                        tokenizer.toString()))
                        .status(),
                0);
        assertEquals(
                RunFixtures.report(out)
                        .getAsJsonObject("config")
                        .get("tokenizer_identity")
                        .getAsString(),
                TrainingData.sha256(tokenizer));
        Files.writeString(tokenizer, Files.readString(tokenizer) + "\n");
        IllegalArgumentException other =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainedRun.openWithoutData(out).close());
        assertTrue(other.getMessage().contains("not the tokenizer the run was trained with"));
        assertTrue(other.getMessage().contains(tokenizer.toString()), other.getMessage());
    }
}
