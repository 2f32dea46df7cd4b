package org.softmax4j.ejml;

import org.softmax4j.AbstractSoftmaxOps;
import org.softmax4j.kernels.ScalarSoftmaxOps;

/**
 * The {@code "ejml"} backend: {@link org.softmax4j.SoftmaxOps} with EJML's dense row-major kernels where they are as
 * fast and as exact as the shared scalar ones, and the shared kernels ({@code softmax4j-kernels}, the same code the
 * plain backend runs without SIMD) everywhere else. Validation, exceptions and degenerate shapes come from
 * {@link AbstractSoftmaxOps}, so they are the same as every other backend's. For EJML's own types use
 * {@link EjmlSoftmax}.
 *
 * <p>Where EJML's kernels run ({@link EjmlProducts} has the JMH figures):
 * <ul>
 * <li>{@code matmul}, {@code matmulTransA} with 16 or more output columns: {@code CommonOps_DDRM/FDRM.mult, multAdd,
 *     multTransA, multAddTransA} (8-27% faster than the shared loop at 100x784x16 and 128^3), and their
 *     {@code CommonOps_MT_*} twins from 128^3 (rows of C over the cores); {@code matmulTransB} likewise with
 *     {@code multTransB} (unscaled dots, then scaled; see {@link EjmlProducts}).</li>
 * <li>{@code jacobian} from 256 classes: EJML's outer product ({@code CommonOps_DDRM.mult} with k = 1; 784 classes:
 *     137 against 226 us), the diagonal then overwritten with {@code y (1 - y)}.</li>
 * </ul>
 * Everything else runs the shared kernels (the masked ops and the reduced {@code crossEntropy} included). Narrow products (fewer than 16 output columns: the logits
 * {@code 100x784 * 784x10} and the {@code X^T G} gradient of softmax regression) and small Jacobians because EJML is
 * not faster there (its {@code mult_small}; a fixed cost per call). The row ops because EJML cannot do them as exactly:
 * it has no per-row shift (no broadcast row-subtract), {@code sumRows} sums naively (float32 in float32), which breaks
 * the {@code 4 + ceil(log2 C)} ulp bound on long rows (a softmax of {@code maxRows}, a shift loop,
 * {@code elementExp}, {@code sumRows} and {@code divideRows} was off by up to 513 ulp on 2 x 32000 rows, bound 19),
 * {@code maxRows} gives no index (the {@code 1 - p_max} tail needs it) and skips NaN, and it has no log, gather or
 * partial sort. That EJML-ops softmax is faster only by the accuracy work it skips (JMH {@code EjmlKernelChoice},
 * float64, best of 5 iterations under load: 100x10 5.9 against 7.8 us, 256x1000 1.54 against 1.91 ms).
 *
 * <p>Thread-safe: all per-call state is on the stack or in per-thread workspaces.
 */
public final class EjmlSoftmaxOps extends ScalarSoftmaxOps {

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
        return "EJML 0.46 DMatrixRMaj/FMatrixRMaj: CommonOps_DDRM/FDRM mult, multAdd, multTransA, multTransB (CommonOps_MT_* for "
                + "large shapes) for products with 16+ columns and the Jacobian's outer product; the shared scalar "
                + "kernels for the softmax family, cross-entropy, top-k and narrow products";
    }

    @Override
    protected void jacobianKernel(int cols, double[] y, int yOffset, double[] jacobian, int jacobianOffset) {
        EjmlProducts.jacobian(cols, y, yOffset, jacobian, jacobianOffset);
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

    @Override
    protected void matmulTransBKernel(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b,
                                      int bOffset, double beta, double[] c, int cOffset) {
        EjmlProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void jacobianKernel(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        EjmlProducts.jacobian(cols, y, yOffset, jacobian, jacobianOffset);
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

    @Override
    protected void matmulTransBKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        EjmlProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
