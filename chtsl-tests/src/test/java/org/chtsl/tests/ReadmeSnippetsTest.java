package org.chtsl.tests;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

/**
 * README's code cannot rot: every {@code java} and {@code xml} block of README.md is a copy of
 * compiled, tested source, named by the {@code <!-- snippet: PATH[#REGION] -->} line above it. A
 * whole file is shown as it is; a region is the lines between {@code readme-begin REGION} and
 * {@code readme-end REGION}, less their common indentation and blank lines at either end.
 * {@code @name@} placeholders of the invoker's test project read as the build's values (e.g.
 * {@code @project.version@}).
 */
public class ReadmeSnippetsTest {

    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern MARKER =
            Pattern.compile("^<!-- snippet: (\\S+?)(?:#(\\S+))? -->$");
    private static final Pattern PLACEHOLDER = Pattern.compile("@([\\w.-]+)@");

    /** A fenced block of README.md: its language, its text and the snippet marker above it. */
    record Block(int line, String language, String text, String marker) {}

    @Test
    public void everyCodeBlockIsACopyOfTestedSource() throws IOException {
        Path root = ProjectFiles.root();
        List<Block> blocks = blocks(Files.readAllLines(root.resolve("README.md")));
        int checked = 0;
        for (Block block : blocks) {
            boolean code = block.language().equals("java") || block.language().equals("xml");
            if (block.marker() == null) {
                assertFalse(
                        code,
                        "README.md line "
                                + block.line()
                                + ": a "
                                + block.language()
                                + " block without a <!-- snippet: PATH --> line above it");
                continue;
            }
            Matcher marker = MARKER.matcher(block.marker());
            assertTrue(marker.matches(), block.marker());
            Path file = root.resolve(marker.group(1));
            assertTrue(Files.isRegularFile(file), "README.md line " + block.line() + ": " + file);
            String source = Files.readString(file);
            String expected =
                    marker.group(2) == null ? source : region(source, marker.group(2), file);
            assertEquals(
                    block.text(),
                    resolvePlaceholders(expected, root),
                    "README.md line "
                            + block.line()
                            + " differs from "
                            + marker.group(1)
                            + (marker.group(2) == null ? "" : "#" + marker.group(2))
                            + "; copy the source into README.md");
            checked++;
        }
        assertTrue(checked >= 8, "only " + checked + " snippets checked");
    }

    @Test
    public void regionsAreCutAndDedented() {
        String source =
                "a\n    // readme-begin x\n\n    int y;\n\n      z();\n\n    // readme-end x\nb\n";
        assertEquals(region(source, "x", Path.of("S.java")), "int y;\n\n  z();\n");
    }

    @Test
    public void aBlockReadsTheMarkerRightAboveIt() {
        List<Block> blocks =
                blocks(
                        List.of(
                                "text",
                                "<!-- snippet: a/B.java -->",
                                "```java",
                                "class B {}",
                                "```",
                                "```bash",
                                "mvn verify",
                                "```"));
        assertEquals(blocks.size(), 2);
        assertEquals(
                blocks.get(0), new Block(3, "java", "class B {}\n", "<!-- snippet: a/B.java -->"));
        assertEquals(blocks.get(1).marker(), null);
        assertEquals(blocks.get(1).text(), "mvn verify\n");
    }

    static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            String marker =
                    i > 0 && lines.get(i - 1).startsWith("<!-- snippet:") ? lines.get(i - 1) : null;
            StringBuilder text = new StringBuilder();
            int start = i + 1;
            for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (i == lines.size()) {
                fail("README.md line " + start + ": a code block that never ends");
            }
            blocks.add(new Block(start, fence.group(1), text.toString(), marker));
        }
        return blocks;
    }

    static String region(String source, String name, Path file) {
        List<String> lines = source.lines().toList();
        int begin = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("readme-begin " + name)) {
                begin = i;
            } else if (lines.get(i).contains("readme-end " + name)) {
                end = i;
            }
        }
        assertTrue(begin >= 0 && end > begin, file + " has no region " + name);
        int from = begin + 1;
        int to = end;
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        List<String> body = lines.subList(from, to);
        int indent =
                body.stream()
                        .filter(line -> !line.isBlank())
                        .mapToInt(line -> line.length() - line.stripLeading().length())
                        .min()
                        .orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : body) {
            text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return text.toString();
    }

    private static String resolvePlaceholders(String text, Path root) throws IOException {
        Map<String, String> values = ProjectFiles.parentProperties(root);
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            assertTrue(value != null, "no value for @" + matcher.group(1) + "@");
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(resolved).toString();
    }
}
