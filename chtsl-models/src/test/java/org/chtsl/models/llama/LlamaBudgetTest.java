package org.chtsl.models.llama;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.chtsl.nn.ParameterBudget;
import org.chtsl.nn.SparsityRankSplit;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class LlamaBudgetTest {

    private static final long H60 = 512;
    private static final long F60 = 1376;
    private static final long H130 = 768;
    private static final long F130 = 2048;

    @Test
    public void rankStepsOfTheLlamaModels() {
        assertEquals(LlamaBudget.rankStep(H60, F60), 16); // 16.199…
        assertEquals(LlamaBudget.rankStep(H130, F130), 24); // 24.25…
        // tiny: 0.05 · (4·128² + 3·128·344) / (8·128 + 3·472) = 0.05 · 197632 / 2440 = 4.05
        assertEquals(LlamaBudget.rankStep(128, 344), 4);
    }

    /** CHTsL paper Table A3 (and SLTrain's Table A2 rows that differ): s_total, ratio → (s, r). */
    @DataProvider
    public Object[][] tableA3() {
        return new Object[][] {
            // OpenWebText, 60M and 130M, all 1:1
            {H60, F60, 0.9, 1, 1, 0.95, 16},
            {H60, F60, 0.8, 1, 1, 0.9, 32},
            {H60, F60, 0.7, 1, 1, 0.85, 48},
            {H130, F130, 0.9, 1, 1, 0.95, 24},
            {H130, F130, 0.8, 1, 1, 0.9, 48},
            {H130, F130, 0.7, 1, 1, 0.85, 72},
            // C4
            {H60, F60, 0.8, 1, 3, 0.95, 48},
            {H60, F60, 0.7, 1, 5, 0.95, 80},
            {H130, F130, 0.8, 1, 3, 0.95, 72},
            {H130, F130, 0.7, 1, 5, 0.95, 120},
            // SLTrain (Table A2)
            {H130, F130, 0.8, 3, 1, 0.85, 24},
            {H60, F60, 0.7, 1, 2, 0.9, 64},
        };
    }

    @Test(dataProvider = "tableA3")
    public void inverseSplitReproducesTableA3(
            long h, long f, double total, int conn, int spec, double s, long r) {
        SparsityRankSplit split = LlamaBudget.split(h, f, total, conn, spec);
        assertEquals(split.sparsity(), s, 1e-12);
        assertEquals(split.rank(), r);
    }

    @Test(dataProvider = "tableA3")
    public void tableA3RowsAddUpToTheirTotalSparsity(
            long h, long f, double total, int conn, int spec, double s, long r) {
        // Sum the seven projections of one block: 4 × (h × h) and 3 × (h × f).
        double dense = 4.0 * h * h + 3.0 * h * f;
        double active =
                4 * (ParameterBudget.of(h, h, s, r).totalDensity() * h * h)
                        + 3 * (ParameterBudget.of(h, f, s, r).totalDensity() * h * f);
        // rank steps are rounded, so the total is met to within a fraction of a step (5%)
        assertEquals(1 - active / dense, total, 0.005);
    }

    @Test
    public void halfStepsRoundUpDespiteBinaryFractions() {
        // 1 − 0.9 is 0.0999… in binary: the 1:3 split's d_spec of 0.075 is 1.5 rank steps → 2
        assertEquals(LlamaBudget.split(H60, F60, 0.9, 1, 3).rank(), 32);
    }

    @Test
    public void oneBranchSplits() {
        // all to the sparse branch: s = s_total, no rank; all to the low-rank one: 0.1 = 2 steps
        assertEquals(LlamaBudget.split(H60, F60, 0.9, 1, 0), new SparsityRankSplit(0.9, 0));
        assertEquals(LlamaBudget.split(H60, F60, 0.9, 0, 1), new SparsityRankSplit(1, 32));
        // a tiny low-rank share still gets one step: 0.1 · 1/100 = 0.001 → 0.02 steps → 1
        assertEquals(LlamaBudget.split(H60, F60, 0.9, 99, 1).rank(), 16);
    }

    @Test
    public void badBudgetsAreRejected() {
        IllegalArgumentException total =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> LlamaBudget.split(H60, F60, 1.0, 1, 1));
        assertTrue(total.getMessage().contains("[0, 1)"), total.getMessage());
        IllegalArgumentException ratio =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> LlamaBudget.split(H60, F60, 0.9, 0, 0));
        assertTrue(ratio.getMessage().contains("0:0"), ratio.getMessage());
        IllegalArgumentException shape =
                expectThrows(IllegalArgumentException.class, () -> LlamaBudget.rankStep(0, F60));
        assertTrue(shape.getMessage().contains("got 0 and 1376"), shape.getMessage());
    }
}
