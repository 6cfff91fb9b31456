/**
 * Everything that decides which links a sparse layer has, as pure functions on DJL {@link
 * ai.djl.ndarray.NDArray}s: they run on the device of the arrays they are given and know nothing of
 * DJL's {@code Trainer}.
 *
 * <p>This package holds what the others share (a layer's state, link selection, link counts) and
 * the update pipeline that one topology update of a model runs; the concepts live in subpackages:
 * {@link org.chtsl.topology.score} (link scores and the Cannistraci-Hebb predictors), {@link
 * org.chtsl.topology.rule} (removal, regrowth and chain removal), {@link org.chtsl.topology.init}
 * (initial topologies) and {@link org.chtsl.topology.schedule} (ζ, temperature and density
 * schedules).
 */
package org.chtsl.topology;
