package org.chtsl.models.llama;

import static org.testng.Assert.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.method.Methods;
import org.chtsl.training.AlignmentLoss;
import org.chtsl.training.HalfSquaredErrorLoss;
import org.testng.annotations.Test;

/**
 * A garbage collection between forward and backward must not change a gradient. DJL's {@code
 * mul(Number)} keeps its operand in a Java direct buffer that the collector frees while autograd
 * still holds it: before chtsl passed its scalars as PyTorch-owned arrays, the attention scale, the
 * alignment term's normalisation and λ, and SLTrain's α/r made the backward pass read freed memory.
 */
public class ScalarOperandTest {

    private static Map<String, float[]> gradients(String method, boolean collectGarbage)
            throws InterruptedException {
        Engine.getInstance().setRandomSeed(3);
        LlamaModel block =
                LlamaModel.builder()
                        .setConfig(
                                LlamaConfig.tiny()
                                        .optVocabSize(64)
                                        .optMaxSequenceLength(16)
                                        .build())
                        .optMethod(Methods.forName(method), 0.9)
                        .build();
        try (Model model = Model.newInstance("scalars")) {
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 16));
            Loss loss = AlignmentLoss.withTask(Loss.softmaxCrossEntropyLoss(), block, 0.5f);
            try (NDManager batch = manager.newSubManager()) {
                long[] tokens = new long[32];
                long[] next = new long[32];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = (i * 7) % 64;
                    next[i] = (i * 7 + 1) % 64;
                }
                NDArray ids = batch.create(tokens, new Shape(2, 16));
                NDArray labels = batch.create(next, new Shape(2, 16, 1));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDList logits =
                            block.forward(new ParameterStore(batch, false), new NDList(ids), true);
                    NDArray value = loss.evaluate(new NDList(labels), logits);
                    if (collectGarbage) {
                        reuseFreedDirectMemory();
                    }
                    collector.backward(value);
                }
            }
            Map<String, float[]> gradients = new LinkedHashMap<>();
            for (Pair<String, Parameter> pair : block.getParameters()) {
                NDArray array = pair.getValue().getArray();
                if (pair.getValue().requiresGradient() && array.hasGradient()) {
                    gradients.put(pair.getKey(), array.getGradient().toFloatArray());
                }
            }
            return gradients;
        }
    }

    /** Collects garbage and fills freed small direct buffers with another value. */
    private static void reuseFreedDirectMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> filler = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            buffer.putFloat(0, 12345f);
            filler.add(buffer);
        }
        filler.clear();
    }

    @Test
    public void aCollectionBetweenForwardAndBackwardChangesNoGradient() throws Exception {
        for (String method : new String[] {"chtsl", "sltrain", "dense"}) {
            Map<String, float[]> plain = gradients(method, false);
            Map<String, float[]> collected = gradients(method, true);
            assertEquals(collected.keySet(), plain.keySet());
            for (Map.Entry<String, float[]> entry : plain.entrySet()) {
                assertEquals(
                        collected.get(entry.getKey()),
                        entry.getValue(),
                        method + " " + entry.getKey());
            }
        }
    }

    @Test
    public void theHalfSquaredErrorIsDjlsL2LossAndSurvivesACollection() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray prediction = manager.create(new float[] {0f, 4f});
            NDArray label = manager.create(new float[] {1f, 2f});
            prediction.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value =
                        new HalfSquaredErrorLoss()
                                .evaluate(new NDList(label), new NDList(prediction));
                assertEquals(value.getFloat(), 1.25f); // ½·(1² + 2²) / 2
                assertEquals(
                        Loss.l2Loss()
                                .evaluate(new NDList(label), new NDList(prediction))
                                .getFloat(),
                        1.25f);
                reuseFreedDirectMemory();
                collector.backward(value);
            }
            // d/dŷ ½(y − ŷ)² / N = (ŷ − y) / N
            assertEquals(prediction.getGradient().toFloatArray(), new float[] {-0.5f, 1f});
        }
    }
}
