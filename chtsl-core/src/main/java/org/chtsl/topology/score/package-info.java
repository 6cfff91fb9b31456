/**
 * Link scores: what removal and regrowth rules rank positions by — magnitude, relative importance,
 * MEST's weight-plus-gradient, the dense gradient, random keys, and the Cannistraci-Hebb link
 * predictors ({@link org.chtsl.topology.score.ChLinkPredictors}, wrapped as a score by {@link
 * org.chtsl.topology.score.ChScore}).
 */
package org.chtsl.topology.score;
