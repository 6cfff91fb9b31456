package org.chtsl.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** PaperClaims' report, from hand-made run reports: means over seeds, per-seed values, OCR rows. */
public class ClaimsReportTest {

    private static JsonObject run(double ppl, double q, double k, double share) {
        String layers =
                String.format(
                        java.util.Locale.ROOT,
                        "{\"layers.0.self_attn.q_proj\": %s, \"layers.0.self_attn.k_proj\": %s}",
                        q,
                        k);
        String shares =
                String.format(
                        java.util.Locale.ROOT,
                        "{\"layers.0.self_attn.q_proj\": %s, \"layers.0.self_attn.k_proj\": %s}",
                        share,
                        share);
        return JsonParser.parseString(
                        "{\"final\": {\"val_ppl\": "
                                + ppl
                                + "}, \"parameters\": {\"projections_active\": 100},"
                                + " \"ocr\": [{\"step\": 50, \"layers\": "
                                + layers
                                + "}], \"alignment_gradient_share\": [{\"step\": 50, \"layers\": "
                                + shares
                                + "}]}")
                .getAsJsonObject();
    }

    @Test
    public void cellsAreMeansOverSeedsWithEachSeedsValue() throws Exception {
        PaperClaims.Options options = new PaperClaims.Options();
        options.out = Files.createTempDirectory("chtsl-claims");
        options.mlpEpochs = 0;
        Map<String, List<JsonObject>> reports = new LinkedHashMap<>();
        reports.put("act", List.of(run(700, 0.5, 0.3, 0), run(720, 0.7, 0.5, 0)));
        reports.put(
                PaperClaims.CHTSL_ROW, List.of(run(650, 0.2, 0.1, 1e-3), run(670, 0.3, 0.2, 3e-3)));
        Path file = new ClaimsReport(options, reports, Map.of()).write();
        String md = Files.readString(file);
        // (a): PPL 710 = mean of 700 and 720; Q/K OCR (0.4 + 0.6)/2 = 0.5
        assertTrue(
                md.contains(
                        "| Act (S + B·SiLU(A·x), λ = 0) | 710.0 [700.0, 720.0] | 0.500 [0.400, 0.600] |"),
                md);
        assertTrue(
                md.contains(
                        "| 660.0 [650.0, 670.0] | 0.200 [0.150, 0.250] | 0.0020 [0.0010, 0.0030] |"),
                md);
        assertTrue(md.contains("| Naive (S + B·A, λ = 0) | n/a | n/a | n/a |"), md);
        // (b): per layer and projection, mean over seeds
        assertTrue(md.contains("| 0 | q | 0.600 | 0.250 |\n| 0 | k | 0.400 | 0.150 |"), md);
        // (c): CHTsL is Table 1's default row
        assertTrue(md.contains("| chtsl | 660.0 [650.0, 670.0] | 100 |"), md);
        for (String projection : new String[] {"q", "k", "v", "o"}) {
            assertTrue(Files.size(options.out.resolve("ocr-" + projection + ".png")) > 0);
        }
        assertEquals(md.contains("(d) MNIST"), false, "(d) left out with --mlp-epochs 0");
    }
}
