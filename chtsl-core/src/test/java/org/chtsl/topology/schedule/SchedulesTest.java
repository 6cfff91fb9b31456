package org.chtsl.topology.schedule;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import org.chtsl.topology.score.MagnitudeScore;
import org.chtsl.topology.score.RelativeImportanceScore;
import org.chtsl.training.LearningRateMultiplier;
import org.testng.annotations.Test;

/** Spec §8.4: 10k steps, T_end = 7500, ΔT = 100, ζ = 0.1, T 1 → 9, s₀ 0.5 → s₁ 0.9, k = 6. */
public class SchedulesTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    public void chtssDensityMatchesTheTable() {
        SigmoidDensityDecay decay = new SigmoidDensityDecay(0.5, 6, new RelativeImportanceScore());
        DecayWindow reference = new DecayWindow(0.9, 8000, 100);
        long[] steps = {100, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 7500, 8000};
        double[] density = {
            0.499840, 0.496577, 0.481929, 0.427661, 0.300000, 0.172339, 0.118071, 0.103423,
            0.101104, 0.100000
        };
        for (int k = 0; k < steps.length; k++) {
            assertEquals(
                    1 - decay.sparsityAt(steps[k], reference),
                    density[k],
                    TOLERANCE,
                    "t = " + steps[k]);
        }
        assertEquals(1 - decay.sparsityAt(0, reference), 0.5, 1e-12);
        // chtsl's default ends the decay at the last update, so the final density is the target
        DecayWindow chtsl = new DecayWindow(0.9, 7500, 100);
        assertEquals(1 - decay.sparsityAt(7500, chtsl), 0.1, 1e-12);
        assertEquals(1 - decay.sparsityAt(9000, chtsl), 0.1, 1e-12);
    }

    @Test
    public void granetCubicDensityByHand() {
        // P = 4 updates from s0 = 0.5 to s1 = 0.9: s = 0.5 + 0.4·(1 − (1 − u/4)³)
        CubicDensityDecay decay = new CubicDensityDecay(0.5, new MagnitudeScore());
        DecayWindow window = new DecayWindow(0.9, 400, 100);
        double[] expected = {0.5, 0.73125, 0.85, 0.89375, 0.9, 0.9};
        for (int u = 0; u < expected.length; u++) {
            assertEquals(decay.sparsityAt(u * 100L, window), expected[u], 1e-12, "u = " + u);
            assertEquals(decay.sparsityAt(u * 100L + 99, window), expected[u], 1e-12);
        }
        // below s0 there is nothing to prune: the decay starts at the final sparsity
        assertEquals(decay.initialSparsity(0.3), 0.3);
        assertEquals(decay.sparsityAt(200, new DecayWindow(0.3, 400, 100)), 0.3, 1e-12);
        assertEquals(ConstantDensity.get().sparsityAt(200, window), 0.9);
    }

    @Test
    public void dropFractionAndTemperatureMatchTheTable() {
        DropFractionSchedule zeta = DropFractionSchedule.cosine(0.1, 7500);
        assertEquals(zeta.at(100), 0.099956, TOLERANCE);
        assertEquals(zeta.at(1000), 0.095677, TOLERANCE);
        assertEquals(zeta.at(3750), 0.05, TOLERANCE);
        assertEquals(zeta.at(7500), 0.0, TOLERANCE);
        assertEquals(zeta.at(7600), 0.0);
        assertEquals(new DropFractionSchedule(0.3, 7500, false).at(5000), 0.3);

        RemovalTemperatureSchedule temperature = new RemovalTemperatureSchedule(1, 9, 7500);
        assertEquals(temperature.at(100), 1.106667, TOLERANCE);
        assertEquals(temperature.at(1000), 2.066667, TOLERANCE);
        assertEquals(temperature.at(3750), 5.0, TOLERANCE);
        assertEquals(temperature.at(7500), 9.0, TOLERANCE);
        assertEquals(temperature.at(9000), 9.0, TOLERANCE);
    }

    @Test
    public void learningRateMultiplierMatchesTheTable() {
        LearningRateMultiplier withRestarts = new LearningRateMultiplier(1000, 10000, 0.1, 100, 20);
        long[] steps = {1, 10, 999, 1000, 1001, 1005, 1020, 5000, 5010, 9999};
        double[] expected = {5e-5, 0.005, 0.999, 0, 0.05, 0.25, 0.999989, 0, 0.313297, 0.1};
        for (int k = 0; k < steps.length; k++) {
            assertEquals(withRestarts.at(steps[k]), expected[k], TOLERANCE, "τ = " + steps[k]);
        }
        LearningRateMultiplier plain = new LearningRateMultiplier(1000, 10000, 0.1, 100, 0);
        assertEquals(plain.at(1000), 1.0, TOLERANCE);
        assertEquals(plain.at(5000), 0.628142, TOLERANCE);
        assertEquals(plain.at(10000), 0.1, TOLERANCE);
    }

    @Test
    public void badSchedulesAreRejected() {
        expectThrows(IllegalArgumentException.class, () -> DropFractionSchedule.cosine(1.5, 100));
        expectThrows(IllegalArgumentException.class, () -> DropFractionSchedule.cosine(0.1, 0));
        expectThrows(
                IllegalArgumentException.class, () -> new RemovalTemperatureSchedule(0, 9, 10));
        expectThrows(IllegalArgumentException.class, () -> new DecayWindow(1.0, 8000, 100));
        expectThrows(IllegalArgumentException.class, () -> new DecayWindow(0.9, 50, 100));
        expectThrows(
                IllegalArgumentException.class,
                () -> new SigmoidDensityDecay(0.5, 0, new RelativeImportanceScore()));
        expectThrows(
                IllegalArgumentException.class,
                () -> new CubicDensityDecay(1.0, new MagnitudeScore()));
        expectThrows(IllegalArgumentException.class, () -> new CubicDensityDecay(0.5, null));
        expectThrows(
                IllegalArgumentException.class,
                () -> new LearningRateMultiplier(100, 100, 0.1, 100, 0));
        expectThrows(
                IllegalArgumentException.class,
                () -> new LearningRateMultiplier(0, 100, 0.1, 0, 0));
    }
}
