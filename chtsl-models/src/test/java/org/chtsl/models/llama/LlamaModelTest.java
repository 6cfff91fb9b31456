package org.chtsl.models.llama;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.chtsl.method.Methods;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseLowRankLinear;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class LlamaModelTest {

    private static final int VOCAB = 11;
    private static final int LENGTH = 7;

    private NDManager manager;

    @BeforeMethod
    public void setUp() {
        Engine.getInstance().setRandomSeed(31);
        manager = NDManager.newBaseManager();
    }

    @AfterMethod
    public void tearDown() {
        manager.close();
    }

    private static LlamaConfig small() {
        return LlamaConfig.builder()
                .setHidden(16)
                .setLayers(2)
                .setHeads(2)
                .setIntermediate(24)
                .optVocabSize(VOCAB)
                .optMaxSequenceLength(LENGTH)
                .optInitStd(0.3f) // large weights, so that every layer matters to the logits
                .build();
    }

    private LlamaModel initialized(LlamaConfig config, ProjectionSpec spec) {
        LlamaModel model = LlamaModel.builder().setConfig(config).optProjections(spec).build();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, LENGTH));
        for (Parameter parameter : model.getParameters().values()) {
            if (parameter.getType() == Parameter.Type.GAMMA) { // non-trivial norm gains
                NDArray gain = parameter.getArray();
                gain.addi(manager.randomUniform(-0.5f, 0.5f, gain.getShape()));
            }
        }
        return model;
    }

    private NDArray logits(LlamaModel model, int[] tokens) {
        NDArray ids =
                manager.create(tokens).toType(DataType.INT64, false).reshape(1, tokens.length);
        return model.forward(new ParameterStore(manager, false), new NDList(ids), false).head();
    }

    @Test
    public void logitsMatchAnIndependentDoublePrecisionReference() {
        int[] tokens = {3, 1, 4, 1, 5, 9, 2};
        for (ProjectionSpec spec :
                new ProjectionSpec[] {
                    ProjectionSpec.dense(), ProjectionSpec.sparse(0.5, ErdosRenyiTopology.get())
                }) {
            LlamaModel model = initialized(small(), spec);
            NDArray actual = logits(model, tokens);
            assertEquals(actual.getShape(), new Shape(1, LENGTH, VOCAB));
            double[][] expected = new LlamaReference(model).logits(tokens);
            double[][] got = LlamaReference.matrix(actual.reshape(LENGTH, VOCAB));
            double spread = 0;
            for (int t = 0; t < LENGTH; t++) {
                for (int v = 0; v < VOCAB; v++) {
                    assertEquals(
                            got[t][v], expected[t][v], 1e-4, spec.kind() + " at " + t + "," + v);
                    spread = Math.max(spread, Math.abs(expected[t][v]));
                }
            }
            assertTrue(spread > 0.1, "logits are not trivially small: " + spread);
        }
    }

    @Test
    public void changingATokenChangesNoEarlierLogit() {
        LlamaModel model = initialized(small(), ProjectionSpec.dense());
        int[] tokens = {3, 1, 4, 1, 5, 9, 2};
        NDArray before = logits(model, tokens);
        tokens[4] = 7;
        NDArray after = logits(model, tokens);
        double unchanged =
                before.get(":, 0:4, :").sub(after.get(":, 0:4, :")).abs().max().getFloat();
        double changed = before.get(":, 4:, :").sub(after.get(":, 4:, :")).abs().max().getFloat();
        assertEquals(unchanged, 0.0, 1e-6);
        assertTrue(changed > 1e-3, "position 4 onwards sees the new token");
    }

    @Test
    public void rotaryAttentionScoresDependOnlyOnRelativePosition() {
        RotaryEmbedding rope = new RotaryEmbedding(8, 16, 10000);
        NDArray q = manager.randomNormal(new Shape(8));
        NDArray k = manager.randomNormal(new Shape(8));
        NDArray qs = rope.apply(q.reshape(1, 1, 1, 8).repeat(2, 16));
        NDArray ks = rope.apply(k.reshape(1, 1, 1, 8).repeat(2, 16));
        float[][] scores = new float[16][16];
        for (int m = 0; m < 16; m++) {
            for (int n = 0; n < 16; n++) {
                scores[m][n] = qs.get("0, 0, " + m).dot(ks.get("0, 0, " + n)).getFloat();
            }
        }
        assertEquals(scores[3][1], scores[9][7], 1e-4);
        assertEquals(scores[1][3], scores[12][14], 1e-4);
        assertEquals(scores[5][5], scores[0][0], 1e-4);
        assertTrue(Math.abs(scores[3][1] - scores[4][1]) > 1e-4, "the offset matters");
        expectThrows(
                IllegalArgumentException.class,
                () -> rope.apply(manager.zeros(new Shape(1, 1, 17, 8))));
    }

    @Test
    public void rmsNormFollowsItsFormula() {
        NDArray x = manager.create(new float[] {1, -2, 3, 0.5f}).reshape(1, 4);
        NDArray gain = manager.create(new float[] {1, 2, 0.5f, -1});
        NDArray y = RmsNorm.rmsNorm(x, gain, 1e-6f);
        double rms = Math.sqrt((1 + 4 + 9 + 0.25) / 4 + 1e-6);
        float[] expected = {
            (float) (1 / rms), (float) (-4 / rms), (float) (1.5 / rms), (float) (-0.5 / rms)
        };
        float[] actual = y.toFloatArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(actual[i], expected[i], 1e-6);
        }
    }

    @Test
    public void parameterCountsOfThePapersModels() {
        assertEquals(LlamaConfig.llama60m().build().projectionParameters(), 25_296_896L);
        assertEquals(LlamaConfig.llama60m().build().embeddingParameters(), 32_768_000L);
        assertEquals(LlamaConfig.llama130m().build().projectionParameters(), 84_934_656L);
        assertEquals(LlamaConfig.llama130m().build().embeddingParameters(), 49_152_000L);
        // and a built model holds exactly what its configuration counts
        LlamaConfig tiny = LlamaConfig.tiny().optVocabSize(97).optMaxSequenceLength(16).build();
        LlamaModel model = LlamaModel.builder().setConfig(tiny).build();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
        long total = 0;
        for (Parameter parameter : model.getParameters().values()) {
            total += parameter.getArray().size();
        }
        assertEquals(
                total,
                tiny.projectionParameters() + tiny.embeddingParameters() + tiny.normParameters());
        assertEquals(model.getProjections().size(), 14);
        assertTrue(model.getProjections().containsKey("layers.1.mlp.down_proj"));
        assertTrue(model.getProjections().containsKey("layers.0.self_attn.q_proj"));
    }

    @Test
    public void everyMethodBuildsRunsForwardAndBackwardWithItsProjectionKind() {
        LlamaConfig config = LlamaConfig.tiny().optVocabSize(50).optMaxSequenceLength(8).build();
        Map<ProjectionKind, Class<? extends Block>> kinds =
                Map.of(
                        ProjectionKind.DENSE, Linear.class,
                        ProjectionKind.SPARSE, SparseLinear.class,
                        ProjectionKind.LOW_RANK, LowRankLinear.class,
                        ProjectionKind.SLTRAIN, SparseLowRankLinear.class,
                        ProjectionKind.SPARSE_LOW_RANK, SparseLowRankLinear.class);
        for (String method : Methods.names()) {
            LlamaModel model =
                    LlamaModel.builder()
                            .setConfig(config)
                            .optMethod(Methods.forName(method), 0.9)
                            .build();
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 8));
            Class<? extends Block> expected = kinds.get(Methods.forName(method).getKind());
            for (Block projection : model.getProjections().values()) {
                assertTrue(expected.isInstance(projection), method + ": " + projection);
            }
            NDArray ids = manager.randomInteger(0, 50, new Shape(2, 8), DataType.INT64);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        model.forward(new ParameterStore(manager, false), new NDList(ids), true)
                                .head();
                assertEquals(out.getShape(), new Shape(2, 8, 50));
                collector.backward(out.square().mean());
            }
            Parameter head = model.getLmHead().getParameters().get("weight");
            assertTrue(head.getArray().getGradient().abs().sum().getFloat() > 0, method);
        }
        SparseLowRankLinear chtsl =
                (SparseLowRankLinear)
                        LlamaModel.builder()
                                .setConfig(config)
                                .optMethod(Methods.forName("chtsl"), 0.9)
                                .build()
                                .getProjections()
                                .get("layers.0.mlp.up_proj");
        assertEquals(chtsl.getLowRank().getRank(), 4); // one rank step of hidden 128 / FFN 344
        assertEquals(chtsl.getSparse().getDensity(), 0.05, 1e-12);
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        LlamaModel.builder()
                                .setConfig(config)
                                .optMethod(Methods.forName("magic"), 0.9));
    }

    @Test
    public void badConfigurationsFailClearly() {
        IllegalArgumentException heads =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                LlamaConfig.builder()
                                        .setHidden(100)
                                        .setLayers(1)
                                        .setHeads(3)
                                        .setIntermediate(8)
                                        .build());
        assertTrue(heads.getMessage().contains("not divisible by 3 heads"), heads.getMessage());
        IllegalArgumentException odd =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                LlamaConfig.builder()
                                        .setHidden(12)
                                        .setLayers(1)
                                        .setHeads(4)
                                        .setIntermediate(8)
                                        .build());
        assertTrue(odd.getMessage().contains("even head dimension"), odd.getMessage());
        IllegalArgumentException vocab =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> LlamaConfig.tiny().optVocabSize(0).build());
        assertTrue(vocab.getMessage().contains("vocabulary size"), vocab.getMessage());
        expectThrows(IllegalArgumentException.class, () -> LlamaConfig.preset("7b"));
        LlamaModel model = initialized(small(), ProjectionSpec.dense());
        IllegalArgumentException tooLong =
                expectThrows(
                        IllegalArgumentException.class, () -> logits(model, new int[LENGTH + 1]));
        assertTrue(
                tooLong.getMessage().contains("longer than the rotary table"),
                tooLong.getMessage());
    }

    @Test
    public void saveLoadKeepsMasksAndLowRankFactorsBitExact() throws Exception {
        LlamaConfig config = LlamaConfig.tiny().optVocabSize(50).optMaxSequenceLength(8).build();
        LlamaProjections spec =
                LlamaProjections.builder()
                        .setConfig(config)
                        .setMethod(Methods.forName("chtsl"), 0.9)
                        .build();
        Path dir = Files.createTempDirectory("chtsl-llama");
        NDArray ids = manager.randomInteger(0, 50, new Shape(1, 8), DataType.INT64);
        NDArray expected;
        Map<String, NDArray> saved;
        try (Model model = Model.newInstance("llama")) {
            model.setBlock(LlamaModel.builder().setConfig(config).optProjections(spec).build());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
            model.save(dir, "llama");
            expected =
                    model.getBlock()
                            .forward(new ParameterStore(manager, false), new NDList(ids), false)
                            .head();
            expected.attach(manager);
            saved = new java.util.LinkedHashMap<>();
            for (Pair<String, Parameter> entry : model.getBlock().getParameters()) {
                NDArray copy = entry.getValue().getArray().duplicate();
                copy.attach(manager);
                saved.put(entry.getKey(), copy);
            }
        }
        Engine.getInstance().setRandomSeed(999);
        try (Model loaded = Model.newInstance("llama")) {
            loaded.setBlock(LlamaModel.builder().setConfig(config).optProjections(spec).build());
            loaded.load(dir, "llama");
            for (Pair<String, Parameter> entry : loaded.getBlock().getParameters()) {
                assertTrue(
                        entry.getValue().getArray().contentEquals(saved.get(entry.getKey())),
                        entry.getKey());
            }
            NDArray actual =
                    loaded.getBlock()
                            .forward(new ParameterStore(manager, false), new NDList(ids), false)
                            .head();
            assertTrue(actual.contentEquals(expected));
        }
    }
}
