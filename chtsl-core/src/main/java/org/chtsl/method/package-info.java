/**
 * Training methods as data: one immutable {@link org.chtsl.method.MethodPreset} per method (its
 * projections, initial topology, removal and regrowth rules, density schedule and alignment weight)
 * and the {@link org.chtsl.method.Methods} registry, the single list of methods that command lines,
 * the model zoo and tests read.
 */
package org.chtsl.method;
