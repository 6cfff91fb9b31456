/**
 * Glue between chtsl's blocks and DJL training: the topology listener, the maskable optimizer,
 * losses, learning-rate schedules, clipping, the OCR recorder and checkpoints.
 */
package org.chtsl.training;
