package org.softmax4j.bench.train;

import java.util.List;
import java.util.Random;
import org.softmax4j.ClassLabels;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.FloatMatrix;
import org.softmax4j.SoftmaxOps;

/**
 * A 2-layer classifier, features -> hidden (ReLU) -> classes, trained by mini-batch SGD with label smoothing; every
 * product and the loss go through softmax4j views, so a step allocates nothing. Biases are left out (append a
 * constant-1 feature to have them).
 */
public final class TwoLayerClassifier {

    private final SoftmaxOps ops;
    private final int batch;
    private final FloatMatrix w1;              // features x hidden
    private final FloatMatrix w2;              // hidden x classes
    private final FloatMatrix h;               // batch x hidden: the hidden activations
    private final FloatMatrix dh;              // batch x hidden: their gradient
    private final FloatMatrix z;               // batch x classes: the logits
    private final FloatMatrix dz;              // batch x classes: their gradient
    private final CrossEntropyOptions options = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1);

    public TwoLayerClassifier(SoftmaxOps ops, int features, int hidden, int classes, int batch, long seed) {
        Random random = new Random(seed);
        this.ops = ops;
        this.batch = batch;
        this.w1 = gaussian(features, hidden, Math.sqrt(2.0 / features), random);
        this.w2 = gaussian(hidden, classes, Math.sqrt(1.0 / hidden), random);
        this.h = FloatMatrix.zeros(batch, hidden);
        this.dh = FloatMatrix.zeros(batch, hidden);
        this.z = FloatMatrix.zeros(batch, classes);
        this.dz = FloatMatrix.zeros(batch, classes);
    }

    /** One SGD step on a mini-batch of {@code batch} rows; returns its mean loss. */
    public float step(FloatMatrix x, ClassLabels y, float rate) {
        ops.matmul(x, w1, h);                                               // H = X W1
        relu(h);                                                            // H = max(H, 0)
        ops.matmul(h, w2, z);                                               // Z = H W2
        float loss = ops.sparseSoftmaxCrossEntropyWithLogits(z, y, options, dz); // dZ = d loss / dZ
        ops.matmulTransB(dz, w2, dh);                                       // dH = dZ W2^T
        ops.matmulTransA(-rate, h, dz, 1, w2);                              // W2 -= rate H^T dZ
        reluBackward(h, dh);                                                // dH = 0 where H = 0
        ops.matmulTransA(-rate, x, dh, 1, w1);                              // W1 -= rate X^T dH
        return loss;
    }

    /** Trains {@code epochs} times on the whole mini-batches of {@code x} (a shorter last one is left out). */
    public float train(FloatMatrix x, ClassLabels y, int epochs, float rate) {
        List<FloatMatrix> xs = x.batches(batch);                            // views made once, not per step
        List<ClassLabels> ys = y.batches(batch);
        float loss = Float.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int b = 0; b < x.rows() / batch; b++) {
                loss = step(xs.get(b), ys.get(b), rate);
            }
        }
        return loss;
    }

    /** Writes the predicted class of each row of the whole mini-batches of {@code x} into {@code predicted}. */
    public void predict(FloatMatrix x, ClassLabels predicted) {
        List<FloatMatrix> xs = x.batches(batch);
        List<ClassLabels> out = predicted.batches(batch);
        for (int b = 0; b < x.rows() / batch; b++) {
            ops.matmul(xs.get(b), w1, h);
            relu(h);
            ops.matmul(h, w2, z);
            ops.argmax(z, out.get(b));
        }
    }

    private static void relu(FloatMatrix m) {
        float[] a = m.array();
        for (int i = m.offset(); i < m.offset() + m.size(); i++) {
            a[i] = Math.max(a[i], 0f);
        }
    }

    private static void reluBackward(FloatMatrix h, FloatMatrix dh) {
        float[] a = h.array();
        float[] g = dh.array();
        for (int i = 0; i < h.size(); i++) {
            if (a[h.offset() + i] == 0f) {
                g[dh.offset() + i] = 0f;
            }
        }
    }

    private static FloatMatrix gaussian(int rows, int cols, double scale, Random random) {
        FloatMatrix m = FloatMatrix.zeros(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, (float) (random.nextGaussian() * scale));
            }
        }
        return m;
    }
}
