package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Test
    public void densitiesByNameFollowTheNamesNotTheOrder() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("small", new long[] {4, 4});
        shapes.put("large", new long[] {1000, 1000});
        Map<String, Double> erk = SparsityDistribution.ERK.densities(shapes, 0.5);
        assertEquals(erk.keySet().toString(), "[small, large]");
        assertEquals(erk.get("small"), 1.0); // capped, as erkCapsLayersAtDensityOne
        // the large layer holds the rest of the budget: (0.5 · 1,000,016 − 16) / 1,000,000
        assertEquals(erk.get("large"), (0.5 * 1_000_016 - 16) / 1_000_000, 1e-12);
        Map<String, long[]> reversed = new LinkedHashMap<>();
        reversed.put("large", shapes.get("large"));
        reversed.put("small", shapes.get("small"));
        assertEquals(SparsityDistribution.ERK.densities(reversed, 0.5), erk);
        Map<String, Double> uniform = SparsityDistribution.UNIFORM.densities(shapes, 0.3);
        assertEquals(uniform, Map.of("small", 0.3, "large", 0.3));
    }
}
