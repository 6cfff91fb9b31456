/**
 * The projection blocks of chtsl and the parameter budget that relates them.
 *
 * <ul>
 *   <li>{@link org.chtsl.nn.SparseLinear}: a linear layer used through a 0/1 connectivity mask.
 *   <li>{@link org.chtsl.nn.LowRankLinear}: {@code B·σ(A·x)}, CoLA-style.
 *   <li>{@link org.chtsl.nn.SparseLowRankLinear}: the CHTsL projection {@code S(x) + L(x)}, which
 *       also records its alignment term for the training loss.
 *   <li>{@link org.chtsl.nn.ParameterBudget}: densities, ranks and sparsities of such layers.
 * </ul>
 *
 * <p>Every block is an ordinary DJL {@link ai.djl.nn.Block}: it can replace a {@link
 * ai.djl.nn.core.Linear} inside a {@link ai.djl.nn.SequentialBlock} or any user block. This package
 * knows nothing of training schedules.
 */
package org.chtsl.nn;
