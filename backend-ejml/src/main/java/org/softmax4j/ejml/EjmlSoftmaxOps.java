package org.softmax4j.ejml;

import org.softmax4j.AbstractSoftmaxOps;
import org.softmax4j.CrossEntropyOptions;

/**
 * The {@code "ejml"} backend: {@link org.softmax4j.SoftmaxOps} on EJML's row-major dense matrices
 * ({@code DMatrixRMaj} for float64, {@code FMatrixRMaj} for float32). Validation, exceptions and degenerate shapes
 * come from {@link AbstractSoftmaxOps}, so they are the same as every other backend's.
 *
 * <p>Where EJML's kernels are used, and where not (measured with {@code EjmlKernelChoice} in the test sources, JDK 17,
 * EJML 0.46.1, thread CPU time on the shared 2-core machine):
 * <ul>
 * <li>{@code matmul}, {@code matmulTransA}: EJML's {@code CommonOps_DDRM/FDRM.mult, multAdd, multTransA,
 *     multAddTransA}, and {@code CommonOps_MT_*} for large shapes; an own loop in the same summation order for narrow
 *     outputs, where EJML's kernels are 1.1-1.9x slower. See {@link EjmlProducts}.</li>
 * <li>{@code jacobian}: EJML's outer product ({@code CommonOps_DDRM.mult} with k = 1), the diagonal overwritten with
 *     {@code y (1 - y)}.</li>
 * <li>the softmax family, the gradients, the cross-entropies, argmax and top-k: own fused row loops over the data
 *     arrays ({@link RowSoftmax}, {@link RowGradients}, {@link RowCrossEntropy}, {@link RowRanking}). An EJML-ops
 *     softmax ({@code maxRows}, an own shift loop since EJML has no broadcast subtract, {@code elementExp},
 *     {@code sumRows}, {@code divideRows}) measured 10-25% faster in float64 only because it skips the accuracy
 *     work: it is off by up to 513 ulp on 2 x 32000 rows (the bound is 19), since {@code elementExp} of a rounded
 *     shift and the naive {@code sumRows} both lose it; in float32 it is no faster (its {@code sumRows} also
 *     accumulates in float32). {@code elementExp} costs 6.0 ns per element against 5.1 for a {@code Math.exp}
 *     loop here.</li>
 * </ul>
 * Results equal the plain backend's bit for bit (same algorithms), except: float32 softmax, temperature and masked
 * softmax and the float32 cross-entropy gradients round once from float64 where plain rounds twice (about a quarter
 * of the entries differ by one ulp, ejml's being the closer ones); products on EJML's kernels with
 * {@code |alpha| > 1} scale the sum where plain scales each term (last bits, within the product bound); a product of
 * EJML's kernels may differ from plain's in the sign of a zero result; and log-softmax backward where
 * {@code exp(logp)} is subnormal forms the product in halves, and softmax backward with all {@code |dy| < 2^-600}
 * runs scaled (plain loses the subnormals' bits there; both found by the conformance fuzzer).
 *
 * <p>Thread-safe: all per-call state is on the stack or in per-thread workspaces.
 */
public final class EjmlSoftmaxOps extends AbstractSoftmaxOps {

    /** Below the plain backend's 100: plain is the default, EJML is chosen by name. */
    public static final int PRIORITY = 50;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}; cheap, never throws. */
    public EjmlSoftmaxOps() {
    }

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public String description() {
        return "EJML 0.46 DMatrixRMaj/FMatrixRMaj: CommonOps_DDRM/FDRM mult, multAdd, multTransA (CommonOps_MT_* for "
                + "large shapes) for the products and the Jacobian's outer product; fused row loops for the softmax "
                + "family, cross-entropy and top-k";
    }

    // =================================================================================================== double

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
    protected void softmaxBackwardKernel(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                                         double[] dx, int dxOffset) {
        RowGradients.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, double[] logp, int logpOffset, double[] dlogp,
                                            int dlogpOffset, double[] dx, int dxOffset) {
        RowGradients.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    @Override
    protected void jacobianKernel(int cols, double[] y, int yOffset, double[] jacobian, int jacobianOffset) {
        EjmlProducts.jacobian(cols, y, yOffset, jacobian, jacobianOffset);
    }

    @Override
    protected void crossEntropyKernel(int rows, int cols, double[] probabilities, int probabilitiesOffset,
                                      double[] labels, int labelsOffset, double eps, double[] loss, int lossOffset) {
        RowCrossEntropy.crossEntropy(rows, cols, probabilities, probabilitiesOffset, labels, labelsOffset, eps, loss,
                lossOffset);
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset, double[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               double[] loss, int lossOffset, double[] gradient, int gradientOffset) {
        return RowCrossEntropy.softmaxCrossEntropy(rows, cols, logits, logitsOffset, labels, labelsOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, double[] loss, int lossOffset,
                                                     double[] gradient, int gradientOffset) {
        return RowCrossEntropy.sparseSoftmaxCrossEntropy(rows, cols, logits, logitsOffset, classes, classesOffset,
                options, gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected void argmaxKernel(int rows, int cols, double[] x, int xOffset, int[] out, int outOffset) {
        RowRanking.argmax(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, double[] x, int xOffset, double[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        RowRanking.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void matmulKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                                double beta, double[] c, int cOffset) {
        EjmlProducts.matmul(false, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        EjmlProducts.matmul(true, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    // =================================================================================================== float

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
    protected void softmaxBackwardKernel(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                         float[] dx, int dxOffset) {
        RowGradients.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                            int dlogpOffset, float[] dx, int dxOffset) {
        RowGradients.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    @Override
    protected void jacobianKernel(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        EjmlProducts.jacobian(cols, y, yOffset, jacobian, jacobianOffset);
    }

    @Override
    protected void crossEntropyKernel(int rows, int cols, float[] probabilities, int probabilitiesOffset,
                                      float[] labels, int labelsOffset, float eps, float[] loss, int lossOffset) {
        RowCrossEntropy.crossEntropy(rows, cols, probabilities, probabilitiesOffset, labels, labelsOffset, eps, loss,
                lossOffset);
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset, float[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        return RowCrossEntropy.softmaxCrossEntropy(rows, cols, logits, logitsOffset, labels, labelsOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, float[] loss, int lossOffset,
                                                     float[] gradient, int gradientOffset) {
        return RowCrossEntropy.sparseSoftmaxCrossEntropy(rows, cols, logits, logitsOffset, classes, classesOffset,
                options, gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected void argmaxKernel(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        RowRanking.argmax(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        RowRanking.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void matmulKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                float beta, float[] c, int cOffset) {
        EjmlProducts.matmul(false, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        EjmlProducts.matmul(true, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
