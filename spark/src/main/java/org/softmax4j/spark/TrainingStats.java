package org.softmax4j.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Weighted feature means and squared deviations and class counts of the training blocks, merged by tree aggregation:
 * the means and standard deviations MLlib's {@code Summarizer} gives (weighted, with the unbiased denominator
 * {@code W - sum w^2 / W}) and the class histogram of MLlib's initial intercepts.
 *
 * <p>Updated as Welford's running mean and squared deviations, weighted, and merged by Chan's formula, as MLlib's
 * summarizer is: a constant feature keeps a deviation of exactly 0. The textbook {@code sum w x^2 - (sum w x)^2 / W}
 * left a rounding residue there when the weights vary, a tiny standard deviation instead of 0, so the optimiser's
 * scaled space got a coordinate with a huge scale, on which L2 put a huge curvature, and L-BFGS stopped short of the
 * optimum (0.87381 against MLlib's 0.87092 on the module's test data with weights and L2).
 */
final class TrainingStats implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The running weighted mean of each feature. */
    final double[] mean;
    /** The running weighted sum of squared deviations from the mean of each feature. */
    final double[] squaredDeviations;
    double weightSum;
    double weightSquareSum;
    long count;
    /** Weighted count per class seen so far; grows to the largest label + 1. */
    double[] histogram = new double[0];

    TrainingStats(int features) {
        mean = new double[features];
        squaredDeviations = new double[features];
    }

    /**
     * Adds one row (Welford's update, weighted): its features, then its label and weight.
     *
     * @param block the block holding the row
     * @param base  the index of the row's first feature in the block ({@link InstanceBlock#value})
     */
    void addRow(InstanceBlock block, int base, int label, double w) {
        if (w > 0) {
            double total = weightSum + w;
            for (int j = 0; j < mean.length; j++) {
                double v = block.value(base + j);
                double delta = v - mean[j];
                mean[j] += delta * (w / total);
                squaredDeviations[j] += w * delta * (v - mean[j]);
            }
        }
        if (label >= histogram.length) {
            histogram = Arrays.copyOf(histogram, label + 1);
        }
        histogram[label] += w;
        weightSum += w;
        weightSquareSum += w * w;
        count++;
    }

    /** @return {@code this} with {@code other} added (Chan's merge of the means and squared deviations) */
    TrainingStats merge(TrainingStats other) {
        double total = weightSum + other.weightSum;
        if (other.weightSum > 0) {
            for (int j = 0; j < mean.length; j++) {
                double delta = other.mean[j] - mean[j];
                mean[j] += delta * (other.weightSum / total);
                squaredDeviations[j] += other.squaredDeviations[j]
                        + delta * delta * (weightSum * other.weightSum / total);
            }
        }
        if (other.histogram.length > histogram.length) {
            histogram = Arrays.copyOf(histogram, other.histogram.length);
        }
        for (int c = 0; c < other.histogram.length; c++) {
            histogram[c] += other.histogram[c];
        }
        weightSum = total;
        weightSquareSum += other.weightSquareSum;
        count += other.count;
        return this;
    }

    /** @return the weighted mean of each feature */
    double[] mean() {
        return mean.clone();
    }

    /** @return the weighted standard deviation of each feature, 0 for a constant feature or a single row */
    double[] std() {
        double[] s = new double[mean.length];
        double denominator = weightSum - weightSquareSum / weightSum;
        if (denominator > 0) {
            for (int j = 0; j < s.length; j++) {
                s[j] = Math.sqrt(Math.max(0, squaredDeviations[j] / denominator));
            }
        }
        return s;
    }
}
