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

    /** Adds this block's rows to the weighted feature statistics and class counts of {@code stats} (once per fit). */
    final void addTo(TrainingStats stats) {
        for (int r = 0; r < rows; r++) {
            stats.addRow(this, r * features, labels[r], weight(r));
        }
    }

    /**
     * Adds this block's weighted loss {@code sum_r w_r * CE(x_r W + b, y_r)}, its weight, and the gradient sums
     * {@code X^T (w . G)} and {@code colsum(w . G)} with {@code G = softmax(XW + b) - onehot(y)} to {@code sum}.
     */
    abstract void addGradient(SoftmaxOps ops, EffectiveCoefficients c, GradientSum sum);
}
