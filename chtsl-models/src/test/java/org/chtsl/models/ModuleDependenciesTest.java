package org.chtsl.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/** The models are built from chtsl's blocks and methods, never from its training code. */
public class ModuleDependenciesTest {

    private static final Pattern TRAINING_IMPORT =
            Pattern.compile(
                    "^\\s*import\\s+(static\\s+)?org\\.chtsl\\.training\\.", Pattern.MULTILINE);

    private static boolean importsTraining(String source) {
        return TRAINING_IMPORT.matcher(source).find();
    }

    private static Path mainSources() {
        // Surefire sets basedir to the module's directory; a run from the IDE starts there too.
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/main/java");
    }

    @Test
    public void thePatternRecognisesTrainingImports() {
        assertTrue(importsTraining("package a;\n\nimport org.chtsl.training.MaskedAdam;\n"));
        assertTrue(
                importsTraining("import static org.chtsl.training.LearningRateSchedule.cosine;"));
        assertTrue(importsTraining("import org.chtsl.training.*;"));
        assertFalse(importsTraining("import org.chtsl.nn.SparseLinear;\n"));
        assertFalse(importsTraining("// see org.chtsl.training.TrainingLoop\n"));
    }

    @Test
    public void noMainSourceImportsTheTrainingPackage() throws IOException {
        Path sources = mainSources();
        assertTrue(Files.isDirectory(sources), sources + " is not the module's source tree");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        assertTrue(
                files.contains(sources.resolve("org/chtsl/models/llama/LlamaModel.java")),
                "the scan must see the models' sources, saw " + files.size() + " files");
        List<String> offenders = new ArrayList<>();
        for (Path file : files) {
            if (importsTraining(Files.readString(file, StandardCharsets.UTF_8))) {
                offenders.add(sources.relativize(file).toString());
            }
        }
        assertEquals(offenders, List.of(), "chtsl-models main code imports org.chtsl.training");
    }
}
