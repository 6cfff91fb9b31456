package org.chtsl.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.Arrays;
import org.chtsl.method.Methods;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.training.AlignmentLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward + backward throughput of LLaMA models: tokens per second of {@code tiny} and {@code 20m},
 * dense and CHTsL at total sparsity 0.9, batch 8 × 256, with cross-entropy (plus the alignment loss
 * for CHTsL), and the process's peak memory.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl chtsl-examples exec:java
 * -Dexec.mainClass=org.chtsl.examples.bench.LlamaBenchmark [-Dexec.args="--steps 5"]}.
 */
public final class LlamaBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(LlamaBenchmark.class);
    private static final int BATCH = 8;
    private static final int LENGTH = 256;

    private LlamaBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --steps N} timed steps per model (default 5)
     */
    public static void main(String[] args) {
        int steps = args.length == 2 && "--steps".equals(args[0]) ? Integer.parseInt(args[1]) : 5;
        Engine.getInstance().setRandomSeed(0);
        for (String preset : new String[] {"tiny", "20m"}) {
            for (String method : new String[] {"dense", "chtsl"}) {
                double tokensPerSecond = measure(preset, method, steps);
                LOG.info(
                        "{} {}: {} tokens/s forward+backward (batch {} × {}); {}",
                        preset,
                        method,
                        String.format("%.0f", tokensPerSecond),
                        BATCH,
                        LENGTH,
                        PeakMemory.describe());
            }
        }
    }

    private static double measure(String preset, String method, int steps) {
        LlamaConfig config = LlamaConfig.preset(preset).build();
        LlamaModel model =
                LlamaModel.builder()
                        .setConfig(config)
                        .optMethod(Methods.forName(method), 0.9)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(BATCH, LENGTH));
            Loss crossEntropy = Loss.softmaxCrossEntropyLoss();
            AlignmentLoss alignment = new AlignmentLoss(model, 0.5f);
            ParameterStore parameters = new ParameterStore(manager, false);
            double[] seconds = new double[steps];
            for (int step = -1; step < steps; step++) { // step −1 warms up
                try (NDManager batch = manager.newSubManager()) {
                    NDArray ids =
                            batch.randomInteger(
                                    0,
                                    config.getVocabSize(),
                                    new Shape(BATCH, LENGTH),
                                    DataType.INT64);
                    NDArray labels =
                            batch.randomInteger(
                                    0,
                                    config.getVocabSize(),
                                    new Shape(BATCH, LENGTH, 1),
                                    DataType.INT64);
                    long start = System.nanoTime();
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        NDList logits = model.forward(parameters, new NDList(ids), true);
                        NDArray loss =
                                crossEntropy
                                        .evaluate(new NDList(labels), logits)
                                        .add(alignment.evaluate(new NDList(labels), logits));
                        collector.backward(loss);
                    }
                    if (step >= 0) {
                        seconds[step] = (System.nanoTime() - start) / 1e9;
                    }
                }
            }
            Arrays.sort(seconds);
            return BATCH * LENGTH / seconds[steps / 2];
        }
    }
}
