package org.softmax4j.conformance;

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
     * terms <= 0, no cancellation; log1p for the max entry keeps values near 0).
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
}
