package org.softmax4j.ejml;

import org.ejml.data.BMatrixRMaj;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.data.Matrix;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.Validate;

/**
 * Every op of {@link SoftmaxOps} on EJML's row-major matrices, {@link DMatrixRMaj} (float64) and {@link FMatrixRMaj}
 * (float32), in the style of {@code CommonOps_DDRM}: static methods, the matrix carries the shape, nothing is copied
 * (each call runs the {@code "ejml"} backend on the matrices' own {@code data} arrays), and the same checks and messages
 * as the SPI, since every call goes through {@link org.softmax4j.AbstractSoftmaxOps}.
 *
 * <p>Shapes: rows are the batch, columns the classes (row-major, class axis last). Inputs must agree in shape (an
 * {@link IllegalArgumentException} names the argument, the expected and the actual shape). An output argument may be
 * {@code null} (a new matrix is declared and returned), or a matrix that is reshaped to the result's shape
 * ({@code reshape}, which keeps its array when it is large enough), as EJML's own ops do; where the op allows it the
 * output may be an input itself (in place): {@code softmax(x, x)}, {@code softmaxBackward(y, dy, dy)},
 * {@code softmaxCrossEntropyWithLogits(logits, ..., logits)}. A per-row result ({@code logSumExp}, the
 * cross-entropy losses) is a {@code rows x 1} column. The optional outputs of the cross-entropies with logits
 * ({@code loss}, {@code gradient}) are not computed when {@code null}.
 *
 * <p>A training step of softmax regression, {@code X} a {@code batch x features} matrix and {@code W} a
 * {@code features x classes} matrix, all without allocation after the first step:
 * <pre>{@code
 * EjmlSoftmax.matmul(1, x, w, 0, logits);                                         // logits = X W
 * double loss = EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(logits, classes,
 *         CrossEntropyOptions.DEFAULT, null, logits);                             // the mean loss; logits := gradient
 * EjmlSoftmax.matmulTransA(-learningRate, x, logits, 1, w);                      // W -= lr X^T G
 * }</pre>
 * Thread-safe; matrices are modified only where documented as outputs.
 */
public final class EjmlSoftmax {

    private static final SoftmaxOps OPS = new EjmlSoftmaxOps();

    private EjmlSoftmax() {
    }

    /** @return the backend every method runs (for {@link SoftmaxOps}'s array forms on the same kernels) */
    public static SoftmaxOps ops() {
        return OPS;
    }

    // ---------------------------------------------------------------------------------------------- checks

    /** Checks that {@code m} (not null) is {@code rows x cols}; {@code why} says which argument fixes the shape. */
    private static <M extends Matrix> M shaped(String name, M m, int rows, int cols, String why) {
        Validate.notNull(name, m);
        if (m.getNumRows() != rows || m.getNumCols() != cols) {
            throw Validate.bad(name, rows + "x" + cols + " (" + why + ")", m.getNumRows() + "x" + m.getNumCols());
        }
        return m;
    }

    /** @return {@code out} reshaped to {@code rows x cols}, or a new matrix when {@code out} is null */
    private static DMatrixRMaj output(DMatrixRMaj out, int rows, int cols) {
        if (out == null) {
            return new DMatrixRMaj(rows, cols);
        }
        out.reshape(rows, cols);
        return out;
    }

    private static FMatrixRMaj output(FMatrixRMaj out, int rows, int cols) {
        if (out == null) {
            return new FMatrixRMaj(rows, cols);
        }
        out.reshape(rows, cols);
        return out;
    }

    /** Reshapes an optional output (null: not computed). */
    private static double[] optional(DMatrixRMaj out, int rows, int cols) {
        return out == null ? null : output(out, rows, cols).data;
    }

    private static float[] optional(FMatrixRMaj out, int rows, int cols) {
        return out == null ? null : output(out, rows, cols).data;
    }

    /** @return the number of entries of a vector ({@code 1 x C} or {@code C x 1}) */
    private static int vectorLength(String name, Matrix v) {
        Validate.notNull(name, v);
        if (v.getNumRows() != 1 && v.getNumCols() != 1) {
            throw Validate.bad(name, "a vector (1 x C or C x 1)", v.getNumRows() + "x" + v.getNumCols());
        }
        return v.getNumRows() * v.getNumCols();
    }

    // ---------------------------------------------------------------------------------------------- float64

    /**
     * Softmax of each row: {@code y = exp(x - max) / sum exp(x - max)}.
     *
     * @param x not modified
     * @param y overwritten (reshaped to the shape of {@code x}); may be {@code x}; null for a new matrix
     * @return {@code y}
     */
    public static DMatrixRMaj softmax(DMatrixRMaj x, DMatrixRMaj y) {
        Validate.notNull("x", x);
        y = output(y, x.numRows, x.numCols);
        OPS.softmax(x.numRows, x.numCols, x.data, 0, y.data, 0);
        return y;
    }

    /**
     * Softmax with a temperature: {@code exp((x - max) / T)} normalised per row.
     *
     * @param x           not modified
     * @param temperature finite and {@code > 0}
     * @param y           overwritten (reshaped); may be {@code x}; null for a new matrix
     * @return {@code y}
     */
    public static DMatrixRMaj softmax(DMatrixRMaj x, double temperature, DMatrixRMaj y) {
        Validate.notNull("x", x);
        y = output(y, x.numRows, x.numCols);
        OPS.softmax(x.numRows, x.numCols, temperature, x.data, 0, y.data, 0);
        return y;
    }

    /**
     * Softmax over the entries with {@code mask = true}; the others are exactly 0 (a fully masked row is all 0).
     *
     * @param x    not modified
     * @param mask the shape of {@code x}; not modified
     * @param y    overwritten (reshaped); may be {@code x}; null for a new matrix
     * @return {@code y}
     */
    public static DMatrixRMaj maskedSoftmax(DMatrixRMaj x, BMatrixRMaj mask, DMatrixRMaj y) {
        Validate.notNull("x", x);
        shaped("mask", mask, x.numRows, x.numCols, "the shape of x");
        y = output(y, x.numRows, x.numCols);
        OPS.maskedSoftmax(x.numRows, x.numCols, x.data, 0, mask.data, 0, y.data, 0);
        return y;
    }

    /**
     * Log-softmax of each row: {@code (x - max) - log(sum exp(x - max))}.
     *
     * @param x not modified
     * @param y overwritten (reshaped); may be {@code x}; null for a new matrix
     * @return {@code y}
     */
    public static DMatrixRMaj logSoftmax(DMatrixRMaj x, DMatrixRMaj y) {
        Validate.notNull("x", x);
        y = output(y, x.numRows, x.numCols);
        OPS.logSoftmax(x.numRows, x.numCols, x.data, 0, y.data, 0);
        return y;
    }

    /**
     * Log-sum-exp of each row: {@code max + log(sum exp(x - max))}.
     *
     * @param x   not modified
     * @param out overwritten (reshaped to {@code rows x 1}); null for a new matrix
     * @return {@code out}
     */
    public static DMatrixRMaj logSumExp(DMatrixRMaj x, DMatrixRMaj out) {
        Validate.notNull("x", x);
        out = output(out, x.numRows, 1);
        OPS.logSumExp(x.numRows, x.numCols, x.data, 0, out.data, 0);
        return out;
    }

    /**
     * Softmax backward: {@code dx = y * (dy - sum(dy * y))} per row ({@code J^T dy}).
     *
     * @param y  a softmax output; not modified unless it is {@code dx}
     * @param dy the shape of {@code y}; not modified unless it is {@code dx}
     * @param dx overwritten (reshaped); may be {@code y} or {@code dy}; null for a new matrix
     * @return {@code dx}
     */
    public static DMatrixRMaj softmaxBackward(DMatrixRMaj y, DMatrixRMaj dy, DMatrixRMaj dx) {
        Validate.notNull("y", y);
        shaped("dy", dy, y.numRows, y.numCols, "the shape of y");
        dx = output(dx, y.numRows, y.numCols);
        OPS.softmaxBackward(y.numRows, y.numCols, y.data, 0, dy.data, 0, dx.data, 0);
        return dx;
    }

    /**
     * Log-softmax backward: {@code dx = dlogp - exp(logp) * sum(dlogp)} per row.
     *
     * @param logp  a log-softmax output; not modified unless it is {@code dx}
     * @param dlogp the shape of {@code logp}; not modified unless it is {@code dx}
     * @param dx    overwritten (reshaped); may be {@code logp} or {@code dlogp}; null for a new matrix
     * @return {@code dx}
     */
    public static DMatrixRMaj logSoftmaxBackward(DMatrixRMaj logp, DMatrixRMaj dlogp, DMatrixRMaj dx) {
        Validate.notNull("logp", logp);
        shaped("dlogp", dlogp, logp.numRows, logp.numCols, "the shape of logp");
        dx = output(dx, logp.numRows, logp.numCols);
        OPS.logSoftmaxBackward(logp.numRows, logp.numCols, logp.data, 0, dlogp.data, 0, dx.data, 0);
        return dx;
    }

    /**
     * The softmax Jacobian {@code J = diag(y) - y y^T} of one softmax vector.
     *
     * @param y        a vector ({@code 1 x C} or {@code C x 1}); not modified
     * @param jacobian overwritten (reshaped to {@code C x C}); null for a new matrix
     * @return {@code jacobian}
     */
    public static DMatrixRMaj jacobian(DMatrixRMaj y, DMatrixRMaj jacobian) {
        int cols = vectorLength("y", y);
        jacobian = output(jacobian, cols, cols);
        OPS.jacobian(cols, y.data, 0, jacobian.data, 0);
        return jacobian;
    }

    /**
     * Keras' cross-entropy from probabilities: {@code p / sum(p)} clipped to {@code [eps, 1 - eps]}, then
     * {@code -sum(labels * log p)} per row.
     *
     * @param probabilities not modified
     * @param labels        the shape of {@code probabilities}; not modified
     * @param eps           in {@code [0, 0.5)}; Keras uses {@link SoftmaxOps#DEFAULT_EPSILON}
     * @param loss          overwritten (reshaped to {@code rows x 1}); null for a new matrix
     * @return {@code loss}
     */
    public static DMatrixRMaj crossEntropy(DMatrixRMaj probabilities, DMatrixRMaj labels, double eps,
                                           DMatrixRMaj loss) {
        Validate.notNull("probabilities", probabilities);
        int rows = probabilities.numRows;
        int cols = probabilities.numCols;
        shaped("labels", labels, rows, cols, "the shape of probabilities");
        loss = output(loss, rows, 1);
        OPS.crossEntropy(rows, cols, probabilities.data, 0, labels.data, 0, eps, loss.data, 0);
        return loss;
    }

    /**
     * Softmax cross-entropy with dense labels, fused with its gradient (see
     * {@link SoftmaxOps#softmaxCrossEntropyWithLogits(int, int, double[], int, double[], int, CrossEntropyOptions,
     * double[], int, double[], int)}).
     *
     * @param logits   not modified unless it is {@code gradient}
     * @param labels   the shape of {@code logits}; not modified
     * @param options  reduction, class weights, label smoothing
     * @param loss     the per-row losses, overwritten (reshaped to {@code rows x 1}); null: not computed
     * @param gradient the gradient of the reduced loss, overwritten (reshaped); may be {@code logits}; null: not
     *                 computed
     * @return the loss reduced as {@code options} says
     */
    public static double softmaxCrossEntropyWithLogits(DMatrixRMaj logits, DMatrixRMaj labels,
                                                       CrossEntropyOptions options, DMatrixRMaj loss,
                                                       DMatrixRMaj gradient) {
        Validate.notNull("logits", logits);
        int rows = logits.numRows;
        int cols = logits.numCols;
        shaped("labels", labels, rows, cols, "the shape of logits");
        return OPS.softmaxCrossEntropyWithLogits(rows, cols, logits.data, 0, labels.data, 0, options,
                optional(loss, rows, 1), 0, optional(gradient, rows, cols), 0);
    }

    /**
     * Softmax cross-entropy with class-index labels, fused with its gradient (see
     * {@link SoftmaxOps#sparseSoftmaxCrossEntropyWithLogits(int, int, double[], int, int[], int,
     * CrossEntropyOptions, double[], int, double[], int)}).
     *
     * @param logits   not modified unless it is {@code gradient}
     * @param classes  one class index per row (or the ignore index), length {@code >= rows}; not modified
     * @param options  reduction, class weights, label smoothing, ignore index
     * @param loss     the per-row losses, overwritten (reshaped to {@code rows x 1}); null: not computed
     * @param gradient the gradient of the reduced loss, overwritten (reshaped); may be {@code logits}; null: not
     *                 computed
     * @return the loss reduced as {@code options} says
     */
    public static double sparseSoftmaxCrossEntropyWithLogits(DMatrixRMaj logits, int[] classes,
                                                             CrossEntropyOptions options, DMatrixRMaj loss,
                                                             DMatrixRMaj gradient) {
        Validate.notNull("logits", logits);
        int rows = logits.numRows;
        int cols = logits.numCols;
        return OPS.sparseSoftmaxCrossEntropyWithLogits(rows, cols, logits.data, 0, classes, 0, options,
                optional(loss, rows, 1), 0, optional(gradient, rows, cols), 0);
    }

    /**
     * The index of each row's largest entry (ties: the lowest index; NaN ranks highest).
     *
     * @param x   not modified
     * @param out overwritten at {@code [0, rows)}; null for a new array
     * @return {@code out}
     */
    public static int[] argmax(DMatrixRMaj x, int[] out) {
        Validate.notNull("x", x);
        out = out == null ? new int[x.numRows] : out;
        OPS.argmax(x.numRows, x.numCols, x.data, 0, out, 0);
        return out;
    }

    /**
     * The {@code k} largest entries of each row, sorted descending (stable: equal values by index).
     *
     * @param x       not modified
     * @param k       in {@code [0, cols]}
     * @param values  the values, overwritten (reshaped to {@code rows x k}); null: not computed
     * @param indices the column indices, row-major {@code rows x k}, overwritten; null for a new array
     * @return {@code indices}
     */
    public static int[] topK(DMatrixRMaj x, int k, DMatrixRMaj values, int[] indices) {
        Validate.notNull("x", x);
        Validate.topK(k, x.numCols);
        indices = indices == null ? new int[Validate.product("rows * k", x.numRows, k)] : indices;
        OPS.topK(x.numRows, x.numCols, k, x.data, 0, optional(values, x.numRows, k), 0, indices, 0);
        return indices;
    }

    /**
     * {@code C = alpha A B + beta C}.
     *
     * @param a not modified
     * @param b {@code a.numCols} rows; not modified
     * @param c overwritten; with {@code beta != 0} it must be {@code a.numRows x b.numCols} (it is read), with
     *          {@code beta = 0} it is reshaped (not read), or null for a new matrix
     * @return {@code c}
     */
    public static DMatrixRMaj matmul(double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        Validate.notNull("a", a);
        Validate.notNull("b", b);
        shaped("b", b, a.numCols, b.numCols, "rows = the columns of a");
        c = product(c, beta != 0, a.numRows, b.numCols);
        OPS.matmul(a.numRows, a.numCols, b.numCols, alpha, a.data, 0, b.data, 0, beta, c.data, 0);
        return c;
    }

    /**
     * {@code C = alpha A^T B + beta C} (the {@code X^T G} of a gradient step).
     *
     * @param a not modified
     * @param b {@code a.numRows} rows; not modified
     * @param c overwritten; with {@code beta != 0} it must be {@code a.numCols x b.numCols} (it is read), with
     *          {@code beta = 0} it is reshaped (not read), or null for a new matrix
     * @return {@code c}
     */
    public static DMatrixRMaj matmulTransA(double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        Validate.notNull("a", a);
        Validate.notNull("b", b);
        shaped("b", b, a.numRows, b.numCols, "rows = the rows of a");
        c = product(c, beta != 0, a.numCols, b.numCols);
        OPS.matmulTransA(a.numCols, a.numRows, b.numCols, alpha, a.data, 0, b.data, 0, beta, c.data, 0);
        return c;
    }

    /** The C of a product: read (so of the right shape) when {@code beta != 0}, else declared or reshaped. */
    private static DMatrixRMaj product(DMatrixRMaj c, boolean read, int m, int n) {
        return read && c != null ? shaped("c", c, m, n, "rows of op(a) x columns of b, read since beta != 0")
                : output(c, m, n);
    }

    // ---------------------------------------------------------------------------------------------- float32

    /** Float32 {@link #softmax(DMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj softmax(FMatrixRMaj x, FMatrixRMaj y) {
        Validate.notNull("x", x);
        y = output(y, x.numRows, x.numCols);
        OPS.softmax(x.numRows, x.numCols, x.data, 0, y.data, 0);
        return y;
    }

    /** Float32 {@link #softmax(DMatrixRMaj, double, DMatrixRMaj)}. */
    public static FMatrixRMaj softmax(FMatrixRMaj x, float temperature, FMatrixRMaj y) {
        Validate.notNull("x", x);
        y = output(y, x.numRows, x.numCols);
        OPS.softmax(x.numRows, x.numCols, temperature, x.data, 0, y.data, 0);
        return y;
    }

    /** Float32 {@link #maskedSoftmax(DMatrixRMaj, BMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj maskedSoftmax(FMatrixRMaj x, BMatrixRMaj mask, FMatrixRMaj y) {
        Validate.notNull("x", x);
        shaped("mask", mask, x.numRows, x.numCols, "the shape of x");
        y = output(y, x.numRows, x.numCols);
        OPS.maskedSoftmax(x.numRows, x.numCols, x.data, 0, mask.data, 0, y.data, 0);
        return y;
    }

    /** Float32 {@link #logSoftmax(DMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj logSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        Validate.notNull("x", x);
        y = output(y, x.numRows, x.numCols);
        OPS.logSoftmax(x.numRows, x.numCols, x.data, 0, y.data, 0);
        return y;
    }

    /** Float32 {@link #logSumExp(DMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj logSumExp(FMatrixRMaj x, FMatrixRMaj out) {
        Validate.notNull("x", x);
        out = output(out, x.numRows, 1);
        OPS.logSumExp(x.numRows, x.numCols, x.data, 0, out.data, 0);
        return out;
    }

    /** Float32 {@link #softmaxBackward(DMatrixRMaj, DMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj softmaxBackward(FMatrixRMaj y, FMatrixRMaj dy, FMatrixRMaj dx) {
        Validate.notNull("y", y);
        shaped("dy", dy, y.numRows, y.numCols, "the shape of y");
        dx = output(dx, y.numRows, y.numCols);
        OPS.softmaxBackward(y.numRows, y.numCols, y.data, 0, dy.data, 0, dx.data, 0);
        return dx;
    }

    /** Float32 {@link #logSoftmaxBackward(DMatrixRMaj, DMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj logSoftmaxBackward(FMatrixRMaj logp, FMatrixRMaj dlogp, FMatrixRMaj dx) {
        Validate.notNull("logp", logp);
        shaped("dlogp", dlogp, logp.numRows, logp.numCols, "the shape of logp");
        dx = output(dx, logp.numRows, logp.numCols);
        OPS.logSoftmaxBackward(logp.numRows, logp.numCols, logp.data, 0, dlogp.data, 0, dx.data, 0);
        return dx;
    }

    /** Float32 {@link #jacobian(DMatrixRMaj, DMatrixRMaj)}. */
    public static FMatrixRMaj jacobian(FMatrixRMaj y, FMatrixRMaj jacobian) {
        int cols = vectorLength("y", y);
        jacobian = output(jacobian, cols, cols);
        OPS.jacobian(cols, y.data, 0, jacobian.data, 0);
        return jacobian;
    }

    /** Float32 {@link #crossEntropy(DMatrixRMaj, DMatrixRMaj, double, DMatrixRMaj)}. */
    public static FMatrixRMaj crossEntropy(FMatrixRMaj probabilities, FMatrixRMaj labels, float eps,
                                           FMatrixRMaj loss) {
        Validate.notNull("probabilities", probabilities);
        int rows = probabilities.numRows;
        int cols = probabilities.numCols;
        shaped("labels", labels, rows, cols, "the shape of probabilities");
        loss = output(loss, rows, 1);
        OPS.crossEntropy(rows, cols, probabilities.data, 0, labels.data, 0, eps, loss.data, 0);
        return loss;
    }

    /** Float32 {@link #softmaxCrossEntropyWithLogits(DMatrixRMaj, DMatrixRMaj, CrossEntropyOptions, DMatrixRMaj,
     * DMatrixRMaj)}. */
    public static float softmaxCrossEntropyWithLogits(FMatrixRMaj logits, FMatrixRMaj labels,
                                                      CrossEntropyOptions options, FMatrixRMaj loss,
                                                      FMatrixRMaj gradient) {
        Validate.notNull("logits", logits);
        int rows = logits.numRows;
        int cols = logits.numCols;
        shaped("labels", labels, rows, cols, "the shape of logits");
        return OPS.softmaxCrossEntropyWithLogits(rows, cols, logits.data, 0, labels.data, 0, options,
                optional(loss, rows, 1), 0, optional(gradient, rows, cols), 0);
    }

    /** Float32 {@link #sparseSoftmaxCrossEntropyWithLogits(DMatrixRMaj, int[], CrossEntropyOptions, DMatrixRMaj,
     * DMatrixRMaj)}. */
    public static float sparseSoftmaxCrossEntropyWithLogits(FMatrixRMaj logits, int[] classes,
                                                            CrossEntropyOptions options, FMatrixRMaj loss,
                                                            FMatrixRMaj gradient) {
        Validate.notNull("logits", logits);
        int rows = logits.numRows;
        int cols = logits.numCols;
        return OPS.sparseSoftmaxCrossEntropyWithLogits(rows, cols, logits.data, 0, classes, 0, options,
                optional(loss, rows, 1), 0, optional(gradient, rows, cols), 0);
    }

    /** Float32 {@link #argmax(DMatrixRMaj, int[])}. */
    public static int[] argmax(FMatrixRMaj x, int[] out) {
        Validate.notNull("x", x);
        out = out == null ? new int[x.numRows] : out;
        OPS.argmax(x.numRows, x.numCols, x.data, 0, out, 0);
        return out;
    }

    /** Float32 {@link #topK(DMatrixRMaj, int, DMatrixRMaj, int[])}. */
    public static int[] topK(FMatrixRMaj x, int k, FMatrixRMaj values, int[] indices) {
        Validate.notNull("x", x);
        Validate.topK(k, x.numCols);
        indices = indices == null ? new int[Validate.product("rows * k", x.numRows, k)] : indices;
        OPS.topK(x.numRows, x.numCols, k, x.data, 0, optional(values, x.numRows, k), 0, indices, 0);
        return indices;
    }

    /** Float32 {@link #matmul(double, DMatrixRMaj, DMatrixRMaj, double, DMatrixRMaj)}. */
    public static FMatrixRMaj matmul(float alpha, FMatrixRMaj a, FMatrixRMaj b, float beta, FMatrixRMaj c) {
        Validate.notNull("a", a);
        Validate.notNull("b", b);
        shaped("b", b, a.numCols, b.numCols, "rows = the columns of a");
        c = product(c, beta != 0, a.numRows, b.numCols);
        OPS.matmul(a.numRows, a.numCols, b.numCols, alpha, a.data, 0, b.data, 0, beta, c.data, 0);
        return c;
    }

    /** Float32 {@link #matmulTransA(double, DMatrixRMaj, DMatrixRMaj, double, DMatrixRMaj)}. */
    public static FMatrixRMaj matmulTransA(float alpha, FMatrixRMaj a, FMatrixRMaj b, float beta, FMatrixRMaj c) {
        Validate.notNull("a", a);
        Validate.notNull("b", b);
        shaped("b", b, a.numRows, b.numCols, "rows = the rows of a");
        c = product(c, beta != 0, a.numCols, b.numCols);
        OPS.matmulTransA(a.numCols, a.numRows, b.numCols, alpha, a.data, 0, b.data, 0, beta, c.data, 0);
        return c;
    }

    private static FMatrixRMaj product(FMatrixRMaj c, boolean read, int m, int n) {
        return read && c != null ? shaped("c", c, m, n, "rows of op(a) x columns of b, read since beta != 0")
                : output(c, m, n);
    }
}
