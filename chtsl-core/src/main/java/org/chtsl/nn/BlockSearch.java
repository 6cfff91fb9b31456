package org.chtsl.nn;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/** Finds blocks of a given type anywhere in a block tree. */
public final class BlockSearch {

    private BlockSearch() {}

    /**
     * Returns every block of the given type in the tree under {@code root} (the root included), in
     * depth-first order of the children as they were added. The search continues inside matches, so
     * the {@link SparseLinear} inside a {@link SparseLowRankLinear} is found too.
     *
     * @param root the root of the tree
     * @param type the class to look for
     * @param <T> the type to look for
     * @return the matching blocks; empty if there are none
     */
    public static <T extends Block> List<T> findAll(Block root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T extends Block> void collect(Block block, Class<T> type, List<T> found) {
        if (type.isInstance(block)) {
            found.add(type.cast(block));
        }
        for (Block child : block.getChildren().values()) {
            collect(child, type, found);
        }
    }
}
