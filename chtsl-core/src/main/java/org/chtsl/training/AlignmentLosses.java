package org.chtsl.training;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;

/** The training losses of chtsl's methods. */
public final class AlignmentLosses {

    private AlignmentLosses() {}

    /**
     * The CHTsL training loss: the task loss plus λ × the alignment terms of every {@code
     * SparseLowRankLinear} of the model (spec §12.7), as components named {@code task} and {@code
     * alignment} so that trainers and reports log them separately (add {@code loss.getComponents()}
     * as evaluators). With λ = 0 the alignment component is 0.
     *
     * @param task the task loss (e.g. {@code Loss.softmaxCrossEntropyLoss("task")} for a language
     *     model, labels {@code [B, T, 1]})
     * @param model the model
     * @param lambda λ ≥ 0
     * @return the composite loss
     */
    public static SimpleCompositeLoss withAlignment(Loss task, Block model, float lambda) {
        return new SimpleCompositeLoss("loss")
                .addLoss(task)
                .addLoss(new AlignmentLoss("alignment", model, lambda));
    }
}
