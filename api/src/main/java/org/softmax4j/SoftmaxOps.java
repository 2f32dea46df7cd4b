package org.softmax4j;

/**
 * The softmax family of operations: the service-provider interface every backend implements.
 *
 * <h2>Layout</h2>
 * Every op works on row-major {@code rows x cols} matrices held in primitive arrays with an offset: {@code rows} is
 * the batch, {@code cols} the classes, the class axis last; element {@code (r, c)} of {@code x} is
 * {@code x[xOffset + r * cols + c]}. A vector is a {@code 1 x C} matrix. Each op comes in float64 ({@code double[]})
 * and float32 ({@code float[]}) with the same name; the float32 row ops accumulate their row sums in float64 (so a
 * 32000-class row is as accurate as a short one), while the float32 matrix products accumulate in float32, as BLAS
 * does.
 *
 * <h2>Arrays</h2>
 * The caller supplies every output array; the ops allocate nothing. Input arrays are never modified. An output may be
 * the same array region as an input (in place) only where the method says so; an output that partially overlaps an
 * input is rejected.
 *
 * <h2>Errors</h2>
 * A null array gives {@link NullPointerException}; any other bad argument (negative sizes, {@code rows * cols}
 * overflowing int, an array shorter than {@code offset + count}, a bad option) gives
 * {@link IllegalArgumentException} naming the argument, the expected and the actual value. Both are thrown before
 * any output is written. {@code rows = 0} is a valid empty batch. A null {@link CrossEntropyOptions} means
 * {@link CrossEntropyOptions#DEFAULT}. The checks live in {@link Validate}; backends extending
 * {@link AbstractSoftmaxOps} get them for free.
 *
 * <h2>Views</h2>
 * Every op also takes typed views ({@link FloatMatrix}, {@link DoubleMatrix}, {@link ClassLabels},
 * {@link BooleanMatrix}: an array, an offset and a shape, checked once when made), so that a training step reads like
 * its math; the view overloads are default methods that check how the shapes fit together (the message names both
 * shapes: {@code "matmul: a is 3x4, b is 5x6: inner sizes differ"}) and call the array form, allocating nothing.
 * <pre>{@code
 * ops.matmul(x, w, z);                                                    // z = x w
 * float loss = ops.sparseSoftmaxCrossEntropyWithLogits(z, y, options, dz); // dz = d loss / d z
 * ops.matmulTransA(x, dz, dw);                                            // dw = x^T dz
 * }</pre>
 *
 * <h2>Numeric semantics</h2>
 * See the package documentation for the full table (large logits, infinities, NaN, empty shapes, subnormals).
 * Every row is shifted by its maximum before exponentiating, so finite logits never overflow.
 *
 * <p>Implementations must be thread-safe: one instance is shared by all callers.
 */
public interface SoftmaxOps {

    /** The clipping epsilon Keras uses for {@code crossEntropy} from probabilities. */
    double DEFAULT_EPSILON = 1e-7;

    /** @return the backend's short name, as used by {@link Softmax#ops(String)} (e.g. "plain") */
    String name();

    /** @return the backend's priority: {@link Softmax#ops()} picks the highest among the available backends */
    int priority();

    /** @return a one-line description (implementation, kernels in use) */
    String description();

    /**
     * Reports why this backend cannot run here (a native library missing for this platform, say) without starting it.
     * Discovery skips a backend that reports a reason. Must be cheap and must not throw.
     *
     * @return null if the backend can run, else the reason it cannot
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * The accuracy class of this backend's results in one dtype; the conformance kit checks each backend against the
     * class it declares. {@link Accuracy#EXACT} unless the backend says otherwise.
     *
     * @param dtype {@code double.class} (float64) or {@code float.class} (float32)
     * @return the class of that dtype's results
     */
    default Accuracy accuracy(Class<?> dtype) {
        Validate.dtype(dtype);
        return Accuracy.EXACT;
    }

    // ---------------------------------------------------------------------------------------------------- softmax

    /**
     * Row softmax: {@code y[r, c] = exp(x[r, c] - m) / sum_j exp(x[r, j] - m)} with {@code m = max_j x[r, j]}.
     * {@code -inf} entries give exactly 0; a row of all {@code -inf}, or one containing {@code +inf} or NaN, gives
     * NaN for the whole row. {@code cols = 0} writes nothing.
     *
     * @param x input, {@code rows x cols} (not modified)
     * @param y output, {@code rows x cols} (overwritten); may be the same region as {@code x}
     */
    void softmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset);

    /** Float32 variant of {@link #softmax(int, int, double[], int, double[], int)}. */
    void softmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * Softmax with temperature {@code T}: {@code y[r, c] = exp((x[r, c] - m) / T) / sum_j exp((x[r, j] - m) / T)},
     * shifting before dividing so that large logits stay exact. {@code T -> 0} tends to the one-hot of the argmax,
     * {@code T -> inf} to the uniform distribution.
     *
     * @param temperature finite and {@code > 0}
     * @param x           input, {@code rows x cols} (not modified)
     * @param y           output, {@code rows x cols} (overwritten); may be the same region as {@code x}
     */
    void softmax(int rows, int cols, double temperature, double[] x, int xOffset, double[] y, int yOffset);

    /** Float32 variant of {@link #softmax(int, int, double, double[], int, double[], int)}. */
    void softmax(int rows, int cols, float temperature, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * Masked softmax: the softmax of the entries whose mask is {@code true}; entries whose mask is {@code false} get
     * exactly 0 whatever their value (NaN and infinities included). A fully masked row gives all zeros, never NaN
     * (and {@link #softmaxBackward} of such a row gives zeros).
     *
     * @param mask {@code rows x cols}, true = take part (not modified)
     * @param x    input, {@code rows x cols} (not modified)
     * @param y    output, {@code rows x cols} (overwritten); may be the same region as {@code x}
     */
    void maskedSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                       double[] y, int yOffset);

    /** Float32 variant of {@link #maskedSoftmax(int, int, double[], int, boolean[], int, double[], int)}. */
    void maskedSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                       float[] y, int yOffset);

    /**
     * Row log-softmax: {@code y[r, c] = (x[r, c] - m) - log(sum_j exp(x[r, j] - m))}, computed without forming the
     * softmax (so it stays finite where {@code log(softmax)} underflows to {@code -inf}). {@code -inf} entries give
     * {@code -inf}; rows with {@code +inf} or NaN, or all {@code -inf}, give NaN. {@code cols = 1} gives 0.
     *
     * @param x input, {@code rows x cols} (not modified)
     * @param y output, {@code rows x cols} (overwritten); may be the same region as {@code x}
     */
    void logSoftmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset);

    /** Float32 variant of {@link #logSoftmax(int, int, double[], int, double[], int)}. */
    void logSoftmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * Row log-sum-exp: {@code out[r] = m + log(sum_j exp(x[r, j] - m))}. A row of all {@code -inf} (or {@code cols = 0})
     * gives {@code -inf}; a row with {@code +inf} (and no NaN) gives {@code +inf}; a row with NaN gives NaN.
     *
     * @param x   input, {@code rows x cols} (not modified)
     * @param out output, {@code rows} values (overwritten); must not overlap {@code x}
     */
    void logSumExp(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset);

    /** Float32 variant of {@link #logSumExp(int, int, double[], int, double[], int)}. */
    void logSumExp(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset);

    /**
     * Masked log-softmax: the log-softmax of the entries whose mask is {@code true} (the mask layout of
     * {@link #maskedSoftmax}); entries whose mask is {@code false} get exactly {@code -inf} whatever their value (NaN
     * and infinities included), so {@code exp(y)} is the masked softmax. A fully masked row gives {@code -inf}
     * everywhere, never NaN. Where the kept entries of a row have a finite maximum the row equals
     * {@link #logSoftmax} of {@code x} with its masked entries set to {@code -inf}; otherwise (kept entries all
     * {@code -inf}, or holding {@code +inf} or NaN) the kept entries are NaN, as in log-softmax. JAX's
     * {@code log_softmax(x, where=mask)} leaves masked entries undefined; here they are {@code -inf}, so that a
     * masked loss or an argmax over {@code y} never picks them.
     *
     * @param mask {@code rows x cols}, true = take part (not modified)
     * @param x    input, {@code rows x cols} (not modified)
     * @param y    output, {@code rows x cols} (overwritten); may be the same region as {@code x}
     */
    void maskedLogSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                          double[] y, int yOffset);

    /** Float32 variant of {@link #maskedLogSoftmax(int, int, double[], int, boolean[], int, double[], int)}. */
    void maskedLogSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                          float[] y, int yOffset);

    /**
     * Masked log-sum-exp: {@code out[r] = log(sum over kept j of exp(x[r, j]))} (the mask layout of
     * {@link #maskedSoftmax}); masked entries are ignored whatever their value. A fully masked row gives {@code -inf}
     * (the log of an empty sum), never NaN; otherwise the rules of {@link #logSumExp} over the kept entries.
     *
     * @param mask {@code rows x cols}, true = take part (not modified)
     * @param x    input, {@code rows x cols} (not modified)
     * @param out  output, {@code rows} values (overwritten); must not overlap {@code x}
     */
    void maskedLogSumExp(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                         double[] out, int outOffset);

    /** Float32 variant of {@link #maskedLogSumExp(int, int, double[], int, boolean[], int, double[], int)}. */
    void maskedLogSumExp(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                         float[] out, int outOffset);

    // ---------------------------------------------------------------------------------------------------- gradients

    /**
     * Softmax backward (vector-Jacobian product): {@code dx[r, c] = y[r, c] * (dy[r, c] - sum_j dy[r, j] * y[r, j])}
     * where {@code y} is the softmax output. Equals {@code J^T dy} with {@code J} the {@link #jacobian}.
     *
     * @param y  softmax output, {@code rows x cols} (not modified)
     * @param dy upstream gradient, {@code rows x cols} (not modified)
     * @param dx output, {@code rows x cols} (overwritten); may be the same region as {@code y} or {@code dy}
     */
    void softmaxBackward(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                         double[] dx, int dxOffset);

    /** Float32 variant of {@link #softmaxBackward(int, int, double[], int, double[], int, double[], int)}. */
    void softmaxBackward(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                         float[] dx, int dxOffset);

    /**
     * Log-softmax backward: {@code dx[r, c] = dlogp[r, c] - exp(logp[r, c]) * sum_j dlogp[r, j]} where {@code logp}
     * is the log-softmax output ({@code exp(-inf) = 0}, so {@code -inf} entries pass {@code dlogp} through).
     *
     * @param logp  log-softmax output, {@code rows x cols} (not modified)
     * @param dlogp upstream gradient, {@code rows x cols} (not modified)
     * @param dx    output, {@code rows x cols} (overwritten); may be the same region as {@code logp} or {@code dlogp}
     */
    void logSoftmaxBackward(int rows, int cols, double[] logp, int logpOffset, double[] dlogp, int dlogpOffset,
                            double[] dx, int dxOffset);

    /** Float32 variant of {@link #logSoftmaxBackward(int, int, double[], int, double[], int, double[], int)}. */
    void logSoftmaxBackward(int rows, int cols, float[] logp, int logpOffset, float[] dlogp, int dlogpOffset,
                            float[] dx, int dxOffset);

    /**
     * The softmax Jacobian of one row: {@code J[i, j] = dy_i / dz_j = y_i * ([i == j] - y_j)}, i.e.
     * {@code diag(y) - y y^T}; symmetric, each row and column sums to 0 (up to rounding).
     *
     * @param cols     the number of classes {@code C}; {@code C * C} must fit in an int
     * @param y        softmax output, {@code C} values (not modified)
     * @param jacobian output, {@code C x C} row-major (overwritten); must not overlap {@code y}
     */
    void jacobian(int cols, double[] y, int yOffset, double[] jacobian, int jacobianOffset);

    /** Float32 variant of {@link #jacobian(int, double[], int, double[], int)}. */
    void jacobian(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset);

    // ---------------------------------------------------------------------------------------------- cross-entropy

    /**
     * Cross-entropy from probabilities, per row, as Keras computes it: each row of {@code probabilities} is divided by
     * its sum, clipped to {@code [eps, 1 - eps]} ({@code eps} rounded to the dtype), then
     * {@code loss[r] = -sum_c labels[r, c] * log(p[r, c])}. A row of all zeros gives NaN. Labels are used as given
     * (not renormalised).
     *
     * @param probabilities {@code rows x cols}, non-negative (not modified)
     * @param labels        {@code rows x cols} (not modified)
     * @param eps           the clipping epsilon in {@code [0, 0.5)}; Keras uses {@link #DEFAULT_EPSILON}
     * @param loss          output, {@code rows} values (overwritten); must not overlap the inputs
     * @throws IllegalArgumentException also if {@code cols = 0}
     */
    void crossEntropy(int rows, int cols, double[] probabilities, int probabilitiesOffset, double[] labels,
                      int labelsOffset, double eps, double[] loss, int lossOffset);

    /** Float32 variant of {@link #crossEntropy(int, int, double[], int, double[], int, double, double[], int)}. */
    void crossEntropy(int rows, int cols, float[] probabilities, int probabilitiesOffset, float[] labels,
                      int labelsOffset, double eps, float[] loss, int lossOffset);

    /**
     * Keras' cross-entropy from probabilities (the per-row loss of
     * {@link #crossEntropy(int, int, double[], int, double[], int, double, double[], int)}) reduced over the batch, as
     * {@code keras.losses.CategoricalCrossentropy(reduction=...)} reduces it: {@link Reduction#MEAN} is Keras' default
     * {@code "sum_over_batch_size"} (the sum of the row losses divided by {@code rows}), {@link Reduction#SUM} their
     * sum, {@link Reduction#NONE} the per-row losses in {@code loss} (and their sum returned, as the fused ops do). A
     * row whose loss is NaN makes the sum and the mean NaN. An empty batch gives 0, or NaN for the mean (the rule of
     * every reduction here; Keras 3 divides with {@code divide_no_nan} and gives 0).
     *
     * @param eps       the clipping epsilon in {@code [0, 0.5)}; Keras uses {@link #DEFAULT_EPSILON}
     * @param reduction how the row losses are combined; not null
     * @param loss      per-row losses, {@code rows} values (overwritten), or null; must not overlap the inputs
     * @return the reduced loss
     * @throws IllegalArgumentException also if {@code cols = 0}
     */
    double crossEntropy(int rows, int cols, double[] probabilities, int probabilitiesOffset, double[] labels,
                        int labelsOffset, double eps, Reduction reduction, double[] loss, int lossOffset);

    /**
     * Float32 variant of
     * {@link #crossEntropy(int, int, double[], int, double[], int, double, Reduction, double[], int)}.
     */
    float crossEntropy(int rows, int cols, float[] probabilities, int probabilitiesOffset, float[] labels,
                       int labelsOffset, double eps, Reduction reduction, float[] loss, int lossOffset);

    /**
     * Softmax cross-entropy with logits for dense labels (one-hot or soft), fused with its gradient. With the
     * effective target {@code q} of {@link CrossEntropyOptions} ({@code q = labels} with the defaults):
     * {@code loss[r] = -sum_c q[r, c] * logSoftmax(x)[r, c]} and
     * {@code gradient[r, c] = softmax(x)[r, c] * sum_j q[r, j] - q[r, c]}, divided by the mean's denominator under
     * {@link Reduction#MEAN}. Labels need not sum to 1 (no renormalisation). A zero label on a {@code -inf} logit
     * contributes 0; a positive label on a {@code -inf} logit gives {@code +inf}. Under {@link Reduction#MEAN} the
     * denominator is {@code rows} (class weights weight each term but do not enter the denominator, as in PyTorch
     * for probability targets). The ignore index does not apply to dense labels.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param labels   {@code rows x cols} (not modified)
     * @param options  reduction, class weights ({@code cols} of them), label smoothing; null means
     *                 {@link CrossEntropyOptions#DEFAULT}
     * @param loss     per-row losses, {@code rows} values (overwritten), or null; must not overlap any other array
     * @param gradient gradient wrt the logits, {@code rows x cols} (overwritten), or null; may be the same region as
     *                 {@code logits}, must not overlap {@code labels}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     * @throws IllegalArgumentException also if {@code cols = 0} or the class weights do not have {@code cols} entries
     */
    double softmaxCrossEntropyWithLogits(int rows, int cols, double[] logits, int logitsOffset, double[] labels,
                                         int labelsOffset, CrossEntropyOptions options, double[] loss,
                                         int lossOffset, double[] gradient, int gradientOffset);

    /**
     * Float32 variant of
     * {@link #softmaxCrossEntropyWithLogits(int, int, double[], int, double[], int, CrossEntropyOptions, double[], int, double[], int)}.
     */
    float softmaxCrossEntropyWithLogits(int rows, int cols, float[] logits, int logitsOffset, float[] labels,
                                        int labelsOffset, CrossEntropyOptions options, float[] loss,
                                        int lossOffset, float[] gradient, int gradientOffset);

    /**
     * The dense fused cross-entropy over the classes whose mask is {@code true} (the mask layout of
     * {@link #maskedSoftmax}): the probabilities are the masked softmax, so a masked class takes no probability and
     * gets a gradient of exactly 0 whatever its logit (NaN and infinities included). With no label smoothing, a row
     * whose kept logits have a finite maximum gives what the unmasked op gives with the masked logits set to
     * {@code -inf}. Label smoothing {@code e} spreads {@code e / K} over the {@code K} kept classes of the row (the
     * unmasked {@code e / C} would put mass on classes whose {@code log p} is {@code -inf}). A row with no kept class
     * has loss 0 and gradient 0 (it holds no target); a row whose kept logits have no finite maximum has loss NaN and
     * NaN on its kept classes. The reduction's denominator is the unmasked op's.
     *
     * <p>The mask is an argument rather than a field of {@link CrossEntropyOptions}: options are a reusable,
     * immutable value made once per training run, while the mask, like the labels, changes with every batch (the
     * legal actions of each parser state) and has an offset into a larger array for a mini-batch.
     *
     * @param mask {@code rows x cols}, true = the class takes part (not modified)
     * @throws IllegalArgumentException also if a label other than 0 is on a masked class (a target there would need
     *                                  {@code log 0}); the message names the row and the class. Thrown before any
     *                                  output is written.
     * @see #softmaxCrossEntropyWithLogits(int, int, double[], int, double[], int, CrossEntropyOptions, double[], int, double[], int)
     */
    double softmaxCrossEntropyWithLogits(int rows, int cols, double[] logits, int logitsOffset, boolean[] mask,
                                         int maskOffset, double[] labels, int labelsOffset,
                                         CrossEntropyOptions options, double[] loss, int lossOffset, double[] gradient,
                                         int gradientOffset);

    /**
     * Float32 variant of
     * {@link #softmaxCrossEntropyWithLogits(int, int, double[], int, boolean[], int, double[], int, CrossEntropyOptions, double[], int, double[], int)}.
     */
    float softmaxCrossEntropyWithLogits(int rows, int cols, float[] logits, int logitsOffset, boolean[] mask,
                                        int maskOffset, float[] labels, int labelsOffset,
                                        CrossEntropyOptions options, float[] loss, int lossOffset, float[] gradient,
                                        int gradientOffset);

    /**
     * Sparse softmax cross-entropy with logits (one class index per row), fused with its gradient. With the effective
     * target {@code q} of {@link CrossEntropyOptions} ({@code q = onehot(classes[r])} with the defaults):
     * {@code loss[r] = -sum_c q[r, c] * logSoftmax(x)[r, c]}, {@code gradient[r, c] = softmax(x)[r, c] * sum_j q[r, j]
     * - q[r, c]} ("push all, pull one"). A row whose class is the ignore index has loss 0 and gradient 0.
     * Under {@link Reduction#MEAN} the loss and gradient are divided by {@code sum_r w[classes[r]]} over the rows not
     * ignored (PyTorch); a mean over nothing (every row ignored, or every target's class weight 0) is NaN with a
     * zero gradient.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param classes  {@code rows} class indices in {@code [0, cols)} or the ignore index (not modified)
     * @param options  reduction, class weights ({@code cols} of them), label smoothing, ignore index; null means
     *                 {@link CrossEntropyOptions#DEFAULT}
     * @param loss     per-row losses, {@code rows} values (overwritten), or null; must not overlap any other array
     * @param gradient gradient wrt the logits, {@code rows x cols} (overwritten), or null; may be the same region as
     *                 {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     * @throws IllegalArgumentException also if {@code cols = 0}, a class is out of range (the message names the row),
     *                                  or the class weights do not have {@code cols} entries
     */
    double sparseSoftmaxCrossEntropyWithLogits(int rows, int cols, double[] logits, int logitsOffset, int[] classes,
                                               int classesOffset, CrossEntropyOptions options, double[] loss,
                                               int lossOffset, double[] gradient, int gradientOffset);

    /**
     * Float32 variant of
     * {@link #sparseSoftmaxCrossEntropyWithLogits(int, int, double[], int, int[], int, CrossEntropyOptions, double[], int, double[], int)}.
     */
    float sparseSoftmaxCrossEntropyWithLogits(int rows, int cols, float[] logits, int logitsOffset, int[] classes,
                                              int classesOffset, CrossEntropyOptions options, float[] loss,
                                              int lossOffset, float[] gradient, int gradientOffset);

    /**
     * The sparse fused cross-entropy over the classes whose mask is {@code true} (the legal actions of a parser
     * state, say): the rules of the masked dense overload
     * ({@link #softmaxCrossEntropyWithLogits(int, int, double[], int, boolean[], int, double[], int, CrossEntropyOptions, double[], int, double[], int)}),
     * with the target {@code classes[r]}; an ignored row (the ignore index) has loss 0 and gradient 0 whatever its
     * mask, and the mean's denominator is the unmasked op's.
     *
     * @param mask {@code rows x cols}, true = the class takes part (not modified)
     * @throws IllegalArgumentException also if a row's target class is masked (it would have probability 0); the
     *                                  message names the row. Thrown before any output is written.
     */
    double sparseSoftmaxCrossEntropyWithLogits(int rows, int cols, double[] logits, int logitsOffset, boolean[] mask,
                                               int maskOffset, int[] classes, int classesOffset,
                                               CrossEntropyOptions options, double[] loss, int lossOffset,
                                               double[] gradient, int gradientOffset);

    /**
     * Float32 variant of
     * {@link #sparseSoftmaxCrossEntropyWithLogits(int, int, double[], int, boolean[], int, int[], int, CrossEntropyOptions, double[], int, double[], int)}.
     */
    float sparseSoftmaxCrossEntropyWithLogits(int rows, int cols, float[] logits, int logitsOffset, boolean[] mask,
                                              int maskOffset, int[] classes, int classesOffset,
                                              CrossEntropyOptions options, float[] loss, int lossOffset,
                                              float[] gradient, int gradientOffset);

    // ---------------------------------------------------------------------------------------------- argmax, top-k

    /**
     * Row argmax: the index of the largest entry; ties go to the lowest index; NaN counts as the largest (the first
     * NaN wins); {@code -0.0} and {@code 0.0} tie.
     *
     * @param x   input, {@code rows x cols} (not modified)
     * @param out output, {@code rows} indices (overwritten)
     * @throws IllegalArgumentException also if {@code rows > 0} and {@code cols = 0}
     */
    void argmax(int rows, int cols, double[] x, int xOffset, int[] out, int outOffset);

    /** Float32 variant of {@link #argmax(int, int, double[], int, int[], int)}. */
    void argmax(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset);

    /**
     * Row top-k: the {@code k} largest entries of each row, sorted descending; equal values in ascending index order
     * (stable); NaN counts as larger than everything, as in {@link #argmax}.
     *
     * @param k       in {@code [0, cols]}; 0 gives an empty result
     * @param x       input, {@code rows x cols} (not modified)
     * @param values  output, {@code rows x k} (overwritten), or null if only the indices are wanted; must not overlap
     *                {@code x}
     * @param indices output, {@code rows x k} column indices (overwritten)
     */
    void topK(int rows, int cols, int k, double[] x, int xOffset, double[] values, int valuesOffset,
              int[] indices, int indicesOffset);

    /** Float32 variant of {@link #topK(int, int, int, double[], int, double[], int, int[], int)}. */
    void topK(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
              int[] indices, int indicesOffset);

    // ---------------------------------------------------------------------------------------------- matrix products

    /**
     * {@code C = alpha * A B + beta * C} with {@code A} {@code m x k}, {@code B} {@code k x n}, {@code C} {@code m x n},
     * all row-major. With {@code beta = 0}, {@code C} is not read (NaN in it is ignored).
     *
     * @param a input (not modified)
     * @param b input (not modified)
     * @param c output (overwritten); must not overlap {@code a} or {@code b}
     */
    void matmul(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                double beta, double[] c, int cOffset);

    /** Float32 variant of {@link #matmul(int, int, int, double, double[], int, double[], int, double, double[], int)}. */
    void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                float beta, float[] c, int cOffset);

    /**
     * {@code C = alpha * A^T B + beta * C} with {@code A} {@code k x m} (so {@code A^T} is {@code m x k}),
     * {@code B} {@code k x n}, {@code C} {@code m x n}, all row-major: the product {@code X^T G} of a gradient step.
     * With {@code beta = 0}, {@code C} is not read.
     *
     * @param a input, {@code k x m} (not modified)
     * @param b input, {@code k x n} (not modified)
     * @param c output, {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    void matmulTransA(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                      double beta, double[] c, int cOffset);

    /** Float32 variant of {@link #matmulTransA(int, int, int, double, double[], int, double[], int, double, double[], int)}. */
    void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                      float beta, float[] c, int cOffset);

    /**
     * {@code C = alpha * A B^T + beta * C} with {@code A} {@code m x k}, {@code B} {@code n x k} (so {@code B^T} is
     * {@code k x n}), {@code C} {@code m x n}, all row-major: the product {@code dZ W^T} that back-propagates a
     * gradient into a hidden layer, with no transposed copy of {@code W}. Each element is a dot product of a row of
     * {@code A} and a row of {@code B}. With {@code beta = 0}, {@code C} is not read.
     *
     * @param a input, {@code m x k} (not modified)
     * @param b input, {@code n x k} (not modified)
     * @param c output, {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    void matmulTransB(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                      double beta, double[] c, int cOffset);

    /** Float32 variant of {@link #matmulTransB(int, int, int, double, double[], int, double[], int, double, double[], int)}. */
    void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                      float beta, float[] c, int cOffset);

    // ------------------------------------------------------------------------------- views (no allocation)

    /**
     * Row softmax of a view: {@code y = softmax(x)} row by row (see the array form for the edge cases).
     *
     * @param x input (not modified)
     * @param y output, the shape of {@code x} (overwritten); may be {@code x}
     */
    default void softmax(DoubleMatrix x, DoubleMatrix y) {
        Shapes.same("softmax", "x", x, "y", y);
        softmax(x.rows(), x.cols(), x.array(), x.offset(), y.array(), y.offset());
    }

    /** Float32 variant of {@link #softmax(DoubleMatrix, DoubleMatrix)}. */
    default void softmax(FloatMatrix x, FloatMatrix y) {
        Shapes.same("softmax", "x", x, "y", y);
        softmax(x.rows(), x.cols(), x.array(), x.offset(), y.array(), y.offset());
    }

    /**
     * Softmax with temperature of a view: {@code y = softmax(x / T)} row by row, shifted first.
     *
     * @param x           input (not modified)
     * @param temperature finite and {@code > 0}
     * @param y           output, the shape of {@code x} (overwritten); may be {@code x}
     */
    default void softmax(DoubleMatrix x, double temperature, DoubleMatrix y) {
        Shapes.same("softmax", "x", x, "y", y);
        softmax(x.rows(), x.cols(), temperature, x.array(), x.offset(), y.array(), y.offset());
    }

    /** Float32 variant of {@link #softmax(DoubleMatrix, double, DoubleMatrix)}. */
    default void softmax(FloatMatrix x, float temperature, FloatMatrix y) {
        Shapes.same("softmax", "x", x, "y", y);
        softmax(x.rows(), x.cols(), temperature, x.array(), x.offset(), y.array(), y.offset());
    }

    /**
     * Masked softmax of a view: the softmax of the entries whose mask is {@code true}, 0 elsewhere.
     *
     * @param x    input (not modified)
     * @param mask the shape of {@code x}, true = take part (not modified)
     * @param y    output, the shape of {@code x} (overwritten); may be {@code x}
     */
    default void maskedSoftmax(DoubleMatrix x, BooleanMatrix mask, DoubleMatrix y) {
        Shapes.same("maskedSoftmax", "x", x, "mask", mask);
        Shapes.same("maskedSoftmax", "x", x, "y", y);
        maskedSoftmax(x.rows(), x.cols(), x.array(), x.offset(), mask.array(), mask.offset(), y.array(), y.offset());
    }

    /** Float32 variant of {@link #maskedSoftmax(DoubleMatrix, BooleanMatrix, DoubleMatrix)}. */
    default void maskedSoftmax(FloatMatrix x, BooleanMatrix mask, FloatMatrix y) {
        Shapes.same("maskedSoftmax", "x", x, "mask", mask);
        Shapes.same("maskedSoftmax", "x", x, "y", y);
        maskedSoftmax(x.rows(), x.cols(), x.array(), x.offset(), mask.array(), mask.offset(), y.array(), y.offset());
    }

    /**
     * Row log-softmax of a view.
     *
     * @param x input (not modified)
     * @param y output, the shape of {@code x} (overwritten); may be {@code x}
     */
    default void logSoftmax(DoubleMatrix x, DoubleMatrix y) {
        Shapes.same("logSoftmax", "x", x, "y", y);
        logSoftmax(x.rows(), x.cols(), x.array(), x.offset(), y.array(), y.offset());
    }

    /** Float32 variant of {@link #logSoftmax(DoubleMatrix, DoubleMatrix)}. */
    default void logSoftmax(FloatMatrix x, FloatMatrix y) {
        Shapes.same("logSoftmax", "x", x, "y", y);
        logSoftmax(x.rows(), x.cols(), x.array(), x.offset(), y.array(), y.offset());
    }

    /**
     * Row log-sum-exp of a view.
     *
     * @param x   input, {@code rows x cols} (not modified)
     * @param out output, {@code rows x 1} (overwritten); must not overlap {@code x}
     */
    default void logSumExp(DoubleMatrix x, DoubleMatrix out) {
        Shapes.perRow("logSumExp", "x", x, "out", out);
        logSumExp(x.rows(), x.cols(), x.array(), x.offset(), out.array(), out.offset());
    }

    /** Float32 variant of {@link #logSumExp(DoubleMatrix, DoubleMatrix)}. */
    default void logSumExp(FloatMatrix x, FloatMatrix out) {
        Shapes.perRow("logSumExp", "x", x, "out", out);
        logSumExp(x.rows(), x.cols(), x.array(), x.offset(), out.array(), out.offset());
    }

    /**
     * Softmax backward of views: {@code dx = y * (dy - sum(dy * y))} row by row.
     *
     * @param y  softmax output (not modified)
     * @param dy upstream gradient, the shape of {@code y} (not modified)
     * @param dx output, the shape of {@code y} (overwritten); may be {@code y} or {@code dy}
     */
    default void softmaxBackward(DoubleMatrix y, DoubleMatrix dy, DoubleMatrix dx) {
        Shapes.same("softmaxBackward", "y", y, "dy", dy);
        Shapes.same("softmaxBackward", "y", y, "dx", dx);
        softmaxBackward(y.rows(), y.cols(), y.array(), y.offset(), dy.array(), dy.offset(), dx.array(), dx.offset());
    }

    /** Float32 variant of {@link #softmaxBackward(DoubleMatrix, DoubleMatrix, DoubleMatrix)}. */
    default void softmaxBackward(FloatMatrix y, FloatMatrix dy, FloatMatrix dx) {
        Shapes.same("softmaxBackward", "y", y, "dy", dy);
        Shapes.same("softmaxBackward", "y", y, "dx", dx);
        softmaxBackward(y.rows(), y.cols(), y.array(), y.offset(), dy.array(), dy.offset(), dx.array(), dx.offset());
    }

    /**
     * Log-softmax backward of views: {@code dx = dlogp - exp(logp) * sum(dlogp)} row by row.
     *
     * @param logp  log-softmax output (not modified)
     * @param dlogp upstream gradient, the shape of {@code logp} (not modified)
     * @param dx    output, the shape of {@code logp} (overwritten); may be {@code logp} or {@code dlogp}
     */
    default void logSoftmaxBackward(DoubleMatrix logp, DoubleMatrix dlogp, DoubleMatrix dx) {
        Shapes.same("logSoftmaxBackward", "logp", logp, "dlogp", dlogp);
        Shapes.same("logSoftmaxBackward", "logp", logp, "dx", dx);
        logSoftmaxBackward(logp.rows(), logp.cols(), logp.array(), logp.offset(), dlogp.array(), dlogp.offset(),
                dx.array(), dx.offset());
    }

    /** Float32 variant of {@link #logSoftmaxBackward(DoubleMatrix, DoubleMatrix, DoubleMatrix)}. */
    default void logSoftmaxBackward(FloatMatrix logp, FloatMatrix dlogp, FloatMatrix dx) {
        Shapes.same("logSoftmaxBackward", "logp", logp, "dlogp", dlogp);
        Shapes.same("logSoftmaxBackward", "logp", logp, "dx", dx);
        logSoftmaxBackward(logp.rows(), logp.cols(), logp.array(), logp.offset(), dlogp.array(), dlogp.offset(),
                dx.array(), dx.offset());
    }

    /**
     * The softmax Jacobian {@code diag(y) - y y^T} of one softmax output.
     *
     * @param y        softmax output, {@code 1 x C} (not modified)
     * @param jacobian output, {@code C x C} (overwritten); must not overlap {@code y}
     */
    default void jacobian(DoubleMatrix y, DoubleMatrix jacobian) {
        Shapes.jacobian(y, jacobian);
        jacobian(y.cols(), y.array(), y.offset(), jacobian.array(), jacobian.offset());
    }

    /** Float32 variant of {@link #jacobian(DoubleMatrix, DoubleMatrix)}. */
    default void jacobian(FloatMatrix y, FloatMatrix jacobian) {
        Shapes.jacobian(y, jacobian);
        jacobian(y.cols(), y.array(), y.offset(), jacobian.array(), jacobian.offset());
    }

    /**
     * Keras cross-entropy from probabilities of views, per row.
     *
     * @param probabilities {@code rows x cols}, non-negative (not modified)
     * @param labels        the shape of {@code probabilities} (not modified)
     * @param eps           the clipping epsilon in {@code [0, 0.5)}; Keras uses {@link #DEFAULT_EPSILON}
     * @param loss          output, {@code rows x 1} (overwritten); must not overlap the inputs
     */
    default void crossEntropy(DoubleMatrix probabilities, DoubleMatrix labels, double eps, DoubleMatrix loss) {
        Shapes.same("crossEntropy", "probabilities", probabilities, "labels", labels);
        Shapes.perRow("crossEntropy", "probabilities", probabilities, "loss", loss);
        crossEntropy(probabilities.rows(), probabilities.cols(), probabilities.array(), probabilities.offset(),
                labels.array(), labels.offset(), eps, loss.array(), loss.offset());
    }

    /** Float32 variant of {@link #crossEntropy(DoubleMatrix, DoubleMatrix, double, DoubleMatrix)}. */
    default void crossEntropy(FloatMatrix probabilities, FloatMatrix labels, double eps, FloatMatrix loss) {
        Shapes.same("crossEntropy", "probabilities", probabilities, "labels", labels);
        Shapes.perRow("crossEntropy", "probabilities", probabilities, "loss", loss);
        crossEntropy(probabilities.rows(), probabilities.cols(), probabilities.array(), probabilities.offset(),
                labels.array(), labels.offset(), eps, loss.array(), loss.offset());
    }

    /**
     * Softmax cross-entropy with logits of views, dense labels, fused with its gradient.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param labels   the shape of {@code logits} (not modified)
     * @param options  reduction, class weights, label smoothing; null means {@link CrossEntropyOptions#DEFAULT}
     * @param gradient the shape of {@code logits} (overwritten), or null; may be {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     */
    default double softmaxCrossEntropyWithLogits(DoubleMatrix logits, DoubleMatrix labels, CrossEntropyOptions options,
                                                 DoubleMatrix gradient) {
        return softmaxCrossEntropyWithLogits(logits, labels, options, null, gradient);
    }

    /**
     * Float32 variant of
     * {@link #softmaxCrossEntropyWithLogits(DoubleMatrix, DoubleMatrix, CrossEntropyOptions, DoubleMatrix)}.
     */
    default float softmaxCrossEntropyWithLogits(FloatMatrix logits, FloatMatrix labels, CrossEntropyOptions options,
                                                FloatMatrix gradient) {
        return softmaxCrossEntropyWithLogits(logits, labels, options, null, gradient);
    }

    /**
     * Softmax cross-entropy with logits of views, dense labels, with the per-row losses and the gradient.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param labels   the shape of {@code logits} (not modified)
     * @param options  reduction, class weights, label smoothing; null means {@link CrossEntropyOptions#DEFAULT}
     * @param loss     per-row losses, {@code rows x 1} (overwritten), or null
     * @param gradient the shape of {@code logits} (overwritten), or null; may be {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     */
    default double softmaxCrossEntropyWithLogits(DoubleMatrix logits, DoubleMatrix labels, CrossEntropyOptions options,
                                                 DoubleMatrix loss, DoubleMatrix gradient) {
        Shapes.same("softmaxCrossEntropyWithLogits", "logits", logits, "labels", labels);
        Shapes.lossOutputs("softmaxCrossEntropyWithLogits", logits, loss, gradient);
        return softmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                labels.array(), labels.offset(), options, loss == null ? null : loss.array(),
                loss == null ? 0 : loss.offset(), gradient == null ? null : gradient.array(),
                gradient == null ? 0 : gradient.offset());
    }

    /**
     * Float32 variant of
     * {@link #softmaxCrossEntropyWithLogits(DoubleMatrix, DoubleMatrix, CrossEntropyOptions, DoubleMatrix, DoubleMatrix)}.
     */
    default float softmaxCrossEntropyWithLogits(FloatMatrix logits, FloatMatrix labels, CrossEntropyOptions options,
                                                FloatMatrix loss, FloatMatrix gradient) {
        Shapes.same("softmaxCrossEntropyWithLogits", "logits", logits, "labels", labels);
        Shapes.lossOutputs("softmaxCrossEntropyWithLogits", logits, loss, gradient);
        return softmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                labels.array(), labels.offset(), options, loss == null ? null : loss.array(),
                loss == null ? 0 : loss.offset(), gradient == null ? null : gradient.array(),
                gradient == null ? 0 : gradient.offset());
    }

    /**
     * Sparse softmax cross-entropy with logits of views (one class per row), fused with its gradient: the step of a
     * classifier, {@code loss = ops.sparseSoftmaxCrossEntropyWithLogits(z, y, options, dz)}.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param classes  one class per row of {@code logits}, in {@code [0, cols)} or the ignore index (not modified)
     * @param options  reduction, class weights, label smoothing, ignore index; null means
     *                 {@link CrossEntropyOptions#DEFAULT}
     * @param gradient the shape of {@code logits} (overwritten), or null; may be {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     */
    default double sparseSoftmaxCrossEntropyWithLogits(DoubleMatrix logits, ClassLabels classes,
                                                       CrossEntropyOptions options, DoubleMatrix gradient) {
        return sparseSoftmaxCrossEntropyWithLogits(logits, classes, options, null, gradient);
    }

    /**
     * Float32 variant of
     * {@link #sparseSoftmaxCrossEntropyWithLogits(DoubleMatrix, ClassLabels, CrossEntropyOptions, DoubleMatrix)}.
     */
    default float sparseSoftmaxCrossEntropyWithLogits(FloatMatrix logits, ClassLabels classes,
                                                      CrossEntropyOptions options, FloatMatrix gradient) {
        return sparseSoftmaxCrossEntropyWithLogits(logits, classes, options, null, gradient);
    }

    /**
     * Sparse softmax cross-entropy with logits of views, with the per-row losses and the gradient.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param classes  one class per row of {@code logits}, in {@code [0, cols)} or the ignore index (not modified)
     * @param options  reduction, class weights, label smoothing, ignore index; null means
     *                 {@link CrossEntropyOptions#DEFAULT}
     * @param loss     per-row losses, {@code rows x 1} (overwritten), or null
     * @param gradient the shape of {@code logits} (overwritten), or null; may be {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     */
    default double sparseSoftmaxCrossEntropyWithLogits(DoubleMatrix logits, ClassLabels classes,
                                                       CrossEntropyOptions options, DoubleMatrix loss,
                                                       DoubleMatrix gradient) {
        Shapes.labels("sparseSoftmaxCrossEntropyWithLogits", logits, "classes", classes);
        Shapes.lossOutputs("sparseSoftmaxCrossEntropyWithLogits", logits, loss, gradient);
        return sparseSoftmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                classes.array(), classes.offset(), options, loss == null ? null : loss.array(),
                loss == null ? 0 : loss.offset(), gradient == null ? null : gradient.array(),
                gradient == null ? 0 : gradient.offset());
    }

    /**
     * Float32 variant of
     * {@link #sparseSoftmaxCrossEntropyWithLogits(DoubleMatrix, ClassLabels, CrossEntropyOptions, DoubleMatrix, DoubleMatrix)}.
     */
    default float sparseSoftmaxCrossEntropyWithLogits(FloatMatrix logits, ClassLabels classes,
                                                      CrossEntropyOptions options, FloatMatrix loss,
                                                      FloatMatrix gradient) {
        Shapes.labels("sparseSoftmaxCrossEntropyWithLogits", logits, "classes", classes);
        Shapes.lossOutputs("sparseSoftmaxCrossEntropyWithLogits", logits, loss, gradient);
        return sparseSoftmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                classes.array(), classes.offset(), options, loss == null ? null : loss.array(),
                loss == null ? 0 : loss.offset(), gradient == null ? null : gradient.array(),
                gradient == null ? 0 : gradient.offset());
    }

    /**
     * Row argmax of a view: the predicted class of each row.
     *
     * @param x   input, {@code rows x cols} (not modified)
     * @param out one index per row of {@code x} (overwritten)
     */
    default void argmax(DoubleMatrix x, ClassLabels out) {
        Shapes.labels("argmax", x, "out", out);
        argmax(x.rows(), x.cols(), x.array(), x.offset(), out.array(), out.offset());
    }

    /** Float32 variant of {@link #argmax(DoubleMatrix, ClassLabels)}. */
    default void argmax(FloatMatrix x, ClassLabels out) {
        Shapes.labels("argmax", x, "out", out);
        argmax(x.rows(), x.cols(), x.array(), x.offset(), out.array(), out.offset());
    }

    /**
     * Top-k of each row of a view: the {@code k} largest values of the row in descending order and their column
     * indices, as {@link #topK(int, int, int, double[], int, double[], int, int[], int)} (ties to the lower index,
     * NaN larger than everything).
     *
     * @param x       input, {@code rows x cols} (not modified)
     * @param k       in {@code [0, cols]}; 0 gives an empty result
     * @param values  output, {@code rows x k} (overwritten), or null if only the indices are wanted; must not overlap
     *                {@code x}
     * @param indices output, {@code rows x k} column indices (overwritten)
     * @throws IllegalArgumentException if {@code values} or {@code indices} is not {@code rows x k}, or {@code k} is
     *                                  outside {@code [0, cols]}
     */
    default void topK(DoubleMatrix x, int k, DoubleMatrix values, IntMatrix indices) {
        Shapes.topK(x, k, values, indices);
        topK(x.rows(), x.cols(), k, x.array(), x.offset(), values == null ? null : values.array(),
                values == null ? 0 : values.offset(), indices.array(), indices.offset());
    }

    /** Float32 variant of {@link #topK(DoubleMatrix, int, DoubleMatrix, IntMatrix)}. */
    default void topK(FloatMatrix x, int k, FloatMatrix values, IntMatrix indices) {
        Shapes.topK(x, k, values, indices);
        topK(x.rows(), x.cols(), k, x.array(), x.offset(), values == null ? null : values.array(),
                values == null ? 0 : values.offset(), indices.array(), indices.offset());
    }

    /**
     * {@code C = A B} of views.
     *
     * @param a {@code m x k} (not modified)
     * @param b {@code k x n} (not modified)
     * @param c {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    default void matmul(DoubleMatrix a, DoubleMatrix b, DoubleMatrix c) {
        matmul(1, a, b, 0, c);
    }

    /** Float32 variant of {@link #matmul(DoubleMatrix, DoubleMatrix, DoubleMatrix)}. */
    default void matmul(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
        matmul(1, a, b, 0, c);
    }

    /**
     * {@code C = alpha A B + beta C} of views; with {@code beta = 0}, {@code C} is not read.
     *
     * @param a {@code m x k} (not modified)
     * @param b {@code k x n} (not modified)
     * @param c {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    default void matmul(double alpha, DoubleMatrix a, DoubleMatrix b, double beta, DoubleMatrix c) {
        int k = Shapes.product("matmul", a, false, b, false, c);
        matmul(c.rows(), k, c.cols(), alpha, a.array(), a.offset(), b.array(), b.offset(), beta, c.array(), c.offset());
    }

    /** Float32 variant of {@link #matmul(double, DoubleMatrix, DoubleMatrix, double, DoubleMatrix)}. */
    default void matmul(float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        int k = Shapes.product("matmul", a, false, b, false, c);
        matmul(c.rows(), k, c.cols(), alpha, a.array(), a.offset(), b.array(), b.offset(), beta, c.array(), c.offset());
    }

    /**
     * {@code C = A^T B} of views: the weight gradient {@code X^T G} of a step.
     *
     * @param a {@code k x m} (not modified)
     * @param b {@code k x n} (not modified)
     * @param c {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    default void matmulTransA(DoubleMatrix a, DoubleMatrix b, DoubleMatrix c) {
        matmulTransA(1, a, b, 0, c);
    }

    /** Float32 variant of {@link #matmulTransA(DoubleMatrix, DoubleMatrix, DoubleMatrix)}. */
    default void matmulTransA(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
        matmulTransA(1, a, b, 0, c);
    }

    /**
     * {@code C = alpha A^T B + beta C} of views; with {@code beta = 0}, {@code C} is not read.
     *
     * @param a {@code k x m} (not modified)
     * @param b {@code k x n} (not modified)
     * @param c {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    default void matmulTransA(double alpha, DoubleMatrix a, DoubleMatrix b, double beta, DoubleMatrix c) {
        int k = Shapes.product("matmulTransA", a, true, b, false, c);
        matmulTransA(c.rows(), k, c.cols(), alpha, a.array(), a.offset(), b.array(), b.offset(), beta, c.array(),
                c.offset());
    }

    /** Float32 variant of {@link #matmulTransA(double, DoubleMatrix, DoubleMatrix, double, DoubleMatrix)}. */
    default void matmulTransA(float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        int k = Shapes.product("matmulTransA", a, true, b, false, c);
        matmulTransA(c.rows(), k, c.cols(), alpha, a.array(), a.offset(), b.array(), b.offset(), beta, c.array(),
                c.offset());
    }

    /**
     * {@code C = A B^T} of views: the gradient {@code dH = dZ W^T} flowing back into a hidden layer.
     *
     * @param a {@code m x k} (not modified)
     * @param b {@code n x k} (not modified)
     * @param c {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    default void matmulTransB(DoubleMatrix a, DoubleMatrix b, DoubleMatrix c) {
        matmulTransB(1, a, b, 0, c);
    }

    /** Float32 variant of {@link #matmulTransB(DoubleMatrix, DoubleMatrix, DoubleMatrix)}. */
    default void matmulTransB(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
        matmulTransB(1, a, b, 0, c);
    }

    /**
     * {@code C = alpha A B^T + beta C} of views; with {@code beta = 0}, {@code C} is not read.
     *
     * @param a {@code m x k} (not modified)
     * @param b {@code n x k} (not modified)
     * @param c {@code m x n} (overwritten); must not overlap {@code a} or {@code b}
     */
    default void matmulTransB(double alpha, DoubleMatrix a, DoubleMatrix b, double beta, DoubleMatrix c) {
        int k = Shapes.product("matmulTransB", a, false, b, true, c);
        matmulTransB(c.rows(), k, c.cols(), alpha, a.array(), a.offset(), b.array(), b.offset(), beta, c.array(),
                c.offset());
    }

    /** Float32 variant of {@link #matmulTransB(double, DoubleMatrix, DoubleMatrix, double, DoubleMatrix)}. */
    default void matmulTransB(float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        int k = Shapes.product("matmulTransB", a, false, b, true, c);
        matmulTransB(c.rows(), k, c.cols(), alpha, a.array(), a.offset(), b.array(), b.offset(), beta, c.array(),
                c.offset());
    }

    /**
     * Masked log-softmax of a view: the log-softmax over the entries whose mask is {@code true}, {@code -inf}
     * elsewhere.
     *
     * @param x    input (not modified)
     * @param mask the shape of {@code x}, true = take part (not modified)
     * @param y    output, the shape of {@code x} (overwritten); may be {@code x}
     */
    default void maskedLogSoftmax(DoubleMatrix x, BooleanMatrix mask, DoubleMatrix y) {
        Shapes.same("maskedLogSoftmax", "x", x, "mask", mask);
        Shapes.same("maskedLogSoftmax", "x", x, "y", y);
        maskedLogSoftmax(x.rows(), x.cols(), x.array(), x.offset(), mask.array(), mask.offset(), y.array(), y.offset());
    }

    /** Float32 variant of {@link #maskedLogSoftmax(DoubleMatrix, BooleanMatrix, DoubleMatrix)}. */
    default void maskedLogSoftmax(FloatMatrix x, BooleanMatrix mask, FloatMatrix y) {
        Shapes.same("maskedLogSoftmax", "x", x, "mask", mask);
        Shapes.same("maskedLogSoftmax", "x", x, "y", y);
        maskedLogSoftmax(x.rows(), x.cols(), x.array(), x.offset(), mask.array(), mask.offset(), y.array(), y.offset());
    }

    /**
     * Masked log-sum-exp of a view: per row, over the entries whose mask is {@code true}.
     *
     * @param x    input, {@code rows x cols} (not modified)
     * @param mask the shape of {@code x}, true = take part (not modified)
     * @param out  output, {@code rows x 1} (overwritten); must not overlap {@code x}
     */
    default void maskedLogSumExp(DoubleMatrix x, BooleanMatrix mask, DoubleMatrix out) {
        Shapes.same("maskedLogSumExp", "x", x, "mask", mask);
        Shapes.perRow("maskedLogSumExp", "x", x, "out", out);
        maskedLogSumExp(x.rows(), x.cols(), x.array(), x.offset(), mask.array(), mask.offset(), out.array(),
                out.offset());
    }

    /** Float32 variant of {@link #maskedLogSumExp(DoubleMatrix, BooleanMatrix, DoubleMatrix)}. */
    default void maskedLogSumExp(FloatMatrix x, BooleanMatrix mask, FloatMatrix out) {
        Shapes.same("maskedLogSumExp", "x", x, "mask", mask);
        Shapes.perRow("maskedLogSumExp", "x", x, "out", out);
        maskedLogSumExp(x.rows(), x.cols(), x.array(), x.offset(), mask.array(), mask.offset(), out.array(),
                out.offset());
    }

    /**
     * Masked softmax cross-entropy with logits of views, dense labels: masked classes take no probability and get a
     * zero gradient.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param mask     the shape of {@code logits}, true = the class takes part (not modified)
     * @param labels   the shape of {@code logits} (not modified)
     * @param options  reduction, class weights, label smoothing; null means {@link CrossEntropyOptions#DEFAULT}
     * @param loss     per-row losses, {@code rows x 1} (overwritten), or null
     * @param gradient the shape of {@code logits} (overwritten), or null; may be {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     */
    default double softmaxCrossEntropyWithLogits(DoubleMatrix logits, BooleanMatrix mask, DoubleMatrix labels,
                                                 CrossEntropyOptions options, DoubleMatrix loss,
                                                 DoubleMatrix gradient) {
        Shapes.same("softmaxCrossEntropyWithLogits", "logits", logits, "mask", mask);
        Shapes.same("softmaxCrossEntropyWithLogits", "logits", logits, "labels", labels);
        Shapes.lossOutputs("softmaxCrossEntropyWithLogits", logits, loss, gradient);
        return softmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                mask.array(), mask.offset(), labels.array(), labels.offset(), options,
                loss == null ? null : loss.array(), loss == null ? 0 : loss.offset(),
                gradient == null ? null : gradient.array(), gradient == null ? 0 : gradient.offset());
    }

    /**
     * Float32 variant of
     * {@link #softmaxCrossEntropyWithLogits(DoubleMatrix, BooleanMatrix, DoubleMatrix, CrossEntropyOptions, DoubleMatrix, DoubleMatrix)}.
     */
    default float softmaxCrossEntropyWithLogits(FloatMatrix logits, BooleanMatrix mask, FloatMatrix labels,
                                                CrossEntropyOptions options, FloatMatrix loss, FloatMatrix gradient) {
        Shapes.same("softmaxCrossEntropyWithLogits", "logits", logits, "mask", mask);
        Shapes.same("softmaxCrossEntropyWithLogits", "logits", logits, "labels", labels);
        Shapes.lossOutputs("softmaxCrossEntropyWithLogits", logits, loss, gradient);
        return softmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                mask.array(), mask.offset(), labels.array(), labels.offset(), options,
                loss == null ? null : loss.array(), loss == null ? 0 : loss.offset(),
                gradient == null ? null : gradient.array(), gradient == null ? 0 : gradient.offset());
    }

    /**
     * Masked sparse softmax cross-entropy with logits of views: the loss over the legal classes only (a parser's legal
     * actions); masked classes take no probability and get a zero gradient, a masked target is an error naming the row.
     *
     * @param logits   {@code rows x cols} (not modified)
     * @param mask     the shape of {@code logits}, true = the class takes part (not modified)
     * @param classes  one class per row of {@code logits}, unmasked, or the ignore index (not modified)
     * @param options  reduction, class weights, label smoothing, ignore index; null means
     *                 {@link CrossEntropyOptions#DEFAULT}
     * @param loss     per-row losses, {@code rows x 1} (overwritten), or null
     * @param gradient the shape of {@code logits} (overwritten), or null; may be {@code logits}
     * @return the reduced loss ({@link Reduction#NONE} returns the sum)
     */
    default double sparseSoftmaxCrossEntropyWithLogits(DoubleMatrix logits, BooleanMatrix mask, ClassLabels classes,
                                                       CrossEntropyOptions options, DoubleMatrix loss,
                                                       DoubleMatrix gradient) {
        Shapes.same("sparseSoftmaxCrossEntropyWithLogits", "logits", logits, "mask", mask);
        Shapes.labels("sparseSoftmaxCrossEntropyWithLogits", logits, "classes", classes);
        Shapes.lossOutputs("sparseSoftmaxCrossEntropyWithLogits", logits, loss, gradient);
        return sparseSoftmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                mask.array(), mask.offset(), classes.array(), classes.offset(), options,
                loss == null ? null : loss.array(), loss == null ? 0 : loss.offset(),
                gradient == null ? null : gradient.array(), gradient == null ? 0 : gradient.offset());
    }

    /**
     * Float32 variant of
     * {@link #sparseSoftmaxCrossEntropyWithLogits(DoubleMatrix, BooleanMatrix, ClassLabels, CrossEntropyOptions, DoubleMatrix, DoubleMatrix)}.
     */
    default float sparseSoftmaxCrossEntropyWithLogits(FloatMatrix logits, BooleanMatrix mask, ClassLabels classes,
                                                      CrossEntropyOptions options, FloatMatrix loss,
                                                      FloatMatrix gradient) {
        Shapes.same("sparseSoftmaxCrossEntropyWithLogits", "logits", logits, "mask", mask);
        Shapes.labels("sparseSoftmaxCrossEntropyWithLogits", logits, "classes", classes);
        Shapes.lossOutputs("sparseSoftmaxCrossEntropyWithLogits", logits, loss, gradient);
        return sparseSoftmaxCrossEntropyWithLogits(logits.rows(), logits.cols(), logits.array(), logits.offset(),
                mask.array(), mask.offset(), classes.array(), classes.offset(), options,
                loss == null ? null : loss.array(), loss == null ? 0 : loss.offset(),
                gradient == null ? null : gradient.array(), gradient == null ? 0 : gradient.offset());
    }

    // ------------------------------------------------------------------------------------ convenience (allocating)

    /** @return the masked log-softmax of one vector ({@code mask} true = take part; masked: -inf), in a new array */
    default double[] maskedLogSoftmax(double[] x, boolean[] mask) {
        double[] y = new double[notNullLength("x", x)];
        maskedLogSoftmax(1, x.length, x, 0, mask, 0, y, 0);
        return y;
    }

    /** @return the masked log-softmax of one vector ({@code mask} true = take part; masked: -inf), in a new array */
    default float[] maskedLogSoftmax(float[] x, boolean[] mask) {
        float[] y = new float[notNullLength("x", x)];
        maskedLogSoftmax(1, x.length, x, 0, mask, 0, y, 0);
        return y;
    }

    /** @return {@code log(sum(exp(x)))} over the entries of one vector whose mask is true (-inf if none) */
    default double maskedLogSumExp(double[] x, boolean[] mask) {
        double[] out = new double[1];
        maskedLogSumExp(1, notNullLength("x", x), x, 0, mask, 0, out, 0);
        return out[0];
    }

    /** @return {@code log(sum(exp(x)))} over the entries of one vector whose mask is true (-inf if none) */
    default float maskedLogSumExp(float[] x, boolean[] mask) {
        float[] out = new float[1];
        maskedLogSumExp(1, notNullLength("x", x), x, 0, mask, 0, out, 0);
        return out[0];
    }

    /**
     * @return Keras' default {@code CategoricalCrossentropy()} of a whole {@code rows x cols} batch at offset 0: the
     *         mean over the rows, eps = {@link #DEFAULT_EPSILON}
     */
    default double crossEntropy(int rows, int cols, double[] probabilities, double[] labels) {
        return crossEntropy(rows, cols, probabilities, 0, labels, 0, DEFAULT_EPSILON, Reduction.MEAN, null, 0);
    }

    /**
     * @return Keras' default {@code CategoricalCrossentropy()} of a whole {@code rows x cols} batch at offset 0: the
     *         mean over the rows, eps = {@link #DEFAULT_EPSILON}
     */
    default float crossEntropy(int rows, int cols, float[] probabilities, float[] labels) {
        return crossEntropy(rows, cols, probabilities, 0, labels, 0, DEFAULT_EPSILON, Reduction.MEAN, null, 0);
    }

    /** @return {@code softmax(x)} of one vector, in a new array */
    default double[] softmax(double... x) {
        double[] y = new double[notNullLength("x", x)];
        softmax(1, x.length, x, 0, y, 0);
        return y;
    }

    /** @return {@code softmax(x)} of one vector, in a new array */
    default float[] softmax(float... x) {
        float[] y = new float[notNullLength("x", x)];
        softmax(1, x.length, x, 0, y, 0);
        return y;
    }

    /** @return the row softmax of a whole {@code rows x cols} matrix at offset 0, in a new array */
    default double[] softmax(int rows, int cols, double[] x) {
        double[] y = new double[checkedNewLength(rows, cols, x)];
        softmax(rows, cols, x, 0, y, 0);
        return y;
    }

    /** @return the row softmax of a whole {@code rows x cols} matrix at offset 0, in a new array */
    default float[] softmax(int rows, int cols, float[] x) {
        float[] y = new float[checkedNewLength(rows, cols, x)];
        softmax(rows, cols, x, 0, y, 0);
        return y;
    }

    /** @return {@code softmax(x / T)} (shifted first) of one vector, in a new array */
    default double[] softmax(double[] x, double temperature) {
        double[] y = new double[notNullLength("x", x)];
        softmax(1, x.length, temperature, x, 0, y, 0);
        return y;
    }

    /** @return {@code softmax(x / T)} (shifted first) of one vector, in a new array */
    default float[] softmax(float[] x, float temperature) {
        float[] y = new float[notNullLength("x", x)];
        softmax(1, x.length, temperature, x, 0, y, 0);
        return y;
    }

    /** @return the masked softmax of one vector ({@code mask} true = take part), in a new array */
    default double[] maskedSoftmax(double[] x, boolean[] mask) {
        double[] y = new double[notNullLength("x", x)];
        maskedSoftmax(1, x.length, x, 0, mask, 0, y, 0);
        return y;
    }

    /** @return the masked softmax of one vector ({@code mask} true = take part), in a new array */
    default float[] maskedSoftmax(float[] x, boolean[] mask) {
        float[] y = new float[notNullLength("x", x)];
        maskedSoftmax(1, x.length, x, 0, mask, 0, y, 0);
        return y;
    }

    /** @return {@code logSoftmax(x)} of one vector, in a new array */
    default double[] logSoftmax(double... x) {
        double[] y = new double[notNullLength("x", x)];
        logSoftmax(1, x.length, x, 0, y, 0);
        return y;
    }

    /** @return {@code logSoftmax(x)} of one vector, in a new array */
    default float[] logSoftmax(float... x) {
        float[] y = new float[notNullLength("x", x)];
        logSoftmax(1, x.length, x, 0, y, 0);
        return y;
    }

    /** @return the row log-softmax of a whole {@code rows x cols} matrix at offset 0, in a new array */
    default double[] logSoftmax(int rows, int cols, double[] x) {
        double[] y = new double[checkedNewLength(rows, cols, x)];
        logSoftmax(rows, cols, x, 0, y, 0);
        return y;
    }

    /** @return the row log-softmax of a whole {@code rows x cols} matrix at offset 0, in a new array */
    default float[] logSoftmax(int rows, int cols, float[] x) {
        float[] y = new float[checkedNewLength(rows, cols, x)];
        logSoftmax(rows, cols, x, 0, y, 0);
        return y;
    }

    /** @return {@code log(sum(exp(x)))} of one vector */
    default double logSumExp(double... x) {
        double[] out = new double[1];
        logSumExp(1, notNullLength("x", x), x, 0, out, 0);
        return out[0];
    }

    /** @return {@code log(sum(exp(x)))} of one vector */
    default float logSumExp(float... x) {
        float[] out = new float[1];
        logSumExp(1, notNullLength("x", x), x, 0, out, 0);
        return out[0];
    }

    /** @return the softmax backward {@code y * (dy - sum(dy * y))} of one vector, in a new array */
    default double[] softmaxBackward(double[] y, double[] dy) {
        double[] dx = new double[notNullLength("y", y)];
        softmaxBackward(1, y.length, y, 0, dy, 0, dx, 0);
        return dx;
    }

    /** @return the softmax backward {@code y * (dy - sum(dy * y))} of one vector, in a new array */
    default float[] softmaxBackward(float[] y, float[] dy) {
        float[] dx = new float[notNullLength("y", y)];
        softmaxBackward(1, y.length, y, 0, dy, 0, dx, 0);
        return dx;
    }

    /** @return the log-softmax backward {@code dlogp - exp(logp) * sum(dlogp)} of one vector, in a new array */
    default double[] logSoftmaxBackward(double[] logp, double[] dlogp) {
        double[] dx = new double[notNullLength("logp", logp)];
        logSoftmaxBackward(1, logp.length, logp, 0, dlogp, 0, dx, 0);
        return dx;
    }

    /** @return the log-softmax backward {@code dlogp - exp(logp) * sum(dlogp)} of one vector, in a new array */
    default float[] logSoftmaxBackward(float[] logp, float[] dlogp) {
        float[] dx = new float[notNullLength("logp", logp)];
        logSoftmaxBackward(1, logp.length, logp, 0, dlogp, 0, dx, 0);
        return dx;
    }

    /** @return the {@code C x C} softmax Jacobian {@code diag(y) - y y^T} of one softmax output, in a new array */
    default double[] jacobian(double... y) {
        int cols = notNullLength("y", y);
        double[] jac = new double[Validate.allocatable("jacobian", Validate.product("cols * cols", cols, cols), Double.BYTES)];
        jacobian(cols, y, 0, jac, 0);
        return jac;
    }

    /** @return the {@code C x C} softmax Jacobian {@code diag(y) - y y^T} of one softmax output, in a new array */
    default float[] jacobian(float... y) {
        int cols = notNullLength("y", y);
        float[] jac = new float[Validate.allocatable("jacobian", Validate.product("cols * cols", cols, cols), Float.BYTES)];
        jacobian(cols, y, 0, jac, 0);
        return jac;
    }

    /** @return the Keras cross-entropy of one probability vector and its labels, eps = {@link #DEFAULT_EPSILON} */
    default double crossEntropy(double[] probabilities, double[] labels) {
        double[] loss = new double[1];
        int cols = Validate.nonEmpty("probabilities", notNullLength("probabilities", probabilities));
        crossEntropy(1, cols, probabilities, 0, labels, 0, DEFAULT_EPSILON, loss, 0);
        return loss[0];
    }

    /** @return the Keras cross-entropy of one probability vector and its labels, eps = {@link #DEFAULT_EPSILON} */
    default float crossEntropy(float[] probabilities, float[] labels) {
        float[] loss = new float[1];
        int cols = Validate.nonEmpty("probabilities", notNullLength("probabilities", probabilities));
        crossEntropy(1, cols, probabilities, 0, labels, 0, DEFAULT_EPSILON, loss, 0);
        return loss[0];
    }

    /**
     * @param gradient {@code logits.length} values (overwritten) for {@code softmax(logits) * sum(labels) - labels},
     *                 or null
     * @return the softmax cross-entropy of one logit vector with dense labels
     */
    default double softmaxCrossEntropyWithLogits(double[] logits, double[] labels, double[] gradient) {
        return softmaxCrossEntropyWithLogits(1, Validate.nonEmpty("logits", notNullLength("logits", logits)), logits, 0,
                labels, 0, CrossEntropyOptions.DEFAULT, null, 0, gradient, 0);
    }

    /**
     * @param gradient {@code logits.length} values (overwritten) for {@code softmax(logits) * sum(labels) - labels},
     *                 or null
     * @return the softmax cross-entropy of one logit vector with dense labels
     */
    default float softmaxCrossEntropyWithLogits(float[] logits, float[] labels, float[] gradient) {
        return softmaxCrossEntropyWithLogits(1, Validate.nonEmpty("logits", notNullLength("logits", logits)), logits, 0,
                labels, 0, CrossEntropyOptions.DEFAULT, null, 0, gradient, 0);
    }

    /**
     * @param gradient {@code logits.length} values (overwritten) for {@code softmax(logits) - onehot(label)}, or null
     * @return the softmax cross-entropy of one logit vector with a class index
     */
    default double sparseSoftmaxCrossEntropyWithLogits(double[] logits, int label, double[] gradient) {
        int cols = Validate.nonEmpty("logits", notNullLength("logits", logits));
        Validate.label(label, cols, CrossEntropyOptions.DEFAULT_IGNORE_INDEX);
        return sparseSoftmaxCrossEntropyWithLogits(1, cols, logits, 0, new int[] {label}, 0,
                CrossEntropyOptions.DEFAULT, null, 0, gradient, 0);
    }

    /**
     * @param gradient {@code logits.length} values (overwritten) for {@code softmax(logits) - onehot(label)}, or null
     * @return the softmax cross-entropy of one logit vector with a class index
     */
    default float sparseSoftmaxCrossEntropyWithLogits(float[] logits, int label, float[] gradient) {
        int cols = Validate.nonEmpty("logits", notNullLength("logits", logits));
        Validate.label(label, cols, CrossEntropyOptions.DEFAULT_IGNORE_INDEX);
        return sparseSoftmaxCrossEntropyWithLogits(1, cols, logits, 0, new int[] {label}, 0,
                CrossEntropyOptions.DEFAULT, null, 0, gradient, 0);
    }

    /**
     * Whole-matrix form (offsets 0) of the sparse op.
     *
     * @param gradient {@code rows x cols} (overwritten), or null
     * @return the reduced loss
     */
    default double sparseSoftmaxCrossEntropyWithLogits(int rows, int cols, double[] logits, int[] classes,
                                                       CrossEntropyOptions options, double[] gradient) {
        return sparseSoftmaxCrossEntropyWithLogits(rows, cols, logits, 0, classes, 0, options, null, 0, gradient, 0);
    }

    /**
     * Whole-matrix form (offsets 0) of the sparse op.
     *
     * @param gradient {@code rows x cols} (overwritten), or null
     * @return the reduced loss
     */
    default float sparseSoftmaxCrossEntropyWithLogits(int rows, int cols, float[] logits, int[] classes,
                                                      CrossEntropyOptions options, float[] gradient) {
        return sparseSoftmaxCrossEntropyWithLogits(rows, cols, logits, 0, classes, 0, options, null, 0, gradient, 0);
    }

    /**
     * Whole-matrix form (offsets 0) of the dense op.
     *
     * @param gradient {@code rows x cols} (overwritten), or null
     * @return the reduced loss
     */
    default double softmaxCrossEntropyWithLogits(int rows, int cols, double[] logits, double[] labels,
                                                 CrossEntropyOptions options, double[] gradient) {
        return softmaxCrossEntropyWithLogits(rows, cols, logits, 0, labels, 0, options, null, 0, gradient, 0);
    }

    /**
     * Whole-matrix form (offsets 0) of the dense op.
     *
     * @param gradient {@code rows x cols} (overwritten), or null
     * @return the reduced loss
     */
    default float softmaxCrossEntropyWithLogits(int rows, int cols, float[] logits, float[] labels,
                                                CrossEntropyOptions options, float[] gradient) {
        return softmaxCrossEntropyWithLogits(rows, cols, logits, 0, labels, 0, options, null, 0, gradient, 0);
    }

    /** @return the index of the largest entry of one vector (ties: lowest index; NaN wins) */
    default int argmax(double... x) {
        int[] out = new int[1];
        argmax(1, Validate.nonEmpty("x", notNullLength("x", x)), x, 0, out, 0);
        return out[0];
    }

    /** @return the index of the largest entry of one vector (ties: lowest index; NaN wins) */
    default int argmax(float... x) {
        int[] out = new int[1];
        argmax(1, Validate.nonEmpty("x", notNullLength("x", x)), x, 0, out, 0);
        return out[0];
    }

    /** @return the indices of the {@code k} largest entries of one vector, largest first (ties: lowest index first) */
    default int[] topK(double[] x, int k) {
        Validate.topK(k, notNullLength("x", x));
        int[] indices = new int[k];
        topK(1, x.length, k, x, 0, null, 0, indices, 0);
        return indices;
    }

    /** @return the indices of the {@code k} largest entries of one vector, largest first (ties: lowest index first) */
    default int[] topK(float[] x, int k) {
        Validate.topK(k, notNullLength("x", x));
        int[] indices = new int[k];
        topK(1, x.length, k, x, 0, null, 0, indices, 0);
        return indices;
    }

    /** Validates {@code x} as a whole {@code rows x cols} input before the output of that size is allocated. */
    private static int checkedNewLength(int rows, int cols, double[] x) {
        int n = Validate.shape(rows, cols);
        Validate.region("x", x, 0, n);
        return Validate.allocatable("y", n, Double.BYTES);
    }

    /** Validates {@code x} as a whole {@code rows x cols} input before the output of that size is allocated. */
    private static int checkedNewLength(int rows, int cols, float[] x) {
        int n = Validate.shape(rows, cols);
        Validate.region("x", x, 0, n);
        return Validate.allocatable("y", n, Float.BYTES);
    }

    private static int notNullLength(String name, double[] a) {
        return Validate.notNull(name, a).length;
    }

    private static int notNullLength(String name, float[] a) {
        return Validate.notNull(name, a).length;
    }
}
