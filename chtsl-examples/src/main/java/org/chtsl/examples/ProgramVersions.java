package org.chtsl.examples;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The versions a program runs with: chtsl's (from the build), DJL's and the PyTorch engine's (as
 * loaded). {@code --version} prints them; a run records them in its configuration.
 */
final class ProgramVersions implements IVersionProvider {

    private static final String ENGINE = "PyTorch";

    /**
     * Returns the versions.
     *
     * @return {@code chtsl}, {@code djl} and {@code pytorch}, in that order
     */
    static Map<String, String> get() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("chtsl", chtsl());
        versions.put("djl", Engine.getDjlVersion());
        versions.put("pytorch", Engine.getEngine(ENGINE).getVersion());
        return versions;
    }

    private static String chtsl() {
        Properties properties = new Properties();
        try (InputStream in = ProgramVersions.class.getResourceAsStream("chtsl.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("chtsl", "unknown");
    }

    /** {@inheritDoc} */
    @Override
    public String[] getVersion() {
        Map<String, String> versions = get();
        return new String[] {
            "chtsl " + versions.get("chtsl"),
            "DJL " + versions.get("djl"),
            ENGINE + " " + versions.get("pytorch")
        };
    }
}
