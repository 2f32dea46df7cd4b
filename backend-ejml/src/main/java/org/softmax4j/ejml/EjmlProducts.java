package org.softmax4j.ejml;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.ejml.dense.row.MatrixFeatures_FDRM;
import org.softmax4j.kernels.MatrixProducts;
import org.softmax4j.kernels.SoftmaxGradients;

/**
 * The matrix products and the softmax Jacobian on EJML's kernels where they are as fast as the shared scalar ones
 * ({@code softmax4j-kernels}) and as exact, the shared kernels elsewhere.
 *
 * <p>Measured with the JMH benchmark {@code EjmlKernelChoice} (test sources; the command is in its Javadoc), JDK 17,
 * EJML 0.46.1, operands at offset 0, {@code alpha = 1, beta = 0}, on the shared 2-core machine under load 10-13 (other
 * builds): the best of 12 iterations of 200 ms, microseconds per call, EJML / shared loop, float64 and float32:
 * <pre>
 *   m x k x n        C = A B  f64        f32           C = A^T B  f64        f32
 *   100x784x10       484 / 453      647 / 444          1202 / 1073      741 / 1000
 *   784x100x10       326 / 449      483 / 635          1385 / 1266      708 / 756
 *   100x784x16       664 / 824      597 / 814          1002 / 1140      995 / 1311
 *   128x128x128      710 / 859      670 / 763          1746 / 1889     1206 / 1419
 * </pre>
 * <ul>
 * <li>{@code n >= }{@link #NARROW_COLS}: {@code CommonOps_DDRM.mult / multAdd / multTransA / multAddTransA} (EJML's
 *     row-reordered kernels at these widths), faster than the shared loop in all eight cases above (by 8-27%), or
 *     their {@code CommonOps_MT_DDRM} twins once {@code m k n >= }{@link #CONCURRENT_FLOPS} and {@code m >= 2} (rows
 *     of C over the cores; wall time at 128^3 on an idler machine: 1115 us against 1771 for one thread; under this
 *     load 1213 against 1003, the second core being busy).</li>
 * <li>{@code n < }{@link #NARROW_COLS} (the {@code 100x784 * 784x10} logits and the {@code X^T G} gradient of softmax
 *     regression): EJML switches to {@code mult_small} (dot products walking down B) and is not faster as a rule
 *     (0.73x to 1.46x of the shared loop's time above, 0.74x to 1.12x for {@code A^T B}); the shared loop runs, which
 *     also keeps these products bit for bit those of the plain backend's scalar path.</li>
 * <li>Exactness: EJML's kernels form {@code alpha a_ik} first and sum {@code k} in order, as the shared loop does for
 *     {@code |alpha| <= 1}: the same values (checked by {@code EjmlProductsTest}), except where {@code alpha a_ik}
 *     would be subnormal for some {@code a_ik} (then the shared loop runs, scaling each {@code a b}). For
 *     {@code |alpha| > 1}, where {@code alpha a_ik} could overflow, the kernels run with {@code alpha = 1} and the sum
 *     is scaled ({@code CommonOps_DDRM.scale}, or {@code CommonOps_DDRM.add(alpha, AB, beta, C, C)} from a per-thread
 *     scratch product): within the product bound of the per-term scaling, and finite where {@code alpha (a b)} would
 *     overflow to NaN.</li>
 * <li>The Jacobian from {@link #JACOBIAN_MIN_COLS} classes: EJML's outer product (best of 12, microseconds, EJML /
 *     shared: 10 classes 0.4 / 0.05, 100: 3.4 / 3.7, 128: 5.4 / 4.5, 784: 137 / 226, 1000: 328 / 393); the same
 *     values, {@code -y_i y_j} being one rounding of an exact product either way.</li>
 * </ul>
 * <p>{@code C = alpha A B^T + beta C} ({@link #matmulTransB}) under the same width rule runs
 * {@code CommonOps_DDRM/FDRM.multTransB} (its {@code CommonOps_MT_*} twin from {@link #CONCURRENT_FLOPS}): dot
 * products of rows of A and rows of B, both contiguous. EJML's {@code multTransB} sums {@code a_ip b_jp} unscaled and
 * multiplies the sum by {@code alpha} ({@code multTransB(alpha, ..)} included), so it always runs with
 * {@code alpha = 1} and the sum is scaled by {@code CommonOps.scale} or {@code CommonOps.add(alpha, AB, beta, C, C)},
 * as for {@code |alpha| > 1} above: within the product bound. An unscaled sum can overflow where
 * {@code alpha} times it would not ({@code |alpha| < 1}): when the EJML product has a non-finite element, before C is
 * touched (beta != 0) or while it may be overwritten (beta = 0), the shared loop recomputes the whole product, which
 * also gives NaN and infinite inputs the shared loop's exact semantics. (Its widths were not measured separately: the
 * rule of the other two products is kept.)
 *
 * <p>Copies: an operand at offset 0 is used in place (a per-thread EJML matrix whose {@code data} is re-pointed at the
 * caller's array: the zero-allocation form of {@code DMatrixRMaj.wrap}); an operand at a non-zero offset is copied
 * into a per-thread scratch matrix (EJML indexes {@code data} from 0), and an output at a non-zero offset is computed
 * there and copied back ({@link EjmlSoftmax} always passes offset 0). The shared loop indexes with offsets and never
 * copies. {@code alpha = 0} reads neither A nor B.
 */
final class EjmlProducts {

    /** Output widths below this run the shared loop (EJML's own small/reorder switch is 15 columns). */
    static final int NARROW_COLS = 16;
    /** Classes from which the Jacobian uses EJML's outer product (below: the shared loop, no per-call overhead). */
    static final int JACOBIAN_MIN_COLS = 256;
    /** {@code m k n} from which the concurrent EJML kernels are used: 2^21 = 128^3, about 1 ms on one core. */
    static final long CONCURRENT_FLOPS = 1L << 21;

    private EjmlProducts() {
    }

    // ------------------------------------------------------------------------------------------------ matmul

    static void matmul(boolean transA, int m, int k, int n, double alpha, double[] a, int aOff, double[] b, int bOff,
                       double beta, double[] c, int cOff) {
        if (alpha == 0 || n < NARROW_COLS || subnormalFactor(alpha, a, aOff, m * k)) {
            if (transA) {
                MatrixProducts.matmulTransA(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
            } else {
                MatrixProducts.matmul(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
            }
            return;
        }
        Workspace w = Workspace.get();
        try {
            DMatrixRMaj ma = transA ? w.matrix(Workspace.Slot.A, a, aOff, k, m, true)
                    : w.matrix(Workspace.Slot.A, a, aOff, m, k, true);
            DMatrixRMaj mb = w.matrix(Workspace.Slot.B, b, bOff, k, n, true);
            DMatrixRMaj mc = w.matrix(Workspace.Slot.C, c, cOff, m, n, beta != 0);
            boolean concurrent = m >= 2 && (long) m * k * n >= CONCURRENT_FLOPS;
            if (Math.abs(alpha) <= 1) {
                // EJML forms alpha a_ik first, as plain does for |alpha| <= 1 (normal: subnormalFactor checked)
                if (beta != 0 && beta != 1) {
                    CommonOps_DDRM.scale(beta, mc);
                }
                product(transA, beta != 0, concurrent, alpha, ma, mb, mc);
            } else if (beta == 0) {
                // alpha a_ik could overflow where the product does not: the kernels run with alpha = 1, the sum is
                // scaled
                product(transA, false, concurrent, 1, ma, mb, mc);
                CommonOps_DDRM.scale(alpha, mc);
            } else {
                DMatrixRMaj ab = w.product64(m, n);
                product(transA, false, concurrent, 1, ma, mb, ab);
                CommonOps_DDRM.add(alpha, ab, beta, mc, mc);
            }
            Workspace.copyOut(mc, c, cOff);
        } finally {
            w.release();
        }
    }

    static void matmul(boolean transA, int m, int k, int n, float alpha, float[] a, int aOff, float[] b, int bOff,
                       float beta, float[] c, int cOff) {
        if (alpha == 0 || n < NARROW_COLS || subnormalFactor(alpha, a, aOff, m * k)) {
            if (transA) {
                MatrixProducts.matmulTransA(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
            } else {
                MatrixProducts.matmul(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
            }
            return;
        }
        Workspace w = Workspace.get();
        try {
            FMatrixRMaj ma = transA ? w.matrix(Workspace.Slot.A, a, aOff, k, m, true)
                    : w.matrix(Workspace.Slot.A, a, aOff, m, k, true);
            FMatrixRMaj mb = w.matrix(Workspace.Slot.B, b, bOff, k, n, true);
            FMatrixRMaj mc = w.matrix(Workspace.Slot.C, c, cOff, m, n, beta != 0);
            boolean concurrent = m >= 2 && (long) m * k * n >= CONCURRENT_FLOPS;
            if (Math.abs(alpha) <= 1) {
                // EJML forms alpha a_ik first, as plain does for |alpha| <= 1 (normal: subnormalFactor checked)
                if (beta != 0 && beta != 1) {
                    CommonOps_FDRM.scale(beta, mc);
                }
                product(transA, beta != 0, concurrent, alpha, ma, mb, mc);
            } else if (beta == 0) {
                // alpha a_ik could overflow where the product does not: the kernels run with alpha = 1, the sum is
                // scaled
                product(transA, false, concurrent, 1f, ma, mb, mc);
                CommonOps_FDRM.scale(alpha, mc);
            } else {
                FMatrixRMaj ab = w.product32(m, n);
                product(transA, false, concurrent, 1f, ma, mb, ab);
                CommonOps_FDRM.add(alpha, ab, beta, mc, mc);
            }
            Workspace.copyOut(mc, c, cOff);
        } finally {
            w.release();
        }
    }

    // ------------------------------------------------------------------------------------------------ A B^T

    static void matmulTransB(int m, int k, int n, double alpha, double[] a, int aOff, double[] b, int bOff,
                             double beta, double[] c, int cOff) {
        if (alpha == 0 || n < NARROW_COLS) {
            MatrixProducts.matmulTransB(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        Workspace w = Workspace.get();
        try {
            DMatrixRMaj ma = w.matrix(Workspace.Slot.A, a, aOff, m, k, true);
            DMatrixRMaj mb = w.matrix(Workspace.Slot.B, b, bOff, n, k, true);
            DMatrixRMaj mc = w.matrix(Workspace.Slot.C, c, cOff, m, n, beta != 0);
            DMatrixRMaj ab = beta == 0 ? mc : w.product64(m, n);
            if (m >= 2 && (long) m * k * n >= CONCURRENT_FLOPS) {
                CommonOps_MT_DDRM.multTransB(1, ma, mb, ab);
            } else {
                CommonOps_DDRM.multTransB(1, ma, mb, ab);
            }
            if (MatrixFeatures_DDRM.hasUncountable(ab)) {
                // an unscaled sum overflowed, or a non-finite input: the shared loop's order and semantics
                MatrixProducts.matmulTransB(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
                return;
            }
            if (beta == 0) {
                CommonOps_DDRM.scale(alpha, mc);
            } else {
                CommonOps_DDRM.add(alpha, ab, beta, mc, mc);
            }
            Workspace.copyOut(mc, c, cOff);
        } finally {
            w.release();
        }
    }

    static void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOff, float[] b, int bOff,
                             float beta, float[] c, int cOff) {
        if (alpha == 0 || n < NARROW_COLS) {
            MatrixProducts.matmulTransB(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        Workspace w = Workspace.get();
        try {
            FMatrixRMaj ma = w.matrix(Workspace.Slot.A, a, aOff, m, k, true);
            FMatrixRMaj mb = w.matrix(Workspace.Slot.B, b, bOff, n, k, true);
            FMatrixRMaj mc = w.matrix(Workspace.Slot.C, c, cOff, m, n, beta != 0);
            FMatrixRMaj ab = beta == 0 ? mc : w.product32(m, n);
            if (m >= 2 && (long) m * k * n >= CONCURRENT_FLOPS) {
                CommonOps_MT_FDRM.multTransB(1f, ma, mb, ab);
            } else {
                CommonOps_FDRM.multTransB(1f, ma, mb, ab);
            }
            if (MatrixFeatures_FDRM.hasUncountable(ab)) {
                MatrixProducts.matmulTransB(m, k, n, alpha, a, aOff, b, bOff, beta, c, cOff);
                return;
            }
            if (beta == 0) {
                CommonOps_FDRM.scale(alpha, mc);
            } else {
                CommonOps_FDRM.add(alpha, ab, beta, mc, mc);
            }
            Workspace.copyOut(mc, c, cOff);
        } finally {
            w.release();
        }
    }

    /**
     * @return true if {@code alpha a} is subnormal for some non-zero {@code a} of A ({@code |alpha| < 1} only): EJML's
     *         kernels would lose precision there before a large {@code b} scales it back up, so the own loop (which
     *         scales {@code a b} instead, as plain) runs. One pass over A, small next to the {@code m k n} product.
     */
    private static boolean subnormalFactor(double alpha, double[] a, int aOff, int count) {
        double abs = Math.abs(alpha);
        if (abs >= 1) {
            return false;
        }
        double below = Double.MIN_NORMAL / abs; // |a| < below <=> |alpha a| < MIN_NORMAL (up to rounding)
        for (int i = aOff; i < aOff + count; i++) {
            double v = Math.abs(a[i]);
            if (v < below && v != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean subnormalFactor(float alpha, float[] a, int aOff, int count) {
        float abs = Math.abs(alpha);
        if (abs >= 1) {
            return false;
        }
        double below = Float.MIN_NORMAL / (double) abs;
        for (int i = aOff; i < aOff + count; i++) {
            float v = Math.abs(a[i]);
            if (v < below && v != 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code C = alpha op(A) B} ({@code add}: {@code C += alpha op(A) B}) with the EJML kernel for the case. */
    private static void product(boolean transA, boolean add, boolean concurrent, double alpha, DMatrixRMaj a,
                                DMatrixRMaj b, DMatrixRMaj c) {
        if (concurrent) {
            if (transA) {
                if (add) {
                    CommonOps_MT_DDRM.multAddTransA(alpha, a, b, c);
                } else {
                    CommonOps_MT_DDRM.multTransA(alpha, a, b, c);
                }
            } else if (add) {
                CommonOps_MT_DDRM.multAdd(alpha, a, b, c);
            } else {
                CommonOps_MT_DDRM.mult(alpha, a, b, c);
            }
        } else if (transA) {
            if (add) {
                CommonOps_DDRM.multAddTransA(alpha, a, b, c);
            } else {
                CommonOps_DDRM.multTransA(alpha, a, b, c);
            }
        } else if (add) {
            CommonOps_DDRM.multAdd(alpha, a, b, c);
        } else {
            CommonOps_DDRM.mult(alpha, a, b, c);
        }
    }

    private static void product(boolean transA, boolean add, boolean concurrent, float alpha, FMatrixRMaj a,
                                FMatrixRMaj b, FMatrixRMaj c) {
        if (concurrent) {
            if (transA) {
                if (add) {
                    CommonOps_MT_FDRM.multAddTransA(alpha, a, b, c);
                } else {
                    CommonOps_MT_FDRM.multTransA(alpha, a, b, c);
                }
            } else if (add) {
                CommonOps_MT_FDRM.multAdd(alpha, a, b, c);
            } else {
                CommonOps_MT_FDRM.mult(alpha, a, b, c);
            }
        } else if (transA) {
            if (add) {
                CommonOps_FDRM.multAddTransA(alpha, a, b, c);
            } else {
                CommonOps_FDRM.multTransA(alpha, a, b, c);
            }
        } else if (add) {
            CommonOps_FDRM.multAdd(alpha, a, b, c);
        } else {
            CommonOps_FDRM.mult(alpha, a, b, c);
        }
    }

    // ------------------------------------------------------------------------------------------------ jacobian

    /**
     * {@code J = diag(y) - y y^T}: the off-diagonal {@code -y_i y_j} by EJML's outer product
     * {@code CommonOps_DDRM.mult(-1, y (C x 1), y^T (1 x C), J)} (one rounding each, k = 1), then the diagonal
     * overwritten with {@code y_i (1 - y_i)}: {@code y_i - y_i^2} would cancel for {@code y_i} near 1.
     */
    static void jacobian(int cols, double[] y, int yOff, double[] jac, int jOff) {
        if (cols < JACOBIAN_MIN_COLS) {
            SoftmaxGradients.jacobian(cols, y, yOff, jac, jOff);
            return;
        }
        Workspace w = Workspace.get();
        try {
            DMatrixRMaj column = w.matrix(Workspace.Slot.A, y, yOff, cols, 1, true);
            DMatrixRMaj row = w.matrix(Workspace.Slot.B, column.data, 0, 1, cols, false); // same values, no copy
            DMatrixRMaj mj = w.matrix(Workspace.Slot.C, jac, jOff, cols, cols, false);
            CommonOps_DDRM.mult(-1, column, row, mj);
            double[] d = mj.data;
            for (int i = 0; i < cols; i++) {
                double yi = column.data[i];
                d[i * (cols + 1)] = yi * (1 - yi);
            }
            Workspace.copyOut(mj, jac, jOff);
        } finally {
            w.release();
        }
    }

    static void jacobian(int cols, float[] y, int yOff, float[] jac, int jOff) {
        if (cols < JACOBIAN_MIN_COLS) {
            SoftmaxGradients.jacobian(cols, y, yOff, jac, jOff);
            return;
        }
        Workspace w = Workspace.get();
        try {
            FMatrixRMaj column = w.matrix(Workspace.Slot.A, y, yOff, cols, 1, true);
            FMatrixRMaj row = w.matrix(Workspace.Slot.B, column.data, 0, 1, cols, false);
            FMatrixRMaj mj = w.matrix(Workspace.Slot.C, jac, jOff, cols, cols, false);
            CommonOps_FDRM.mult(-1f, column, row, mj);
            float[] d = mj.data;
            for (int i = 0; i < cols; i++) {
                double yi = column.data[i];
                d[i * (cols + 1)] = (float) (yi * (1 - yi)); // 1 - yi exact in float64
            }
            Workspace.copyOut(mj, jac, jOff);
        } finally {
            w.release();
        }
    }
}
