/**
 * Initial topologies of a sparse layer: Erdős–Rényi, BRF (bipartite receptive field), small world.
 */
package org.chtsl.topology.init;
