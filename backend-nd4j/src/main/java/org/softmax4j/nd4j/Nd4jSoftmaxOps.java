package org.softmax4j.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.softmax4j.AbstractSoftmaxOps;
import org.softmax4j.CrossEntropyOptions;

/**
 * The SoftmaxOps SPI on ND4J: each call copies its Java arrays into native arrays of a per-thread workspace (one
 * bulk copy each, see {@link Buffers}), runs the composition of libnd4j native ops in {@link DoubleKernels} (the same
 * code as the INDArray entry point {@link Nd4jSoftmax}) and copies the results back.
 *
 * <p>Discovery is cheap: the constructor does nothing and {@link #unavailableReason()} only looks for the native
 * libraries on the class path. ND4J itself starts on the first op ({@link Nd4jRuntime}). Float32 arrays are widened
 * natively to float64, computed there and rounded once (matrix products too: dgemm, so that a product past the
 * float32 range that alpha brings back does not overflow).
 */
public final class Nd4jSoftmaxOps extends AbstractSoftmaxOps {

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
        return "ND4J 1.0.0-M2.1 on libnd4j native ops (softmax, exp/log transforms, broadcast and pairwise "
                + "arithmetic, reduce max/sum, select, onehot, argmax, top_k) and OpenBLAS gemm";
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

    private static MemoryWorkspace scope() {
        return Nd4jRuntime.scope();
    }

    private static INDArray wide(INDArray x) {
        return Nd4jSoftmax.widen(x);
    }

    // =================================================================================================== double

    @Override
    protected void softmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.softmax(Buffers.in(x, xOffset, rows, cols), true), y, yOffset);
        }
    }

    @Override
    protected void softmaxKernel(int rows, int cols, double temperature, double[] x, int xOffset, double[] y,
                                 int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.softmax(Buffers.in(x, xOffset, rows, cols), temperature, true), y, yOffset);
        }
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                       double[] y, int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.maskedSoftmax(Buffers.in(x, xOffset, rows, cols),
                    Buffers.in(mask, maskOffset, rows, cols), true), y, yOffset);
        }
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.logSoftmax(Buffers.in(x, xOffset, rows, cols), true), y, yOffset);
        }
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.logSumExp(Buffers.in(x, xOffset, rows, cols), true), out, outOffset);
        }
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                                         double[] dx, int dxOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.softmaxBackward(Buffers.in(y, yOffset, rows, cols),
                    Buffers.in(dy, dyOffset, rows, cols)), dx, dxOffset);
        }
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, double[] logp, int logpOffset, double[] dlogp,
                                            int dlogpOffset, double[] dx, int dxOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.logSoftmaxBackward(Buffers.in(logp, logpOffset, rows, cols),
                    Buffers.in(dlogp, dlogpOffset, rows, cols)), dx, dxOffset);
        }
    }

    @Override
    protected void jacobianKernel(int cols, double[] y, int yOffset, double[] jacobian, int jacobianOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.jacobian(Buffers.in(y, yOffset, 1, cols)), jacobian, jacobianOffset);
        }
    }

    @Override
    protected void crossEntropyKernel(int rows, int cols, double[] probabilities, int probabilitiesOffset,
                                      double[] labels, int labelsOffset, double eps, double[] loss, int lossOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(Nd4jSoftmax.crossEntropy(Buffers.in(probabilities, probabilitiesOffset, rows, cols),
                    Buffers.in(labels, labelsOffset, rows, cols), eps, true), loss, lossOffset);
        }
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset, double[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               double[] loss, int lossOffset, double[] gradient, int gradientOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray q = DoubleKernels.denseTarget(Buffers.in(labels, labelsOffset, rows, cols),
                    options.labelSmoothing(), Nd4jSoftmax.weights(options));
            INDArray[] r = Nd4jSoftmax.fused(Buffers.in(logits, logitsOffset, rows, cols), q, true, gradientScale,
                    null, gradient != null);
            return write(r, loss, lossOffset, gradient, gradientOffset);
        }
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, double[] loss, int lossOffset,
                                                     double[] gradient, int gradientOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray[] r = sparse(Buffers.in(logits, logitsOffset, rows, cols), classes, classesOffset, options,
                    true, gradientScale, gradient != null);
            return write(r, loss, lossOffset, gradient, gradientOffset);
        }
    }

    @Override
    protected void argmaxKernel(int rows, int cols, double[] x, int xOffset, int[] out, int outOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.argmax(Buffers.in(x, xOffset, rows, cols)), out, outOffset);
        }
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, double[] x, int xOffset, double[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray[] r = DoubleKernels.topK(Buffers.in(x, xOffset, rows, cols), k);
            Buffers.out(r[0], indices, indicesOffset);
            if (values != null) {
                Buffers.out(r[1], values, valuesOffset);
            }
        }
    }

    @Override
    protected void matmulKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                                double beta, double[] c, int cOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray cc = beta == 0 ? Nd4j.zeros(DataType.DOUBLE, m, n) : Buffers.in(c, cOffset, m, n);
            DoubleKernels.gemm(Buffers.in(a, aOffset, m, k), false, Buffers.in(b, bOffset, k, n), cc, alpha, beta);
            Buffers.out(cc, c, cOffset);
        }
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray cc = beta == 0 ? Nd4j.zeros(DataType.DOUBLE, m, n) : Buffers.in(c, cOffset, m, n);
            DoubleKernels.gemm(Buffers.in(a, aOffset, k, m), true, Buffers.in(b, bOffset, k, n), cc, alpha, beta);
            Buffers.out(cc, c, cOffset);
        }
    }

    // =================================================================================================== float

    @Override
    protected void softmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.softmax(wide(Buffers.in(x, xOffset, rows, cols)), false), y, yOffset);
        }
    }

    @Override
    protected void softmaxKernel(int rows, int cols, float temperature, float[] x, int xOffset, float[] y,
                                 int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.softmax(wide(Buffers.in(x, xOffset, rows, cols)), temperature, false), y,
                    yOffset);
        }
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                       float[] y, int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.maskedSoftmax(wide(Buffers.in(x, xOffset, rows, cols)),
                    Buffers.in(mask, maskOffset, rows, cols), false), y, yOffset);
        }
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.logSoftmax(wide(Buffers.in(x, xOffset, rows, cols)), false), y, yOffset);
        }
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.logSumExp(wide(Buffers.in(x, xOffset, rows, cols)), false), out, outOffset);
        }
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                         float[] dx, int dxOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.softmaxBackward(wide(Buffers.in(y, yOffset, rows, cols)),
                    wide(Buffers.in(dy, dyOffset, rows, cols))), dx, dxOffset);
        }
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                            int dlogpOffset, float[] dx, int dxOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.logSoftmaxBackward(wide(Buffers.in(logp, logpOffset, rows, cols)),
                    wide(Buffers.in(dlogp, dlogpOffset, rows, cols))), dx, dxOffset);
        }
    }

    @Override
    protected void jacobianKernel(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.jacobian(wide(Buffers.in(y, yOffset, 1, cols))), jacobian, jacobianOffset);
        }
    }

    @Override
    protected void crossEntropyKernel(int rows, int cols, float[] probabilities, int probabilitiesOffset,
                                      float[] labels, int labelsOffset, float eps, float[] loss, int lossOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(Nd4jSoftmax.crossEntropy(wide(Buffers.in(probabilities, probabilitiesOffset, rows, cols)),
                    wide(Buffers.in(labels, labelsOffset, rows, cols)), eps, false), loss, lossOffset);
        }
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset, float[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray q = DoubleKernels.denseTarget(wide(Buffers.in(labels, labelsOffset, rows, cols)),
                    options.labelSmoothing(), Nd4jSoftmax.weights(options));
            INDArray[] r = Nd4jSoftmax.fused(wide(Buffers.in(logits, logitsOffset, rows, cols)), q, false,
                    gradientScale, null, gradient != null);
            return write(r, loss, lossOffset, gradient, gradientOffset);
        }
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, float[] loss, int lossOffset,
                                                     float[] gradient, int gradientOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray[] r = sparse(wide(Buffers.in(logits, logitsOffset, rows, cols)), classes, classesOffset,
                    options, false, gradientScale, gradient != null);
            return write(r, loss, lossOffset, gradient, gradientOffset);
        }
    }

    @Override
    protected void argmaxKernel(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        try (MemoryWorkspace ws = scope()) {
            Buffers.out(DoubleKernels.argmax(wide(Buffers.in(x, xOffset, rows, cols))), out, outOffset);
        }
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray[] r = DoubleKernels.topK(wide(Buffers.in(x, xOffset, rows, cols)), k);
            Buffers.out(r[0], indices, indicesOffset);
            if (values != null) {
                Buffers.out(r[1], values, valuesOffset);
            }
        }
    }

    @Override
    protected void matmulKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                float beta, float[] c, int cOffset) {
        try (MemoryWorkspace ws = scope()) {
            // in float64: a float32 product cannot overflow there before alpha scales it, and sums more exactly
            INDArray cc = beta == 0 ? Nd4j.zeros(DataType.DOUBLE, m, n) : wide(Buffers.in(c, cOffset, m, n));
            DoubleKernels.gemm(wide(Buffers.in(a, aOffset, m, k)), false, wide(Buffers.in(b, bOffset, k, n)), cc,
                    alpha, beta);
            Buffers.out(cc, c, cOffset);
        }
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        try (MemoryWorkspace ws = scope()) {
            INDArray cc = beta == 0 ? Nd4j.zeros(DataType.DOUBLE, m, n) : wide(Buffers.in(c, cOffset, m, n));
            DoubleKernels.gemm(wide(Buffers.in(a, aOffset, k, m)), true, wide(Buffers.in(b, bOffset, k, n)), cc,
                    alpha, beta);
            Buffers.out(cc, c, cOffset);
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static INDArray[] sparse(INDArray x64, int[] classes, int classesOffset, CrossEntropyOptions options,
                                     boolean exact, double scale, boolean wantGradient) {
        INDArray cls = Buffers.in(classes, classesOffset, x64.size(0));
        INDArray keep = DoubleKernels.notIgnored(cls, options.ignoreIndex());
        INDArray q = DoubleKernels.sparseTarget(cls, x64.size(1), options.labelSmoothing(),
                Nd4jSoftmax.weights(options), keep);
        return Nd4jSoftmax.fused(x64, q, exact, scale, keep, wantGradient);
    }

    private static double write(INDArray[] r, double[] loss, int lossOffset, double[] gradient, int gradientOffset) {
        if (gradient != null) {
            Buffers.out(r[1], gradient, gradientOffset);
        }
        if (loss != null) {
            Buffers.out(r[0], loss, lossOffset);
        }
        return Nd4jSoftmax.sum(r[0]);
    }

    private static double write(INDArray[] r, float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        if (gradient != null) {
            Buffers.out(r[1], gradient, gradientOffset);
        }
        if (loss != null) {
            Buffers.out(r[0], loss, lossOffset);
        }
        return Nd4jSoftmax.sum(r[0]);
    }
}
