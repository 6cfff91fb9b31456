package org.chtsl.nn;

import static org.testng.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The three forms of the alignment term: values by hand, gradients against autograd. */
public class AlignmentFormTest {

    private NDManager manager;

    @BeforeClass
    public void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterClass
    public void tearDown() {
        manager.close();
    }

    @Test
    public void theSpecVectorInEveryForm() {
        // spec §8.6: B = 1, T = 2 tokens, d = 2; ‖S − L‖_F = 4.5, Σ(S − L)² = 20.25
        NDArray s = manager.create(new float[] {1, -2, 0.5f, -1}, new Shape(1, 2, 2));
        NDArray l = manager.create(new float[] {-0.5f, 1, 0.5f, 2}, new Shape(1, 2, 2));
        assertEquals(AlignmentForm.NORM_PER_ELEMENT.term(s, l).getFloat(), 4.5f / 4, 1e-6f);
        assertEquals(AlignmentForm.NORM_PER_TOKEN.term(s, l).getFloat(), 4.5f / 2, 1e-6f);
        assertEquals(AlignmentForm.MEAN_SQUARED.term(s, l).getFloat(), 20.25f / 4, 1e-6f);
        assertEquals(AlignmentForm.NORM_PER_ELEMENT.gradientNorm(s, l), 1.0 / 4, 1e-12);
        assertEquals(AlignmentForm.NORM_PER_TOKEN.gradientNorm(s, l), 1.0 / 2, 1e-12);
        assertEquals(AlignmentForm.MEAN_SQUARED.gradientNorm(s, l), 2 * 4.5 / 4, 1e-9);
    }

    @Test
    public void closedFormGradientNormsMatchAutograd() {
        Engine.getInstance().setRandomSeed(4);
        for (AlignmentForm form : AlignmentForm.values()) {
            NDArray s = manager.randomNormal(new Shape(3, 5, 7));
            NDArray l = manager.randomNormal(new Shape(3, 5, 7));
            s.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(form.term(s, l));
            }
            double autograd = Math.sqrt(s.getGradient().square().sum().getFloat());
            assertEquals(form.gradientNorm(s, l), autograd, 1e-5 * autograd, form.toString());
        }
    }

    @Test
    public void atLlama60mShapesTheLiteralFormsGradientIsTheDocumentedValue() {
        // [B, T, d] = [16, 256, 512], one LLaMA-60M micro-batch: 1/(B·T·d) and 1/(B·T)
        NDArray s = manager.randomNormal(new Shape(16, 256, 512));
        NDArray l = manager.zeros(new Shape(16, 256, 512));
        s.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(AlignmentForm.NORM_PER_ELEMENT.term(s, l));
        }
        double autograd = Math.sqrt(s.getGradient().square().sum().getFloat());
        assertEquals(autograd, 4.768e-7, 1e-10, "1/(16·256·512)");
        assertEquals(AlignmentForm.NORM_PER_TOKEN.gradientNorm(s, l), 2.441e-4, 1e-7);
    }

    @Test
    public void onlyTheMeanSquaredFormIsTheSameObjectiveWhateverTheMicroBatch() {
        // a batch of 4 as 4 micro-batches of 1: the trainer averages the micro-batches' terms
        Engine.getInstance().setRandomSeed(6);
        NDArray s = manager.randomNormal(new Shape(4, 8, 16));
        NDArray l = manager.randomNormal(new Shape(4, 8, 16));
        for (AlignmentForm form : AlignmentForm.values()) {
            double whole = form.term(s, l).getFloat();
            double accumulated = 0;
            for (int b = 0; b < 4; b++) {
                accumulated +=
                        form.term(s.get(b + ":" + (b + 1)), l.get(b + ":" + (b + 1))).getFloat()
                                / 4;
            }
            if (form == AlignmentForm.MEAN_SQUARED) {
                assertEquals(accumulated, whole, 1e-5 * whole, form.toString());
            } else {
                // norms do not add: about √GA = 2 times the whole batch's term
                assertEquals(accumulated / whole, 2, 0.05, form.toString());
            }
        }
        assertEquals(AlignmentForm.DEFAULT, AlignmentForm.MEAN_SQUARED);
    }
}
