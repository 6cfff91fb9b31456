/**
 * The run reports' charts, drawn with JFreeChart (headless) and encoded as PNG: line charts with
 * the legend outside the data ({@link org.chtsl.examples.plot.XyChart}), grids of small panels that
 * share their axes ({@link org.chtsl.examples.plot.SmallMultiples}), figures stacked from both
 * ({@link org.chtsl.examples.plot.Figure}) and the smoothing of noisy curves ({@link
 * org.chtsl.examples.plot.Smoothing}).
 */
package org.chtsl.examples.plot;
