/** Benchmarks, run on purpose with {@code mvn exec:java} (never by CI). */
package org.chtsl.examples.bench;
