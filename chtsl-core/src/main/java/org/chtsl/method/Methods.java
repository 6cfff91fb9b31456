package org.chtsl.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.topology.init.BrfTopology;
import org.chtsl.topology.init.ErdosRenyiTopology;
import org.chtsl.topology.rule.ScoreRegrowth;
import org.chtsl.topology.rule.SoftRemoval;
import org.chtsl.topology.rule.TopKRemoval;
import org.chtsl.topology.schedule.CubicDensityDecay;
import org.chtsl.topology.schedule.SigmoidDensityDecay;
import org.chtsl.topology.score.ChScore;
import org.chtsl.topology.score.ChVariant;
import org.chtsl.topology.score.GradientMagnitudeScore;
import org.chtsl.topology.score.MagnitudeScore;
import org.chtsl.topology.score.MestScore;
import org.chtsl.topology.score.RandomScore;
import org.chtsl.topology.score.RelativeImportanceScore;

/**
 * The registry of training methods: the single list that command lines validate against, the model
 * zoo publishes and tests iterate over. Each method is one factory below plus its line in {@link
 * #all()}; {@link MethodPreset#toBuilder()} adjusts one.
 */
public final class Methods {

    private static final List<MethodPreset> ALL =
            List.of(
                    dense(), set(), rigl(), mest(), cht(), chts(), chtss(), granet(), cola(),
                    slTrain(), chtsl());

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
     * The dense baseline, trained with {@link Recipes#DENSE}.
     *
     * @return the preset
     */
    public static MethodPreset dense() {
        return MethodPreset.builder("dense", ProjectionKind.DENSE).optRecipe(Recipes.DENSE).build();
    }

    /**
     * SET: magnitude removal, uniformly random regrowth, Erdős–Rényi start, fixed ζ = 0.3: the
     * Soft-Rule driver's defaults ({@code torchrun_main.py} L237 {@code --zeta 0.3}, L251 no {@code
     * --adaptive_zeta}; no LLaMA script runs SET) and its machine-translation script ({@code
     * iwslt_SET.sh}: ζ from {@code opts.py}'s 0.3, not adaptive).
     *
     * @return the preset
     */
    public static MethodPreset set() {
        return sparse("set")
                .optRules(magnitudeRemoval(), ScoreRegrowth.topK(new RandomScore()))
                .optZeta(0.3, false)
                .build();
    }

    /**
     * RigL: magnitude removal, regrowth where the (mean) dense gradient is largest, cosine ζ from
     * 0.3: the Soft-Rule driver's ζ default ({@code torchrun_main.py} L237) with the cosine decay
     * of its RigL script ({@code iwslt_RigL.sh}, {@code --adaptive_zeta}) and of the RigL paper (no
     * LLaMA script runs RigL).
     *
     * @return the preset
     */
    public static MethodPreset rigl() {
        return sparse("rigl")
                .optRules(magnitudeRemoval(), ScoreRegrowth.topK(new GradientMagnitudeScore()))
                .optZeta(0.3, true)
                .build();
    }

    /**
     * MEST: removal by {@code |W| + 0.01·|G|} with G the mean gradient ({@code --factor 0.01},
     * {@code torchrun_main.py} L263; {@code dst_scheduler.py} L100 divides by GA), random regrowth,
     * fixed ζ = 0.3 (the driver's defaults, L237/L251; no LLaMA script runs MEST).
     *
     * @return the preset
     */
    public static MethodPreset mest() {
        return sparse("mest")
                .optRules(new TopKRemoval(new MestScore()), ScoreRegrowth.topK(new RandomScore()))
                .optZeta(0.3, false)
                .build();
    }

    /**
     * CHT: magnitude removal, top-k regrowth by the exact CH3-L3 predictor (node-based CH3-L3n on
     * layers too large for it), cosine ζ from 0.1.
     *
     * @return the preset
     */
    public static MethodPreset cht() {
        return sparse("cht")
                .optRules(
                        magnitudeRemoval(),
                        ScoreRegrowth.topK(ChScore.exactWhereFeasible(ChVariant.CH3)))
                .optZeta(0.1, true)
                .build();
    }

    /**
     * CHTs: soft removal ∝ {@code |W|^T} with T from 1 to 9, top-k CH2-L3n regrowth (the LLM
     * reference's; the paper's wording samples), cosine ζ from 0.1, BRF start with r = 0.25.
     *
     * @return the preset
     */
    public static MethodPreset chts() {
        return chtsRules("chts", ProjectionKind.SPARSE).optTopology(brf(0.25)).build();
    }

    /**
     * CHTss: CHTs plus the sigmoid density decay from sparsity 0.5 (curvature 6), pruning by
     * relative importance.
     *
     * @return the preset
     */
    public static MethodPreset chtss() {
        return chtsRules("chtss", ProjectionKind.SPARSE)
                .optTopology(brf(0.25))
                .optDensitySchedule(new SigmoidDensityDecay(0.5, 6, new RelativeImportanceScore()))
                .build();
    }

    /**
     * GraNet (Liu et al., 2021; the reference's {@code --granet --pruning_scheduler granet}):
     * gradual magnitude pruning along a cubic density decay from sparsity 0.5, plus
     * "neuroregeneration" — magnitude removal and regrowth where the dense gradient is largest —
     * with a cosine ζ from 0.1, from an Erdős–Rényi start.
     *
     * @return the preset
     */
    // readme-begin granet
    public static MethodPreset granet() {
        return sparse("granet") // sparse projections, Erdős–Rényi start
                .optRules(magnitudeRemoval(), ScoreRegrowth.topK(new GradientMagnitudeScore()))
                .optZeta(0.1, true) // cosine ζ from 0.1 to 0 at T_end
                .optDensitySchedule(new CubicDensityDecay(0.5, new MagnitudeScore()))
                .build();
    }

    // readme-end granet

    /**
     * CoLA: low-rank projections {@code B·SiLU(A·x)}, no sparse branch, trained with its own recipe
     * ({@link Recipes#COLA}: AdamW, weight decay 0.01, clipping 0.5, peak LR 6e-3 at 60M).
     *
     * @return the preset
     */
    public static MethodPreset cola() {
        return MethodPreset.builder("cola", ProjectionKind.LOW_RANK)
                .optBudgetSplit(0, 1)
                .optRecipe(Recipes.COLA)
                .build();
    }

    /**
     * SLTrain: a fixed random sparse support plus {@code (α/r)·B·A}, budget split 1:1, α = 32 up to
     * LLaMA-60M and 16 from LLaMA-130M ({@code sltrain60m.sh}, {@code sltrain130m.sh}), trained
     * with {@link Recipes#SLTRAIN}.
     *
     * @return the preset
     */
    public static MethodPreset slTrain() {
        return MethodPreset.builder("sltrain", ProjectionKind.SLTRAIN)
                .optTopology(ErdosRenyiTopology.get())
                .optBudgetSplit(1, 1)
                .optSlTrainAlpha(new PerModelSize(32, 16))
                .optRecipe(Recipes.SLTRAIN)
                .build();
    }

    /**
     * CHTsL: a CHTs sparse branch (BRF r = 0) plus a SiLU low-rank branch, budget split 1:1,
     * alignment weight λ = 0.5.
     *
     * @return the preset
     */
    public static MethodPreset chtsl() {
        return chtsRules("chtsl", ProjectionKind.SPARSE_LOW_RANK)
                .optTopology(brf(0))
                .optBudgetSplit(1, 1)
                .optAlignmentWeight(0.5f)
                .build();
    }

    private static MethodPreset.Builder sparse(String name) {
        return MethodPreset.builder(name, ProjectionKind.SPARSE)
                .optDynamic(true)
                .optTopology(ErdosRenyiTopology.get());
    }

    /** CHTs' dynamics: soft removal, T 1 → 9; top-k CH2-L3n regrowth; cosine ζ from 0.1. */
    private static MethodPreset.Builder chtsRules(String name, ProjectionKind kind) {
        return MethodPreset.builder(name, kind)
                .optDynamic(true)
                .optRules(
                        new SoftRemoval(new MagnitudeScore(), 1, 9),
                        ScoreRegrowth.topK(ChScore.l3n(ChVariant.CH2)))
                .optZeta(0.1, true);
    }

    private static TopKRemoval magnitudeRemoval() {
        return new TopKRemoval(new MagnitudeScore());
    }

    private static BrfTopology brf(double randomness) {
        return BrfTopology.builder().optRandomness(randomness).build();
    }
}
