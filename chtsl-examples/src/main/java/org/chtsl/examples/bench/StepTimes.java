package org.chtsl.examples.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.chtsl.training.TrainingLoop;
import org.chtsl.training.TrainingProgress;
import org.chtsl.util.ProcessMemory;

/**
 * When each optimizer step of a {@link TrainingLoop} ended, and the throughput of the timed steps
 * (every step but the first, which warms up).
 */
final class StepTimes implements TrainingLoop.StepListener {

    private final List<Long> ends = new ArrayList<>();
    private Long firstStepPeak;

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingProgress progress, float loss) {
        ends.add(System.nanoTime());
        if (ends.size() == 1) {
            long peak = ProcessMemory.peakResidentBytes();
            firstStepPeak = peak < 0 ? null : peak;
        }
    }

    /**
     * Returns the process's peak resident set size when the first step ended: a whole step
     * (forward, backward, the optimizer's first update), before the first topology update.
     *
     * @return the bytes, or {@code null} before the first step or where it cannot be read
     */
    Long firstStepPeakResidentBytes() {
        return firstStepPeak;
    }

    /**
     * Returns tokens per second of the median timed step: every step but the first (a warm-up) and
     * but those with a topology update (they skip the optimizer update); only where every timed
     * step has one, those steps, each less the time its update took.
     *
     * @param tokensPerStep tokens one optimizer step trains on
     * @param updateSeconds the topology update's seconds by the (1-based) step it ran in
     * @return tokens per second, or {@code null} if fewer than two steps ran
     */
    Double tokensPerSecond(long tokensPerStep, Map<Long, Double> updateSeconds) {
        List<Double> plain = new ArrayList<>();
        List<Double> updated = new ArrayList<>();
        for (int i = 1; i < ends.size(); i++) {
            long step = i + 1;
            double seconds = (ends.get(i) - ends.get(i - 1)) / 1e9;
            if (updateSeconds.containsKey(step)) {
                updated.add(seconds - updateSeconds.get(step));
            } else {
                plain.add(seconds);
            }
        }
        List<Double> timed = plain.isEmpty() ? updated : plain;
        if (timed.isEmpty()) {
            return null;
        }
        return tokensPerStep / median(timed);
    }

    /**
     * Returns the median of some values (the mean of the middle two of an even count).
     *
     * @param values at least one value
     * @return the median
     */
    static double median(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
