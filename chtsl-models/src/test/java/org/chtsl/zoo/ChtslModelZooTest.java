package org.chtsl.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chtsl.data.ByteTokenCodec;
import org.chtsl.models.generation.GenerationConfig;
import org.chtsl.models.generation.TextGenerationTranslator;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseLowRankLinear;
import org.testng.annotations.Test;

public class ChtslModelZooTest {

    private static Criteria.Builder<NDList, NDList> llama() {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optGroupId(ChtslModelZoo.GROUP_ID)
                .optArgument("vocabSize", 64)
                .optArgument("maxSequenceLength", 16);
    }

    @Test
    public void criteriaLoadsModelsOfflineWithTheMethodsProjections() throws Exception {
        Engine.getInstance().setRandomSeed(4);
        try (ZooModel<NDList, NDList> model =
                        llama().optArtifactId("llama-tiny-chtsl").build().loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            LlamaModel block = (LlamaModel) model.getBlock();
            assertEquals(block.getConfig().getHidden(), 128);
            assertEquals(block.getConfig().getVocabSize(), 64);
            for (Block projection : block.getProjections().values()) {
                assertTrue(projection instanceof SparseLowRankLinear, projection.toString());
            }
            NDArray ids = manager.randomInteger(0, 64, new Shape(2, 16), DataType.INT64);
            NDArray logits = predictor.predict(new NDList(ids)).head();
            assertEquals(logits.getShape(), new Shape(2, 16, 64));
        }
        try (ZooModel<NDList, NDList> set =
                llama().optArtifactId("llama")
                        .optArgument("method", "set")
                        .optArgument("sparsity", 0.8)
                        .build()
                        .loadModel()) {
            List<SparseLinear> sparse = BlockSearch.findAll(set.getBlock(), SparseLinear.class);
            assertEquals(sparse.size(), 14);
            assertEquals(sparse.get(0).getCurrentDensity(), 0.2, 1e-4);
        }
    }

    @Test
    public void unknownMethodsAndCheckpointsAreNotFound() {
        ModelNotFoundException method =
                expectThrows(
                        ModelNotFoundException.class,
                        () ->
                                llama().optArtifactId("llama")
                                        .optArgument("method", "magic")
                                        .build()
                                        .loadModel());
        assertTrue(String.valueOf(method.getCause()).contains("magic"), method.toString());
        expectThrows(
                ModelNotFoundException.class,
                () ->
                        llama().optArtifactId("llama-tiny-dense")
                                .optArgument("checkpoint", "/nonexistent/chtsl")
                                .build()
                                .loadModel());
    }

    @Test
    public void checkpointsLoadBitExactThroughCriteria() throws Exception {
        Engine.getInstance().setRandomSeed(5);
        Path dir = Files.createTempDirectory("chtsl-zoo");
        NDArray mask;
        try (ZooModel<NDList, NDList> fresh =
                        llama().optArtifactId("llama-tiny-chts").build().loadModel();
                NDManager manager = NDManager.newBaseManager()) {
            fresh.save(dir, "llama");
            mask =
                    BlockSearch.findAll(fresh.getBlock(), SparseLinear.class)
                            .get(3)
                            .denseMask(manager);
            Engine.getInstance().setRandomSeed(6);
            try (ZooModel<NDList, NDList> loaded =
                    llama().optArtifactId("llama-tiny-chts")
                            .optArgument("checkpoint", dir.toString())
                            .build()
                            .loadModel()) {
                NDArray loadedMask =
                        BlockSearch.findAll(loaded.getBlock(), SparseLinear.class)
                                .get(3)
                                .denseMask(manager);
                assertTrue(loadedMask.contentEquals(mask));
            }
        }
    }

    @Test
    public void aPredictorTurnsAPromptIntoText() throws Exception {
        Engine.getInstance().setRandomSeed(7);
        ByteTokenCodec codec = new ByteTokenCodec();
        Criteria<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optGroupId(ChtslModelZoo.GROUP_ID)
                        .optArtifactId("llama-tiny-dense")
                        .optArgument("vocabSize", codec.vocabularySize())
                        .optArgument("maxSequenceLength", 32)
                        .optTranslator(
                                new TextGenerationTranslator(
                                        codec, GenerationConfig.greedy(5, codec.eosId()), 32))
                        .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            String first = predictor.predict("Hello");
            String second = predictor.predict("Hello");
            assertEquals(first, second, "greedy decoding is deterministic");
            assertTrue(first.length() <= 5, "at most 5 new byte tokens: " + first);
        }
    }
}
