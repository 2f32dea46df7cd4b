package org.softmax4j.spark;

import java.io.Serializable;

import org.softmax4j.SoftmaxOps;

/**
 * A block of training rows packed once for {@link SoftmaxOps}: features row-major ({@code rows x features}, as read,
 * unscaled), class indices, and weights. Cached by Spark between L-BFGS iterations; float and double variants.
 */
abstract class InstanceBlock implements Serializable {

    private static final long serialVersionUID = 1L;

    final int rows;
    final int features;
    final int[] labels;
    /** One weight per row, or null if every row weighs 1. */
    final double[] weights;

    InstanceBlock(int rows, int features, int[] labels, double[] weights) {
        this.rows = rows;
        this.features = features;
        this.labels = labels;
        this.weights = weights;
    }

    /** @return the weight of row {@code r} */
    final double weight(int r) {
        return weights == null ? 1.0 : weights[r];
    }

    /** @return the feature value at {@code index} of the row-major {@code rows x features} block */
    abstract double value(int index);

    /** Adds this block's weighted feature sums, sums of squares and class counts to {@code stats} (once per fit). */
    final void addTo(TrainingStats stats) {
        for (int r = 0; r < rows; r++) {
            double w = weight(r);
            int base = r * features;
            for (int j = 0; j < features; j++) {
                double v = value(base + j);
                stats.sum[j] += w * v;
                stats.sumSquares[j] += w * v * v;
            }
            stats.addRow(labels[r], w);
        }
    }

    /**
     * Adds this block's weighted loss {@code sum_r w_r * CE(x_r W + b, y_r)}, its weight, and the gradient sums
     * {@code X^T (w . G)} and {@code colsum(w . G)} with {@code G = softmax(XW + b) - onehot(y)} to {@code sum}.
     */
    abstract void addGradient(SoftmaxOps ops, EffectiveCoefficients c, GradientSum sum);
}
