package org.chtsl.method;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.chtsl.method.TrainingRecipe.Optimizer;
import org.testng.annotations.Test;

/**
 * Every method's recipe holds its reference's values (the sources are in {@link Recipes} and {@link
 * Methods}): CHTsL Table A1 and the Soft-Rule scripts for dynamic sparse training, the CoLA and
 * SLTrain scripts for theirs.
 */
public class RecipesTest {

    private static final long HIDDEN_60M = 512;
    private static final long HIDDEN_130M = 768;

    @Test
    public void dynamicSparseMethodsTrainLikeTheChtsScriptsWithoutClipping() {
        for (String name : new String[] {"set", "rigl", "mest", "cht", "chts", "chtss", "granet"}) {
            TrainingRecipe recipe = Methods.forName(name).getRecipe();
            assertEquals(recipe.optimizer(), Optimizer.ADAM, name);
            assertEquals(recipe.weightDecay(), 0.0, name);
            assertEquals(recipe.clipNorm(), 0.0, name + ": the references do not clip");
            assertEquals(recipe.iterativeWarmup(), 20, name + ": CHTsL Table A1");
            assertEquals(recipe.updateInterval(), 100, name);
            assertEquals(recipe.endStep(10_000), 7500, name + ": torchrun_main.py L847");
            assertEquals(recipe.pruningEnd(10_000), -1, name + ": decision §12.5, at T_end");
            assertEquals(recipe.learningRate().at(HIDDEN_60M), 3e-3, name);
            assertEquals(recipe.learningRate().at(HIDDEN_130M), 3e-3, name);
            assertEquals(recipe.warmupShare().at(HIDDEN_60M), 0.1, name + ": 1000 of 10k");
        }
        assertEquals(Methods.chtsl().getRecipe(), Recipes.DYNAMIC_SPARSE);
        assertEquals(Methods.chtsl().getAlignmentWeight(), 0.5f);
    }

    @Test
    public void baselinesWithoutTopologyUpdatesHaveNoIterativeWarmup() {
        TrainingRecipe dense = Methods.dense().getRecipe();
        assertEquals(dense.learningRate().at(HIDDEN_60M), 1e-3, "Table A1: dense 1e-3");
        assertEquals(dense.iterativeWarmup(), 0);
        assertEquals(dense.clipNorm(), 0.0);

        TrainingRecipe cola = Methods.cola().getRecipe();
        assertEquals(cola.optimizer(), Optimizer.ADAMW, "cola60m.sh --optimizer adamw");
        assertEquals(cola.weightDecay(), 0.01, "cola60m.sh WD=0.01");
        assertEquals(cola.clipNorm(), 0.5, "cola60m.sh GC=0.5");
        assertEquals(cola.learningRate().at(HIDDEN_60M), 6e-3, "cola60m.sh LR=0.006");
        assertEquals(cola.learningRate().at(HIDDEN_130M), 3e-3, "cola130m.sh LR=0.003");
        assertEquals(cola.warmupShare().at(HIDDEN_60M), 0.2, "2000 of 10k");
        assertEquals(cola.warmupShare().at(HIDDEN_130M), 0.1, "2000 of 20k");
        assertEquals(cola.iterativeWarmup(), 0);

        MethodPreset slTrain = Methods.slTrain();
        assertEquals(slTrain.getRecipe().optimizer(), Optimizer.ADAMW);
        assertEquals(slTrain.getRecipe().weightDecay(), 0.0);
        assertEquals(slTrain.getRecipe().clipNorm(), 0.0, "no --grad_clipping below 7B");
        assertEquals(slTrain.getRecipe().learningRate().at(HIDDEN_60M), 3e-3);
        assertEquals(slTrain.getSlTrainAlpha(HIDDEN_60M), 32f, "sltrain60m.sh");
        assertEquals(slTrain.getSlTrainAlpha(HIDDEN_130M), 16f, "sltrain130m.sh");
        assertEquals(slTrain.getRecipe().iterativeWarmup(), 0);
    }

    @Test
    public void dropFractionsFollowTheReferenceDefaultsAndScripts() {
        // SET/MEST: torchrun_main.py --zeta 0.3, no --adaptive_zeta; RigL: 0.3 with cosine
        assertEquals(Methods.set().getZeta(), 0.3);
        assertEquals(Methods.set().dropFraction(100).at(50), 0.3, 1e-12, "fixed");
        assertEquals(Methods.mest().getZeta(), 0.3);
        assertEquals(Methods.mest().dropFraction(100).at(50), 0.3, 1e-12, "fixed");
        assertEquals(Methods.rigl().getZeta(), 0.3);
        assertEquals(Methods.rigl().dropFraction(100).at(50), 0.15, 1e-12, "cosine, half-way");
        // the CHT family: script.sh ZETA=0.1 with --adaptive_zeta
        for (String name : new String[] {"cht", "chts", "chtss", "granet", "chtsl"}) {
            assertEquals(Methods.forName(name).getZeta(), 0.1, name);
            assertEquals(Methods.forName(name).dropFraction(100).at(50), 0.05, 1e-12, name);
        }
    }

    @Test
    public void theReportCarriesTheRecipe() {
        java.util.Map<String, Object> cola = Methods.cola().describe();
        assertEquals(cola.get("optimizer"), "adamw");
        assertEquals(cola.get("clip_norm"), "0.5 (mean gradient)");
        assertEquals(cola.get("learning_rate"), "0.006 (<=60m) / 0.003 (>=130m)");
        assertEquals(Methods.chts().describe().get("clip_norm"), "none");
        assertEquals(Methods.chts().describe().get("iterative_warmup"), 20);
        assertTrue(Methods.slTrain().describe().containsKey("sltrain_alpha"));
    }

    @Test
    public void badRecipesAreRefusedNamingTheValue() {
        IllegalArgumentException warm =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                Methods.dense().toBuilder()
                                        .optRecipe(Recipes.DYNAMIC_SPARSE)
                                        .build());
        assertTrue(warm.getMessage().contains("iterative warm-up to 0"), warm.getMessage());
        IllegalArgumentException clip =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRecipe(
                                        Optimizer.ADAM,
                                        0,
                                        -1,
                                        0,
                                        100,
                                        0.75,
                                        Double.NaN,
                                        PerModelSize.same(1e-3),
                                        PerModelSize.same(0.1)));
        assertTrue(clip.getMessage().contains("clip norm must be >= 0"), clip.getMessage());
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        new TrainingRecipe(
                                Optimizer.ADAM,
                                0,
                                0,
                                0,
                                100,
                                0.75,
                                1.5,
                                PerModelSize.same(1e-3),
                                PerModelSize.same(0.1)));
    }
}
