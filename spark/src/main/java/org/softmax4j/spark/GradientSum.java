package org.softmax4j.spark;

import java.io.Serializable;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * The sums one pass over the blocks produces, merged by Spark's tree aggregation: the weighted loss, the weight, and
 * the gradient sums laid out as the optimiser's vector ({@code X^T G} as {@code features x classes} row-major, then
 * {@code colsum(G)}). Holds per-task scratch buffers that are not serialized.
 */
final class GradientSum implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Per-row losses and an unreduced gradient (the weights are applied per row here, not by the op). */
    static final CrossEntropyOptions PER_ROW = CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE)
            .withIgnoreIndex(RowChecks.NO_IGNORE_INDEX);

    final int features;
    final int classes;
    double loss;
    double weightSum;
    /** {@code features x classes} then {@code classes}. */
    final double[] gradient;

    private transient FloatScratch floatScratch;
    private transient DoubleScratch doubleScratch;

    GradientSum(int features, int classes) {
        this.features = features;
        this.classes = classes;
        this.gradient = new double[features * classes + classes];
    }

    /** Adds one block's loss, weight, weight gradient ({@code features x classes}) and intercept gradient (column sums). */
    void add(double blockLoss, double blockWeight, float[] weightGradient, float[] rowGradients, int rows) {
        loss += blockLoss;
        weightSum += blockWeight;
        int n = features * classes;
        for (int i = 0; i < n; i++) {
            gradient[i] += weightGradient[i];
        }
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            for (int j = 0; j < classes; j++) {
                gradient[n + j] += rowGradients[base + j];
            }
        }
    }

    /** Double variant of {@link #add(double, double, float[], float[], int)}. */
    void add(double blockLoss, double blockWeight, double[] weightGradient, double[] rowGradients, int rows) {
        loss += blockLoss;
        weightSum += blockWeight;
        int n = features * classes;
        for (int i = 0; i < n; i++) {
            gradient[i] += weightGradient[i];
        }
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            for (int j = 0; j < classes; j++) {
                gradient[n + j] += rowGradients[base + j];
            }
        }
    }

    /** @return {@code this} with {@code other} added (Spark's combine step) */
    GradientSum merge(GradientSum other) {
        loss += other.loss;
        weightSum += other.weightSum;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] += other.gradient[i];
        }
        return this;
    }

    FloatScratch floatScratch(int rows, int features, int classes) {
        if (floatScratch == null || floatScratch.loss.length < rows) {
            floatScratch = new FloatScratch(rows, features, classes);
        }
        return floatScratch;
    }

    DoubleScratch doubleScratch(int rows, int features, int classes) {
        if (doubleScratch == null || doubleScratch.loss.length < rows) {
            doubleScratch = new DoubleScratch(rows, features, classes);
        }
        return doubleScratch;
    }

    /** Buffers of one task, reused by every block it visits. */
    static final class FloatScratch {
        final float[] logits;
        final float[] loss;
        final float[] weightGradient;

        FloatScratch(int rows, int features, int classes) {
            logits = new float[rows * classes];
            loss = new float[rows];
            weightGradient = new float[features * classes];
        }
    }

    /** Double variant of {@link FloatScratch}. */
    static final class DoubleScratch {
        final double[] logits;
        final double[] loss;
        final double[] weightGradient;

        DoubleScratch(int rows, int features, int classes) {
            logits = new double[rows * classes];
            loss = new double[rows];
            weightGradient = new double[features * classes];
        }
    }
}
