package org.softmax4j.conformance;

import org.softmax4j.Accuracy;

/**
 * The error bound every backend meets, per op, in one place. {@code B(C) = 4 + ceil(log2 C)} ulps: a few roundings
 * (exp or log about 1 ulp, the reciprocal and the product 0.5 each, the shift exact or corrected) plus a summation
 * of {@code C} terms no worse than pairwise ({@code log2 C} u); float32 rows accumulated in float64 stay near 2 ulps.
 * Ops whose result can cancel carry a second term in {@code u * scale}, the scale being the size of the terms they
 * combine, so the bound is what the op's condition allows and no looser.
 */
public final class ErrorBounds {

    private ErrorBounds() {
    }

    /** @return {@code 4 + ceil(log2 cols)}, the ulp budget of a row op over {@code cols} classes */
    public static double rowUlps(int cols) {
        return 4 + Math.ceil(Math.log(Math.max(cols, 1)) / Math.log(2));
    }

    /**
     * The bound of an op over rows of {@code cols} classes (for the matrix products, {@code cols} is the inner
     * dimension k): the one {@link Op}'s table gives it.
     */
    public static Tolerance of(String op, int cols) {
        return Op.named(op).bound(cols);
    }

    /**
     * Products and quotients of exponentials of exact (or exactly corrected) shifts, well-conditioned: softmax and its
     * temperature and masked forms, the Jacobian, Keras cross-entropy; log-softmax too ({@code (x - m) - log(s)}: both
     * terms {@code <= 0}, no cancellation; log1p for the max entry keeps values near 0).
     */
    public static Tolerance rowOp(int cols) {
        return Tolerance.ulps(rowUlps(cols));
    }

    /**
     * Ops whose result can cancel, with the scale of {@link Tolerance}: {@code m + log(s)} when {@code m < 0}
     * (scale {@code |m| + log(s)}); the backward ops {@code y * (dy - sum(dy*y))} and friends (scale
     * {@code |y|(|dy| + sum|dy*y|)} etc.); the fused losses (a sum of {@code q * (-log p) >= 0} for non-negative
     * targets) and their gradients {@code p*Q - q} (scale {@code p*Q + |q|}).
     */
    public static Tolerance cancelling(int cols) {
        double b = rowUlps(cols);
        return new Tolerance(b, b);
    }

    /** The {@code gamma_k} bound of a dot product of length {@code k}: {@code |err| <= (k + 2) u sum |a||b|}. */
    public static Tolerance product(int k) {
        return new Tolerance(2, k + 2);
    }

    /** Argmax and top-k: exact. */
    public static Tolerance exact(int cols) {
        return Tolerance.EXACT;
    }

    // ------------------------------------------------------------------------------------------- standard class

    /**
     * The bound of one output of an op under the accuracy class a backend declares for the dtype. The exact class is
     * {@link Op#bound}. The {@link Accuracy#STANDARD} class adds {@code kappa u (|e| + scale + floor)} with
     * {@code kappa = C + 2 R}: {@code C} for a naive sum of the row, and {@code R} ({@link #span}) for the rounding of
     * the shift {@code x - max}, which {@code exp} turns into a relative error {@code |x - max| u} of each term and of
     * their sum; {@code floor = 1} for the logarithmic outputs (log-softmax, logsumexp, the losses), whose rounding of
     * {@code log s} is absolute. Argmax, top-k and the matrix products (already a backward-stable bound) are the same
     * in both classes. The kit takes {@code R} over the whole call (the largest of its rows): looser than per row, never
     * tighter.
     *
     * @param logits      the op's logits (x) for the ops that exponentiate them, else null
     * @param temperature the softmax temperature (1 for the other ops)
     * @param mask        the mask of a masked softmax, else null
     * @param output      the output's name in {@link Op}'s table ("y", "out", "loss", "value", "gradient", ...)
     */
    public static Tolerance of(Op op, int cols, Accuracy accuracy, Dtype dtype, int rows, double[] logits,
                               double temperature, boolean[] mask, String output) {
        Tolerance exact = op.bound(cols);
        if (accuracy == Accuracy.EXACT || exact.equals(Tolerance.EXACT) || op.isProduct()) {
            return exact;
        }
        double span = logits == null || !exponentiatesLogits(op) ? 0 : span(dtype, rows, cols, logits, temperature, mask);
        return new Tolerance(exact.ulps(), exact.scaleUlps(), cols + 2 * span, logarithmic(op, output) ? 1 : 0);
    }

    /** The bound of output {@code output} of a fuzz or JSON case under {@code accuracy} (see above). */
    public static Tolerance of(org.softmax4j.conformance.fuzz.FuzzCase c, String output, Accuracy accuracy) {
        return of(c.op, c.op.isProduct() ? c.k : c.cols, accuracy, c.dtype, c.rows, c.a, c.temperature, c.mask,
                output);
    }

    /**
     * The largest {@code (max - x) / T} over the finite (and unmasked) entries of the rows, among those whose
     * exponential does not underflow to 0 in the dtype (further entries add nothing to a result).
     */
    public static double span(Dtype dtype, int rows, int cols, double[] x, double temperature, boolean[] mask) {
        double limit = dtype == Dtype.FLOAT64 ? 745.2 : 104;
        double span = 0;
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if ((mask == null || mask[i]) && x[i] > m) {
                    m = x[i];
                }
            }
            if (!Double.isFinite(m)) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double d = (m - x[i]) / temperature;
                if ((mask == null || mask[i]) && d <= limit) {
                    span = Math.max(span, d);
                }
            }
        }
        return span;
    }

    private static boolean exponentiatesLogits(Op op) {
        return switch (op) {
            case SOFTMAX, SOFTMAX_TEMPERATURE, MASKED_SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, MASKED_LOG_SOFTMAX,
                 MASKED_LOG_SUM_EXP, SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY, MASKED_SOFTMAX_CROSS_ENTROPY,
                 MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> true;
            default -> false;
        };
    }

    private static boolean logarithmic(Op op, String output) {
        return switch (op) {
            case LOG_SOFTMAX, LOG_SUM_EXP, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP, CROSS_ENTROPY, CROSS_ENTROPY_REDUCED
                    -> true;
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY, MASKED_SOFTMAX_CROSS_ENTROPY,
                 MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> !output.equals("gradient");
            default -> false;
        };
    }
}
