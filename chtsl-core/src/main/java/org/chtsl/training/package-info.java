/**
 * Glue between chtsl's blocks and DJL training: losses and, as the method grows, the topology
 * listener, the maskable optimizer, method presets, schedules and checkpoints.
 */
package org.chtsl.training;
