package org.chtsl.method;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.schedule.ConstantDensity;
import org.chtsl.topology.schedule.CubicDensityDecay;
import org.chtsl.topology.score.GradientMagnitudeScore;
import org.chtsl.topology.score.MagnitudeScore;
import org.testng.annotations.Test;

public class MethodsTest {

    @Test
    public void theRegistryListsEveryMethodOnceAndFindsThemByName() {
        List<String> names = Methods.names();
        // the papers' ten and GraNet, in this order; a new method may join at the end
        assertEquals(
                names.subList(0, 11),
                List.of(
                        "dense", "set", "rigl", "mest", "cht", "chts", "chtss", "granet", "cola",
                        "sltrain", "chtsl"));
        assertEquals(new HashSet<>(names).size(), names.size());
        for (MethodPreset method : Methods.all()) {
            assertEquals(
                    Methods.forName(method.getName().toUpperCase()).getName(), method.getName());
        }
        IllegalArgumentException unknown =
                expectThrows(IllegalArgumentException.class, () -> Methods.forName("grannet"));
        assertTrue(unknown.getMessage().contains("'grannet'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains(String.join(", ", names)), unknown.getMessage());
    }

    @Test
    public void everyPresetStatesWhatItDoes() {
        for (MethodPreset method : Methods.all()) {
            Map<String, Object> recipe = method.describe();
            assertEquals(recipe.get("name"), method.getName());
            assertEquals(recipe.get("projections"), method.getKind().toString());
            boolean sparse =
                    method.getKind() != ProjectionKind.DENSE
                            && method.getKind() != ProjectionKind.LOW_RANK;
            assertTrue(!method.isDynamic() || sparse, method.toString());
            if (method.isDynamic()) {
                assertNotNull(method.getRemoval(), method.getName());
                assertNotNull(method.getRegrowth(), method.getName());
                assertTrue(method.getZeta() > 0 && method.getZeta() < 1, method.getName());
                assertEquals(recipe.get("removal"), method.getRemoval().toString());
                assertEquals(recipe.get("regrowth"), method.getRegrowth().toString());
                assertEquals(
                        recipe.get("density_schedule"), method.getDensitySchedule().describe());
            } else {
                assertNull(method.getRemoval(), method.getName());
                assertFalse(recipe.containsKey("removal"), method.getName());
                assertFalse(method.getDensitySchedule().decays(), method.getName());
                expectThrows(IllegalStateException.class, () -> method.dropFraction(100));
            }
            // CHTss and GraNet decay from s₀ = 0.5; every other method starts where it ends
            assertEquals(
                    method.initialSparsity(0.9),
                    method.getDensitySchedule().decays() ? 0.5 : 0.9,
                    method.getName());
            assertEquals(method.initialSparsity(0.3), 0.3, method.getName());
        }
    }

    @Test
    public void granetIsMagnitudePruningOnACubicScheduleWithGradientRegrowth() {
        MethodPreset granet = Methods.granet();
        assertTrue(granet.isDynamic());
        assertTrue(granet.getDensitySchedule() instanceof CubicDensityDecay);
        assertEquals(granet.initialSparsity(0.9), 0.5);
        assertTrue(granet.getDensitySchedule().pruningScore() instanceof MagnitudeScore);
        assertTrue(((TopKRemoval) granet.getRemoval()).getScore() instanceof MagnitudeScore);
        assertTrue(
                ((ScoreRegrowth) granet.getRegrowth()).getScore()
                        instanceof GradientMagnitudeScore);
        assertEquals(granet.dropFraction(100).at(50), 0.05, 1e-12); // cosine from ζ = 0.1
    }

    @Test
    public void incompletePresetsAreRejectedWithTheMissingPiece() {
        IllegalArgumentException noRules =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                MethodPreset.builder("mine", ProjectionKind.SPARSE)
                                        .optDynamic(true)
                                        .optTopology(Methods.set().getTopology())
                                        .optZeta(0.1, false)
                                        .build());
        assertTrue(noRules.getMessage().contains("optRules"), noRules.getMessage());
        IllegalArgumentException noZeta =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> Methods.set().toBuilder().optZeta(Double.NaN, false).build());
        assertTrue(noZeta.getMessage().contains("optZeta"), noZeta.getMessage());
        IllegalArgumentException noTopology =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> MethodPreset.builder("mine", ProjectionKind.SPARSE).build());
        assertTrue(noTopology.getMessage().contains("topology"), noTopology.getMessage());
        IllegalArgumentException staticDecay =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                Methods.slTrain().toBuilder()
                                        .optDensitySchedule(Methods.granet().getDensitySchedule())
                                        .build());
        assertTrue(staticDecay.getMessage().contains("dynamic"), staticDecay.getMessage());
        assertEquals(
                Methods.set().toBuilder().build().describe(), Methods.set().describe(), "copy");
        assertEquals(Methods.dense().getDensitySchedule(), ConstantDensity.get());
    }
}
