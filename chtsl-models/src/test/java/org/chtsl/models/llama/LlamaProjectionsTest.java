package org.chtsl.models.llama;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.Map;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.ProjectionSpec;
import org.chtsl.nn.SparseLinear;
import org.chtsl.nn.SparseLowRankLinear;
import org.chtsl.nn.SparsityDistribution;
import org.testng.annotations.Test;

public class LlamaProjectionsTest {

    private static final LlamaConfig TINY = LlamaConfig.tiny().build();

    /** tiny (h 128, f 344): 0.05 · 197632 / 2440 = 4.05 → 4, see LlamaBudgetTest. */
    private static final long TINY_RANK_STEP = 4;

    private static LlamaProjections.Builder tiny(MethodPreset method) {
        return LlamaProjections.builder().setConfig(TINY).setMethod(method, 0.9);
    }

    private static LlamaModel model(LlamaProjections projections) {
        return LlamaModel.builder().setConfig(TINY).optProjections(projections).build();
    }

    /** Checks every projection's blocks: their kind, sparse-branch density and rank. */
    private static void assertBranches(
            LlamaModel model, ProjectionKind kind, double density, long rank, String what) {
        assertEquals(model.getProjections().size(), 14, what);
        for (Map.Entry<String, Block> entry : model.getProjections().entrySet()) {
            String at = what + " " + entry.getKey();
            Block block = entry.getValue();
            switch (kind) {
                case DENSE:
                    assertTrue(block instanceof Linear, at);
                    break;
                case SPARSE:
                    assertEquals(((SparseLinear) block).getDensity(), density, 1e-9, at);
                    break;
                case LOW_RANK:
                    assertEquals(((LowRankLinear) block).getRank(), rank, at);
                    break;
                default:
                    SparseLowRankLinear both = (SparseLowRankLinear) block;
                    assertEquals(both.getSparse().getDensity(), density, 1e-9, at);
                    assertEquals(both.getLowRank().getRank(), rank, at);
            }
        }
    }

    @Test
    public void everyMethodGetsTheBudgetItsPresetDescribes() {
        for (MethodPreset method : Methods.all()) {
            ProjectionKind kind = method.getKind();
            // d_total = 0.1, shared d_conn : d_spec; one-branch sparse methods take it all
            double conn = kind == ProjectionKind.SPARSE ? 1 : method.getConnectivityShare();
            double spec = kind == ProjectionKind.SPARSE ? 0 : method.getSpectralShare();
            double finalSparsity = 1 - 0.1 * conn / (conn + spec);
            double density = 1 - method.initialSparsity(finalSparsity);
            long rank = spec == 0 ? 0 : Math.max(1, Math.round(0.1 * spec / (conn + spec) / 0.05));
            rank *= TINY_RANK_STEP;

            LlamaModel model = LlamaModel.builder().setConfig(TINY).optMethod(method, 0.9).build();
            assertBranches(model, kind, density, rank, method.getName());
            ProjectionSpec built = tiny(method).build().getSpec();
            assertEquals(built.kind(), kind, method.getName());
            assertEquals(built.topology(), method.getTopology(), method.getName());
            assertEquals(
                    built.sltrainAlpha(),
                    method.getSlTrainAlpha(TINY.getHidden()),
                    method.getName());
            if (kind == ProjectionKind.SLTRAIN) {
                SparseLowRankLinear first =
                        (SparseLowRankLinear) model.getProjections().values().iterator().next();
                assertEquals(
                        first.getLowRank().getScale(),
                        method.getSlTrainAlpha(TINY.getHidden()) / rank,
                        1e-6);
            }
        }
    }

    @Test
    public void handComputedBudgetsOfTheTinyModel() {
        // CHTsL 1:1 at 0.9: d_conn 0.05, d_spec 0.05 = one step; CoLA 0:1: 0.1 = two steps
        assertBranches(
                model(tiny(Methods.chtsl()).build()),
                ProjectionKind.SPARSE_LOW_RANK,
                0.05,
                4,
                "chtsl");
        assertBranches(model(tiny(Methods.cola()).build()), ProjectionKind.LOW_RANK, 0, 8, "cola");
        // CHTss ends at 0.9 but starts at its decay's 0.5; CHTs starts where it ends
        assertBranches(model(tiny(Methods.chtss()).build()), ProjectionKind.SPARSE, 0.5, 0, "ss");
        assertBranches(model(tiny(Methods.chts()).build()), ProjectionKind.SPARSE, 0.1, 0, "s");
    }

    @Test
    public void overridesTakeEffect() {
        MethodPreset chtsl = Methods.chtsl();
        assertBranches(
                model(tiny(chtsl).optRank(12).build()),
                ProjectionKind.SPARSE_LOW_RANK,
                0.05,
                12,
                "rank 12");
        assertBranches(
                model(tiny(chtsl).optSparseSparsity(0.8).build()),
                ProjectionKind.SPARSE_LOW_RANK,
                0.2,
                4,
                "sparse sparsity 0.8");
        // 1:3: d_conn 0.025, d_spec 0.075 = 1.5 steps → 2 steps of 4
        assertBranches(
                model(tiny(chtsl).optBudgetSplit(1, 3).build()),
                ProjectionKind.SPARSE_LOW_RANK,
                0.025,
                8,
                "split 1:3");
        // a decaying method starts at its initial sparsity of the override: min(0.5, 0.3)
        assertBranches(
                model(tiny(Methods.chtss()).optSparseSparsity(0.3).build()),
                ProjectionKind.SPARSE,
                0.7,
                0,
                "chtss at 0.3");
        // sparse-only methods keep the whole budget whatever the split
        assertEquals(
                tiny(Methods.chts()).optBudgetSplit(1, 1).build().getSpec().density(), 0.1, 1e-12);
    }

    @Test
    public void densitiesAreMatchedByName() {
        Map<String, long[]> shapes = LlamaProjections.shapes(TINY);
        assertEquals(shapes.size(), 14);
        assertEquals(shapes.get("layers.1.mlp.down_proj"), new long[] {128, 344});
        assertEquals(shapes.get("layers.0.mlp.gate_proj"), new long[] {344, 128});
        LlamaModel model =
                LlamaModel.builder()
                        .setConfig(TINY)
                        .optMethod(Methods.chts(), 0.9)
                        .optDistribution(SparsityDistribution.ERK)
                        .build();
        assertEquals(model.getProjections().keySet(), shapes.keySet());
        double links = 0;
        double dense = 0;
        for (Map.Entry<String, Block> entry : model.getProjections().entrySet()) {
            long[] shape = shapes.get(entry.getKey());
            links += ((SparseLinear) entry.getValue()).getDensity() * shape[0] * shape[1];
            dense += shape[0] * shape[1];
        }
        assertEquals(links / dense, 0.1, 1e-12); // ERK keeps the budget
        double q = density(model, "layers.1.self_attn.q_proj");
        double up = density(model, "layers.0.mlp.up_proj");
        // ERK density ∝ (m + n)/(m n): 256/128² against 472/(344·128)
        assertEquals(q / up, (256.0 / (128 * 128)) / (472.0 / (344 * 128)), 1e-9);
        assertEquals(density(model, "layers.1.mlp.down_proj"), up, 1e-12);
        assertTrue(q > 0.1 && up < 0.1, q + " vs " + up);
    }

    private static double density(LlamaModel model, String name) {
        return ((SparseLinear) model.getProjections().get(name)).getDensity();
    }

    @Test
    public void misuseFailsClearly() {
        LlamaProjections projections = tiny(Methods.chts()).build();
        IllegalArgumentException unknown =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> projections.create("layers.2.self_attn.q_proj", 128, 128));
        assertTrue(
                unknown.getMessage().contains("layers.2.self_attn.q_proj"), unknown.getMessage());
        expectThrows(
                IllegalArgumentException.class,
                () -> projections.create("layers.0.mlp.up_proj", 344, 128)); // transposed
        assertFalse(projections.getDensities().containsKey("lm_head"));
        ProjectionSpec dense = ProjectionSpec.dense();
        LlamaProjections.Builder both = tiny(Methods.chts()).setSpec(dense);
        expectThrows(IllegalArgumentException.class, both::build);
        expectThrows(
                IllegalArgumentException.class, LlamaProjections.builder().setConfig(TINY)::build);
        expectThrows(
                IllegalArgumentException.class,
                () -> LlamaProjections.builder().setConfig(TINY).setSpec(dense).optRank(4).build());
        expectThrows(
                IllegalArgumentException.class, () -> tiny(Methods.chtsl()).optRank(0).build());
        expectThrows(
                IllegalArgumentException.class,
                () -> tiny(Methods.chts()).optSparseSparsity(1).build());
        IllegalArgumentException split =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> tiny(Methods.chts()).optBudgetSplit(0, 0).build());
        assertTrue(split.getMessage().contains("0:0"), split.getMessage());
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        LlamaProjections.builder()
                                .setConfig(TINY)
                                .setMethod(Methods.chtsl(), 1)
                                .build());
    }
}
