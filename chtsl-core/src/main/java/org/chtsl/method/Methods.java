package org.chtsl.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.topology.init.BrfTopology;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.score.ChScore;
import org.chtsl.topology.score.ChVariant;
import org.chtsl.topology.score.GradientMagnitudeScore;
import org.chtsl.topology.score.MestScore;
import org.chtsl.topology.score.RandomScore;

/**
 * The registry of training methods: the single list that command lines validate against, the model
 * zoo publishes and tests iterate over. Each method is one factory below plus its line in {@link
 * #all()}; {@link MethodPreset#toBuilder()} adjusts one.
 */
public final class Methods {

    private static final List<MethodPreset> ALL =
            List.of(
                    dense(), set(), rigl(), mest(), cht(), chts(), chtss(), cola(), slTrain(),
                    chtsl());

    private Methods() {}

    /**
     * Returns every method, in the order command lines list them.
     *
     * @return the presets
     */
    public static List<MethodPreset> all() {
        return ALL;
    }

    /**
     * Returns the methods' names, as command lines spell them.
     *
     * @return the names
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        ALL.forEach(method -> names.add(method.getName()));
        return List.copyOf(names);
    }

    /**
     * Returns a method by name.
     *
     * @param name one of {@link #names()} (case-insensitive)
     * @return the preset
     * @throws IllegalArgumentException for another name, naming the allowed ones
     */
    public static MethodPreset forName(String name) {
        String wanted = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (MethodPreset method : ALL) {
            if (method.getName().equals(wanted)) {
                return method;
            }
        }
        throw new IllegalArgumentException(
                "Unknown method '" + name + "'; allowed: " + String.join(", ", names()) + ".");
    }

    /**
     * The dense baseline.
     *
     * @return the preset
     */
    public static MethodPreset dense() {
        return MethodPreset.builder("dense", ProjectionKind.DENSE).build();
    }

    /**
     * SET: magnitude removal, uniformly random regrowth, fixed ζ.
     *
     * @return the preset
     */
    public static MethodPreset set() {
        return sparse("set")
                .optRules(new TopKRemoval(), ScoreRegrowth.topK(new RandomScore()))
                .optZeta(0.1, false)
                .build();
    }

    /**
     * RigL: magnitude removal, regrowth where the dense gradient is largest, cosine ζ.
     *
     * @return the preset
     */
    public static MethodPreset rigl() {
        return sparse("rigl")
                .optRules(new TopKRemoval(), ScoreRegrowth.topK(new GradientMagnitudeScore()))
                .build();
    }

    /**
     * MEST: removal by {@code |W| + 0.01·|G|}, random regrowth, fixed ζ.
     *
     * @return the preset
     */
    public static MethodPreset mest() {
        return sparse("mest")
                .optRules(new TopKRemoval(new MestScore()), ScoreRegrowth.topK(new RandomScore()))
                .optZeta(0.1, false)
                .build();
    }

    /**
     * CHT: magnitude removal, top-k regrowth by the exact CH3-L3 predictor (node-based CH3-L3n on
     * layers too large for it).
     *
     * @return the preset
     */
    public static MethodPreset cht() {
        return sparse("cht")
                .optRules(
                        new TopKRemoval(),
                        ScoreRegrowth.topK(ChScore.exactWhereFeasible(ChVariant.CH3)))
                .build();
    }

    /**
     * CHTs: soft removal (temperature 1 → 9), top-k CH2-L3n regrowth (the LLM reference), BRF r =
     * 0.25.
     *
     * @return the preset
     */
    public static MethodPreset chts() {
        return sparse("chts").optTopology(brf(0.25)).build();
    }

    /**
     * CHTss: CHTs with the sigmoid density decay from sparsity 0.5 (curvature 6).
     *
     * @return the preset
     */
    public static MethodPreset chtss() {
        return sparse("chtss").optTopology(brf(0.25)).optDensityDecay(0.5, 6).build();
    }

    /**
     * CoLA: low-rank projections {@code B·SiLU(A·x)}, no sparse branch.
     *
     * @return the preset
     */
    public static MethodPreset cola() {
        return MethodPreset.builder("cola", ProjectionKind.LOW_RANK).optBudgetSplit(0, 1).build();
    }

    /**
     * SLTrain: a fixed random sparse support plus {@code (α/r)·B·A}, budget split 1:1, α = 32.
     *
     * @return the preset
     */
    public static MethodPreset slTrain() {
        return MethodPreset.builder("sltrain", ProjectionKind.SLTRAIN).optBudgetSplit(1, 1).build();
    }

    /**
     * CHTsL: a CHTs sparse branch (BRF r = 0) plus a SiLU low-rank branch, budget split 1:1,
     * alignment weight λ = 0.5.
     *
     * @return the preset
     */
    public static MethodPreset chtsl() {
        return MethodPreset.builder("chtsl", ProjectionKind.SPARSE_LOW_RANK)
                .optDynamic(true)
                .optTopology(brf(0))
                .optBudgetSplit(1, 1)
                .optAlignmentWeight(0.5f)
                .build();
    }

    private static MethodPreset.Builder sparse(String name) {
        return MethodPreset.builder(name, ProjectionKind.SPARSE).optDynamic(true);
    }

    private static BrfTopology brf(double randomness) {
        return BrfTopology.builder().optRandomness(randomness).build();
    }
}
