package org.chtsl.training;

import java.util.List;

/**
 * One topology update of a whole model.
 *
 * @param step the optimizer step at which it happened
 * @param seconds the time it took
 * @param layers what it did to each layer
 */
public record TopologyUpdateRecord(long step, double seconds, List<LayerUpdateRecord> layers) {}
