package org.chtsl.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data} and {@code --val-data}: the text a model is trained and validated on (a picocli
 * mixin of TrainLlama and Evaluate, which evaluates on a run's own text unless told).
 */
final class DataOptions {

    /** How a run's configuration names the default corpus. */
    static final String DEFAULT_CORPUS = "default:books-speeches";

    /** How a run's configuration names the validation split of the training text. */
    static final String DEFAULT_VALIDATION = "default:5% of the documents, split by --seed";

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description =
                    "training text: a text file, a folder of .txt files or a .jsonl file (default:"
                            + " the books-speeches corpus; Evaluate: the run's own)")
    @Allowed.PathTo(value = "a text file or folder", exists = true)
    Path training;

    @Option(
            names = "--val-data",
            paramLabel = "PATH",
            description =
                    "validation text, evaluated whole (default: 5%% of the training documents,"
                            + " split by --seed; Evaluate: the run's own)")
    @Allowed.PathTo(value = "a text file or folder", exists = true)
    Path validation;

    /**
     * Returns how a run's configuration records the training text.
     *
     * @return the path, or {@value #DEFAULT_CORPUS}
     */
    String trainingSource() {
        return training == null ? DEFAULT_CORPUS : training.toString();
    }

    /**
     * Returns how a run's configuration records the validation text.
     *
     * @return the path, or {@value #DEFAULT_VALIDATION}
     */
    String validationSource() {
        return validation == null ? DEFAULT_VALIDATION : validation.toString();
    }
}
