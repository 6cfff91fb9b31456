package org.chtsl.examples;

import ai.djl.nn.Block;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.chtsl.method.MethodPreset;
import org.chtsl.models.llama.LlamaModel;
import org.chtsl.nn.BlockSearch;
import org.chtsl.nn.LowRankLinear;
import org.chtsl.nn.ProjectionKind;
import org.chtsl.nn.SparseLinear;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a {@link TrainLlama} run used, resolved: defaults are recorded with their values, and
 * what the method, the model and the listeners decided is read back from them (the method's recipe,
 * the sparse branch's sparsity and the rank as built, λ as the loss weighs, T_end as the topology
 * listener ends). {@code report.json} holds it as {@code "config"} and the checkpoint as its
 * description, so either file alone reproduces the run, and {@code --resume} compares it.
 *
 * <p>Keys are the components' names in snake case; a key that names a TrainLlama option ({@code
 * seq_len} for {@code --seq-len}) holds that option's value. A component that does not apply (the
 * rank of a model without a low-rank branch, T_end of a static method) is {@code null} and left
 * out.
 *
 * @param model the LLaMA preset
 * @param method the method's name
 * @param recipe the method as trained ({@code MethodPreset.describe()}, budget split applied)
 * @param sparsity the projections' total sparsity
 * @param connRatio the budget split {@code d_conn:d_spec} (methods with two branches only)
 * @param sparseSparsity the sparse branch's sparsity as built (CHTss: where its decay starts)
 * @param storage how the sparse branch holds its weights ({@code compact} or {@code dense-masked})
 * @param rank the low-rank branch's rank as built
 * @param lowRankActivation the low-rank branch's nonlinearity (methods with one only)
 * @param sltrainAlpha SLTrain's α for this model's size (SLTrain only)
 * @param lambda the weight of the alignment loss (methods with an alignment term only)
 * @param alignmentForm the form of the alignment term (methods with an alignment term only)
 * @param steps the optimizer steps
 * @param batch the sequences of one step
 * @param microBatch the sequences of one forward pass
 * @param seqLen the tokens of one sequence
 * @param lr the peak learning rate
 * @param warmup the learning rate's warm-up steps
 * @param lrMinRatio the share of the peak the cosine decay ends at
 * @param iterativeWarmup the steps of the learning rate's ramp after each topology update
 * @param updateInterval ΔT, the steps between topology updates (and learning-rate ramps)
 * @param tEnd the last step topology may change at
 * @param pruningEnd the step a density decay ends at (methods that decay density only)
 * @param clipNorm the largest global norm of the mean gradient; 0 for no clipping
 * @param evalEvery the steps between evaluations and checkpoints
 * @param evalTokens the most validation tokens of one evaluation
 * @param seed the seed of every random draw
 * @param data the training text
 * @param maxDocuments how many of its first documents the run read ({@code --max-documents}, {@code
 *     --smoke}), or {@code null} for all
 * @param valData the validation text
 * @param tokenizer the tokenizer
 * @param tokenizerIdentity the tokenizer file's SHA-256
 * @param dataIdentity a checksum of the tokenizer and of every text
 * @param device the device trained on (may change on a resume)
 * @param out the run's folder (may change on a resume)
 * @param versions chtsl's, DJL's and PyTorch's versions
 */
record RunConfig(
        String model,
        String method,
        Map<String, Object> recipe,
        double sparsity,
        String connRatio,
        Double sparseSparsity,
        String storage,
        Long rank,
        String lowRankActivation,
        Float sltrainAlpha,
        Float lambda,
        String alignmentForm,
        long steps,
        int batch,
        int microBatch,
        int seqLen,
        float lr,
        long warmup,
        double lrMinRatio,
        long iterativeWarmup,
        long updateInterval,
        Long tEnd,
        Long pruningEnd,
        double clipNorm,
        long evalEvery,
        long evalTokens,
        long seed,
        String data,
        Integer maxDocuments,
        String valData,
        String tokenizer,
        String tokenizerIdentity,
        String dataIdentity,
        String device,
        String out,
        Map<String, String> versions) {

    private static final Logger LOG = LoggerFactory.getLogger(RunConfig.class);

    /** How the configuration names the default tokenizer. */
    static final String DEFAULT_TOKENIZER = "default:llama-32k";

    /** What a run may change on a resume: where it writes and computes, and the versions. */
    private static final Set<String> MAY_CHANGE = Set.of("device", "out");

    private static final String VERSIONS = "versions";

    /** The recipe's entries an option may override, recorded as resolved components instead. */
    private static final List<String> RESOLVED_ELSEWHERE =
            List.of(
                    "alignment_weight",
                    "alignment_form",
                    "low_rank_activation",
                    "sltrain_alpha",
                    "clip_norm",
                    "iterative_warmup",
                    "update_interval",
                    "end_fraction",
                    "pruning_end_fraction",
                    "learning_rate",
                    "warmup_share");

    /** How earlier runs' checkpoints recorded an option that was not given. */
    static final String NONE = "null";

    /**
     * Resolves the configuration of a run.
     *
     * @param options the run's options
     * @param block the model as built
     * @param setup the optimizer and listeners as built
     * @param tokenizerIdentity the tokenizer file's SHA-256
     * @param dataIdentity the checksum of the tokenizer and the texts
     * @return the configuration
     */
    static RunConfig of(
            TrainOptions options,
            LlamaModel block,
            TrainingSetup setup,
            String tokenizerIdentity,
            String dataIdentity) {
        MethodPreset method = options.methodPreset();
        // what an option may override is recorded once, as used (lambda, conn_ratio, lr, ...)
        Map<String, Object> recipe = new LinkedHashMap<>(method.describe());
        String split = String.valueOf(recipe.remove("budget_split"));
        for (String resolved : RESOLVED_ELSEWHERE) {
            recipe.remove(resolved);
        }
        ProjectionKind kind = method.getKind();
        boolean twoBranches =
                kind == ProjectionKind.SLTRAIN || kind == ProjectionKind.SPARSE_LOW_RANK;
        return new RunConfig(
                options.model,
                options.method,
                recipe,
                options.sparsity,
                twoBranches ? split : null,
                sparseSparsity(block),
                storage(block),
                rank(block),
                kind == ProjectionKind.SPARSE_LOW_RANK || kind == ProjectionKind.LOW_RANK
                        ? method.getLowRankActivation().toString()
                        : null,
                kind == ProjectionKind.SLTRAIN
                        ? method.getSlTrainAlpha(options.hiddenSize())
                        : null,
                kind == ProjectionKind.SPARSE_LOW_RANK ? setup.alignment.getLambda() : null,
                kind == ProjectionKind.SPARSE_LOW_RANK
                        ? setup.alignment.getForm().toString()
                        : null,
                options.steps(),
                options.batch(),
                options.microBatch(),
                options.sequenceLength(),
                options.learningRate(),
                setup.schedule.warmupSteps(),
                setup.schedule.minRatio(),
                setup.schedule.restartWarmup(),
                setup.schedule.interval(),
                setup.topology == null ? null : setup.topology.getEndStep(),
                setup.topology == null || setup.topology.getPruningEnd() < 0
                        ? null
                        : setup.topology.getPruningEnd(),
                setup.clipNorm,
                options.evalEvery(),
                options.evalTokens(),
                options.seed,
                options.data.trainingSource(),
                options.maxDocuments(),
                options.data.validationSource(),
                options.tokenizer == null ? DEFAULT_TOKENIZER : options.tokenizer.toString(),
                tokenizerIdentity,
                dataIdentity,
                options.device.name,
                options.out.toString(),
                ProgramVersions.get());
    }

    private static Double sparseSparsity(LlamaModel block) {
        for (Block projection : block.getProjections().values()) {
            for (SparseLinear sparse : BlockSearch.findAll(projection, SparseLinear.class)) {
                return 1 - sparse.getDensity(); // the CLI builds every projection alike
            }
        }
        return null;
    }

    private static String storage(LlamaModel block) {
        for (Block projection : block.getProjections().values()) {
            for (SparseLinear sparse : BlockSearch.findAll(projection, SparseLinear.class)) {
                return sparse.getStorage().optionName();
            }
        }
        return null;
    }

    private static Long rank(LlamaModel block) {
        for (Block projection : block.getProjections().values()) {
            for (LowRankLinear lowRank : BlockSearch.findAll(projection, LowRankLinear.class)) {
                return lowRank.getRank();
            }
        }
        return null;
    }

    /**
     * Returns the configuration as {@code report.json} holds it: every component that applies, in
     * order, the recipe and the versions as nested objects.
     *
     * @return key to value
     */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent component : RunConfig.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(this);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + component.getName(), e);
            }
            if (value != null) {
                map.put(snakeCase(component.getName()), value);
            }
        }
        return map;
    }

    /**
     * Returns the configuration as the checkpoint holds it: {@link #toMap()} flattened, nested keys
     * joined by a dot ({@code recipe.zeta}), every value as text.
     *
     * @return key to value
     */
    Map<String, String> description() {
        return flatten(toMap());
    }

    /**
     * Flattens a configuration map the way {@link #description()} does: nested keys joined by a
     * dot, every value as text.
     *
     * @param map e.g. {@link #toMap()}
     * @return key to value as text
     */
    static Map<String, String> flatten(Map<String, ?> map) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", map, flat);
        return flat;
    }

    /**
     * Flattens a report's {@code "config"} the way {@link #description()} flattens a configuration,
     * so that the two can be compared.
     *
     * @param config the JSON object
     * @return key to value as text ({@value #NONE} for JSON null, as earlier runs recorded an unset
     *     option)
     */
    static Map<String, String> describe(JsonObject config) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", config, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<String, ?> map, Map<String, String> flat) {
        map.forEach(
                (key, value) -> {
                    if (value instanceof Map<?, ?> nested) {
                        Map<String, Object> inner = new LinkedHashMap<>();
                        nested.forEach((k, v) -> inner.put(String.valueOf(k), v));
                        flatten(prefix + key + ".", inner, flat);
                    } else {
                        flat.put(prefix + key, String.valueOf(value));
                    }
                });
    }

    private static void flatten(String prefix, JsonObject json, Map<String, String> flat) {
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            JsonElement value = entry.getValue();
            if (value.isJsonObject()) {
                flatten(prefix + entry.getKey() + ".", value.getAsJsonObject(), flat);
            } else {
                flat.put(
                        prefix + entry.getKey(),
                        value.isJsonNull()
                                ? NONE
                                : value.isJsonPrimitive() ? value.getAsString() : value.toString());
            }
        }
    }

    /**
     * Returns whether a key of the flattened configuration can change on a resume without changing
     * the run.
     *
     * @param key e.g. {@code device}
     * @return whether it may
     */
    static boolean mayChange(String key) {
        return MAY_CHANGE.contains(key) || key.startsWith(VERSIONS + ".");
    }

    /**
     * Checks that a checkpoint was written by a run with this configuration.
     *
     * @param saved the checkpoint's description (a {@link #description()})
     * @param checkpoint the checkpoint, for the message
     * @param withData whether the data's checksums are compared too (false before it has loaded)
     * @throws IllegalArgumentException naming the first setting that differs, with both values (the
     *     option where the setting is one)
     */
    void checkResumable(Map<String, String> saved, Path checkpoint, boolean withData) {
        if (!saved.containsKey(VERSIONS + ".chtsl")) {
            throw new IllegalArgumentException(
                    "--resume: "
                            + checkpoint
                            + " was written by an earlier chtsl, which did not record the run's"
                            + " resolved configuration; start a new run with another --out.");
        }
        Map<String, String> current = description();
        Set<String> keys = new LinkedHashSet<>(current.keySet());
        keys.addAll(saved.keySet());
        for (String key : keys) {
            String before = saved.get(key);
            String now = current.get(key);
            if (Objects.equals(before, now) || (!withData && key.endsWith("_identity"))) {
                continue;
            }
            if (mayChange(key)) {
                LOG.warn("Resuming with {} {} (the run had {})", key, now, before);
            } else if (key.endsWith("_identity")) {
                throw new IllegalArgumentException(
                        "--resume: the training or validation text, or the tokenizer, differs from"
                                + " the one "
                                + checkpoint
                                + " was trained on (its tokens have another checksum); resume"
                                + " with the run's data.");
            } else {
                String name = label(key);
                throw new IllegalArgumentException(
                        "--resume: "
                                + checkpoint
                                + " was trained with "
                                + name
                                + " "
                                + shown(before)
                                + ", this command gives "
                                + name
                                + " "
                                + shown(now)
                                + "; resume with the run's options, or start a new run with"
                                + " another --out.");
            }
        }
    }

    /** The option a key holds ({@code --seq-len} for {@code seq_len}), else the key. */
    static String label(String key) {
        String flag = "--" + key.replace('_', '-');
        return CommandLines.create(new TrainOptions()).getCommandSpec().findOption(flag) != null
                ? flag
                : key;
    }

    private static String shown(String value) {
        return value == null ? "(none)" : value;
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
