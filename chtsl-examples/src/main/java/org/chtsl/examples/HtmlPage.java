package org.chtsl.examples;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A self-contained HTML page: the style inline, images as {@code data:} URIs, every text escaped;
 * no script and nothing fetched from elsewhere, so that the file alone shows everything.
 */
final class HtmlPage {

    private static final String STYLE =
            "body{font-family:sans-serif;margin:24px;color:#222;max-width:1600px}"
                    + "h1{font-size:24px}h2{font-size:19px;margin-top:32px;"
                    + "border-bottom:1px solid #ccc}"
                    + "table{border-collapse:collapse;margin:8px 0;font-size:14px}"
                    + "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                    + "th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}"
                    + "figure{margin:16px 0}img{max-width:100%;border:1px solid #ddd}"
                    + "figcaption{font-size:13px;color:#555}summary{cursor:pointer;margin:8px 0}"
                    + ".status{font-size:16px}";

    private final String title;
    private final StringBuilder body = new StringBuilder();

    /**
     * Starts a page.
     *
     * @param title its title, also its first heading
     */
    HtmlPage(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    /**
     * Escapes text for HTML content and attribute values.
     *
     * @param text the text ({@code null} is shown as {@code null})
     * @return the text with {@code & < > " '} escaped
     */
    static String escape(String text) {
        String value = String.valueOf(text);
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /**
     * Adds a section heading.
     *
     * @param text the heading
     * @return this page
     */
    HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /**
     * Adds a paragraph.
     *
     * @param text its text
     * @param css its class, or {@code null}
     * @return this page
     */
    HtmlPage paragraph(String text, String css) {
        body.append(css == null ? "<p>" : "<p class=\"" + escape(css) + "\">")
                .append(escape(text))
                .append("</p>\n");
        return this;
    }

    /**
     * Adds a table; cells that hold a number are right-aligned.
     *
     * @param header the column headers
     * @param rows the rows, as many cells as headers
     * @return this page
     */
    HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        header.forEach(cell -> body.append("<th>").append(escape(cell)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                body.append(isNumber(cell) ? "<td class=\"n\">" : "<td>")
                        .append(escape(cell))
                        .append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * Adds a two-column table of names and values.
     *
     * @param header the two column headers
     * @param values name → value, in order
     * @return this page
     */
    HtmlPage table(List<String> header, Map<String, ?> values) {
        List<List<String>> rows = new ArrayList<>();
        values.forEach((key, value) -> rows.add(List.of(key, String.valueOf(value))));
        return table(header, rows);
    }

    /**
     * Adds a PNG image, embedded.
     *
     * @param name its caption (the file's name)
     * @param png the image's bytes
     * @return this page
     */
    HtmlPage image(String name, byte[] png) {
        body.append("<figure><img alt=\"")
                .append(escape(name))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png))
                .append("\"><figcaption>")
                .append(escape(name))
                .append("</figcaption></figure>\n");
        return this;
    }

    /**
     * Adds a collapsed section, opened by a click on its summary.
     *
     * @param summary what it holds
     * @param content adds its content to this page
     * @return this page
     */
    HtmlPage details(String summary, Consumer<HtmlPage> content) {
        body.append("<details><summary>").append(escape(summary)).append("</summary>\n");
        content.accept(this);
        body.append("</details>\n");
        return this;
    }

    /**
     * Returns the page.
     *
     * @return the HTML document
     */
    String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escape(title)
                + "</title>\n<style>"
                + STYLE
                + "</style>\n</head>\n<body>\n"
                + body
                + "</body>\n</html>\n";
    }

    private static boolean isNumber(String cell) {
        return cell.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?([eE][-+]?[0-9]+)?( ?[%A-Za-z/]+)?");
    }
}
