package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class ParameterBudgetTest {

    private static final long H60 = 512;
    private static final long F60 = 1376;
    private static final long H130 = 768;
    private static final long F130 = 2048;

    @Test
    public void rankStepsOfTheLlamaModels() {
        assertEquals(ParameterBudget.llamaRankStep(H60, F60), 16); // 16.199…
        assertEquals(ParameterBudget.llamaRankStep(H130, F130), 24); // 24.25…
    }

    @Test
    public void spectralDensityConstantsOfSpec43() {
        assertEquals(ParameterBudget.spectralDensity(512, 512, 1), 1.0 / 256, 1e-15);
        assertEquals(ParameterBudget.spectralDensity(512, 1376, 1), 0.002680, 1e-6);
        assertEquals(ParameterBudget.spectralDensity(768, 768, 1), 0.002604, 1e-6);
        assertEquals(ParameterBudget.spectralDensity(768, 2048, 1), 0.001790, 1e-6);
        // 512 × 512 with r = 8 → 3.125%, so a 10% budget leaves 6.875% for connections
        ParameterBudget budget = ParameterBudget.of(512, 512, 1 - 0.06875, 8);
        assertEquals(budget.spectralDensity(), 0.03125, 1e-15);
        assertEquals(budget.totalDensity(), 0.1, 1e-12);
        assertEquals(budget.totalSparsity(), 0.9, 1e-12);
        assertEquals(budget.connectivityDensity(), 0.06875, 1e-12);
        assertEquals(budget.activeParameters(), 18022 + 8 * 1024); // floor(0.06875 · 262144)
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
        SparsityRankSplit split = ParameterBudget.splitLlama(h, f, total, conn, spec);
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
        assertEquals(ParameterBudget.splitLlama(H60, F60, 0.9, 1, 3).rank(), 32);
    }

    @Test
    public void singleMatrixSplit() {
        // 512 × 512, s_total 0.9, 1:1 → d_spec 0.05 → r = 0.05 · 512² / 1024 = 12.8 → 13
        SparsityRankSplit split = ParameterBudget.split(512, 512, 0.9, 1, 1);
        assertEquals(split.sparsity(), 0.95, 1e-12);
        assertEquals(split.rank(), 13);
        assertEquals(ParameterBudget.split(512, 512, 0.9, 1, 0), new SparsityRankSplit(0.9, 0));
        assertEquals(ParameterBudget.split(4, 4, 0.0, 0, 1).rank(), 2); // capped at min(m, n)
    }

    @Test
    public void badBudgetsAreRejected() {
        IllegalArgumentException total =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ParameterBudget.splitLlama(H60, F60, 1.0, 1, 1));
        assertTrue(total.getMessage().contains("[0, 1)"), total.getMessage());
        IllegalArgumentException ratio =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ParameterBudget.splitLlama(H60, F60, 0.9, 0, 0));
        assertTrue(ratio.getMessage().contains("0:0"), ratio.getMessage());
        expectThrows(IllegalArgumentException.class, () -> ParameterBudget.split(4, 4, 0.5, -1, 1));
        IllegalArgumentException rank =
                expectThrows(
                        IllegalArgumentException.class, () -> ParameterBudget.of(4, 8, 0.5, 5));
        assertTrue(rank.getMessage().contains("min(rows, columns) = 4"), rank.getMessage());
        expectThrows(IllegalArgumentException.class, () -> ParameterBudget.of(0, 8, 0.5, 1));
        expectThrows(IllegalArgumentException.class, () -> ParameterBudget.of(4, 8, 1.5, 1));
    }
}
