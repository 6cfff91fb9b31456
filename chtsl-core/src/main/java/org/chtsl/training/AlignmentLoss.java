package org.chtsl.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import org.chtsl.nn.AlignmentForm;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.Scalars;
import org.chtsl.nn.SparseLowRankLinear;

/**
 * The CHTsL alignment loss: {@code λ · Σ_layers term(S, L)} over every {@link SparseLowRankLinear}
 * of a model (spec §12.7), the term in one {@link AlignmentForm} (default {@link
 * AlignmentForm#DEFAULT}, {@code mean((S − L)²)}). Creating the loss sets its form on the model's
 * blocks, which compute the term in their forward.
 *
 * <p>It ignores labels and predictions: it sums the alignment terms the model's {@link
 * SparseLowRankLinear} blocks recorded in the current training forward on the predictions' device,
 * so no block of the model has to pass them on. Combine it with the task loss:
 *
 * <pre>{@code
 * Loss loss = new SimpleCompositeLoss("chtsl")
 *         .addLoss(Loss.softmaxCrossEntropyLoss())
 *         .addLoss(new AlignmentLoss(model.getBlock(), 0.5f));
 * }</pre>
 *
 * <p>After an inference forward (validation) no term is recorded and the loss is 0, so a validation
 * loss is the task loss alone. The model is searched at every evaluation, so blocks added after the
 * loss was created are found; one that records another form is refused.
 */
public class AlignmentLoss extends Loss {

    private final Block model;
    private final float lambda;
    private final AlignmentForm form;

    /**
     * Creates the loss named {@code "AlignmentLoss"}, in the default form.
     *
     * @param model the model (any block tree) whose projections are collected
     * @param lambda the weight λ, finite and ≥ 0 (CHTsL paper: 0.5, or 0.3 for LLaMA-60M on C4)
     */
    public AlignmentLoss(Block model, float lambda) {
        this("AlignmentLoss", model, lambda, AlignmentForm.DEFAULT);
    }

    /**
     * Creates the loss and sets its form on every {@link SparseLowRankLinear} of the model.
     *
     * @param name the name, as shown by evaluators and logs
     * @param model the model (any block tree) whose projections are collected
     * @param lambda the weight λ, finite and ≥ 0
     * @param form the form of each projection's term
     * @throws IllegalArgumentException if the model or form is null or λ is negative or not finite
     */
    public AlignmentLoss(String name, Block model, float lambda, AlignmentForm form) {
        super(name);
        if (form == null) {
            throw new IllegalArgumentException("AlignmentLoss needs a form, got null.");
        }
        if (model == null) {
            throw new IllegalArgumentException("AlignmentLoss needs the model block, got null.");
        }
        if (!(lambda >= 0 && Float.isFinite(lambda))) {
            throw new IllegalArgumentException(
                    "The alignment weight λ must be finite and >= 0, got " + lambda + ".");
        }
        this.model = model;
        this.lambda = lambda;
        this.form = form;
        BlockSearch.findAll(model, SparseLowRankLinear.class)
                .forEach(layer -> layer.setAlignmentForm(form));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray reference = predictions.head();
        NDArray sum = sumOfTerms(reference.getDevice());
        if (sum == null) {
            return reference.getManager().zeros(new Shape(), reference.getDataType());
        }
        return sum.mul(Scalars.like(sum, lambda));
    }

    /**
     * Sums the alignment terms recorded on a device, without the weight λ.
     *
     * @param device the device of the forward pass
     * @return the unweighted sum, or {@code null} if no block recorded a term
     */
    public NDArray sumOfTerms(Device device) {
        NDArray sum = null;
        for (SparseLowRankLinear layer : BlockSearch.findAll(model, SparseLowRankLinear.class)) {
            if (layer.getAlignmentForm() != form) {
                throw new IllegalStateException(
                        "A projection records its alignment term as "
                                + layer.getAlignmentForm()
                                + ", this loss sums "
                                + form
                                + "; call setAlignmentForm on blocks added after the loss.");
            }
            NDArray term = layer.getAlignmentTerm(device);
            if (term != null) {
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum;
    }

    /**
     * Returns the weight λ.
     *
     * @return λ
     */
    public float getLambda() {
        return lambda;
    }

    /**
     * Returns the form of the terms.
     *
     * @return the form
     */
    public AlignmentForm getForm() {
        return form;
    }

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
    public static SimpleCompositeLoss withTask(Loss task, Block model, float lambda) {
        return withTask(task, model, lambda, AlignmentForm.DEFAULT);
    }

    /**
     * The CHTsL training loss with the alignment terms in a given form ({@link #withTask(Loss,
     * Block, float)}).
     *
     * @param task the task loss
     * @param model the model
     * @param lambda λ ≥ 0
     * @param form the form of each projection's term
     * @return the composite loss
     */
    public static SimpleCompositeLoss withTask(
            Loss task, Block model, float lambda, AlignmentForm form) {
        return new SimpleCompositeLoss("loss")
                .addLoss(task)
                .addLoss(new AlignmentLoss("alignment", model, lambda, form));
    }
}
