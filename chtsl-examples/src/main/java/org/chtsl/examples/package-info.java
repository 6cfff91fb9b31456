/** Runnable programs, started with {@code mvn exec:java} from the {@code chtsl-examples} module. */
package org.chtsl.examples;
