package org.chtsl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.topology.LinkCounts;
import org.chtsl.topology.update.LayerUpdate;

/**
 * Measures topology updates: per layer density, links removed and regrown, churn, overlap, and
 * coverage — the positions that have ever been active, which it remembers across updates (and
 * across a resume, through {@link #save}, {@link #read} and {@link #replace}).
 */
final class TopologyMetrics {

    private final Map<String, NDArray> everActive = new LinkedHashMap<>();

    /**
     * Measures one layer's update and widens its coverage.
     *
     * @param update the update
     * @param home where the layer's coverage mask is kept (the layer's own manager)
     * @return the record
     */
    LayerUpdateRecord record(LayerUpdate update, NDManager home) {
        NDArray before = update.before();
        NDArray after = update.mask();
        long size = after.getShape().size();
        NDArray previous = everActive.get(update.name());
        NDArray widened = (previous == null ? before : previous).logicalOr(after);
        widened.attach(home);
        if (previous != null) {
            previous.close();
        }
        everActive.put(update.name(), widened);
        long links = LinkCounts.count(after);
        long kept = LinkCounts.count(update.kept());
        long shared = count(before.logicalAnd(after));
        long union = count(before.logicalOr(after));
        long fresh;
        try (NDArray absent = before.logicalNot()) {
            fresh = count(after.logicalAnd(absent));
        }
        return new LayerUpdateRecord(
                update.name(),
                (double) links / size,
                LinkCounts.count(before) - kept,
                links - kept,
                update.nanos() / 1e9,
                links == 0 ? 0 : (double) fresh / links,
                union == 0 ? 1 : (double) shared / union,
                (double) LinkCounts.count(widened) / size);
    }

    private static long count(NDArray temporary) {
        try (temporary) {
            return LinkCounts.count(temporary);
        }
    }

    /**
     * Writes the coverage masks of the given layers.
     *
     * @param os the stream
     * @param names the layers, in order
     * @throws IOException if writing fails
     */
    void save(DataOutputStream os, List<String> names) throws IOException {
        for (String name : names) {
            NDArray mask = everActive.get(name);
            os.writeBoolean(mask != null);
            if (mask != null) {
                os.write(mask.encode());
            }
        }
    }

    /**
     * Reads what {@link #save} wrote, without applying it.
     *
     * @param is the stream
     * @param names the layers, in order
     * @param homes the managers the masks are kept on, in the same order
     * @return the coverage masks by layer name (nothing is left open if reading fails)
     * @throws IOException if reading fails
     */
    static Map<String, NDArray> read(DataInputStream is, List<String> names, List<NDManager> homes)
            throws IOException {
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                if (is.readBoolean()) {
                    loaded.put(names.get(i), homes.get(i).decode(is));
                }
            }
        } catch (IOException | RuntimeException e) {
            loaded.values().forEach(NDArray::close);
            throw e;
        }
        return loaded;
    }

    /**
     * Replaces the coverage with what {@link #read} returned.
     *
     * @param loaded the coverage masks by layer name
     */
    void replace(Map<String, NDArray> loaded) {
        everActive.values().forEach(NDArray::close);
        everActive.clear();
        everActive.putAll(loaded);
    }
}
