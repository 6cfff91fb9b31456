package org.chtsl.examples.plot;

/**
 * What every figure's builder sets: title, subtitle and axis labels.
 *
 * @param <T> the builder
 */
abstract class LabelledBuilder<T extends LabelledBuilder<T>> {
    String title = "";
    String subtitle;
    String xLabel;
    String yLabel;

    /**
     * Returns this builder, typed.
     *
     * @return this
     */
    abstract T self();

    /**
     * Sets the title.
     *
     * @param value the title
     * @return this builder
     */
    public T setTitle(String value) {
        title = value;
        return self();
    }

    /**
     * Sets a subtitle under the title (what is plotted, definitions); wrapped to the width.
     *
     * @param value the subtitle
     * @return this builder
     */
    public T optSubtitle(String value) {
        subtitle = value;
        return self();
    }

    /**
     * Sets the axis labels (a grid shows them once for all panels).
     *
     * @param x the x axis' label
     * @param y the y axis' label
     * @return this builder
     */
    public T setAxes(String x, String y) {
        xLabel = x;
        yLabel = y;
        return self();
    }
}
