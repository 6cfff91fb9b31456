package org.chtsl.training;

/**
 * Where a run stands, for resuming it exactly: the optimizer steps done, the run's seed (the
 * engine's random generator is reseeded from it at every step, so the seed and the step are the
 * whole random state) and the samples consumed (the data position).
 *
 * @param step the optimizer steps completed
 * @param seed the run's seed
 * @param samplesSeen the training samples consumed
 */
public record TrainingProgress(long step, long seed, long samplesSeen) {

    /**
     * The seed the engine's generator gets before a step: a deterministic function of the run's
     * seed and the step.
     *
     * @param step the step about to run (0-based)
     * @return the engine seed
     */
    public int engineSeedFor(long step) {
        long mixed = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
        return (int) (mixed ^ (mixed >>> 31));
    }
}
