package org.chtsl.models.llama;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.chtsl.nn.BlockMetadata;

/**
 * The token embedding table: token ids {@code [...]} to vectors {@code [..., size]}.
 *
 * <p>It looks rows up with PyTorch's {@code embedding}, whose CPU backward sums the gradients of
 * repeated ids in a fixed order. DJL's {@code IdEmbedding} gathers with {@code gatherNd}, whose
 * backward ({@code index_put_} with accumulation) adds repeated ids with parallel atomic adds when
 * PyTorch has more than one thread: its gradient, and so every run, then differs from run to run in
 * the last bits. The saved form is the same as {@code IdEmbedding}'s (one parameter named {@code
 * embedding}).
 */
public class TokenEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final long vocabularySize;
    private final long size;
    private final Parameter table;

    /**
     * Creates the table.
     *
     * @param vocabularySize the number of token ids (&ge; 1)
     * @param size the vector size (&ge; 1)
     */
    @SuppressWarnings("this-escape")
    public TokenEmbedding(long vocabularySize, long size) {
        super(VERSION);
        if (vocabularySize < 1 || size < 1) {
            throw new IllegalArgumentException(
                    "TokenEmbedding needs a vocabulary and a size >= 1, got "
                            + vocabularySize
                            + " and "
                            + size
                            + ".");
        }
        this.vocabularySize = vocabularySize;
        this.size = size;
        table =
                addParameter(
                        Parameter.builder()
                                .setName("embedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize, size))
                                .build());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray weights = parameterStore.getValue(table, ids.getDevice(), training);
        return Embedding.embedding(ids, weights, SparseFormat.DENSE);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(size)};
    }

    /**
     * Returns the table, of shape {@code (vocabularySize, size)}.
     *
     * @return the parameter
     */
    public Parameter getTable() {
        return table;
    }

    /**
     * Returns the number of token ids.
     *
     * @return the vocabulary size
     */
    public long getVocabularySize() {
        return vocabularySize;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        BlockMetadata.checkVersion("TokenEmbedding", loadVersion, VERSION);
        readInputShapes(is);
    }
}
