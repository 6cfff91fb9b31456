package org.chtsl.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a sparsity budget is spread over the layers of a model, keeping the same total number of
 * active links.
 */
public enum SparsityDistribution {
    /** Every layer has the same density (the papers). */
    UNIFORM,
    /**
     * Erdős–Rényi(-kernel) scaling: a layer of shape m × n gets a density ∝ {@code (m + n)/(m·n)},
     * so small layers stay denser; layers that would exceed density 1 are dense and the rest is
     * rescaled.
     */
    ERK;

    /**
     * Computes each named layer's density, so that callers match densities to layers by name rather
     * than by shape.
     *
     * @param shapes the layers' shapes, {@code {rows, columns}} each, by name
     * @param density the overall density in (0, 1]: {@code Σ d_l·N_l = density · Σ N_l}
     * @return an unmodifiable map from each name to its density, in the order of {@code shapes}
     * @throws IllegalArgumentException if the density is outside (0, 1] or there are no layers
     */
    public Map<String, Double> densities(Map<String, long[]> shapes, double density) {
        double[] values = densities(shapes.values().toArray(new long[0][]), density);
        Map<String, Double> byName = new LinkedHashMap<>();
        int l = 0;
        for (String name : shapes.keySet()) {
            byName.put(name, values[l++]);
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Computes each layer's density.
     *
     * @param shapes the layers' shapes, {@code {rows, columns}} each
     * @param density the overall density in (0, 1]: {@code Σ d_l·N_l = density · Σ N_l}
     * @return the densities, in the order of the shapes
     * @throws IllegalArgumentException if the density is outside (0, 1] or there are no layers
     */
    public double[] densities(long[][] shapes, double density) {
        if (!(density > 0 && density <= 1) || shapes.length == 0) {
            throw new IllegalArgumentException(
                    "Need layers and a density in (0, 1], got "
                            + shapes.length
                            + " layers and "
                            + density
                            + ".");
        }
        double[] result = new double[shapes.length];
        if (this == UNIFORM) {
            java.util.Arrays.fill(result, density);
            return result;
        }
        boolean[] dense = new boolean[shapes.length];
        while (true) {
            double budget = 0;
            double weighted = 0;
            for (int l = 0; l < shapes.length; l++) {
                double size = (double) shapes[l][0] * shapes[l][1];
                budget += density * size;
                if (dense[l]) {
                    budget -= size;
                } else {
                    weighted += shapes[l][0] + shapes[l][1];
                }
            }
            double scale = budget / weighted;
            boolean changed = false;
            for (int l = 0; l < shapes.length; l++) {
                if (!dense[l]) {
                    double size = (double) shapes[l][0] * shapes[l][1];
                    result[l] = scale * (shapes[l][0] + shapes[l][1]) / size;
                    if (result[l] > 1) {
                        dense[l] = true;
                        changed = true;
                    }
                } else {
                    result[l] = 1;
                }
            }
            if (!changed) {
                return result;
            }
        }
    }
}
