package org.softmax4j.bench.train;

/**
 * A labelled image set ready for training: pixels scaled to {@code [0, 1]} as float32, row-major, one image per row.
 *
 * @param count    the number of images
 * @param features pixels per image (784 for 28x28)
 * @param classes  the number of classes; every label is in {@code [0, classes)}
 * @param images   {@code count x features}
 * @param labels   {@code count} class indices
 */
public record Dataset(int count, int features, int classes, float[] images, int[] labels) {

    public Dataset {
        if (images.length != (long) count * features || labels.length != count) {
            throw new IllegalArgumentException("dataset: expected " + count + "x" + features + " pixels and " + count
                    + " labels, got " + images.length + " pixels and " + labels.length + " labels");
        }
    }
}
