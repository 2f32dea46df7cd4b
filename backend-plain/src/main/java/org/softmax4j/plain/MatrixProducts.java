package org.softmax4j.plain;

/**
 * Scalar row-major matrix products {@code C = alpha A B + beta C} and {@code C = alpha A^T B + beta C}.
 *
 * <p>Both walk one row of {@code C} at a time and add the rows of {@code B} scaled by {@code alpha a_ip} (an i-p-j
 * loop: unit stride in {@code B} and {@code C}). For {@code A^T B} the row {@code i} of {@code C} is the sum of the
 * rank-1 updates {@code A[p, i] B[p, :]}; it stays in cache while {@code p} runs. Float32 accumulates in float, like
 * BLAS, within the usual {@code gamma_k} bound. {@code beta = 0} overwrites {@code C} without reading it;
 * {@code alpha = 0} does not read {@code A} or {@code B} (BLAS semantics).
 */
final class MatrixProducts {

    private MatrixProducts() {
    }

    static void matmul(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
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

    static void matmulTransA(int m, int k, int n, double alpha, double[] a, int aOffset, double[] b, int bOffset,
                             double beta, double[] c, int cOffset) {
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

    static void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
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

    static void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                             float beta, float[] c, int cOffset) {
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
