package org.softmax4j.bench.jmh;

import java.util.List;
import java.util.Random;
import org.softmax4j.ClassLabels;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;
import org.softmax4j.bench.train.TwoLayerClassifier;

/**
 * One training step of the README's 2-layer classifier with views, for {@link AllocationProbe}: each call takes the
 * next mini-batch from the views made once by {@code batches(BATCH)}, as the README's loop does, so the probe shows
 * whether a step with views allocates.
 */
final class TrainingStepProbe {

    static final int EXAMPLES = 1024;
    static final int FEATURES = 32;
    static final int HIDDEN = 64;
    static final int CLASSES = 10;
    static final int BATCH = 64;
    /** The shape column of the allocation table. */
    static final String SHAPE = BATCH + "x" + FEATURES + "->" + HIDDEN + "->" + CLASSES;

    private final TwoLayerClassifier net;
    private final List<FloatMatrix> xs;
    private final List<ClassLabels> ys;
    private int b;

    TrainingStepProbe(String backend) {
        Random random = new Random(42);
        float[] data = new float[EXAMPLES * FEATURES];
        int[] labels = new int[EXAMPLES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        for (int r = 0; r < EXAMPLES; r++) {
            labels[r] = random.nextInt(CLASSES);
        }
        xs = FloatMatrix.of(EXAMPLES, FEATURES, data).batches(BATCH);
        ys = ClassLabels.of(EXAMPLES, labels).batches(BATCH);
        net = new TwoLayerClassifier(Softmax.ops(backend), FEATURES, HIDDEN, CLASSES, BATCH, 7);
    }

    /** One SGD step on the next mini-batch (a small rate keeps the weights finite however long the probe runs). */
    void step() {
        net.step(xs.get(b), ys.get(b), 1e-3f);
        b = b + 1 == xs.size() ? 0 : b + 1;
    }
}
