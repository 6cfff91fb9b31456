package org.chtsl.examples.plot;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;

import org.testng.annotations.Test;

/** The centred moving average, against hand-computed values. */
public class SmoothingTest {

    @Test
    public void averagesTheWindowAroundEachValueAndWhatThereIsAtTheEnds() {
        // window 3: (1+2)/2, (1+2+3)/3, (2+3+10)/3, (3+10+5)/3, (10+5)/2
        double[] smoothed = Smoothing.centredMovingAverage(new double[] {1, 2, 3, 10, 5}, 3);
        assertEquals(smoothed, new double[] {1.5, 2, 5, 6, 7.5}, 1e-12);
        // window 5 on 5 values: the ends see 3, the middle all 5
        assertEquals(
                Smoothing.centredMovingAverage(new double[] {1, 2, 3, 10, 5}, 5),
                new double[] {2, 4, 4.2, 5, 6},
                1e-12);
    }

    @Test
    public void aWindowOfOneIsTheValuesAndAnEvenOneIsRefused() {
        assertEquals(
                Smoothing.centredMovingAverage(new double[] {3, 1, 4}, 1),
                new double[] {3, 1, 4},
                0);
        assertEquals(Smoothing.centredMovingAverage(new double[0], 3), new double[0]);
        assertThrows(
                IllegalArgumentException.class,
                () -> Smoothing.centredMovingAverage(new double[] {1, 2}, 2));
    }

    @Test
    public void theWindowIsAboutATwentiethAndOdd() {
        assertEquals(Smoothing.windowFor(10), 1);
        assertEquals(Smoothing.windowFor(120), 7); // 6, made odd
        assertEquals(Smoothing.windowFor(2000), 101);
    }
}
