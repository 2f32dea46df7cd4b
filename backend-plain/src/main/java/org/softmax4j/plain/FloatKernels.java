package org.softmax4j.plain;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Validate;
import org.softmax4j.kernels.CrossEntropyKernels;
import org.softmax4j.kernels.RowSoftmax;
import org.softmax4j.kernels.Selection;
import org.softmax4j.kernels.SoftmaxGradients;

/**
 * The float32 kernels that have a SIMD twin ({@link VectorFloatKernels}, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}); this base runs the shared scalar ones ({@code softmax4j-kernels}). Every method works on a block of
 * whole rows, so that {@link RowTeam} can hand blocks of rows to threads; a row's result never depends on the block
 * it is in.
 */
class FloatKernels {

    static final FloatKernels SCALAR = new FloatKernels();

    /** @return false if these kernels would be slower than the scalar ones on this machine */
    boolean useful() {
        return true;
    }

    /** @return "scalar" or "SIMD (n float lanes)" */
    String describe() {
        return "scalar kernels";
    }

    void softmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        RowSoftmax.softmax(rows, cols, x, xOffset, y, yOffset);
    }

    /** {@link Validate#labelsKept}: no label other than {@code +-0} on a masked class; writes nothing. */
    void checkLabelsKept(int rows, int cols, float[] labels, int labelsOffset, boolean[] mask, int maskOffset) {
        Validate.labelsKept(labels, labelsOffset, rows, cols, mask, maskOffset);
    }

    /** Softmax with temperature {@code t} (finite, {@code > 0}). */
    void softmax(int rows, int cols, float t, float[] x, int xOffset, float[] y, int yOffset) {
        RowSoftmax.softmax(rows, cols, t, x, xOffset, y, yOffset);
    }

    void maskedSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] y,
                       int yOffset) {
        RowSoftmax.maskedSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    void maskedLogSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] y,
                          int yOffset) {
        RowSoftmax.maskedLogSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    void maskedLogSumExp(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] out,
                         int outOffset) {
        RowSoftmax.maskedLogSumExp(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    void logSoftmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        RowSoftmax.logSoftmax(rows, cols, x, xOffset, y, yOffset);
    }

    void logSumExp(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        RowSoftmax.logSumExp(rows, cols, x, xOffset, out, outOffset);
    }

    void softmaxBackward(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset, float[] dx,
                         int dxOffset) {
        SoftmaxGradients.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    void logSoftmaxBackward(int rows, int cols, float[] logp, int logpOffset, float[] dlogp, int dlogpOffset,
                            float[] dx, int dxOffset) {
        SoftmaxGradients.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    /** Rows {@code [from, to)} of the Jacobian ({@link SoftmaxGradients#jacobian(int, int, int, float[], int, float[], int)}). */
    void jacobian(int cols, int from, int to, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        SoftmaxGradients.jacobian(cols, from, to, y, yOffset, jacobian, jacobianOffset);
    }

    /** Keras' cross-entropy from probabilities: {@link CrossEntropyKernels#crossEntropy}'s contract. */
    double crossEntropy(int rows, int cols, float[] probabilities, int pOffset, float[] labels, int lOffset, float eps,
                        float[] loss, int lossOffset) {
        return CrossEntropyKernels.crossEntropy(rows, cols, probabilities, pOffset, labels, lOffset, eps, loss,
                lossOffset);
    }

    void argmax(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        Selection.argmax(rows, cols, x, xOffset, out, outOffset);
    }

    void topK(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset, int[] indices,
              int indicesOffset) {
        Selection.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    /**
     * Sparse softmax cross-entropy with logits of a block of rows.
     *
     * @param rowLoss if not null, row {@code r}'s loss (in double) is also stored at
     *                {@code rowLoss[rowLossOffset + r]}
     * @return the sum of the block's row losses, added in row order
     */
    double sparse(int rows, int cols, float[] x, int xOffset, int[] classes, int classesOffset,
                  CrossEntropyOptions options, double scale, float[] loss, int lossOffset, float[] gradient,
                  int gOffset, double[] rowLoss, int rowLossOffset) {
        return CrossEntropyKernels.sparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss,
                lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
    }

    /** Softmax cross-entropy with dense labels of a block of rows, as {@link #sparse} (rowLoss likewise). */
    double dense(int rows, int cols, float[] x, int xOffset, float[] labels, int lOffset, CrossEntropyOptions options,
                 double scale, float[] loss, int lossOffset, float[] gradient, int gOffset, double[] rowLoss,
                 int rowLossOffset) {
        return CrossEntropyKernels.dense(rows, cols, x, xOffset, labels, lOffset, options, scale, loss, lossOffset,
                gradient, gOffset, rowLoss, rowLossOffset);
    }

    /** The masked sparse cross-entropy of a block of rows, as {@link #sparse} (rowLoss likewise). */
    double maskedSparse(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, int[] classes,
                        int classesOffset, CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                        float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        return CrossEntropyKernels.sparse(rows, cols, x, xOffset, mask, maskOffset, classes, classesOffset, options,
                scale, loss, lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
    }

    /** The masked dense cross-entropy of a block of rows, as {@link #sparse} (rowLoss likewise). */
    double maskedDense(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] labels,
                       int lOffset, CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                       float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        return CrossEntropyKernels.dense(rows, cols, x, xOffset, mask, maskOffset, labels, lOffset, options, scale,
                loss, lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
    }

    /** {@code C = alpha A B + beta C} ({@link MatrixProducts}). */
    void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                float[] c, int cOffset) {
        MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    /** {@code C = alpha A^T B + beta C} ({@link MatrixProducts}). */
    void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                      float[] c, int cOffset) {
        MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    /** {@code C = alpha A B^T + beta C} ({@link MatrixProducts}). */
    void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                      float[] c, int cOffset) {
        MatrixProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
