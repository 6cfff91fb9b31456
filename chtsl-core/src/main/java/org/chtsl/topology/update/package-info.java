/**
 * The topology update of a set of sparse layers as one pipeline on plain NDArrays — density
 * pruning, removal, chain removal, regrowth — shared by the training listener, the benchmarks and
 * tests.
 */
package org.chtsl.topology.update;
