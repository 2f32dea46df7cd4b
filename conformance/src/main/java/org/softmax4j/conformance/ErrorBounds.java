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
     * dimension k).
     */
    public static Tolerance of(String op, int cols) {
        double b = rowUlps(cols);
        return switch (op) {
            // products and quotients of exponentials of exact (or exactly corrected) shifts: well-conditioned
            case "softmax", "softmaxTemperature", "maskedSoftmax", "jacobian", "crossEntropy" -> Tolerance.ulps(b);
            // (x - m) - log(s): both terms <= 0, no cancellation; log1p for the max entry keeps values near 0
            case "logSoftmax" -> Tolerance.ulps(b);
            // m + log(s) can cancel when m < 0: scale = |m| + log(s)
            case "logSumExp" -> new Tolerance(b, b);
            // y * (dy - sum(dy*y)) and friends cancel: scale = |y|(|dy| + sum|dy*y|) etc.
            case "softmaxBackward", "logSoftmaxBackward" -> new Tolerance(b, b);
            // loss: sum of q * (-log p) >= 0 for non-negative targets; gradient p*Q - q cancels: scale = p*Q + |q|
            case "softmaxCrossEntropyWithLogits", "sparseSoftmaxCrossEntropyWithLogits" -> new Tolerance(b, b);
            // gamma_k bound of a dot product of length k: |err| <= (k + 2) u sum |a||b|
            case "matmul", "matmulTransA" -> new Tolerance(2, cols + 2);
            case "argmax", "topK" -> Tolerance.EXACT;
            default -> throw new IllegalArgumentException("op: expected a SoftmaxOps op name, actual \"" + op + "\"");
        };
    }
}
