package org.chtsl.method;

import org.chtsl.method.TrainingRecipe.Optimizer;

/**
 * The training recipes of the methods, each value with the reference it comes from. References: the
 * CHTsL paper's Table A1 (the common settings of its LLaMA comparison); the Soft-Rule repository
 * (biomedical-cybernetics/Cannistraci-Hebb-Training-Soft-Rule-, {@code llm/} at 1f91f31: {@code
 * torchrun_main.py}, {@code script.sh}); alvin-zyl/CoLA at 91ff0d1 ({@code
 * scripts/cola_scripts/cola60m.sh}, {@code cola130m.sh}, {@code main.py}); andyjm3/SLTrain at
 * 2335d62 ({@code scripts/llm_pretrain/sltrain60m.sh}, {@code sltrain130m.sh}).
 */
public final class Recipes {

    /** The global warm-up: 1000 of 10k steps (60M), 2000 of 20k (130M) — CHTsL Table A1. */
    private static final PerModelSize TENTH = PerModelSize.same(0.1);

    /** The LR schedule's minimum share of the peak (every reference's {@code min_lr_ratio}). */
    public static final double MIN_LR_RATIO = 0.1;

    private Recipes() {}

    /**
     * Dynamic sparse training (SET, RigL, MEST, CHT, CHTs, CHTss, GraNet, CHTsL).
     *
     * <ul>
     *   <li>Adam, weight decay 0: {@code script.sh} L35-37 ({@code OPTIMIZER=adam}, {@code
     *       WEIGHT_DECAY=0}); Table A1 ("3e-3 Adam").
     *   <li>No clipping: neither {@code script.sh} nor the README passes {@code --grad_clipping},
     *       whose default is 0 ({@code torchrun_main.py} L219).
     *   <li>Iterative warm-up 20: Table A1 (the Soft-Rule sweep uses 10, its driver's default is 0;
     *       spec §11.7).
     *   <li>ΔT = 100: Table A1, {@code script.sh} L10 (the driver's default is 200).
     *   <li>T_end = 0.75 of the steps: {@code torchrun_main.py} L847.
     *   <li>Density decay ends at T_end: decision §12.5 (the CHTss script's {@code --pruning_T_end
     *       8000} is 0.8 of its 10k steps; {@code --pruning-end} reproduces it).
     *   <li>Peak LR 3e-3: Table A1, {@code script.sh} L15; warm-up 10%: Table A1.
     * </ul>
     */
    public static final TrainingRecipe DYNAMIC_SPARSE =
            new TrainingRecipe(
                    Optimizer.ADAM,
                    0,
                    0,
                    20,
                    100,
                    0.75,
                    Double.NaN,
                    PerModelSize.same(3e-3),
                    TENTH);

    /**
     * A sparse method without topology updates that names no recipe of its own: {@link
     * #DYNAMIC_SPARSE} without the iterative warm-up, which follows topology updates only.
     */
    public static final TrainingRecipe STATIC_SPARSE =
            new TrainingRecipe(
                    Optimizer.ADAM, 0, 0, 0, 100, 0.75, Double.NaN, PerModelSize.same(3e-3), TENTH);

    /**
     * The dense baseline: Adam at peak LR 1e-3 (Table A1, "dense: 1e-3"), no clipping, no iterative
     * warm-up (it has no topology updates), warm-up 10%.
     */
    public static final TrainingRecipe DENSE =
            new TrainingRecipe(
                    Optimizer.ADAM, 0, 0, 0, 100, 0.75, Double.NaN, PerModelSize.same(1e-3), TENTH);

    /**
     * CoLA's own recipe: AdamW with weight decay 0.01 ({@code cola60m.sh} L9, {@code --optimizer
     * adamw} L37) on every trainable parameter ({@code main.py} L385, {@code
     * pretraining_utils/training_utils.py} L228), global-norm clipping at 0.5 of the mean gradient
     * ({@code GC=0.5} L10; {@code main.py} L519-528 divides the loss by GA before backward and
     * clips after accumulation), peak LR 6e-3 at 60M and 3e-3 at 130M ({@code cola60m.sh} L8,
     * {@code cola130m.sh}), warm-up 2000 steps: 0.2 of 10k at 60M, 0.1 of 20k at 130M (L28, L24).
     * No topology updates, so no iterative warm-up.
     */
    public static final TrainingRecipe COLA =
            new TrainingRecipe(
                    Optimizer.ADAMW,
                    0.01,
                    0.5,
                    0,
                    100,
                    0.75,
                    Double.NaN,
                    new PerModelSize(6e-3, 3e-3),
                    new PerModelSize(0.2, 0.1));

    /**
     * SLTrain's recipe: AdamW with weight decay 0 (its scripts' {@code --optimizer adamw}, no
     * {@code --weight_decay}), peak LR 3e-3, no clipping at 60M–1B ({@code --grad_clipping} only in
     * the 7B script), warm-up 10% (1100 of 11k, 2200 of 22k). No iterative warm-up. Its α is a
     * property of the model ({@link MethodPreset#getSlTrainAlpha}); its 11k/22k steps are not
     * copied: chtsl compares methods at equal steps.
     */
    public static final TrainingRecipe SLTRAIN =
            new TrainingRecipe(
                    Optimizer.ADAMW,
                    0,
                    0,
                    0,
                    100,
                    0.75,
                    Double.NaN,
                    PerModelSize.same(3e-3),
                    TENTH);
}
