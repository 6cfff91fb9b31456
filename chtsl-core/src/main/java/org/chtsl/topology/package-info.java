/**
 * Everything that decides which links a sparse layer has: initial topologies, and (as the method
 * grows) link predictors, removal and regrowth rules and schedules.
 *
 * <p>Classes here are pure functions on DJL {@link ai.djl.ndarray.NDArray}s: they run on the device
 * of the arrays they are given and know nothing of DJL's {@code Trainer}.
 */
package org.chtsl.topology;
