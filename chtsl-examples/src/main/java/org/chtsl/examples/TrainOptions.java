package org.chtsl.examples;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.chtsl.method.MethodPreset;
import org.chtsl.method.Methods;
import org.chtsl.method.TrainingRecipe;
import org.chtsl.models.llama.LlamaConfig;
import org.chtsl.models.llama.LlamaTrainingDefaults;
import org.chtsl.nn.AlignmentForm;
import org.chtsl.nn.LowRankActivation;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.SparseStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@link TrainLlama}, each declared once: name, type, default, description and rule.
 * Options left out take {@code --smoke}'s settings, else the chosen model's {@link
 * LlamaTrainingDefaults} or the method's {@link TrainingRecipe} (read through the accessors, e.g.
 * {@link #steps()}, {@link #clipNorm()}); a value given is always used, 0 included.
 */
@Command(
        name = "TrainLlama",
        description =
                "Trains a LLaMA model with one of chtsl's methods; writes report.json (the resolved"
                        + " configuration, parameter counts, evaluations, topology updates, OCR,"
                        + " throughput), plots and a resumable checkpoint to --out.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            ProgramRunner.OK_LINE,
            ProgramRunner.FAILED_LINE,
            ProgramRunner.BAD_INPUT_LINE,
            ProgramRunner.DIVERGED_LINE
        })
final class TrainOptions implements ProgramOptions {

    /** The largest step count and interval accepted. */
    static final long MAX_STEPS = 1_000_000_000L;

    /** The largest batch, sequence length and rank accepted. */
    private static final long MAX_SIZE = 1 << 16;

    /**
     * {@code --smoke}'s steps: a topology update at step 2, before T_end (0.75 of the steps rounded
     * down: step 3), where ζ still moves links (it decays to 0 at T_end, so an update there would
     * move none), steps on the new topology, then the evaluation.
     */
    static final long SMOKE_STEPS = 4;

    /** {@code --smoke}'s batch (and so micro-batch). */
    static final int SMOKE_BATCH = 2;

    /** {@code --smoke}'s sequence length. */
    static final int SMOKE_SEQ_LEN = 32;

    /** {@code --smoke}'s ΔT: one topology update, at step 2 (and an LR ramp of ΔT − 1 = 1 step). */
    static final long SMOKE_UPDATE_INTERVAL = 2;

    /** {@code --smoke}'s steps between evaluations: one, at the last step, with its checkpoint. */
    static final long SMOKE_EVAL_EVERY = SMOKE_STEPS;

    /** {@code --smoke}'s validation tokens: 8 windows of {@link #SMOKE_SEQ_LEN}. */
    static final long SMOKE_EVAL_TOKENS = 256;

    /** {@code --smoke}'s documents: enough text for its steps, tokenized in a moment. */
    static final int SMOKE_DOCUMENTS = 20;

    /** The methods of {@link Methods#names()}. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Methods.names().iterator();
        }
    }

    /** The alignment forms, in the lower case the help shows (any case is accepted). */
    static final class AlignmentForms implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ValueConverters.names(AlignmentForm.class).iterator();
        }
    }

    /** The low-rank activations, in lower case. */
    static final class Activations implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ValueConverters.names(LowRankActivation.class).iterator();
        }
    }

    /** The presets of {@link LlamaTrainingDefaults#names()}. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LlamaTrainingDefaults.names().iterator();
        }
    }

    /**
     * A {@code d_conn:d_spec} budget split.
     *
     * @param connectivity the sparse branch's share
     * @param spectral the low-rank branch's share
     */
    record BudgetSplit(int connectivity, int spectral) {}

    /** {@code d_conn:d_spec}, two whole numbers, not both 0. */
    static final class RatioConverter implements ITypeConverter<BudgetSplit> {
        @Override
        public BudgetSplit convert(String value) {
            String[] parts = value.split(":");
            try {
                if (parts.length == 2) {
                    int conn = Integer.parseInt(parts[0].strip());
                    int spec = Integer.parseInt(parts[1].strip());
                    if (conn >= 0 && spec >= 0 && conn + spec > 0) {
                        return new BudgetSplit(conn, spec);
                    }
                }
            } catch (NumberFormatException e) {
                // not allowed, below
            }
            throw new ValueConverters.NotAllowed(
                    "d_conn:d_spec as two non-negative integers, not both 0, e.g. 1:1 or 1:3");
        }
    }

    @Option(
            names = "--model",
            paramLabel = "MODEL",
            completionCandidates = ModelNames.class,
            description = "the LLaMA preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String model = "tiny";

    @Option(
            names = "--method",
            paramLabel = "METHOD",
            completionCandidates = MethodNames.class,
            description =
                    "the training method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String method = "chtsl";

    @Option(
            names = "--sparsity",
            paramLabel = "S",
            description = "total sparsity of the projections (default: ${DEFAULT-VALUE})")
    @Allowed.Real(min = 0, minIncluded = false, max = 1, maxIncluded = false)
    double sparsity = 0.9;

    @Option(
            names = "--conn-ratio",
            paramLabel = "D_CONN:D_SPEC",
            converter = RatioConverter.class,
            description = "the budget split d_conn:d_spec, e.g. 1:3 (default: the method's)")
    private BudgetSplit budgetSplit;

    /**
     * {@code --conn-ratio} as {@code {d_conn, d_spec}} (set by {@link #validate()}), or {@code
     * null}: the method's budget split.
     */
    int[] connRatio;

    /** The sparse branch's sparsity, or {@code null}: from the budget split. */
    @Option(
            names = "--sparse-sparsity",
            paramLabel = "s",
            description = "the sparse branch's sparsity (default: from the budget split)")
    @Allowed.Real(min = 0, max = 1, maxIncluded = false)
    Double sparseSparsity;

    /** How sparse branches hold their weights, or {@code null}: the method's default. */
    @Option(
            names = "--storage",
            paramLabel = "FORM",
            description =
                    "how sparse branches hold their weights: compact (only active links) or"
                            + " dense-masked (default: compact, dense-masked for methods whose"
                            + " rules need dense gradients)")
    String storage;

    /** The low-rank branch's rank, or {@code null}: from the budget split. */
    @Option(
            names = "--rank",
            paramLabel = "r",
            description = "the low-rank branch's rank (default: from the budget split)")
    @Allowed.Whole(min = 1, max = MAX_SIZE)
    Long rank;

    @Option(
            names = "--lambda",
            paramLabel = "λ",
            description = "weight of the alignment loss (default: the method's, 0.5 for chtsl)")
    @Allowed.Real(min = 0)
    private Double lambda;

    @Option(
            names = "--low-rank-activation",
            paramLabel = "ACT",
            completionCandidates = Activations.class,
            description =
                    "the low-rank branch's nonlinearity: ${COMPLETION-CANDIDATES}; identity is the"
                            + " \"naive\" sum (chtsl, cola; default: silu)")
    private LowRankActivation lowRankActivation;

    @Option(
            names = "--alignment-form",
            paramLabel = "FORM",
            completionCandidates = AlignmentForms.class,
            description =
                    "the alignment term's form: ${COMPLETION-CANDIDATES} (default: the method's,"
                            + " mean_squared for chtsl)")
    private AlignmentForm alignmentForm;

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps (default: *)")
    @Allowed.Whole(min = 1, max = MAX_STEPS)
    private Long steps;

    @Option(names = "--batch", paramLabel = "B", description = "sequences per step (default: *)")
    @Allowed.Whole(min = 1, max = MAX_SIZE)
    private Integer batch;

    @Option(
            names = "--micro-batch",
            paramLabel = "b",
            description =
                    "sequences per forward pass, a divisor of the batch (default: its largest"
                            + " divisor up to *)")
    private Integer microBatch;

    @Option(names = "--seq-len", paramLabel = "T", description = "tokens per sequence (default: *)")
    @Allowed.Whole(min = 2, max = MAX_SIZE)
    private Integer sequenceLength;

    @Option(
            names = "--lr",
            paramLabel = "η",
            description =
                    "peak learning rate (default: the method's recipe, 3e-3 for sparse methods,"
                            + " 1e-3 dense, 6e-3 cola at 60m; at most *)")
    @Allowed.Real(min = 0, minIncluded = false)
    private Float learningRate;

    @Option(
            names = "--warmup",
            paramLabel = "W",
            description =
                    "learning-rate warm-up steps, below --steps (default: the recipe's share of"
                            + " --steps: 10%%, cola 20%% up to 60m)")
    private Long warmup;

    @Option(
            names = "--update-interval",
            paramLabel = "ΔT",
            description = "steps between topology updates (default: *, else the recipe's 100)")
    @Allowed.Whole(min = 1, max = MAX_STEPS)
    private Long updateInterval;

    @Option(
            names = "--clip-norm",
            paramLabel = "C",
            description =
                    "clip the mean gradient's global norm at C, 0 for none (default: the method's"
                            + " recipe: 0.5 for cola, none for the others)")
    @Allowed.Real(min = 0)
    private Double clipNorm;

    @Option(
            names = "--iterative-warmup",
            paramLabel = "R",
            description =
                    "steps of the LR ramp after each topology update, 0 for none (default: the"
                            + " recipe's, 20 for dynamic methods)")
    @Allowed.Whole(min = 0, max = MAX_STEPS)
    private Integer iterativeWarmup;

    @Option(
            names = "--pruning-end",
            paramLabel = "STEP",
            description =
                    "the step a density decay ends at, at most --steps (chtss, granet; default:"
                            + " T_end, 0.75 of --steps; the reference's CHTss uses 0.8)")
    @Allowed.Whole(min = 1, max = MAX_STEPS)
    private Long pruningEnd;

    @Option(
            names = "--eval-every",
            paramLabel = "K",
            description = "steps between evaluations and checkpoints (default: *)")
    @Allowed.Whole(min = 1, max = MAX_STEPS)
    private Long evalEvery;

    @Mixin EvaluationOptions evaluation = new EvaluationOptions();

    @Mixin DataOptions data = new DataOptions();

    @Option(
            names = "--tokenizer",
            paramLabel = "FILE",
            description = "a HuggingFace tokenizer.json (default: the LLaMA 32k tokenizer)")
    @Allowed.PathTo(value = "a tokenizer.json file", exists = true, file = true)
    Path tokenizer;

    @Option(
            names = "--max-documents",
            paramLabel = "N",
            description =
                    "train and validate on the first N documents of the training text only, at"
                            + " least 2 (default: all)")
    @Allowed.Whole(min = 2, max = Integer.MAX_VALUE)
    private Integer maxDocuments;

    /**
     * The run's folder: {@code --out}, or {@code null} until {@link TrainLlama} has chosen one (a
     * new folder under {@code runs/}, or the one {@code runs/latest} links to for {@code
     * --resume}).
     */
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "the run's folder; one that holds another run keeps it in DIR/earlier-TIME"
                            + " (default: a new runs/METHOD-MODEL-TIME, which runs/latest then"
                            + " links to; with --resume: the folder runs/latest links to)")
    @Allowed.PathTo("a folder")
    Path out;

    @Option(
            names = "--resume",
            description =
                    "continue the run in --out (default: runs/latest) from its checkpoint, as if"
                            + " it had not stopped")
    boolean resume;

    @Option(
            names = "--smoke",
            description =
                    "a quick end-to-end check of any --model: "
                            + SMOKE_STEPS
                            + " steps of "
                            + SMOKE_BATCH
                            + " sequences of "
                            + SMOKE_SEQ_LEN
                            + " tokens on the first "
                            + SMOKE_DOCUMENTS
                            + " documents, ΔT "
                            + SMOKE_UPDATE_INTERVAL
                            + " (one topology update), one evaluation of "
                            + SMOKE_EVAL_TOKENS
                            + " tokens and its checkpoint at the last step; the warm-up is the"
                            + " recipe's share, 0; options given still win")
    boolean smoke;

    @Mixin DeviceOption device = new DeviceOption();

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "the seed of every random draw (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(
            names = "--dry-run",
            description =
                    "build the model and write its parameter counts only; no data, no training")
    boolean dryRun;

    /**
     * Parses and validates a TrainLlama command line, as the program does.
     *
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException with a one-line message naming the option, the value and
     *     what is allowed
     */
    static TrainOptions parse(String... args) {
        TrainOptions options = new TrainOptions();
        CommandLines.parse(options, System.out, args);
        return options;
    }

    /**
     * Returns the chosen model's training defaults.
     *
     * @return the defaults
     */
    LlamaTrainingDefaults defaults() {
        return LlamaTrainingDefaults.forModel(model);
    }

    /**
     * Returns the method, with {@code --conn-ratio}'s budget split and {@code
     * --low-rank-activation} if given.
     *
     * @return the preset
     */
    MethodPreset methodPreset() {
        MethodPreset preset = Methods.forName(method);
        if (connRatio == null && lowRankActivation == null) {
            return preset;
        }
        MethodPreset.Builder changed = preset.toBuilder();
        if (connRatio != null) {
            changed.optBudgetSplit(connRatio[0], connRatio[1]);
        }
        if (lowRankActivation != null) {
            changed.optLowRankActivation(lowRankActivation);
        }
        return changed.build();
    }

    /**
     * Returns {@code --lambda}, or {@code null}: the method's alignment weight.
     *
     * @return λ as given
     */
    Double lambda() {
        return lambda;
    }

    /** {@code --steps}, or {@code --smoke}'s, or the model's default. */
    long steps() {
        return steps != null ? steps : smoke ? SMOKE_STEPS : defaults().steps();
    }

    /** {@code --batch}, or {@code --smoke}'s, or the model's default. */
    int batch() {
        return batch != null ? batch : smoke ? SMOKE_BATCH : defaults().batch();
    }

    /** {@code --micro-batch}, or the model's default. */
    int microBatch() {
        return microBatch != null ? microBatch : defaults().microBatch(batch());
    }

    /** {@code --seq-len}, or {@code --smoke}'s, or the model's default. */
    int sequenceLength() {
        return sequenceLength != null
                ? sequenceLength
                : smoke ? SMOKE_SEQ_LEN : defaults().sequenceLength();
    }

    /**
     * {@code --max-documents}, or {@code --smoke}'s, or {@code null}: every document.
     *
     * @return how many documents of the training text a run reads
     */
    Integer maxDocuments() {
        return maxDocuments != null ? maxDocuments : smoke ? (Integer) SMOKE_DOCUMENTS : null;
    }

    /** The method's training recipe. */
    TrainingRecipe recipe() {
        return methodPreset().getRecipe();
    }

    /** The model's hidden size, which per-size recipe values depend on. */
    long hiddenSize() {
        return LlamaConfig.preset(model).build().getHidden();
    }

    /** {@code --lr}, or the recipe's peak learning rate, at most the model's limit. */
    float learningRate() {
        return learningRate != null
                ? learningRate
                : (float) defaults().learningRate(recipe().learningRate().at(hiddenSize()));
    }

    /** {@code --warmup}, or the recipe's share of the steps, rounded down. */
    long warmup() {
        return warmup != null
                ? warmup
                : (long) Math.floor(recipe().warmupShare().at(hiddenSize()) * steps());
    }

    /**
     * {@code --update-interval}, or {@code --smoke}'s, or the model's short-run ΔT, or the
     * recipe's.
     */
    long updateInterval() {
        if (updateInterval != null) {
            return updateInterval;
        }
        if (smoke) {
            return SMOKE_UPDATE_INTERVAL;
        }
        return defaults().updateInterval() > 0
                ? defaults().updateInterval()
                : recipe().updateInterval();
    }

    /** {@code --clip-norm}, or the recipe's (0: no clipping). */
    double clipNorm() {
        return clipNorm != null ? clipNorm : recipe().clipNorm();
    }

    /** {@code --iterative-warmup}, or the recipe's cut to ΔT − 1 (a given value is checked). */
    int iterativeWarmup() {
        int steps = iterativeWarmup != null ? iterativeWarmup : recipe().iterativeWarmup();
        return (int) Math.min(steps, updateInterval() - 1);
    }

    /** {@code --pruning-end}, or the recipe's (-1: at T_end). */
    long pruningEnd() {
        return pruningEnd != null ? pruningEnd : recipe().pruningEnd(steps());
    }

    /** T_end, the last step topology may change at: the recipe's share of the steps. */
    long endStep() {
        return recipe().endStep(steps());
    }

    /** {@code --alignment-form}, or the method's. */
    AlignmentForm alignmentForm() {
        return alignmentForm != null ? alignmentForm : methodPreset().getAlignmentForm();
    }

    /** {@code --eval-every}, or {@code --smoke}'s, or the model's default. */
    long evalEvery() {
        return evalEvery != null ? evalEvery : smoke ? SMOKE_EVAL_EVERY : defaults().evalEvery();
    }

    /**
     * {@code --eval-tokens}, or {@code --smoke}'s, or the model's default for a run of this many
     * training tokens ({@link LlamaTrainingDefaults#evalTokensFor(long)}).
     */
    long evalTokens() {
        if (evaluation.tokens != null) {
            return evaluation.tokens;
        }
        return smoke
                ? SMOKE_EVAL_TOKENS
                : defaults().evalTokensFor(steps() * batch() * sequenceLength());
    }

    /** Checks the bounds that depend on other options, and sets {@link #connRatio}. */
    @Override
    public void validate() {
        connRatio =
                budgetSplit == null
                        ? null
                        : new int[] {budgetSplit.connectivity(), budgetSplit.spectral()};
        if (microBatch != null) {
            ArgumentRule.requireWhole(
                    "--micro-batch",
                    microBatch,
                    1,
                    batch(),
                    " (it must not exceed --batch " + batch() + ")");
            if (batch() % microBatch != 0) {
                throw new IllegalArgumentException(
                        "--micro-batch must divide --batch, got micro-batch "
                                + microBatch
                                + " for batch "
                                + batch()
                                + "; e.g. --micro-batch "
                                + LlamaTrainingDefaults.largestDivisor(batch(), microBatch)
                                + ".");
            }
        }
        if (warmup != null) {
            ArgumentRule.requireWhole(
                    "--warmup",
                    warmup,
                    0,
                    steps() - 1,
                    " (it must be below --steps " + steps() + ")");
        }
        if (resume && dryRun) {
            throw new IllegalArgumentException(
                    "--resume and --dry-run exclude each other; give one.");
        }
        ProjectionKind kind = Methods.forName(method).getKind();
        requireKind("--rank", rank != null, kind, BRANCHES_LOW_RANK, "a low-rank branch");
        requireKind(
                "--sparse-sparsity",
                sparseSparsity != null,
                kind,
                BRANCHES_SPARSE,
                "a sparse branch");
        requireKind("--storage", storage != null, kind, BRANCHES_SPARSE, "a sparse branch");
        if (storage != null) {
            SparseStorage form = SparseStorage.fromName(storage);
            if (form == SparseStorage.COMPACT && Methods.forName(method).needsDenseGradient()) {
                throw new IllegalArgumentException(
                        "--storage compact does not work with "
                                + method
                                + ": its rules rank inactive links by their dense gradient, which"
                                + " compact storage does not keep; use --storage dense-masked.");
            }
        }
        requireKind(
                "--conn-ratio", budgetSplit != null, kind, BRANCHES_BOTH, "two branches to split");
        requireKind(
                "--lambda",
                lambda != null,
                kind,
                List.of(ProjectionKind.SPARSE_LOW_RANK),
                "an alignment term");
        requireKind(
                "--low-rank-activation",
                lowRankActivation != null,
                kind,
                List.of(ProjectionKind.LOW_RANK, ProjectionKind.SPARSE_LOW_RANK),
                "a low-rank branch with a nonlinearity");
        requireKind(
                "--alignment-form",
                alignmentForm != null,
                kind,
                List.of(ProjectionKind.SPARSE_LOW_RANK),
                "an alignment term");
        MethodPreset preset = Methods.forName(method);
        if (iterativeWarmup != null && preset.isDynamic()) {
            ArgumentRule.requireWhole(
                    "--iterative-warmup",
                    iterativeWarmup,
                    0,
                    updateInterval() - 1,
                    " (the ramp must end before the next update, ΔT " + updateInterval() + ")");
        }
        if (iterativeWarmup != null && iterativeWarmup > 0 && !preset.isDynamic()) {
            throw new IllegalArgumentException(
                    "--iterative-warmup warms the LR up after topology updates; --method "
                            + method
                            + " has none (give 0 or leave it out).");
        }
        if (pruningEnd != null) {
            if (!preset.getDensitySchedule().decays()) {
                throw new IllegalArgumentException(
                        "--pruning-end applies to methods that decay density ("
                                + String.join(", ", decayingMethods())
                                + "); --method "
                                + method
                                + " keeps its density.");
            }
            ArgumentRule.requireWhole(
                    "--pruning-end",
                    pruningEnd,
                    updateInterval(),
                    steps(),
                    " (from ΔT "
                            + updateInterval()
                            + ", the first update, to --steps "
                            + steps()
                            + ")");
        }
    }

    private static List<String> decayingMethods() {
        List<String> names = new java.util.ArrayList<>();
        Methods.all().stream()
                .filter(preset -> preset.getDensitySchedule().decays())
                .forEach(preset -> names.add(preset.getName()));
        return names;
    }

    /** The kinds with a low-rank branch, a sparse branch, and both. */
    private static final List<ProjectionKind> BRANCHES_LOW_RANK =
            List.of(
                    ProjectionKind.LOW_RANK,
                    ProjectionKind.SLTRAIN,
                    ProjectionKind.SPARSE_LOW_RANK);

    private static final List<ProjectionKind> BRANCHES_SPARSE =
            List.of(ProjectionKind.SPARSE, ProjectionKind.SLTRAIN, ProjectionKind.SPARSE_LOW_RANK);

    private static final List<ProjectionKind> BRANCHES_BOTH =
            List.of(ProjectionKind.SLTRAIN, ProjectionKind.SPARSE_LOW_RANK);

    /** Refuses an option the method has nothing to apply to, naming the methods that do. */
    private void requireKind(
            String flag,
            boolean given,
            ProjectionKind kind,
            List<ProjectionKind> kinds,
            String what) {
        if (given && !kinds.contains(kind)) {
            List<String> methods = new java.util.ArrayList<>();
            Methods.all().stream()
                    .filter(preset -> kinds.contains(preset.getKind()))
                    .forEach(preset -> methods.add(preset.getName()));
            throw new IllegalArgumentException(
                    flag
                            + " applies to methods with "
                            + what
                            + " ("
                            + String.join(", ", methods)
                            + "); --method "
                            + method
                            + " has none.");
        }
    }

    /** The defaults of every model, one row per setting (the options marked *). */
    @Override
    public String helpFooter() {
        List<LlamaTrainingDefaults> all = LlamaTrainingDefaults.all();
        StringBuilder table =
                new StringBuilder("%n* the --model's default (LlamaTrainingDefaults):%n");
        for (RecordComponent setting : LlamaTrainingDefaults.class.getRecordComponents()) {
            String words = setting.getName().replaceAll("([A-Z])", " $1").toLowerCase(Locale.ROOT);
            table.append(
                    String.format(
                            Locale.ROOT,
                            "  %-20s",
                            setting.getName().equals("model") ? "" : words));
            for (LlamaTrainingDefaults defaults : all) {
                Object value;
                try {
                    value = setting.getAccessor().invoke(defaults);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot read " + setting.getName(), e);
                }
                if (value instanceof Number number && number.doubleValue() == 0) {
                    value = "recipe"; // 0: the method's recipe decides
                } else if (value instanceof Double real) {
                    value = String.format(Locale.ROOT, "%.3g", real);
                }
                table.append(String.format(Locale.ROOT, " %9s", value));
            }
            table.append("%n");
        }
        return table.toString();
    }
}
