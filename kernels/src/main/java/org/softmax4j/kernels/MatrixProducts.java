package org.softmax4j.kernels;

/**
 * Scalar row-major matrix products {@code C = alpha A B + beta C}, {@code C = alpha A^T B + beta C} and
 * {@code C = alpha A B^T + beta C}.
 *
 * <p>Both walk one row of {@code C} at a time and add the rows of {@code B} scaled by {@code alpha a_ip} (an i-p-j
 * loop: unit stride in {@code B} and {@code C}). For {@code A^T B} the row {@code i} of {@code C} is the sum of the
 * rank-1 updates {@code A[p, i] B[p, :]}; it stays in cache while {@code p} runs. Float32 accumulates in float, like
 * BLAS, within the usual {@code gamma_k} bound. {@code beta = 0} overwrites {@code C} without reading it;
 * {@code alpha = 0} does not read {@code A} or {@code B} (BLAS semantics).
 *
 * <p>A large {@code A^T B} with {@code m >= k} runs with the {@code p} loop outermost instead, reading {@code A}
 * along its rows: each {@code c_ij} still sums {@code p = 0, 1, ...} in order, so the result is the same to the bit
 * (float64 1000x1000x10: 8.1-10.1 ms against 13.5-14.3 ms for the row-outer loop, 4 runs; 100x784x10 stays
 * row-outer: 663 us against 803 us).
 *
 * <p>{@code A B^T} reads a row of {@code A} and a row of {@code B}, both contiguous: each {@code c_ij} is one dot
 * product, accumulated in a local in exactly the order (and with the same scaling rule per term) in which the i-p-j
 * loop of {@code A B} accumulates it in {@code C}, so {@code matmulTransB(A, B)} equals {@code matmul(A, B^T)} to
 * the bit.
 *
 * <p>Internal: shared by the backends of this repository, not an API.
 */
public final class MatrixProducts {

    /** {@code m k} (the size of A) from which an {@code A^T B} with {@code m >= k} loops over {@code p} outermost. */
    static final long K_OUTER_MIN = 1L << 18;

    private MatrixProducts() {
    }

    public static void matmul(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                              double beta, double[] c, int cOffset) {
        for (int i = 0; i < m; i++) {
            int ci = cOffset + i * n;
            scaleRow(c, ci, n, beta);
            if (alpha == 0) {
                continue;
            }
            int ai = aOffset + i * k;
            for (int p = 0, bp = bOffset; p < k; p++, bp += n) {
                axpy(alpha, a[ai + p], b, bp, c, ci, n);
            }
        }
    }

    public static void matmulTransA(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                                    double beta, double[] c, int cOffset) {
        if (alpha != 0 && m >= k && (long) m * k >= K_OUTER_MIN) {
            for (int i = 0; i < m; i++) {
                scaleRow(c, cOffset + i * n, n, beta);
            }
            for (int p = 0, ap = aOffset, bp = bOffset; p < k; p++, ap += m, bp += n) {
                for (int i = 0; i < m; i++) {
                    axpy(alpha, a[ap + i], b, bp, c, cOffset + i * n, n);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOffset + i * n;
            scaleRow(c, ci, n, beta);
            if (alpha == 0) {
                continue;
            }
            for (int p = 0, ap = aOffset + i, bp = bOffset; p < k; p++, ap += m, bp += n) {
                axpy(alpha, a[ap], b, bp, c, ci, n);
            }
        }
    }

    public static void matmulTransB(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                                    double beta, double[] c, int cOffset) {
        for (int i = 0, ai = aOffset, ci = cOffset; i < m; i++, ai += k, ci += n) {
            if (alpha == 0) {
                scaleRow(c, ci, n, beta);
                continue;
            }
            for (int j = 0, bj = bOffset; j < n; j++, bj += k) {
                double v = beta == 0 ? 0.0 : beta == 1 ? c[ci + j] : c[ci + j] * beta;
                for (int p = 0; p < k; p++) {
                    double x = a[ai + p];
                    double s = alpha * x;
                    // the rule of axpy, per term
                    if (Math.abs(alpha) <= 1 && (Math.abs(s) >= Double.MIN_NORMAL || x == 0)) {
                        v += s * b[bj + p];
                    } else {
                        v += alpha * (x * b[bj + p]);
                    }
                }
                c[ci + j] = v;
            }
        }
    }

    /**
     * {@code c[ci..] += alpha * a * b[bp..]}. With {@code |alpha| <= 1} the factor {@code alpha * a} is formed
     * once (it cannot overflow where the product does not); with {@code |alpha| > 1}, or when {@code alpha * a}
     * would be subnormal (losing precision before a large {@code b} scales it up), each {@code a * b} is scaled
     * instead, so the product is not overflowed or flushed where its exact value is representable.
     */
    private static void axpy(double alpha, double a, double[] b, int bp, double[] c, int ci, int n) {
        double s = alpha * a;
        if (Math.abs(alpha) <= 1 && (Math.abs(s) >= Double.MIN_NORMAL || a == 0)) {
            for (int j = 0; j < n; j++) {
                c[ci + j] += s * b[bp + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[ci + j] += alpha * (a * b[bp + j]);
            }
        }
    }

    private static void scaleRow(double[] c, int ci, int n, double beta) {
        if (beta == 0) {
            java.util.Arrays.fill(c, ci, ci + n, 0.0);
        } else if (beta != 1) {
            for (int j = 0; j < n; j++) {
                c[ci + j] *= beta;
            }
        }
    }

    public static void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                              float beta, float[] c, int cOffset) {
        for (int i = 0; i < m; i++) {
            int ci = cOffset + i * n;
            scaleRow(c, ci, n, beta);
            if (alpha == 0) {
                continue;
            }
            int ai = aOffset + i * k;
            for (int p = 0, bp = bOffset; p < k; p++, bp += n) {
                axpy(alpha, a[ai + p], b, bp, c, ci, n);
            }
        }
    }

    public static void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                    float beta, float[] c, int cOffset) {
        if (alpha != 0 && m >= k && (long) m * k >= K_OUTER_MIN) {
            for (int i = 0; i < m; i++) {
                scaleRow(c, cOffset + i * n, n, beta);
            }
            for (int p = 0, ap = aOffset, bp = bOffset; p < k; p++, ap += m, bp += n) {
                for (int i = 0; i < m; i++) {
                    axpy(alpha, a[ap + i], b, bp, c, cOffset + i * n, n);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOffset + i * n;
            scaleRow(c, ci, n, beta);
            if (alpha == 0) {
                continue;
            }
            for (int p = 0, ap = aOffset + i, bp = bOffset; p < k; p++, ap += m, bp += n) {
                axpy(alpha, a[ap], b, bp, c, ci, n);
            }
        }
    }

    public static void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                    float beta, float[] c, int cOffset) {
        for (int i = 0, ai = aOffset, ci = cOffset; i < m; i++, ai += k, ci += n) {
            if (alpha == 0) {
                scaleRow(c, ci, n, beta);
                continue;
            }
            for (int j = 0, bj = bOffset; j < n; j++, bj += k) {
                float v = beta == 0 ? 0f : beta == 1 ? c[ci + j] : c[ci + j] * beta;
                for (int p = 0; p < k; p++) {
                    float x = a[ai + p];
                    float s = alpha * x;
                    // the rule of axpy, per term
                    if (Math.abs(alpha) <= 1f && (Math.abs(s) >= Float.MIN_NORMAL || x == 0)) {
                        v += s * b[bj + p];
                    } else {
                        v += alpha * (x * b[bj + p]);
                    }
                }
                c[ci + j] = v;
            }
        }
    }

    /**
     * {@code c[ci..] += alpha * a * b[bp..]}. With {@code |alpha| <= 1} the factor {@code alpha * a} is formed
     * once (it cannot overflow where the product does not); with {@code |alpha| > 1}, or when {@code alpha * a}
     * would be subnormal (losing precision before a large {@code b} scales it up), each {@code a * b} is scaled
     * instead, so the product is not overflowed or flushed where its exact value is representable.
     */
    private static void axpy(float alpha, float a, float[] b, int bp, float[] c, int ci, int n) {
        float s = alpha * a;
        if (Math.abs(alpha) <= 1f && (Math.abs(s) >= Float.MIN_NORMAL || a == 0)) {
            for (int j = 0; j < n; j++) {
                c[ci + j] += s * b[bp + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[ci + j] += alpha * (a * b[bp + j]);
            }
        }
    }

    private static void scaleRow(float[] c, int ci, int n, float beta) {
        if (beta == 0) {
            java.util.Arrays.fill(c, ci, ci + n, 0f);
        } else if (beta != 1) {
            for (int j = 0; j < n; j++) {
                c[ci + j] *= beta;
            }
        }
    }
}
