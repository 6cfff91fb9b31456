package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

public class SparsityDistributionTest {

    private static final long[][] LLAMA_60M_BLOCK = {
        {512, 512}, {512, 512}, {512, 512}, {512, 512}, {1376, 512}, {1376, 512}, {512, 1376}
    };

    private static double activeLinks(long[][] shapes, double[] densities) {
        double links = 0;
        for (int l = 0; l < shapes.length; l++) {
            links += densities[l] * shapes[l][0] * shapes[l][1];
        }
        return links;
    }

    @Test
    public void erkKeepsTheBudgetAndFavoursSmallLayers() {
        double[] erk = SparsityDistribution.ERK.densities(LLAMA_60M_BLOCK, 0.1);
        double[] uniform = SparsityDistribution.UNIFORM.densities(LLAMA_60M_BLOCK, 0.1);
        assertEquals(
                activeLinks(LLAMA_60M_BLOCK, erk), activeLinks(LLAMA_60M_BLOCK, uniform), 1e-6);
        assertTrue(erk[0] > 0.1 && erk[4] < 0.1, "512² layers are denser than 1376×512 ones");
        // ERK density ∝ (m + n)/(m n): the ratio of the two shapes' densities
        assertEquals(erk[0] / erk[4], (1024.0 / (512 * 512)) / (1888.0 / (1376 * 512)), 1e-9);
        assertEquals(erk[4], erk[6], 1e-12);
    }

    @Test
    public void erkCapsLayersAtDensityOne() {
        long[][] shapes = {{4, 4}, {1000, 1000}};
        double[] erk = SparsityDistribution.ERK.densities(shapes, 0.5);
        assertEquals(erk[0], 1.0);
        assertEquals(activeLinks(shapes, erk), 0.5 * (16 + 1_000_000), 1e-6);
        expectThrows(
                IllegalArgumentException.class,
                () -> SparsityDistribution.ERK.densities(shapes, 0));
    }
}
