/**
 * How a method's topology settings move over training: the drop fraction ζ, the soft-removal
 * temperature, and the density schedules (constant, CHTss' sigmoid decay, GraNet's cubic decay),
 * each density schedule carrying the score its pruning keeps links by.
 */
package org.chtsl.topology.schedule;
