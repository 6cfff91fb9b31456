package org.chtsl.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.topology.LayerState;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.UpdateStep;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.score.ChLinkPredictors;
import org.chtsl.topology.score.ChVariant;
import org.chtsl.topology.update.SparseLayer;
import org.chtsl.topology.update.UpdatePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the topology engine: {@code l3n(CH2)} and one CHTs update (soft removal, CH2-L3n top-k
 * regrowth, ζ = 0.1) per LLaMA projection shape at 10% density, and one update of all 56
 * projections of LLaMA-60M. Prints milliseconds (median of the repetitions) and peak memory.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl chtsl-examples exec:java
 * -Dexec.mainClass=org.chtsl.examples.bench.TopologyBenchmark [-Dexec.args="--repeats 5"]}.
 */
public final class TopologyBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyBenchmark.class);

    private static final long[][] SHAPES = {
        {512, 512}, {1376, 512}, {512, 1376}, {768, 768}, {2048, 768}
    };
    private static final double DENSITY = 0.1;

    private TopologyBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --repeats N} (default 5)
     */
    public static void main(String[] args) {
        int repeats =
                args.length == 2 && "--repeats".equals(args[0]) ? Integer.parseInt(args[1]) : 5;
        Engine.getInstance().setRandomSeed(0);
        MethodPreset chts = Methods.chts();
        UpdatePipeline pipeline =
                UpdatePipeline.builder().setRules(chts.getRemoval(), chts.getRegrowth()).build();
        UpdateStep step = new UpdateStep(1, 1, 0.1);
        LOG.info(
                "engine {} on {}, {} threads, {} repeats",
                Engine.getInstance().getEngineName(),
                Engine.getInstance().defaultDevice(),
                Runtime.getRuntime().availableProcessors(),
                repeats);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (long[] shape : SHAPES) {
                LayerState layer = layer(manager, shape[0], shape[1]);
                long target = LinkCounts.targetLinks(DENSITY, shape[0] * shape[1]);
                double scoreMs =
                        medianMs(
                                repeats,
                                () -> ChLinkPredictors.l3n(layer.mask(), ChVariant.CH2).close());
                List<SparseLayer> one = List.of(new SparseLayer("layer", layer, target));
                double updateMs = medianMs(repeats, () -> update(pipeline, one, step, manager));
                LOG.info(
                        "{} x {}: l3n(CH2) {} ms, remove + regrow {} ms",
                        shape[0],
                        shape[1],
                        String.format("%.1f", scoreMs),
                        String.format("%.1f", updateMs));
            }
            List<SparseLayer> llama60m = new ArrayList<>();
            for (int block = 0; block < 8; block++) {
                for (int k = 0; k < 4; k++) {
                    llama60m.add(sparseLayer(manager, block + ".attn." + k, 512, 512));
                }
                llama60m.add(sparseLayer(manager, block + ".gate", 1376, 512));
                llama60m.add(sparseLayer(manager, block + ".up", 1376, 512));
                llama60m.add(sparseLayer(manager, block + ".down", 512, 1376));
            }
            double allMs =
                    medianMs(
                            Math.max(1, repeats / 2),
                            () -> update(pipeline, llama60m, step, manager));
            LOG.info(
                    "LLaMA-60M, all {} projections: one topology update {} ms",
                    llama60m.size(),
                    String.format("%.0f", allMs));
        }
        LOG.info(PeakMemory.describe());
    }

    /** Runs the pipeline training runs and frees its masks. */
    private static void update(
            UpdatePipeline pipeline, List<SparseLayer> layers, UpdateStep step, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            pipeline.update(layers, step, scope);
        }
    }

    private static SparseLayer sparseLayer(
            NDManager manager, String name, long rows, long columns) {
        return new SparseLayer(
                name,
                layer(manager, rows, columns),
                LinkCounts.targetLinks(DENSITY, rows * columns));
    }

    private static LayerState layer(NDManager manager, long rows, long columns) {
        NDArray mask = ErdosRenyiTopology.get().create(manager, rows, columns, DENSITY);
        NDArray weight =
                manager.randomNormal(
                        0f, 0.02f, new Shape(rows, columns), ai.djl.ndarray.types.DataType.FLOAT32);
        return new LayerState(mask, weight.mul(mask), null);
    }

    private static double medianMs(int repeats, Runnable work) {
        work.run(); // warm-up
        double[] times = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            work.run();
            times[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[repeats / 2];
    }
}
