package org.softmax4j;

/** How the per-row losses of a cross-entropy op are combined into the returned value. */
public enum Reduction {
    /**
     * No reduction: the per-row losses are the result (pass a {@code loss} array); the returned value is their sum and
     * the gradient is that of the sum (each row's own gradient, unscaled), as TensorFlow's
     * {@code softmax_cross_entropy_with_logits} gives.
     */
    NONE,
    /** The sum of the per-row losses; the gradient is unscaled. An empty batch gives 0. */
    SUM,
    /**
     * The weighted mean: the sum of the per-row losses divided by the number of rows counted (for class-index labels
     * the sum of {@code weight[class]} over the rows that are not ignored; for dense labels the number of rows); the
     * gradient is divided by the same number. A mean over nothing (an empty batch, every row ignored, or every
     * target's class weight 0) gives NaN and a zero gradient.
     */
    MEAN
}
