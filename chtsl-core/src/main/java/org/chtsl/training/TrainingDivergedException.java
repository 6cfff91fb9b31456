package org.chtsl.training;

/**
 * Training produced a value that is not finite (or a validation loss past a limit): the run stops
 * at the step where it happened, naming the first parameter affected when there is one.
 */
public class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final String parameter;

    /**
     * Creates the exception.
     *
     * @param step the optimizer step (1-based) at which the run diverged
     * @param what what was found, e.g. "the training loss is NaN"
     * @param parameter the first parameter with a non-finite value or gradient, or {@code null}
     */
    public TrainingDivergedException(long step, String what, String parameter) {
        super(
                "Training diverged at step "
                        + step
                        + ": "
                        + what
                        + (parameter == null ? "" : " (first non-finite: " + parameter + ")")
                        + "; lower the learning rate or lengthen the warm-up.");
        this.step = step;
        this.parameter = parameter;
    }

    /**
     * Returns the step at which the run diverged.
     *
     * @return the 1-based optimizer step
     */
    public long getStep() {
        return step;
    }

    /**
     * Returns the first parameter found with a non-finite value or gradient.
     *
     * @return its readable name, or {@code null} if none was found
     */
    public String getParameter() {
        return parameter;
    }
}
