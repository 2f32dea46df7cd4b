package org.softmax4j.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.softmax4j.Accuracy;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Validate;
import org.softmax4j.kernels.ScalarSoftmaxOps;
import org.softmax4j.kernels.Selection;

/**
 * The SoftmaxOps SPI on ND4J: each call copies its Java arrays into this thread's native buffers (one bulk copy each,
 * see {@link Buffers} and {@link Scratch}: a warm call allocates no native memory), runs the composition of libnd4j
 * native ops in {@link Kernels} (the same code as the INDArray entry point {@link Nd4jSoftmax}) and copies the results
 * back. Float32 arrays are widened natively to float64, computed there and rounded once, except the matrix products,
 * which run in the caller's dtype (sgemm or dgemm, as BLAS users expect).
 *
 * <p>Masks: the masked softmax, log-softmax and log-sum-exp are native compositions ({@code select} of the masked
 * entries to {@code -inf}, the unmasked composition, {@code select} again: {@link Kernels}). The masked fused
 * cross-entropies are not overridden: they run {@link ScalarSoftmaxOps}' shared scalar kernels on the Java arrays
 * (no copy to native memory): libnd4j has no masked loss, and the unmasked composition on {@code -inf} logits is not
 * the masked op where it matters (label smoothing spreads over the kept classes, not all; a fully masked row has loss
 * 0, not NaN; a masked class needs a gradient of exactly 0 whatever its logit), so correctness comes first here.
 *
 * <p>Accuracy ({@link #accuracy}): float32 results are within the exact bounds; float64 results are
 * {@link Accuracy#STANDARD}, the error of libnd4j's backward-stable float64 kernels (see the {@code org.softmax4j}
 * package documentation).
 *
 * <p>Discovery is cheap: the constructor does nothing and {@link #unavailableReason()} only looks for the native
 * libraries on the class path. ND4J itself starts on the first op ({@link Nd4jRuntime}).
 */
public final class Nd4jSoftmaxOps extends ScalarSoftmaxOps {

    /** The backend name used by discovery. */
    public static final String NAME = "nd4j";

    /** Below the plain backend: per-call native overhead (tens of microseconds) dominates small shapes. */
    public static final int PRIORITY = 50;

    private volatile String unavailable;
    private volatile boolean checked;

    /** Cheap: no ND4J class is touched here. */
    public Nd4jSoftmaxOps() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public String description() {
        return "ND4J 1.0.0-M2.1 on libnd4j native ops (softmax, exp, broadcast and pairwise arithmetic, reduce "
                + "max/sum/dot, select, argmax, top_k) and OpenBLAS gemm; float32 computed in float64, float64 "
                + "standard accuracy";
    }

    /** float32: exact (computed in float64, rounded once); float64: standard (libnd4j's float64 kernels). */
    @Override
    public Accuracy accuracy(Class<?> dtype) {
        return Validate.dtype(dtype) == double.class ? Accuracy.STANDARD : Accuracy.EXACT;
    }

    @Override
    public String unavailableReason() {
        if (!checked) {
            ClassLoader loader = Nd4jSoftmaxOps.class.getClassLoader();
            unavailable = NativeLibraries.unavailableReason(loader == null ? ClassLoader.getSystemClassLoader()
                    : loader);
            checked = true;
        }
        return unavailable;
    }

    // slots of the operands in this thread's Scratch (the kernels' temporaries use Kernels.FIRST_TEMP and up)
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private static final int NARROW = 7;

    private static INDArray in(Scratch s, int slot, double[] a, int offset, int rows, int cols) {
        INDArray m = s.matrix(slot, rows, cols);
        Buffers.in(a, offset, m);
        return m;
    }

    /** Copies float32 values in and widens them natively to float64. */
    private static INDArray in(Scratch s, int slot, float[] a, int offset, int rows, int cols) {
        INDArray f = s.floats(slot, rows, cols);
        Buffers.in(a, offset, f);
        INDArray m = s.matrix(slot, rows, cols);
        LegacyOps.assign(f, m);
        return m;
    }

    private static void out(Scratch s, INDArray m, double[] a, int offset) {
        Buffers.out(m, a, offset);
    }

    /** Rounds natively to float32 once and copies out. */
    private static void out(Scratch s, INDArray m, float[] a, int offset) {
        INDArray f = s.floats(NARROW, m.size(0), m.size(1));
        LegacyOps.assign(m, f);
        Buffers.out(f, a, offset);
    }

    private static void out(double[] values, int n, double[] a, int offset) {
        System.arraycopy(values, 0, a, offset, n);
    }

    private static void out(double[] values, int n, float[] a, int offset) {
        for (int i = 0; i < n; i++) {
            a[offset + i] = (float) values[i];
        }
    }

    private static INDArray mask(Scratch s, boolean[] mask, int offset, int rows, int cols) {
        INDArray m = s.booleans(rows, cols);
        Buffers.in(mask, offset, m);
        return m;
    }

    // =================================================================================================== double

    @Override
    protected void softmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.softmax(m, m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void softmaxKernel(int rows, int cols, double temperature, double[] x, int xOffset, double[] y,
                                 int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.softmax(m, temperature, m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                       double[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.maskedSoftmax(m, mask(s, mask, maskOffset, rows, cols), m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.logSoftmax(m, m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        try (Scratch s = Scratch.open()) {
            out(Kernels.logSumExp(in(s, A, x, xOffset, rows, cols), s), rows, out, outOffset);
        }
    }

    @Override
    protected void maskedLogSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                          double[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.maskedLogSoftmax(m, mask(s, mask, maskOffset, rows, cols), m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void maskedLogSumExpKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                         double[] out, int outOffset) {
        try (Scratch s = Scratch.open()) {
            double[] values = Kernels.maskedLogSumExp(in(s, A, x, xOffset, rows, cols),
                    mask(s, mask, maskOffset, rows, cols), s.matrix(B, rows, cols), s);
            out(values, rows, out, outOffset);
        }
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                                         double[] dx, int dxOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, y, yOffset, rows, cols);
            Kernels.softmaxBackward(m, in(s, B, dy, dyOffset, rows, cols), m, s);
            out(s, m, dx, dxOffset);
        }
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, double[] logp, int logpOffset, double[] dlogp,
                                            int dlogpOffset, double[] dx, int dxOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, logp, logpOffset, rows, cols);
            Kernels.logSoftmaxBackward(m, in(s, B, dlogp, dlogpOffset, rows, cols), m, s);
            out(s, m, dx, dxOffset);
        }
    }

    @Override
    protected void jacobianKernel(int cols, double[] y, int yOffset, double[] jacobian, int jacobianOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray j = s.matrix(B, cols, cols);
            double[] diagonal = Kernels.jacobian(in(s, A, y, yOffset, 1, cols), j, s);
            out(s, j, jacobian, jacobianOffset);
            for (int i = 0; i < cols; i++) {
                jacobian[jacobianOffset + i * (cols + 1)] = diagonal[i];
            }
        }
    }

    @Override
    protected double crossEntropyKernel(int rows, int cols, double[] probabilities, int probabilitiesOffset,
                                        double[] labels, int labelsOffset, double eps, double[] loss, int lossOffset) {
        try (Scratch s = Scratch.open(); MemoryWorkspace ws = Nd4jRuntime.scope()) {
            INDArray r = Nd4jSoftmax.crossEntropy(in(s, A, probabilities, probabilitiesOffset, rows, cols),
                    in(s, B, labels, labelsOffset, rows, cols), eps, true);
            return sumOut(r, s, rows, loss, lossOffset);
        }
    }

    /** Copies the row losses {@code r} out to {@code loss} (when not null) and returns their sum. */
    private static double sumOut(INDArray r, Scratch s, int rows, double[] loss, int lossOffset) {
        double[] values = s.doubles(0, rows);
        Buffers.outAny(r, values, 0);
        if (loss != null) {
            out(values, rows, loss, lossOffset);
        }
        return sum(values, rows);
    }

    /** Float32 variant of {@link #sumOut(INDArray, Scratch, int, double[], int)}: the sum of the unrounded losses. */
    private static double sumOut(INDArray r, Scratch s, int rows, float[] loss, int lossOffset) {
        double[] values = s.doubles(0, rows);
        Buffers.outAny(r, values, 0);
        if (loss != null) {
            out(values, rows, loss, lossOffset);
        }
        return sum(values, rows);
    }

    private static double sum(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum;
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset, double[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               double[] loss, int lossOffset, double[] gradient, int gradientOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray x = in(s, A, logits, logitsOffset, rows, cols);
            double[] perRow = s.doubles(Kernels.FIRST_TEMP, rows);
            double sum = Kernels.denseCrossEntropy(x, in(s, B, labels, labelsOffset, rows, cols), options,
                    gradientScale, perRow, gradient == null ? null : x, s);
            write(s, x, perRow, loss, lossOffset, gradient, gradientOffset);
            return sum;
        }
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, double[] loss, int lossOffset,
                                                     double[] gradient, int gradientOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray x = in(s, A, logits, logitsOffset, rows, cols);
            double[] perRow = s.doubles(Kernels.FIRST_TEMP, rows);
            double sum = Kernels.sparseCrossEntropy(x, classes, classesOffset, options, gradientScale, perRow,
                    gradient == null ? null : x, s);
            write(s, x, perRow, loss, lossOffset, gradient, gradientOffset);
            return sum;
        }
    }

    private static void write(Scratch s, INDArray gradient, double[] perRow, double[] loss, int lossOffset,
                              double[] out, int outOffset) {
        if (out != null) {
            out(s, gradient, out, outOffset);
        }
        if (loss != null) {
            out(perRow, (int) gradient.size(0), loss, lossOffset);
        }
    }

    @Override
    protected void argmaxKernel(int rows, int cols, double[] x, int xOffset, int[] out, int outOffset) {
        try (Scratch s = Scratch.open(); MemoryWorkspace ws = Nd4jRuntime.scope()) {
            Buffers.outAny(DoubleKernels.argmax(in(s, A, x, xOffset, rows, cols)), out, outOffset);
        }
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, double[] x, int xOffset, double[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        try (Scratch s = Scratch.open(); MemoryWorkspace ws = Nd4jRuntime.scope()) {
            INDArray[] r = DoubleKernels.topK(in(s, A, x, xOffset, rows, cols), k);
            if (r == null) {
                Selection.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
                return;
            }
            Buffers.outAny(r[0], indices, indicesOffset);
            if (values != null) {
                double[] v = s.doubles(0, rows * k);
                Buffers.outAny(r[1], v, 0);
                out(v, rows * k, values, valuesOffset);
            }
        }
    }

    @Override
    protected void matmulKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                                double beta, double[] c, int cOffset) {
        product(m, k, n, alpha, false, false, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        product(m, k, n, alpha, true, false, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransBKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        product(m, k, n, alpha, false, true, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    // =================================================================================================== float

    @Override
    protected void softmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.softmax(m, m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void softmaxKernel(int rows, int cols, float temperature, float[] x, int xOffset, float[] y,
                                 int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.softmax(m, temperature, m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                       float[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.maskedSoftmax(m, mask(s, mask, maskOffset, rows, cols), m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.logSoftmax(m, m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        try (Scratch s = Scratch.open()) {
            out(Kernels.logSumExp(in(s, A, x, xOffset, rows, cols), s), rows, out, outOffset);
        }
    }

    @Override
    protected void maskedLogSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                          float[] y, int yOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, x, xOffset, rows, cols);
            Kernels.maskedLogSoftmax(m, mask(s, mask, maskOffset, rows, cols), m, s);
            out(s, m, y, yOffset);
        }
    }

    @Override
    protected void maskedLogSumExpKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                         float[] out, int outOffset) {
        try (Scratch s = Scratch.open()) {
            double[] values = Kernels.maskedLogSumExp(in(s, A, x, xOffset, rows, cols),
                    mask(s, mask, maskOffset, rows, cols), s.matrix(B, rows, cols), s);
            out(values, rows, out, outOffset);
        }
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                         float[] dx, int dxOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, y, yOffset, rows, cols);
            Kernels.softmaxBackward(m, in(s, B, dy, dyOffset, rows, cols), m, s);
            out(s, m, dx, dxOffset);
        }
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                            int dlogpOffset, float[] dx, int dxOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray m = in(s, A, logp, logpOffset, rows, cols);
            Kernels.logSoftmaxBackward(m, in(s, B, dlogp, dlogpOffset, rows, cols), m, s);
            out(s, m, dx, dxOffset);
        }
    }

    @Override
    protected void jacobianKernel(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray j = s.matrix(B, cols, cols);
            double[] diagonal = Kernels.jacobian(in(s, A, y, yOffset, 1, cols), j, s);
            out(s, j, jacobian, jacobianOffset);
            for (int i = 0; i < cols; i++) {
                jacobian[jacobianOffset + i * (cols + 1)] = (float) diagonal[i];
            }
        }
    }

    @Override
    protected double crossEntropyKernel(int rows, int cols, float[] probabilities, int probabilitiesOffset,
                                        float[] labels, int labelsOffset, float eps, float[] loss, int lossOffset) {
        try (Scratch s = Scratch.open(); MemoryWorkspace ws = Nd4jRuntime.scope()) {
            INDArray r = Nd4jSoftmax.crossEntropy(in(s, A, probabilities, probabilitiesOffset, rows, cols),
                    in(s, B, labels, labelsOffset, rows, cols), eps, false);
            return sumOut(r, s, rows, loss, lossOffset);
        }
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset, float[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray x = in(s, A, logits, logitsOffset, rows, cols);
            double[] perRow = s.doubles(Kernels.FIRST_TEMP, rows);
            double sum = Kernels.denseCrossEntropy(x, in(s, B, labels, labelsOffset, rows, cols), options,
                    gradientScale, perRow, gradient == null ? null : x, s);
            write(s, x, perRow, loss, lossOffset, gradient, gradientOffset);
            return sum;
        }
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, float[] loss, int lossOffset,
                                                     float[] gradient, int gradientOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray x = in(s, A, logits, logitsOffset, rows, cols);
            double[] perRow = s.doubles(Kernels.FIRST_TEMP, rows);
            double sum = Kernels.sparseCrossEntropy(x, classes, classesOffset, options, gradientScale, perRow,
                    gradient == null ? null : x, s);
            write(s, x, perRow, loss, lossOffset, gradient, gradientOffset);
            return sum;
        }
    }

    private static void write(Scratch s, INDArray gradient, double[] perRow, float[] loss, int lossOffset,
                              float[] out, int outOffset) {
        if (out != null) {
            out(s, gradient, out, outOffset);
        }
        if (loss != null) {
            out(perRow, (int) gradient.size(0), loss, lossOffset);
        }
    }

    @Override
    protected void argmaxKernel(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        try (Scratch s = Scratch.open(); MemoryWorkspace ws = Nd4jRuntime.scope()) {
            Buffers.outAny(DoubleKernels.argmax(in(s, A, x, xOffset, rows, cols)), out, outOffset);
        }
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        try (Scratch s = Scratch.open(); MemoryWorkspace ws = Nd4jRuntime.scope()) {
            INDArray[] r = DoubleKernels.topK(in(s, A, x, xOffset, rows, cols), k);
            if (r == null) {
                Selection.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
                return;
            }
            Buffers.outAny(r[0], indices, indicesOffset);
            if (values != null) {
                double[] v = s.doubles(0, rows * k);
                Buffers.outAny(r[1], v, 0);
                out(v, rows * k, values, valuesOffset);
            }
        }
    }

    @Override
    protected void matmulKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                float beta, float[] c, int cOffset) {
        product(m, k, n, alpha, false, false, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        product(m, k, n, alpha, true, false, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransBKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        product(m, k, n, alpha, false, true, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    // ----------------------------------------------------------------------------------------------- products

    /** {@code C = alpha op(A) op(B) + beta C}, {@code op(X) = X^T} when its flag is set ({@code B} is then n x k). */
    private static void product(int m, int k, int n, double alpha, boolean transA, boolean transB, double[] a,
                                int aOffset, double[] b, int bOffset, double beta, double[] c, int cOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray am = s.matrix(A, transA ? k : m, transA ? m : k);
            INDArray bm = in(s, B, b, bOffset, transB ? n : k, transB ? k : n);
            INDArray cm = s.matrix(C, m, n);
            Kernels.gemm(am, transA, bm, transB, cm, alpha, beta, () -> {
                Buffers.in(a, aOffset, am);
                if (beta != 0) {
                    Buffers.in(c, cOffset, cm);
                }
            }, s);
            Buffers.out(cm, c, cOffset);
        }
    }

    /** As the float64 product, by sgemm on float32 buffers: accumulated in float32, as BLAS does. */
    private static void product(int m, int k, int n, float alpha, boolean transA, boolean transB, float[] a,
                                int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        try (Scratch s = Scratch.open()) {
            INDArray am = s.floats(A, transA ? k : m, transA ? m : k);
            INDArray bm = s.floats(B, transB ? n : k, transB ? k : n);
            Buffers.in(b, bOffset, bm);
            INDArray cm = s.floats(C, m, n);
            Kernels.gemm(am, transA, bm, transB, cm, alpha, beta, () -> {
                Buffers.in(a, aOffset, am);
                if (beta != 0) {
                    Buffers.in(c, cOffset, cm);
                }
            }, s);
            Buffers.out(cm, c, cOffset);
        }
    }
}
