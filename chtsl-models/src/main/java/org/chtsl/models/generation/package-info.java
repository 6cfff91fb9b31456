/** Autoregressive text generation with any block that maps token ids to next-token logits. */
package org.chtsl.models.generation;
