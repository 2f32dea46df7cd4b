package org.softmax4j.kernels;

import org.softmax4j.AbstractSoftmaxOps;
import org.softmax4j.CrossEntropyOptions;

/**
 * Every kernel of {@link AbstractSoftmaxOps} on the shared scalar kernels of this package, float64 and float32: a
 * backend extends it, names itself, and overrides only the kernels it runs differently (plain: the float32 SIMD
 * kernels and the row threading; ejml: EJML's matrix products). Validation, degenerate shapes and messages come from
 * {@link AbstractSoftmaxOps}. Thread-safe, no allocation per call once a thread has seen a row width.
 *
 * <p>Internal: for the backends of this repository (see the package documentation).
 */
public abstract class ScalarSoftmaxOps extends AbstractSoftmaxOps {

    /** For subclasses. */
    protected ScalarSoftmaxOps() {
    }

    // ------------------------------------------------------------------------------------------------ float64

    @Override
    protected void softmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        RowSoftmax.softmax(rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    protected void softmaxKernel(int rows, int cols, double temperature, double[] x, int xOffset, double[] y,
                                 int yOffset) {
        RowSoftmax.softmax(rows, cols, temperature, x, xOffset, y, yOffset);
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                       double[] y, int yOffset) {
        RowSoftmax.maskedSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        RowSoftmax.logSoftmax(rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        RowSoftmax.logSumExp(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void maskedLogSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                          double[] y, int yOffset) {
        RowSoftmax.maskedLogSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    protected void maskedLogSumExpKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                         double[] out, int outOffset) {
        RowSoftmax.maskedLogSumExp(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                                         double[] dx, int dxOffset) {
        SoftmaxGradients.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, double[] logp, int logpOffset, double[] dlogp,
                                            int dlogpOffset, double[] dx, int dxOffset) {
        SoftmaxGradients.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    @Override
    protected void jacobianKernel(int cols, double[] y, int yOffset, double[] jacobian, int jacobianOffset) {
        SoftmaxGradients.jacobian(cols, y, yOffset, jacobian, jacobianOffset);
    }

    @Override
    protected double crossEntropyKernel(int rows, int cols, double[] probabilities, int probabilitiesOffset,
                                        double[] labels, int labelsOffset, double eps, double[] loss, int lossOffset) {
        return CrossEntropyKernels.crossEntropy(rows, cols, probabilities, probabilitiesOffset, labels, labelsOffset,
                eps, loss, lossOffset);
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                               double[] labels, int labelsOffset, CrossEntropyOptions options,
                                               double gradientScale, double[] loss, int lossOffset,
                                               double[] gradient, int gradientOffset) {
        return CrossEntropyKernels.dense(rows, cols, logits, logitsOffset, labels, labelsOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, double[] loss, int lossOffset,
                                                     double[] gradient, int gradientOffset) {
        return CrossEntropyKernels.sparse(rows, cols, logits, logitsOffset, classes, classesOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double maskedSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     boolean[] mask, int maskOffset, double[] labels, int labelsOffset,
                                                     CrossEntropyOptions options, double gradientScale, double[] loss,
                                                     int lossOffset, double[] gradient, int gradientOffset) {
        return CrossEntropyKernels.dense(rows, cols, logits, logitsOffset, mask, maskOffset, labels, labelsOffset,
                options, gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double maskedSparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                           boolean[] mask, int maskOffset, int[] classes,
                                                           int classesOffset, CrossEntropyOptions options,
                                                           double gradientScale, double[] loss, int lossOffset,
                                                           double[] gradient, int gradientOffset) {
        return CrossEntropyKernels.sparse(rows, cols, logits, logitsOffset, mask, maskOffset, classes, classesOffset,
                options, gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected void argmaxKernel(int rows, int cols, double[] x, int xOffset, int[] out, int outOffset) {
        Selection.argmax(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, double[] x, int xOffset, double[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        Selection.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void matmulKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                                double beta, double[] c, int cOffset) {
        MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransBKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        MatrixProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    // ------------------------------------------------------------------------------------------------ float32

    @Override
    protected void softmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        RowSoftmax.softmax(rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    protected void softmaxKernel(int rows, int cols, float temperature, float[] x, int xOffset, float[] y,
                                 int yOffset) {
        RowSoftmax.softmax(rows, cols, temperature, x, xOffset, y, yOffset);
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                       float[] y, int yOffset) {
        RowSoftmax.maskedSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        RowSoftmax.logSoftmax(rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        RowSoftmax.logSumExp(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void maskedLogSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                          float[] y, int yOffset) {
        RowSoftmax.maskedLogSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    protected void maskedLogSumExpKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                         float[] out, int outOffset) {
        RowSoftmax.maskedLogSumExp(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                         float[] dx, int dxOffset) {
        SoftmaxGradients.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                            int dlogpOffset, float[] dx, int dxOffset) {
        SoftmaxGradients.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    @Override
    protected void jacobianKernel(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        SoftmaxGradients.jacobian(cols, y, yOffset, jacobian, jacobianOffset);
    }

    @Override
    protected double crossEntropyKernel(int rows, int cols, float[] probabilities, int probabilitiesOffset,
                                        float[] labels, int labelsOffset, float eps, float[] loss, int lossOffset) {
        return CrossEntropyKernels.crossEntropy(rows, cols, probabilities, probabilitiesOffset, labels, labelsOffset,
                eps, loss, lossOffset);
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset, float[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        return CrossEntropyKernels.dense(rows, cols, logits, logitsOffset, labels, labelsOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, float[] loss, int lossOffset,
                                                     float[] gradient, int gradientOffset) {
        return CrossEntropyKernels.sparse(rows, cols, logits, logitsOffset, classes, classesOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset, null, 0);
    }

    @Override
    protected double maskedSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     boolean[] mask, int maskOffset, float[] labels, int labelsOffset,
                                                     CrossEntropyOptions options, double gradientScale, float[] loss,
                                                     int lossOffset, float[] gradient, int gradientOffset) {
        return CrossEntropyKernels.dense(rows, cols, logits, logitsOffset, mask, maskOffset, labels, labelsOffset,
                options, gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double maskedSparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                           boolean[] mask, int maskOffset, int[] classes,
                                                           int classesOffset, CrossEntropyOptions options,
                                                           double gradientScale, float[] loss, int lossOffset,
                                                           float[] gradient, int gradientOffset) {
        return CrossEntropyKernels.sparse(rows, cols, logits, logitsOffset, mask, maskOffset, classes, classesOffset,
                options, gradientScale, loss, lossOffset, gradient, gradientOffset, null, 0);
    }

    @Override
    protected void argmaxKernel(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        Selection.argmax(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        Selection.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void matmulKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                float beta, float[] c, int cOffset) {
        MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransBKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        MatrixProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
