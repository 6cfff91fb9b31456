package org.chtsl.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

public class ParameterBudgetTest {

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

    @Test
    public void budgetSharesOfTheTwoBranches() {
        // d_total 0.1 shared 1:1 → 0.05 each; 0.3 shared 1:5 → 0.05 and 0.25
        assertEquals(ParameterBudget.sparseBranchSparsity(0.9, 1, 1), 0.95); // exact decimal
        assertEquals(ParameterBudget.spectralBudget(0.9, 1, 1), 0.05, 1e-15);
        assertEquals(ParameterBudget.sparseBranchSparsity(0.7, 1, 5), 0.95);
        assertEquals(ParameterBudget.spectralBudget(0.7, 1, 5), 0.25, 1e-15);
        // no low-rank share: the sparse branch holds the whole budget; no sparse share: none
        assertEquals(ParameterBudget.sparseBranchSparsity(0.8, 1, 0), 0.8);
        assertEquals(ParameterBudget.spectralBudget(0.8, 1, 0), 0.0);
        assertEquals(ParameterBudget.sparseBranchSparsity(0.8, 0, 1), 1.0);
        assertEquals(ParameterBudget.spectralBudget(0.8, 0, 1), 0.2, 1e-15);
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
                        () -> ParameterBudget.spectralBudget(1.0, 1, 1));
        assertTrue(total.getMessage().contains("[0, 1)"), total.getMessage());
        IllegalArgumentException ratio =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ParameterBudget.sparseBranchSparsity(0.9, 0, 0));
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
