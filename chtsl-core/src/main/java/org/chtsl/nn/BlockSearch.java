package org.chtsl.nn;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Returns every block of the given type under {@code root} by a stable, readable name: the path
     * of child names from the root with DJL's two-digit ordering prefixes removed, joined by dots
     * ({@code layers.3.self_attn.q_proj}; the root itself is {@code ""}).
     *
     * @param root the root of the tree
     * @param type the class to look for
     * @param <T> the type to look for
     * @return the matching blocks by name, in depth-first order
     */
    public static <T extends Block> Map<String, T> findAllNamed(Block root, Class<T> type) {
        Map<String, T> found = new LinkedHashMap<>();
        collectNamed(root, "", type, found);
        return found;
    }

    private static <T extends Block> void collectNamed(
            Block block, String name, Class<T> type, Map<String, T> found) {
        if (type.isInstance(block)) {
            found.put(name, type.cast(block));
        }
        List<String> childNames = readableNames(block);
        int index = 0;
        for (Block child : block.getChildren().values()) {
            String childName = childNames.get(index++);
            collectNamed(child, name.isEmpty() ? childName : name + "." + childName, type, found);
        }
    }

    /**
     * The children's names without DJL's two-digit ordering prefix, unless that would make two
     * siblings share a name (e.g. the unnamed children of a {@code SequentialBlock}).
     */
    private static List<String> readableNames(Block block) {
        List<String> keys = new ArrayList<>();
        List<String> stripped = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            String key = child.getKey();
            keys.add(key);
            boolean prefixed = key.length() > 2 && Character.isDigit(key.charAt(0));
            stripped.add(prefixed ? key.substring(2) : key);
        }
        return new HashSet<>(stripped).size() == stripped.size() ? stripped : keys;
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
