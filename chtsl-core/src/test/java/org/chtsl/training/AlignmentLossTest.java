package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.SparseLowRankLinear;
import org.testng.annotations.Test;

public class AlignmentLossTest {

    @Test
    public void sumsTheTermsOfEveryProjectionOfTheCurrentForwardTimesLambda() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net =
                    new SequentialBlock()
                            .add(SparseLowRankLinear.builder().setUnits(8).setRank(2).build())
                            .add(Activation::relu)
                            .add(
                                    new SequentialBlock() // nested, as in a user's own blocks
                                            .add(Linear.builder().setUnits(6).build())
                                            .add(
                                                    SparseLowRankLinear.builder()
                                                            .setUnits(4)
                                                            .setRank(2)
                                                            .build()));
            net.initialize(manager, DataType.FLOAT32, new Shape(3, 5));
            AlignmentLoss loss = new AlignmentLoss(net, 0.5f);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(3, 5));
            NDList labels = new NDList(manager.zeros(new Shape(3, 4)));

            // independent expectation: run each projection's branches on its own input
            List<SparseLowRankLinear> layers = BlockSearch.findAll(net, SparseLowRankLinear.class);
            assertEquals(layers.size(), 2);
            NDArray hidden = layers.get(0).forward(ps, new NDList(x), false).head();
            NDArray relu = Activation.relu(hidden);
            NDArray beforeSecond =
                    net.getChildren()
                            .get(2)
                            .getValue()
                            .getChildren()
                            .get(0)
                            .getValue()
                            .forward(ps, new NDList(relu), false)
                            .head();
            double expected =
                    0.5 * (term(layers.get(0), ps, x) + term(layers.get(1), ps, beforeSecond));

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList predictions = net.forward(ps, new NDList(x), true);
                NDArray value = loss.evaluate(labels, predictions);
                assertEquals(value.getShape(), new Shape());
                assertEquals(value.getFloat(), expected, 1e-5);
                collector.backward(value);
            }
            NDArray gradient = layers.get(1).getLowRank().getA().getArray().getGradient();
            assertTrue(gradient.abs().sum().getFloat() > 0);

            // validation forward: no terms, the loss is zero
            NDList predictions = net.forward(ps, new NDList(x), false);
            assertEquals(loss.evaluate(labels, predictions).getFloat(), 0f);
        }
    }

    private static double term(SparseLowRankLinear layer, ParameterStore ps, NDArray input) {
        NDArray s = layer.getSparse().forward(ps, new NDList(input), false).head();
        NDArray l = layer.getLowRank().forward(ps, new NDList(input), false).head();
        return SparseLowRankLinear.alignmentLoss(s, l).getFloat();
    }

    @Test
    public void badArgumentsAreRejected() {
        SequentialBlock net = new SequentialBlock();
        IllegalArgumentException lambda =
                expectThrows(IllegalArgumentException.class, () -> new AlignmentLoss(net, -1f));
        assertTrue(lambda.getMessage().contains("-1.0"), lambda.getMessage());
        expectThrows(IllegalArgumentException.class, () -> new AlignmentLoss(net, Float.NaN));
        expectThrows(IllegalArgumentException.class, () -> new AlignmentLoss(null, 0.5f));
    }
}
