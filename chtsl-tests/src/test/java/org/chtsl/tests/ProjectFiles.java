package org.chtsl.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's own files, for tests that check README against them. */
final class ProjectFiles {

    private static final Pattern PROPERTY = Pattern.compile("<([\\w.-]+)>([^<]*)</\\1>");

    private ProjectFiles() {}

    /** The project's root: the folder above chtsl-tests that holds README.md. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No README.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * The parent pom's {@code <properties>}, plus {@code project.version}.
     *
     * @param root the project's root
     * @return name → value
     */
    static Map<String, String> parentProperties(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        Map<String, String> values = new LinkedHashMap<>();
        Matcher version =
                Pattern.compile(
                                "<artifactId>chtsl-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(pom);
        if (!version.find()) {
            throw new IllegalStateException("pom.xml names no chtsl-parent version");
        }
        values.put("project.version", version.group(1));
        String properties =
                pom.substring(pom.indexOf("<properties>"), pom.indexOf("</properties>"));
        Matcher property = PROPERTY.matcher(properties);
        while (property.find()) {
            values.put(property.group(1), property.group(2).trim());
        }
        return values;
    }
}
