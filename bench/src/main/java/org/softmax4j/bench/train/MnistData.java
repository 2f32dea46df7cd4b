package org.softmax4j.bench.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads an MNIST-format data set: the four IDX files of MNIST or Fashion-MNIST in one folder, under the
 * names of the original distribution ({@code train-images-idx3-ubyte.gz}, as Debian's {@value #PACKAGE} ships
 * them), gunzipped ({@code train-images-idx3-ubyte}) or dotted ({@code train-images.idx3-ubyte}, as other mirrors
 * name them).
 */
public final class MnistData {

    /** Where Debian's {@value #PACKAGE} installs Fashion-MNIST. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The Debian package with Fashion-MNIST. */
    public static final String PACKAGE = "dataset-fashion-mnist";
    /** MNIST and Fashion-MNIST both have 10 classes. */
    public static final int CLASSES = 10;

    private MnistData() {
    }

    /** The training and the test set. */
    public record Split(Dataset train, Dataset test) {
    }

    /**
     * @param dir the folder with the four files
     * @throws DataNotFoundException if a file is missing (the message names the package and the --data option)
     * @throws IdxFormatException    if a file is malformed, the counts of images and labels differ, the two sets
     *                               have different image sizes, or a label is not below {@value #CLASSES}
     */
    public static Split load(Path dir) throws IOException {
        Path trainImages = find(dir, "train", "images", 3);
        Path trainLabels = find(dir, "train", "labels", 1);
        Path testImages = find(dir, "t10k", "images", 3);
        Path testLabels = find(dir, "t10k", "labels", 1);
        Dataset train = load(trainImages, trainLabels);
        Dataset test = load(testImages, testLabels);
        if (train.features() != test.features()) {
            throw new IdxFormatException(testImages + ": expected images of " + train.features()
                    + " pixels as in the training set, got " + test.features());
        }
        return new Split(train, test);
    }

    /** @return true if all four files are present in {@code dir} */
    public static boolean isPresent(Path dir) {
        try {
            find(dir, "train", "images", 3);
            find(dir, "train", "labels", 1);
            find(dir, "t10k", "images", 3);
            find(dir, "t10k", "labels", 1);
            return true;
        } catch (DataNotFoundException e) {
            return false;
        }
    }

    /** Loads one images file and its labels file, scaling pixels to {@code [0, 1]}. */
    public static Dataset load(Path imagesFile, Path labelsFile) throws IOException {
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new IdxFormatException(labelsFile + ": expected " + images.count() + " labels, one per image of "
                    + imagesFile + ", got " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new IdxFormatException(labelsFile + ": label " + i + ": expected a class in [0, " + CLASSES
                        + "), got " + labels[i]);
            }
        }
        byte[] pixels = images.pixels();
        float[] scaled = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            scaled[i] = (pixels[i] & 0xff) / 255f;
        }
        return new Dataset(images.count(), images.pixelsPerImage(), CLASSES, scaled, labels);
    }

    /** @return the first existing file among the accepted names of one split's images or labels */
    static Path find(Path dir, String split, String kind, int dims) throws DataNotFoundException {
        List<String> names = new ArrayList<>();
        for (String base : List.of(split + "-" + kind + "-idx" + dims + "-ubyte", split + "-" + kind + ".idx" + dims
                + "-ubyte")) {
            names.add(base + ".gz");
            names.add(base);
        }
        for (String name : names) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new DataNotFoundException("No MNIST-format " + split + " " + kind + " in " + dir + " (looked for "
                + String.join(", ", names) + "). For Fashion-MNIST install the Debian package " + PACKAGE
                + " (apt-get install " + PACKAGE + ", files in " + DEFAULT_DIR + "), or pass --data DIR with the four"
                + " MNIST-format files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                + " t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]).");
    }
}
