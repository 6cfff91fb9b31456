package org.chtsl.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared pieces of the TrainLlama tests: a small corpus, short runs, their reports. */
final class RunFixtures {

    private static Path corpus;

    private RunFixtures() {}

    /** A small English-like corpus, written once per JVM. */
    static synchronized Path corpus() throws IOException {
        if (corpus == null) {
            corpus = Files.createTempDirectory("chtsl-corpus").resolve("corpus.txt");
            String[] words =
                    "the quick brown fox jumps over a lazy dog while the cat sleeps and birds sing in the old tree by the river"
                            .split(" ");
            java.util.Random random = new java.util.Random(1);
            StringBuilder text = new StringBuilder();
            for (int d = 0; d < 80; d++) {
                for (int w = 0; w < 120; w++) {
                    text.append(words[random.nextInt(words.length)])
                            .append(w % 12 == 11 ? ". " : " ");
                }
                text.append("\n\n");
            }
            Files.writeString(corpus, text.toString(), StandardCharsets.UTF_8);
        }
        return corpus;
    }

    /** The options of a short run, with some replaced or added ({@code --name value} or flags). */
    static String[] args(String method, Path out, String... more) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--method", method,
                                "--data", corpus().toString(),
                                "--steps", "16",
                                "--batch", "4",
                                "--micro-batch", "2",
                                "--seq-len", "32",
                                "--eval-every", "6",
                                "--eval-tokens", "256",
                                "--update-interval", "4",
                                "--warmup", "3",
                                "--lr", "0.01",
                                "--seed", "11",
                                "--out", out.toString()));
        for (int i = 0; i < more.length; i++) {
            int at = args.indexOf(more[i]);
            boolean flag = i + 1 >= more.length || more[i + 1].startsWith("--");
            if (at >= 0 && !flag) {
                args.set(at + 1, more[++i]); // an override of a default above
            } else {
                args.add(more[i]);
                if (!flag) {
                    args.add(more[++i]);
                }
            }
        }
        return args.toArray(new String[0]);
    }

    /** {@link #args} without {@code --out}: the run goes where TrainLlama chooses. */
    static String[] argsWithoutOut(String method, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(args(method, Path.of("unused"), more)));
        int at = args.indexOf("--out");
        args.remove(at + 1);
        args.remove(at);
        return args.toArray(new String[0]);
    }

    /** Every file under a folder (not its subfolders) by name, with its bytes. */
    static Map<String, byte[]> files(Path folder) throws IOException {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> list = Files.list(folder)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    /** Checks that two {@link #files} snapshots hold the same files with the same bytes. */
    static void assertSameFiles(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        org.testng.Assert.assertEquals(actual.keySet(), expected.keySet());
        expected.forEach(
                (name, bytes) ->
                        org.testng.Assert.assertEquals(actual.get(name), bytes, name + " changed"));
    }

    /**
     * What a program printed on its error stream, its exit status, and what it printed on its
     * output stream (help and versions; logging goes elsewhere).
     */
    record Outcome(int status, String errors, String output) {}

    /** A program's {@code execute}. */
    @FunctionalInterface
    interface Program {
        int execute(String[] args, PrintStream out, PrintStream errors);
    }

    /** Runs TrainLlama through its entry point. */
    static Outcome execute(String... args) {
        return execute(TrainLlama::execute, args);
    }

    /** Runs a program through its entry point. */
    static Outcome execute(Program program, String... args) {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                program.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(errors, true, StandardCharsets.UTF_8));
        return new Outcome(
                status,
                errors.toString(StandardCharsets.UTF_8).strip(),
                out.toString(StandardCharsets.UTF_8));
    }

    static JsonObject report(Path out) throws IOException {
        return JsonParser.parseString(
                        Files.readString(out.resolve("report.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    /** The report's training losses by step, as float bits (the losses are floats). */
    static Map<Long, Integer> lossBits(Path out) throws IOException {
        Map<Long, Integer> bits = new LinkedHashMap<>();
        JsonArray losses = report(out).getAsJsonArray("train_losses");
        for (JsonElement entry : losses) {
            JsonObject point = entry.getAsJsonObject();
            bits.put(
                    point.get("step").getAsLong(),
                    Float.floatToIntBits((float) point.get("loss").getAsDouble()));
        }
        return bits;
    }
}
