package org.chtsl.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads documents from the sources a user points at: a text file (documents separated by blank
 * lines), a directory (every {@code .txt} file below it is one document, in path order), or a JSON
 * lines file ({@code .jsonl}/{@code .json}: one object per line with a {@code text} field).
 */
public final class TextSources {

    private TextSources() {}

    /**
     * Reads the documents of a source.
     *
     * @param source a file or directory
     * @return the non-blank documents, in a stable order
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the source does not exist or a JSON line is malformed
     *     (the message names the file and line number)
     */
    public static List<String> read(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files =
                        walk.filter(Files::isRegularFile)
                                .filter(
                                        path ->
                                                path.toString()
                                                        .toLowerCase(Locale.ROOT)
                                                        .endsWith(".txt"))
                                .sorted()
                                .collect(Collectors.toList());
            }
            List<String> documents = new ArrayList<>();
            for (Path file : files) {
                String text = String.join("\n", lines(file)).strip();
                if (!text.isEmpty()) {
                    documents.add(text);
                }
            }
            return documents;
        }
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException(
                    "Data source "
                            + source
                            + " does not exist; give a text file, a directory of .txt files or a .jsonl file.");
        }
        String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".json")
                ? jsonLines(source)
                : blocks(source);
    }

    /**
     * Splits text into documents at blank lines.
     *
     * @param file the text file
     * @return the documents
     * @throws IOException if reading fails
     */
    static List<String> blocks(Path file) throws IOException {
        List<String> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines(file)) {
            if (line.isBlank()) {
                flush(current, documents);
            } else {
                if (current.length() > 0) {
                    current.append('\n');
                }
                current.append(line);
            }
        }
        flush(current, documents);
        return documents;
    }

    private static void flush(StringBuilder current, List<String> documents) {
        String text = current.toString().strip();
        if (!text.isEmpty()) {
            documents.add(text);
        }
        current.setLength(0);
    }

    /**
     * Reads a UTF-8 text file's lines.
     *
     * @throws IllegalArgumentException if the file is not UTF-8 text (e.g. a binary file)
     */
    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notText(file);
        }
    }

    private static IllegalArgumentException notText(Path file) {
        return new IllegalArgumentException(
                file
                        + " is not UTF-8 text (a binary file?); give UTF-8 text, a directory of .txt"
                        + " files or a .jsonl file.");
    }

    private static List<String> jsonLines(Path file) throws IOException {
        List<String> documents = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                documents.add(textField(file, number, line));
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notText(file);
        }
        return documents;
    }

    private static String textField(Path file, int number, String line) {
        try {
            JsonElement element = JsonParser.parseString(line);
            if (element.isJsonObject()) {
                JsonObject object = element.getAsJsonObject();
                JsonElement text = object.get("text");
                if (text != null
                        && text.isJsonPrimitive()
                        && text.getAsJsonPrimitive().isString()) {
                    return text.getAsString();
                }
            }
        } catch (JsonParseException e) {
            throw malformed(file, number, "it is not valid JSON (" + e.getMessage() + ")");
        }
        throw malformed(file, number, "it has no string field \"text\"");
    }

    private static IllegalArgumentException malformed(Path file, int number, String why) {
        return new IllegalArgumentException(
                file
                        + " line "
                        + number
                        + " is malformed: "
                        + why
                        + "; each line must be {\"text\": \"...\"}.");
    }
}
