/**
 * The chtsl model zoo (group {@code org.chtsl}): LLaMA models of every preset and method, built
 * offline through DJL's {@link ai.djl.repository.zoo.Criteria}, fresh or from a checkpoint.
 */
package org.chtsl.zoo;
