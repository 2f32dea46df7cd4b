package org.softmax4j.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.bytedeco.javacpp.DoublePointer;
import org.softmax4j.AbstractSoftmaxOps;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.Validate;
import org.softmax4j.kernels.Selection;

/**
 * The softmax family on ND4J arrays, for ND4J users: no copy between Java arrays and native memory at all. Same
 * numeric contract as {@link org.softmax4j.SoftmaxOps} (see the {@code org.softmax4j} package documentation):
 * matrices are rank 2 {@code rows x cols} (classes on dimension 1), FLOAT or DOUBLE, any order or view; float32
 * arrays are computed in float64 (a native cast) and rounded once when stored. Outputs are written with
 * {@code assign}, so an output may be the input (in place) and may be a view. Temporaries live in a per-thread ND4J
 * workspace, so a warm call allocates no native memory.
 *
 * <p>Bad arguments (wrong rank, dtype or shape) give {@link IllegalArgumentException} naming the argument, the expected
 * and the actual value, before anything is written.
 */
public final class Nd4jSoftmax {

    private Nd4jSoftmax() {
    }

    // ------------------------------------------------------------------------------------------------- softmax

    /** @return the row softmax of {@code x} ({@code rows x cols}, not modified) in a new array of its dtype */
    public static INDArray softmax(INDArray x) {
        INDArray out = Nd4j.createUninitialized(floating("x", x), x.shape());
        softmax(x, out);
        return out;
    }

    /**
     * Row softmax {@code y = exp(x - m) / sum exp(x - m)}.
     *
     * @param x   {@code rows x cols} (not modified)
     * @param out {@code rows x cols}, same dtype (overwritten); may be {@code x}
     */
    public static void softmax(INDArray x, INDArray out) {
        sameShape("out", out, "x", matrix("x", x));
        if (x.isEmpty()) {
            return;
        }
        try (Scratch s = Scratch.open()) {
            INDArray in = input(s, A, x);
            INDArray y = output(s, out, in, x);
            Kernels.softmax(in, y, s);
            finish(y, out);
        }
    }

    /**
     * Softmax with temperature {@code exp((x - m) / T)} normalised (shifted before dividing).
     *
     * @param temperature finite and {@code > 0}; rounded to float32 for a float32 {@code x}
     */
    public static void softmax(INDArray x, double temperature, INDArray out) {
        Validate.temperature(temperature);
        sameShape("out", out, "x", matrix("x", x));
        // a float32 array takes a float32 temperature, as the SPI's float variant does
        double t = isDouble(x) ? temperature : (float) temperature;
        if (x.isEmpty()) {
            return;
        }
        try (Scratch s = Scratch.open()) {
            INDArray in = input(s, A, x);
            INDArray y = output(s, out, in, x);
            Kernels.softmax(in, t, y, s);
            finish(y, out);
        }
    }

    /**
     * Masked softmax: entries whose mask is false get exactly 0; a fully masked row gives zeros.
     *
     * @param mask BOOL, {@code rows x cols} (not modified)
     */
    public static void maskedSoftmax(INDArray x, INDArray mask, INDArray out) {
        sameShape("out", out, "x", matrix("x", x));
        Validate.notNull("mask", mask);
        if (mask.dataType() != DataType.BOOL || !java.util.Arrays.equals(mask.shape(), x.shape())) {
            throw new IllegalArgumentException("mask: expected BOOL " + java.util.Arrays.toString(x.shape())
                    + ", actual " + mask.dataType() + " " + java.util.Arrays.toString(mask.shape()));
        }
        if (x.isEmpty()) {
            return;
        }
        try (Scratch s = Scratch.open()) {
            INDArray in = input(s, A, x);
            INDArray y = output(s, out, in, x);
            Kernels.maskedSoftmax(in, mask, y, s);
            finish(y, out);
        }
    }

    /** Row log-softmax {@code (x - m) - log(sum exp(x - m))}; {@code out} may be {@code x}. */
    public static void logSoftmax(INDArray x, INDArray out) {
        sameShape("out", out, "x", matrix("x", x));
        if (x.isEmpty()) {
            return;
        }
        try (Scratch s = Scratch.open()) {
            INDArray in = input(s, A, x);
            INDArray y = output(s, out, in, x);
            Kernels.logSoftmax(in, y, s);
            finish(y, out);
        }
    }

    /**
     * Row log-sum-exp.
     *
     * @param out {@code rows} values (any shape of that length), same dtype as {@code x} (overwritten)
     */
    public static void logSumExp(INDArray x, INDArray out) {
        matrix("x", x);
        length("out", out, x.size(0), x.dataType());
        if (x.size(0) == 0) {
            return;
        }
        if (x.size(1) == 0) {
            out.assign(Double.NEGATIVE_INFINITY);
            return;
        }
        try (Scratch s = Scratch.open()) {
            double[] lse = Kernels.logSumExp(input(s, A, x), s);
            INDArray col = s.column(0, x.size(0));
            Buffers.in(lse, 0, col);
            out.assign(col.reshape(out.shape()));
        }
    }

    // ----------------------------------------------------------------------------------------------- gradients

    /** Softmax backward {@code dx = y (dy - sum(dy y))}; {@code dx} may be {@code y} or {@code dy}. */
    public static void softmaxBackward(INDArray y, INDArray dy, INDArray dx) {
        sameShape("dy", dy, "y", matrix("y", y));
        sameShape("dx", dx, "y", y);
        if (y.isEmpty()) {
            return;
        }
        try (Scratch s = Scratch.open()) {
            INDArray in = input(s, A, y);
            INDArray out = output(s, dx, in, y);
            Kernels.softmaxBackward(in, input(s, B, dy), out, s);
            finish(out, dx);
        }
    }

    /** Log-softmax backward {@code dx = dlogp - exp(logp) sum(dlogp)}; {@code dx} may be an input. */
    public static void logSoftmaxBackward(INDArray logp, INDArray dlogp, INDArray dx) {
        sameShape("dlogp", dlogp, "logp", matrix("logp", logp));
        sameShape("dx", dx, "logp", logp);
        if (logp.isEmpty()) {
            return;
        }
        try (Scratch s = Scratch.open()) {
            INDArray in = input(s, A, logp);
            INDArray out = output(s, dx, in, logp);
            Kernels.logSoftmaxBackward(in, input(s, B, dlogp), out, s);
            finish(out, dx);
        }
    }

    /**
     * The softmax Jacobian {@code diag(y) - y y^T} of one softmax output.
     *
     * @param y   {@code C} values (any shape of that length; not modified)
     * @param out {@code C x C}, same dtype (overwritten)
     */
    public static void jacobian(INDArray y, INDArray out) {
        DataType type = floating("y", y);
        long c = y.length();
        if (out.rank() != 2 || out.size(0) != c || out.size(1) != c || out.dataType() != type) {
            throw new IllegalArgumentException("out: expected " + type + " [" + c + ", " + c + "], actual "
                    + out.dataType() + " " + java.util.Arrays.toString(out.shape()));
        }
        try (Scratch s = Scratch.open()) {
            INDArray row = s.matrix(A, 1, c);
            row.assign(y.reshape(1, c));
            INDArray j = s.matrix(B, c, c);
            double[] diagonal = Kernels.jacobian(row, j, s);
            DoublePointer p = Buffers.doubles(j);
            for (int i = 0; i < c; i++) {
                p.put((long) i * (c + 1), diagonal[i]);
            }
            out.assign(j);
        }
    }

    // ------------------------------------------------------------------------------------------- cross-entropy

    /**
     * Keras' cross-entropy from probabilities, per row.
     *
     * @param eps  clipping epsilon in {@code [0, 0.5)}, rounded to the dtype of {@code probabilities}
     * @param loss {@code rows} values, same dtype (overwritten)
     */
    public static void crossEntropy(INDArray probabilities, INDArray labels, double eps, INDArray loss) {
        sameShape("labels", labels, "probabilities", matrix("probabilities", probabilities));
        Validate.hasClasses((int) probabilities.size(1));
        Validate.epsilon(eps);
        length("loss", loss, probabilities.size(0), probabilities.dataType());
        if (probabilities.size(0) == 0) {
            return;
        }
        try (MemoryWorkspace ws = scope()) {
            loss.assign(crossEntropy(widen(probabilities), widen(labels), eps, isDouble(probabilities))
                    .reshape(loss.shape()));
        }
    }

    static INDArray crossEntropy(INDArray p64, INDArray labels64, double eps, boolean isDouble) {
        // Keras clips to [eps, 1 - eps] in the dtype: tail = 1 - (1 - eps) with 1 - eps rounded to the dtype
        double e = isDouble ? eps : (float) eps;
        double tail = isDouble ? 1 - (1 - e) : 1.0 - (1f - (float) e);
        return DoubleKernels.crossEntropy(p64, labels64, e, tail);
    }

    /**
     * Softmax cross-entropy with logits, dense labels, fused with its gradient (see
     * {@link org.softmax4j.SoftmaxOps#softmaxCrossEntropyWithLogits(int, int, double[], int, double[], int,
     * CrossEntropyOptions, double[], int, double[], int)}).
     *
     * @param loss     {@code rows} per-row losses (overwritten), or null
     * @param gradient {@code rows x cols} (overwritten), or null; may be {@code logits}
     * @return the reduced loss
     */
    public static double softmaxCrossEntropyWithLogits(INDArray logits, INDArray labels, CrossEntropyOptions options,
                                                       INDArray loss, INDArray gradient) {
        sameShape("labels", labels, "logits", matrix("logits", logits));
        Validate.hasClasses((int) logits.size(1));
        options = Validate.options(options, (int) logits.size(1));
        outputs(logits, loss, gradient);
        long rows = logits.size(0);
        double denominator = rows;
        double scale = options.reduction() == Reduction.MEAN ? 1 / denominator : 1;
        if (rows == 0) {
            return reduce(0, options.reduction(), denominator, logits.dataType());
        }
        try (Scratch s = Scratch.open()) {
            INDArray x = input(s, A, logits);
            INDArray g = gradient == null ? null : output(s, gradient, x, logits);
            double[] perRow = s.doubles(Kernels.FIRST_TEMP, (int) rows);
            double sum = Kernels.denseCrossEntropy(x, input(s, B, labels), options, scale, perRow, g, s);
            write(s, perRow, loss, g, gradient);
            return reduce(sum, options.reduction(), denominator, logits.dataType());
        }
    }

    /**
     * Sparse softmax cross-entropy with logits (one class index per row), fused with its gradient.
     *
     * @param classes  {@code rows} integers (INT or LONG) in {@code [0, cols)} or the ignore index (not modified)
     * @param loss     {@code rows} per-row losses (overwritten), or null
     * @param gradient {@code rows x cols} (overwritten), or null; may be {@code logits}
     * @return the reduced loss
     */
    public static double sparseSoftmaxCrossEntropyWithLogits(INDArray logits, INDArray classes,
                                                             CrossEntropyOptions options, INDArray loss,
                                                             INDArray gradient) {
        matrix("logits", logits);
        int cols = (int) logits.size(1);
        Validate.hasClasses(cols);
        options = Validate.options(options, cols);
        outputs(logits, loss, gradient);
        if (!classes.dataType().isIntType() || classes.length() != logits.size(0)) {
            throw new IllegalArgumentException("classes: expected " + logits.size(0) + " integers, actual "
                    + classes.dataType() + " " + java.util.Arrays.toString(classes.shape()));
        }
        int rows = (int) logits.size(0);
        int[] cls = classes.toIntVector();
        Validate.classes(cls, 0, rows, cols, options.ignoreIndex());
        double denominator = options.reduction() == Reduction.MEAN
                ? AbstractSoftmaxOps.sparseMeanDenominator(rows, cls, 0, options) : 1;
        if (rows == 0) {
            return reduce(0, options.reduction(), denominator, logits.dataType());
        }
        double scale = AbstractSoftmaxOps.gradientScale(options.reduction(), denominator);
        try (Scratch s = Scratch.open()) {
            INDArray x = input(s, A, logits);
            INDArray g = gradient == null ? null : output(s, gradient, x, logits);
            double[] perRow = s.doubles(Kernels.FIRST_TEMP, rows);
            double sum = Kernels.sparseCrossEntropy(x, cls, 0, options, scale, perRow, g, s);
            write(s, perRow, loss, g, gradient);
            return reduce(sum, options.reduction(), denominator, logits.dataType());
        }
    }

    /** Writes the per-row losses into {@code loss} (if not null) and the kernel's gradient into {@code gradient}. */
    private static void write(Scratch s, double[] perRow, INDArray loss, INDArray result, INDArray gradient) {
        if (gradient != null) {
            finish(result, gradient);
        }
        if (loss != null) {
            INDArray col = s.column(0, loss.length());
            Buffers.in(perRow, 0, col);
            loss.assign(col.reshape(loss.shape()));
        }
    }

    private static double reduce(double sum, Reduction reduction, double denominator, DataType type) {
        double r = reduction == Reduction.MEAN ? sum / denominator : sum;
        return type == DataType.FLOAT ? (float) r : r;
    }

    // ---------------------------------------------------------------------------------------- argmax and top-k

    /**
     * Row argmax (ties: lowest index; NaN is the maximum, the first NaN wins).
     *
     * @param out {@code rows} integers (INT or LONG; overwritten)
     */
    public static void argmax(INDArray x, INDArray out) {
        matrix("x", x);
        if (x.size(1) == 0 && x.size(0) > 0) {
            Validate.argmaxCols((int) x.size(0), 0);
        }
        integers("out", out, x.size(0));
        if (x.size(0) == 0) {
            return;
        }
        try (MemoryWorkspace ws = scope()) {
            out.assign(DoubleKernels.argmax(widen(x)).reshape(out.shape()));
        }
    }

    /**
     * Row top-k, sorted descending, ties in ascending index order, NaN largest.
     *
     * @param values  {@code rows x k}, dtype of {@code x} (overwritten), or null
     * @param indices {@code rows x k} integers (overwritten)
     */
    public static void topK(INDArray x, int k, INDArray values, INDArray indices) {
        matrix("x", x);
        Validate.topK(k, (int) x.size(1));
        integers("indices", indices, x.size(0) * k);
        if (values != null) {
            length("values", values, x.size(0) * k, x.dataType());
        }
        if (k == 0 || x.size(0) == 0) {
            return;
        }
        try (MemoryWorkspace ws = scope()) {
            INDArray[] r = DoubleKernels.topK(widen(x), k);
            if (r == null) {
                // ties or NaN: the shared exact selection on the values as the dtype holds them
                int rows = (int) x.size(0);
                int[] idx = new int[rows * k];
                double[] v = new double[rows * k];
                Selection.topK(rows, (int) x.size(1), k, widen(x).dup('c').data().asDouble(), 0, v, 0, idx, 0);
                r = new INDArray[] {Nd4j.createFromArray(idx), Nd4j.createFromArray(v)};
            }
            indices.assign(r[0].reshape(indices.shape()));
            if (values != null) {
                values.assign(r[1].reshape(values.shape()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ matrix products

    /** {@code c = alpha a b + beta c} by BLAS gemm ({@code a} m x k, {@code b} k x n, {@code c} m x n). */
    public static void matmul(double alpha, INDArray a, INDArray b, double beta, INDArray c) {
        product(alpha, a, false, b, beta, c);
    }

    /** {@code c = alpha a^T b + beta c} by BLAS gemm ({@code a} k x m, {@code b} k x n, {@code c} m x n). */
    public static void matmulTransA(double alpha, INDArray a, INDArray b, double beta, INDArray c) {
        product(alpha, a, true, b, beta, c);
    }

    private static void product(double alpha, INDArray a, boolean transA, INDArray b, double beta, INDArray c) {
        DataType type = floating("a", matrix("a", a));
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        if (matrix("b", b).size(0) != k || b.dataType() != type) {
            throw new IllegalArgumentException("b: expected " + type + " [" + k + ", n], actual " + b.dataType()
                    + " " + java.util.Arrays.toString(b.shape()));
        }
        long n = b.size(1);
        if (matrix("c", c).size(0) != m || c.size(1) != n || c.dataType() != type) {
            throw new IllegalArgumentException("c: expected " + type + " [" + m + ", " + n + "], actual "
                    + c.dataType() + " " + java.util.Arrays.toString(c.shape()));
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0) {
                c.assign(0);
            } else {
                c.muli(beta);
            }
            return;
        }
        boolean f32 = type == DataType.FLOAT;
        try (Scratch s = Scratch.open()) {
            // dense copies in the arrays' dtype (sgemm for float32, as the SPI); the result is assigned (c may be a view)
            INDArray am = f32 ? s.floats(A, a.size(0), a.size(1)) : s.matrix(A, a.size(0), a.size(1));
            INDArray bm = f32 ? s.floats(B, k, n) : s.matrix(B, k, n);
            INDArray cm = f32 ? s.floats(OUT, m, n) : s.matrix(OUT, m, n);
            bm.assign(b);
            Kernels.gemm(am, transA, bm, false, cm, f32 ? (float) alpha : alpha, f32 ? (float) beta : beta, () -> {
                am.assign(a);
                if (beta != 0) {
                    cm.assign(c);
                }
            }, s);
            c.assign(cm);
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers

    static MemoryWorkspace scope() {
        return Nd4jRuntime.scope();
    }

    // scratch slots of the widened operands
    private static final int A = 0;
    private static final int B = 1;
    private static final int OUT = 2;

    /** @return {@code x} itself when it is dense float64, else its float64 copy in a scratch buffer (one native op) */
    private static INDArray input(Scratch s, int slot, INDArray x) {
        if (Buffers.isDense(x, DataType.DOUBLE)) {
            return x;
        }
        INDArray m = s.matrix(slot, x.size(0), x.size(1));
        LegacyOps.assign(x, m);
        return m;
    }

    /**
     * @return where a kernel writes the result for {@code out}: {@code out} itself when it is dense float64, else the
     * scratch copy of the input when there is one (the kernels may write over their input), else a scratch buffer
     */
    private static INDArray output(Scratch s, INDArray out, INDArray in, INDArray x) {
        if (Buffers.isDense(out, DataType.DOUBLE)) {
            return out;
        }
        return in != x ? in : s.matrix(OUT, out.size(0), out.size(1));
    }

    /** Copies a kernel's result into {@code out} (rounding to its dtype) unless the kernel wrote there directly. */
    private static void finish(INDArray result, INDArray out) {
        if (result != out) {
            LegacyOps.assign(result, out);
        }
    }

    static boolean isDouble(INDArray x) {
        return x.dataType() == DataType.DOUBLE;
    }

    /** @return {@code x} as float64 (a native cast for float32, allocated in the active workspace) */
    static INDArray widen(INDArray x) {
        return x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
    }

    private static void outputs(INDArray logits, INDArray loss, INDArray gradient) {
        if (loss != null) {
            length("loss", loss, logits.size(0), logits.dataType());
        }
        if (gradient != null) {
            sameShape("gradient", gradient, "logits", logits);
        }
    }

    static INDArray matrix(String name, INDArray x) {
        Validate.notNull(name, x);
        floating(name, x);
        if (x.rank() != 2) {
            throw new IllegalArgumentException(name + ": expected a rank 2 array [rows, cols], actual rank " + x.rank()
                    + " " + java.util.Arrays.toString(x.shape()));
        }
        return x;
    }

    private static DataType floating(String name, INDArray x) {
        Validate.notNull(name, x);
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + ": expected dtype FLOAT or DOUBLE, actual " + t);
        }
        return t;
    }

    private static void sameShape(String name, INDArray a, String refName, INDArray ref) {
        Validate.notNull(name, a);
        if (!java.util.Arrays.equals(a.shape(), ref.shape()) || a.dataType() != ref.dataType()) {
            throw new IllegalArgumentException(name + ": expected " + ref.dataType() + " "
                    + java.util.Arrays.toString(ref.shape()) + " (as " + refName + "), actual " + a.dataType() + " "
                    + java.util.Arrays.toString(a.shape()));
        }
    }

    private static void length(String name, INDArray a, long length, DataType type) {
        Validate.notNull(name, a);
        if (a.length() != length || a.dataType() != type) {
            throw new IllegalArgumentException(name + ": expected " + length + " values of " + type + ", actual "
                    + a.length() + " of " + a.dataType());
        }
    }

    private static void integers(String name, INDArray a, long length) {
        Validate.notNull(name, a);
        if (a.length() != length || !a.dataType().isIntType()) {
            throw new IllegalArgumentException(name + ": expected " + length + " integers, actual " + a.length()
                    + " of " + a.dataType());
        }
    }
}
