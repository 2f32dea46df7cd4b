package org.softmax4j;

/**
 * The accuracy class a backend declares per dtype ({@link SoftmaxOps#accuracy(Class)}); the conformance kit holds
 * each backend to the bound of the class it declares. Semantics never depend on the class: special values, NaN and
 * infinity rows, masks, ignore index, weights, smoothing, errors before any write, stable top-k ties and kept gradient
 * tails are the same in both.
 *
 * <p>With {@code u} the unit roundoff of the dtype, {@code C} the row length and {@code B(C) = 4 + ceil(log2 C)}:
 */
public enum Accuracy {

    /**
     * Within a few ulps of the exact result of the given inputs: {@code B(C)} ulps for the softmax family,
     * log-softmax, the Jacobian and Keras' cross-entropy, plus {@code B(C) u * scale} (the size of the terms combined)
     * for ops that can cancel; the {@code (k + 2) u} dot-product bound for the products; exact for argmax and top-k.
     * Needs error-free transformations (a corrected shift, compensated sums). Every backend's float32, and the pure
     * Java backends' float64.
     */
    EXACT,

    /**
     * The error a backward-stable algorithm makes: the exact bound plus {@code kappa u} relative and
     * {@code kappa u * scale'} absolute, where {@code kappa = C + 2 R}, {@code R} the row's largest distance
     * {@code |x_j - max|} over the entries whose exponential does not underflow (the rounding of the shift
     * {@code x - max} becomes a relative error of {@code exp}), and {@code scale'} the op's scale plus 1 for the
     * log-domain results (log-softmax, logsumexp, the losses: the rounding of {@code log s} is absolute). A plain
     * shift, a naive row sum and the library's {@code exp} and {@code log} meet it. Argmax and top-k stay exact.
     */
    STANDARD
}
