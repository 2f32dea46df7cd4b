package org.softmax4j.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Weighted feature sums, sums of squares and class counts of the training blocks, merged by tree aggregation: the
 * means and standard deviations MLlib's {@code Summarizer} gives (weighted, with the unbiased denominator
 * {@code W - sum w^2 / W}) and the class histogram of MLlib's initial intercepts.
 */
final class TrainingStats implements Serializable {

    private static final long serialVersionUID = 1L;

    final double[] sum;
    final double[] sumSquares;
    double weightSum;
    double weightSquareSum;
    long count;
    /** Weighted count per class seen so far; grows to the largest label + 1. */
    double[] histogram = new double[0];

    TrainingStats(int features) {
        sum = new double[features];
        sumSquares = new double[features];
    }

    void addRow(int label, double w) {
        if (label >= histogram.length) {
            histogram = Arrays.copyOf(histogram, label + 1);
        }
        histogram[label] += w;
        weightSum += w;
        weightSquareSum += w * w;
        count++;
    }

    /** @return {@code this} with {@code other} added */
    TrainingStats merge(TrainingStats other) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] += other.sum[j];
            sumSquares[j] += other.sumSquares[j];
        }
        if (other.histogram.length > histogram.length) {
            histogram = Arrays.copyOf(histogram, other.histogram.length);
        }
        for (int c = 0; c < other.histogram.length; c++) {
            histogram[c] += other.histogram[c];
        }
        weightSum += other.weightSum;
        weightSquareSum += other.weightSquareSum;
        count += other.count;
        return this;
    }

    /** @return the weighted mean of each feature */
    double[] mean() {
        double[] m = new double[sum.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = sum[j] / weightSum;
        }
        return m;
    }

    /** @return the weighted standard deviation of each feature, 0 for a constant feature or a single row */
    double[] std() {
        double[] s = new double[sum.length];
        double denominator = weightSum - weightSquareSum / weightSum;
        if (denominator > 0) {
            for (int j = 0; j < s.length; j++) {
                double m2 = sumSquares[j] - sum[j] * sum[j] / weightSum;
                s[j] = Math.sqrt(Math.max(0, m2 / denominator));
            }
        }
        return s;
    }
}
