package org.chtsl.zoo;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.chtsl.models.llama.LlamaModel;

/**
 * Loads a LLaMA model of the chtsl zoo without any download: freshly initialized, or from a
 * checkpoint directory written by {@code Model.save} (argument {@code checkpoint}, with {@code
 * name} the model's name in it, default {@code llama}).
 *
 * <p>An artifact either fixes preset and method ({@code llama-60m-chtsl}) or takes them from the
 * criteria's arguments or filters ({@code llama}). Without a translator, the model maps an {@link
 * NDList} of token ids to an {@link NDList} of logits.
 */
public class LlamaModelLoader implements ModelLoader {

    private final String artifactId;
    private final Map<String, String> fixed;

    /**
     * Creates a loader.
     *
     * @param artifactId the artifact id
     * @param fixed arguments the artifact fixes (preset, method), overriding the criteria's
     */
    public LlamaModelLoader(String artifactId, Map<String, String> fixed) {
        this.artifactId = artifactId;
        this.fixed = Map.copyOf(fixed);
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return ChtslModelZoo.GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String getArtifactId() {
        return artifactId;
    }

    /** {@inheritDoc} */
    @Override
    public Application getApplication() {
        return Application.NLP.TEXT_GENERATION;
    }

    /** {@inheritDoc} */
    @Override
    public MRL getMrl() {
        return MRL.undefined(null, getGroupId(), artifactId);
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Map<String, Object> arguments = new HashMap<>();
        if (criteria.getFilters() != null) {
            arguments.putAll(criteria.getFilters());
        }
        if (criteria.getArguments() != null) {
            arguments.putAll(criteria.getArguments());
        }
        arguments.putAll(fixed);
        LlamaModel block;
        try {
            block = LlamaBlockFactory.newModel(arguments);
        } catch (IllegalArgumentException e) {
            throw new ModelNotFoundException(
                    "No chtsl LLaMA for " + arguments + ": " + e.getMessage(), e);
        }
        String name = String.valueOf(arguments.getOrDefault("name", "llama"));
        String engine = criteria.getEngine() == null ? "PyTorch" : criteria.getEngine();
        Model model = Model.newInstance(name, criteria.getDevice(), engine);
        model.setBlock(block);
        Object checkpoint = arguments.get("checkpoint");
        if (checkpoint != null) {
            Path dir = Paths.get(checkpoint.toString());
            if (!Files.isDirectory(dir)) {
                model.close();
                throw new ModelNotFoundException("Checkpoint directory not found: " + dir);
            }
            model.load(dir, name);
        } else {
            block.initialize(
                    model.getNDManager(),
                    DataType.FLOAT32,
                    new Shape(1, block.getConfig().getMaxSequenceLength()));
        }
        try {
            return new ZooModel<>(model, translator(criteria, model, arguments));
        } catch (TranslateException | IllegalArgumentException e) {
            model.close();
            throw new ModelNotFoundException(
                    "No translator for " + criteria + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <I, O> Translator<I, O> translator(
            Criteria<I, O> criteria, Model model, Map<String, Object> arguments)
            throws TranslateException {
        TranslatorFactory factory = criteria.getTranslatorFactory();
        if (factory != null
                && factory.isSupported(criteria.getInputClass(), criteria.getOutputClass())) {
            return factory.newInstance(
                    criteria.getInputClass(), criteria.getOutputClass(), model, arguments);
        }
        if (criteria.getInputClass() == NDList.class && criteria.getOutputClass() == NDList.class) {
            return (Translator<I, O>) new NoopTranslator();
        }
        throw new IllegalArgumentException(
                "Give a translator for "
                        + criteria.getInputClass().getSimpleName()
                        + " → "
                        + criteria.getOutputClass().getSimpleName()
                        + " (e.g. TextGenerationTranslator for String → String), or use NDList →"
                        + " NDList.");
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
        // nothing to download: models are built locally
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getGroupId() + ":" + artifactId;
    }
}
