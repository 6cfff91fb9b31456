package org.chtsl.examples;

import ai.djl.training.Trainer;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.chtsl.training.CheckpointState;
import org.chtsl.training.NonFiniteValues;
import org.chtsl.training.TrainingCheckpoint;
import org.chtsl.training.TrainingDivergedException;
import org.chtsl.training.TrainingLoop;
import org.chtsl.training.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TrainLlama} run does after each step: records the loss and the throughput, logs
 * progress every {@value #LOG_EVERY} steps and, at every evaluation (and the last step), evaluates,
 * stops a diverged run, checkpoints and rewrites {@code report.json}.
 */
final class RunRecorder implements TrainingLoop.StepListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
    private static final int LOG_EVERY = 10;

    private final LlamaRun run;
    private final Trainer trainer;
    private final TrainingReport report;
    private final List<CheckpointState> parts;
    private final RunLog runLog;
    private final long firstStep;
    private final TrainingLoop.StepListener afterStep;
    private final long tokensPerStep;
    private final double validationLimit;
    private final long began = System.nanoTime();

    /**
     * Creates the recorder of a run.
     *
     * @param run the run
     * @param trainer its trainer
     * @param report its report
     * @param runLog its {@code train.log}
     * @param firstStep the step it starts (or resumes) after
     * @param afterStep called after each step has been recorded, or {@code null}
     */
    RunRecorder(
            LlamaRun run,
            Trainer trainer,
            TrainingReport report,
            RunLog runLog,
            long firstStep,
            TrainingLoop.StepListener afterStep) {
        this.run = run;
        this.trainer = trainer;
        this.report = report;
        this.parts = run.setup().parts(report);
        this.runLog = runLog;
        this.firstStep = firstStep;
        this.afterStep = afterStep;
        this.tokensPerStep = (long) run.config().batch() * run.config().seqLen();
        // above twice a uniform guess's loss, the run has diverged
        this.validationLimit = 2 * Math.log(run.data().codec.vocabularySize());
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingProgress progress, float loss) throws IOException {
        long step = progress.step();
        long steps = run.config().steps();
        report.trainLosses.add(new double[] {step, loss});
        double rate = (step - firstStep) * tokensPerStep / ((System.nanoTime() - began) / 1e9);
        report.tokensPerSecond = rate;
        if (step % LOG_EVERY == 0 || step == steps) {
            log(
                    String.format(
                            Locale.ROOT,
                            "step %d/%d loss %.4f | %.0f tokens/s | ETA %.0f s",
                            step,
                            steps,
                            loss,
                            rate,
                            (steps - step) * tokensPerStep / Math.max(rate, 1)));
        }
        if (step % run.config().evalEvery() == 0 || step == steps) {
            evaluate(step);
            long began = System.nanoTime();
            TrainingCheckpoint.save(
                    run.checkpoint(),
                    run.block(),
                    run.setup().optimizer,
                    progress,
                    run.config().description(),
                    parts);
            LOG.info("Checkpoint written in {}", TrainLlama.seconds(began));
            report.collect(run.block(), run.setup());
            report.writeJson(run.options().out);
        }
        if (afterStep != null) {
            afterStep.onStep(progress, loss);
        }
    }

    /** Evaluates; a diverged run stops before its state replaces the last good checkpoint. */
    private void evaluate(long step) throws IOException {
        long began = System.nanoTime();
        double validation =
                Evaluation.loss(
                        trainer,
                        run.data().validation,
                        run.config().evalTokens(),
                        run.config().microBatch());
        log(
                String.format(
                        Locale.ROOT,
                        "step %d: validation loss %.4f, perplexity %.2f (%s)",
                        step,
                        validation,
                        Math.exp(validation),
                        TrainLlama.seconds(began)));
        report.addEval(step, validation);
        if (!(validation <= validationLimit)) {
            throw new TrainingDivergedException(
                    step,
                    String.format(
                            Locale.ROOT,
                            "the validation loss is %.4g, above %.2f (twice a uniform guess's);"
                                    + " the checkpoint of the last evaluation is kept",
                            validation,
                            validationLimit),
                    NonFiniteValues.firstNonFiniteWeight(run.block()));
        }
    }

    private void log(String line) throws IOException {
        runLog.line(line);
        LOG.info(line);
    }
}
