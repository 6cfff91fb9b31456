/**
 * LLaMA-style decoder language models assembled from chtsl's blocks (spec §5.1): RMSNorm, rotary
 * position embedding, causal self-attention and SwiGLU MLP, whose seven projections per layer are
 * chosen by a {@link org.chtsl.nn.ProjectionFactory}, so one model serves every method.
 */
package org.chtsl.models.llama;
