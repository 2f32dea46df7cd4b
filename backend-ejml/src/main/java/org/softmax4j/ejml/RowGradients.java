package org.softmax4j.ejml;

/**
 * Softmax and log-softmax backward as row loops over the data arrays: one pass for the row reduction, one for the
 * element-wise update (in place allowed: each pass reads an element before writing it).
 *
 * <p>Own loops, because the EJML form needs a broadcast (row-vector) subtract it does not have
 * ({@code elementMult}, {@code sumRows}, then no op for {@code dy - s 1^T}) and its naive {@code sumRows} breaks the
 * error bound on long rows; the float64 reductions here are compensated
 * (TwoSum), the float32 ones run in float64. Same formulas as the plain backend.
 */
final class RowGradients {

    private RowGradients() {
    }

    /** Below this {@code max |dy|}, softmax backward runs on a scaled copy of the row. */
    private static final double TINY = 0x1p-600;
    private static final double UP = 0x1p600;

    /** One row of softmax backward with {@code dy} scaled by {@code 2^600}; dx may be y or dy. */
    private static void tinySoftmaxBackward(int cols, double[] y, int yo, double[] dy, int go, double[] dx, int xo) {
        double sum = 0;
        double comp = 0;
        for (int c = 0; c < cols; c++) {
            double v = (dy[go + c] * UP) * y[yo + c];
            double t = sum + v;
            double bp = t - sum;
            comp += (sum - (t - bp)) + (v - bp);
            sum = t;
        }
        double dot = RowMath.finish(sum, comp);
        for (int c = 0; c < cols; c++) {
            dx[xo + c] = (y[yo + c] * (dy[go + c] * UP - dot)) * TINY;
        }
    }

    /**
     * {@code dx = y * (dy - sum_j dy_j y_j)} per row (the plain backend's loop), except that a row whose {@code dy} is
     * all below {@code 2^-600} in magnitude runs scaled by {@code 2^600} (found by the conformance fuzzer: there
     * {@code y dy} goes subnormal and a large {@code y} magnifies the lost bits).
     */
    static void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                                double[] dx, int dxOff) {
        for (int r = 0; r < rows; r++) {
            int yo = yOff + r * cols;
            int go = dyOff + r * cols;
            int xo = dxOff + r * cols;
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
            if (dyMax < TINY && dyMax > 0) {
                // dy this small makes y dy subnormal, and a large y magnifies the lost bits: dx is linear in dy, so
                // run the row on dy 2^600 (exact) and scale the result back (exact unless it is subnormal itself)
                tinySoftmaxBackward(cols, y, yo, dy, go, dx, xo);
                continue;
            }
            double dot = RowMath.finish(sum, comp);
            for (int c = 0; c < cols; c++) {
                dx[xo + c] = y[yo + c] * (dy[go + c] - dot);
            }
        }
    }

    static void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff,
                                float[] dx, int dxOff) {
        for (int r = 0; r < rows; r++) {
            int yo = yOff + r * cols;
            int go = dyOff + r * cols;
            int xo = dxOff + r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += (double) dy[go + c] * y[yo + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[xo + c] = (float) (y[yo + c] * (dy[go + c] - dot));
            }
        }
    }

    /**
     * {@code dx = dlogp - exp(logp) * sum_j dlogp_j} per row; where {@code exp(logp)} is subnormal (logp below about
     * -708) the product is formed from two halves, so a large sum does not magnify the subnormal's lost bits (found
     * by the conformance fuzzer; the plain backend's loop forms {@code exp(logp) * sum} directly).
     */
    static void logSoftmaxBackward(int rows, int cols, double[] logp, int lOff, double[] dlogp, int gOff,
                                   double[] dx, int dxOff) {
        for (int r = 0; r < rows; r++) {
            int lo = lOff + r * cols;
            int go = gOff + r * cols;
            int xo = dxOff + r * cols;
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double v = dlogp[go + c];
                double t = sum + v;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (v - bp);
                sum = t;
            }
            double s = RowMath.finish(sum, comp);
            for (int c = 0; c < cols; c++) {
                double l = logp[lo + c];
                double e = Math.exp(l);
                // a subnormal exp(logp) has lost its precision before a large sum scales it back up:
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

    static void logSoftmaxBackward(int rows, int cols, float[] logp, int lOff, float[] dlogp, int gOff,
                                   float[] dx, int dxOff) {
        for (int r = 0; r < rows; r++) {
            int lo = lOff + r * cols;
            int go = gOff + r * cols;
            int xo = dxOff + r * cols;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += dlogp[go + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[xo + c] = (float) (dlogp[go + c] - Math.exp(logp[lo + c]) * sum);
            }
        }
    }
}
