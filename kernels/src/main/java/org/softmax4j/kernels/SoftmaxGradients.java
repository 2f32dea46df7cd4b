package org.softmax4j.kernels;

/**
 * Scalar kernels of the softmax backward, log-softmax backward and Jacobian.
 *
 * <p>Each backward row first forms its reduction (compensated in float64, in double for float32), then writes the
 * element-wise result; every element reads its own inputs before writing, so {@code dx} may be the same region as
 * either input.
 *
 * <p>Internal: shared by the backends of this repository, not an API.
 */
public final class SoftmaxGradients {

    private SoftmaxGradients() {
    }

    // ------------------------------------------------------------------------------------------------ float64

    /** Below this {@code max |dy|} a softmax-backward row runs on {@code dy * 2^600}, scaled back at the end. */
    private static final double TINY_DY = 0x1p-600;
    private static final double UP = 0x1p600;

    /**
     * {@code dx = y * (dy - sum(dy * y))}. A row whose {@code dy} is all below {@code 2^-600} in magnitude runs scaled
     * by {@code 2^600} (exact): there {@code dy * y} goes subnormal and a large {@code y} would magnify the lost bits
     * (found by the conformance fuzzer).
     */
    public static void softmaxBackward(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                                       double[] dx, int dxOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int yo = yOffset + o;
            int go = dyOffset + o;
            int xo = dxOffset + o;
            double sum = 0;
            double comp = 0;
            double dyMax = 0;
            for (int c = 0; c < cols; c++) {
                double g = dy[go + c];
                dyMax = Math.max(dyMax, Math.abs(g));
                double v = g * y[yo + c];
                double t = sum + v;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (v - bp);
                sum = t;
            }
            double s = RowSoftmax.finish(sum, comp);
            if (dyMax > 0 && dyMax < TINY_DY) {
                s = dotProduct(cols, y, yo, dy, go, UP);
                for (int c = 0; c < cols; c++) {
                    dx[xo + c] = (y[yo + c] * (dy[go + c] * UP - s)) * TINY_DY;
                }
                continue;
            }
            for (int c = 0; c < cols; c++) {
                dx[xo + c] = y[yo + c] * (dy[go + c] - s);
            }
        }
    }

    /** The compensated {@code sum_c (dy_c * up) * y_c} of one row (the rare rescaled pass). */
    private static double dotProduct(int cols, double[] y, int yo, double[] dy, int go, double up) {
        double sum = 0;
        double comp = 0;
        for (int c = 0; c < cols; c++) {
            double v = (dy[go + c] * up) * y[yo + c];
            double t = sum + v;
            double bp = t - sum;
            comp += (sum - (t - bp)) + (v - bp);
            sum = t;
        }
        return RowSoftmax.finish(sum, comp);
    }

    /** {@code dx = dlogp - exp(logp) * sum(dlogp)}. */
    public static void logSoftmaxBackward(int rows, int cols, double[] logp, int logpOffset, double[] dlogp,
                                          int dlogpOffset, double[] dx, int dxOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int lo = logpOffset + o;
            int go = dlogpOffset + o;
            int xo = dxOffset + o;
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double v = dlogp[go + c];
                double t = sum + v;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (v - bp);
                sum = t;
            }
            double s = RowSoftmax.finish(sum, comp);
            for (int c = 0; c < cols; c++) {
                double l = logp[lo + c];
                double e = Math.exp(l);
                // a subnormal exp(logp) has lost its bits before a large sum scales it back up (fuzz-found):
                // exp(l) s = (exp(l / 2) s) exp(l / 2), both factors normal down to l = -1416
                double es = e >= Double.MIN_NORMAL ? e * s : halvedProduct(l, s);
                dx[xo + c] = dlogp[go + c] - es;
            }
        }
    }

    /** @return {@code exp(l) s} as {@code (exp(l / 2) s) exp(l / 2)}, for {@code exp(l)} below the normal range */
    private static double halvedProduct(double l, double s) {
        double h = Math.exp(0.5 * l);
        return (h * s) * h;
    }

    /** {@code J[i, j] = y_i * ([i == j] - y_j)}; {@code 1 - y_i} is exact for {@code y_i >= 0.5} (Sterbenz). */
    public static void jacobian(int cols, double[] y, int yOffset, double[] jac, int jacOffset) {
        for (int i = 0, o = jacOffset; i < cols; i++, o += cols) {
            double yi = y[yOffset + i];
            for (int j = 0; j < cols; j++) {
                jac[o + j] = -yi * y[yOffset + j];
            }
            jac[o + i] = yi * (1 - yi);
        }
    }

    // ------------------------------------------------------------------------------------------------ float32

    public static void softmaxBackward(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                       float[] dx, int dxOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int yo = yOffset + o;
            int go = dyOffset + o;
            int xo = dxOffset + o;
            double s = 0;
            for (int c = 0; c < cols; c++) {
                // the product of two floats is exact in double
                s += (double) dy[go + c] * y[yo + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[xo + c] = (float) (y[yo + c] * (dy[go + c] - s));
            }
        }
    }

    public static void logSoftmaxBackward(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                          int dlogpOffset, float[] dx, int dxOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int lo = logpOffset + o;
            int go = dlogpOffset + o;
            int xo = dxOffset + o;
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += dlogp[go + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[xo + c] = (float) (dlogp[go + c] - Math.exp(logp[lo + c]) * s);
            }
        }
    }

    /**
     * Off the diagonal {@code -y_i y_j}, exact in double and rounded once to float (the bits of the float product
     * {@code -y_i * y_j}, which a SIMD kernel may use instead); the diagonal {@link #jacobianDiagonal}.
     */
    public static void jacobian(int cols, float[] y, int yOffset, float[] jac, int jacOffset) {
        jacobian(cols, 0, cols, y, yOffset, jac, jacOffset);
    }

    /**
     * Rows {@code [from, to)} of {@link #jacobian(int, float[], int, float[], int)}: {@code J[i, .]} for {@code i} in
     * that range, at {@code jacOffset + i * cols} (the whole matrix's layout), so that threads can share one Jacobian.
     */
    public static void jacobian(int cols, int from, int to, float[] y, int yOffset, float[] jac, int jacOffset) {
        for (int i = from, o = jacOffset + from * cols; i < to; i++, o += cols) {
            double yi = y[yOffset + i];
            for (int j = 0; j < cols; j++) {
                // exact in double, one rounding to float
                jac[o + j] = (float) (-yi * y[yOffset + j]);
            }
            jac[o + i] = jacobianDiagonal(y[yOffset + i]);
        }
    }

    /** {@code J[i, i] = y_i (1 - y_i)} of a float32 Jacobian: in double, rounded once. */
    public static float jacobianDiagonal(float yi) {
        double v = yi;
        return (float) (v * (1 - v));
    }
}
