package org.softmax4j.ejml;

import java.util.Arrays;

/**
 * Softmax, temperature and masked softmax, log-softmax and log-sum-exp as fused row loops over the row-major data
 * arrays (EJML's style: one pass for the maximum, one for the exponentials, one to scale).
 *
 * <p>Own loops, not EJML ops, because EJML cannot express them well: it has no broadcast row-subtract for the shift,
 * {@code CommonOps_DDRM.elementExp} costs about 13.8 ns per element on JDK 17 against about 4 ns for a
 * {@code Math.exp} loop, and {@code sumRows} sums naively (float32 in float32), which breaks the
 * {@code 4 + ceil(log2 C)} ulp bound on long rows. See {@link EjmlSoftmaxOps} for the measurement.
 *
 * <p>Numerics, per row with maximum {@code m} at its first index {@code j}: {@code e_c = exp(x_c - m)} with the
 * shift's rounding error corrected ({@link RowMath#shiftedExp}), {@code others = sum_{c != j} e_c} (compensated with
 * TwoSum in float64; a plain float64 sum for float32 rows), {@code s = 1 + others}; the softmax is
 * {@code e_c * (1 / s)}, the log of the sum is {@code log1p(others)} so that a dominant entry keeps its tiny distance
 * from 0. The float64 rows
 * run the plain backend's algorithm and agree with it bit for bit.
 *
 * <p>Float32 rows are computed in float64 and the exponentials kept in a per-thread float64 row, so each
 * probability is rounded to float32 once: within 0.5 ulp of the float64 result. The plain backend stores the
 * exponentials in the float32 output first and rounds twice (up to about 1.4 ulp); on 200 x 1000 Gaussian logits
 * about a quarter of the entries differ by one ulp (ejml max 0.50, plain max 1.44 ulp from the float64 result).
 */
final class RowSoftmax {

    private RowSoftmax() {
    }

    // ------------------------------------------------------------------------------------------------ softmax

    static void softmax(int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            double m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                Arrays.fill(y, yo, yo + cols, Double.NaN);
                continue;
            }
            double others = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double e = RowMath.shiftedExp(x[xo + c], m);
                y[yo + c] = e;
                if (c != j) {
                    double t = others + e;
                    double bp = t - others;
                    comp += (others - (t - bp)) + (e - bp);
                    others = t;
                }
            }
            scale(y, yo, cols, 1 / (1 + RowMath.finish(others, comp)));
        }
    }

    static void softmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        double[] e = Workspace.get().row64(cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            float m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                Arrays.fill(y, yo, yo + cols, Float.NaN);
                continue;
            }
            double others = 0;
            for (int c = 0; c < cols; c++) {
                double v = Math.exp((double) x[xo + c] - m);
                e[c] = v;
                if (c != j) {
                    others += v;
                }
            }
            store(e, y, yo, cols, 1 / (1 + others));
        }
    }

    static void softmax(int rows, int cols, double temperature, double[] x, int xOff, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            double m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                Arrays.fill(y, yo, yo + cols, Double.NaN);
                continue;
            }
            double others = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double e = temperedExp(x[xo + c], m, temperature);
                y[yo + c] = e;
                if (c != j) {
                    double t = others + e;
                    double bp = t - others;
                    comp += (others - (t - bp)) + (e - bp);
                    others = t;
                }
            }
            scale(y, yo, cols, 1 / (1 + RowMath.finish(others, comp)));
        }
    }

    static void softmax(int rows, int cols, float temperature, float[] x, int xOff, float[] y, int yOff) {
        double[] e = Workspace.get().row64(cols);
        double t = temperature;
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            float m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                Arrays.fill(y, yo, yo + cols, Float.NaN);
                continue;
            }
            double others = 0;
            for (int c = 0; c < cols; c++) {
                double v = Math.exp(((double) x[xo + c] - m) / t);
                e[c] = v;
                if (c != j) {
                    others += v;
                }
            }
            store(e, y, yo, cols, 1 / (1 + others));
        }
    }

    /**
     * {@code exp((v - m) / T)} exact to rounding: the shift's error {@code lo} (TwoSum) and the quotient's remainder
     * {@code rem = hi - q T} (exact with one fma) give {@code (v - m) / T = q + (rem + lo) / T}, applied to first
     * order as {@code e + e (rem + lo) / T}.
     */
    private static double temperedExp(double v, double m, double temperature) {
        double hi = v - m;
        double q = hi / temperature;
        double e = Math.exp(q);
        if (e != 0) {
            double rem = Math.fma(-q, temperature, hi);
            e += e * ((rem + RowMath.shiftError(v, m, hi)) / temperature);
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------ masked

    static void maskedSoftmax(int rows, int cols, double[] x, int xOff, boolean[] mask, int maskOff,
                              double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int mo = maskOff + r * cols;
            int j = maskedMaxIndex(x, xo, mask, mo, cols);
            if (j < 0) {
                Arrays.fill(y, yo, yo + cols, 0.0);
                continue;
            }
            double m = x[xo + j];
            boolean finite = RowMath.isFinite(m);
            double others = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double e;
                if (!mask[mo + c]) {
                    e = 0;
                } else if (!finite) {
                    e = Double.NaN;
                } else {
                    e = RowMath.shiftedExp(x[xo + c], m);
                    if (c != j) {
                        double t = others + e;
                        double bp = t - others;
                        comp += (others - (t - bp)) + (e - bp);
                        others = t;
                    }
                }
                y[yo + c] = e;
            }
            if (finite) {
                scale(y, yo, cols, 1 / (1 + RowMath.finish(others, comp)));
            }
        }
    }

    static void maskedSoftmax(int rows, int cols, float[] x, int xOff, boolean[] mask, int maskOff,
                              float[] y, int yOff) {
        double[] e = Workspace.get().row64(cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int mo = maskOff + r * cols;
            int j = maskedMaxIndex(x, xo, mask, mo, cols);
            if (j < 0) {
                Arrays.fill(y, yo, yo + cols, 0f);
                continue;
            }
            float m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                for (int c = 0; c < cols; c++) {
                    y[yo + c] = mask[mo + c] ? Float.NaN : 0f;
                }
                continue;
            }
            double others = 0;
            for (int c = 0; c < cols; c++) {
                double v = mask[mo + c] ? Math.exp((double) x[xo + c] - m) : 0;
                e[c] = v;
                if (c != j) {
                    others += v;
                }
            }
            store(e, y, yo, cols, 1 / (1 + others));
        }
    }

    /** @return the index of the first maximum (or first NaN) among the unmasked entries, or -1 if all are masked */
    private static int maskedMaxIndex(double[] x, int xo, boolean[] mask, int mo, int cols) {
        int best = -1;
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            if (mask[mo + c]) {
                double v = x[xo + c];
                if (v != v) {
                    return c;
                }
                if (best < 0 || v > m) {
                    m = v;
                    best = c;
                }
            }
        }
        return best;
    }

    private static int maskedMaxIndex(float[] x, int xo, boolean[] mask, int mo, int cols) {
        int best = -1;
        float m = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            if (mask[mo + c]) {
                float v = x[xo + c];
                if (v != v) {
                    return c;
                }
                if (best < 0 || v > m) {
                    m = v;
                    best = c;
                }
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------------ logs

    static void logSoftmax(int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            double m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                Arrays.fill(y, yo, yo + cols, Double.NaN);
                continue;
            }
            double log = Math.log1p(others(x, xo, cols, j, m));
            for (int c = 0; c < cols; c++) {
                double v = x[xo + c];
                double hi = v - m;
                // (v - m) - log exactly rounded up to the tiny error lo of the shift, added back last
                y[yo + c] = hi == Double.NEGATIVE_INFINITY ? hi : (hi - log) + RowMath.shiftError(v, m, hi);
            }
        }
    }

    static void logSoftmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            float m = x[xo + j];
            if (!RowMath.isFinite(m)) {
                Arrays.fill(y, yo, yo + cols, Float.NaN);
                continue;
            }
            double log = Math.log1p(others(x, xo, cols, j, m));
            for (int c = 0; c < cols; c++) {
                y[yo + c] = (float) (((double) x[xo + c] - m) - log);
            }
        }
    }

    static void logSumExp(int rows, int cols, double[] x, int xOff, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            double m = x[xo + j];
            // NaN -> NaN, +inf -> +inf, all -inf -> -inf: the maximum itself
            out[outOff + r] = RowMath.isFinite(m) ? m + Math.log1p(others(x, xo, cols, j, m)) : m;
        }
    }

    static void logSumExp(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int j = RowMath.maxIndex(x, xo, cols);
            float m = x[xo + j];
            out[outOff + r] = RowMath.isFinite(m) ? (float) (m + Math.log1p(others(x, xo, cols, j, m))) : m;
        }
    }

    /** @return {@code sum_{c != j} exp(x_c - m)}, shift-corrected and compensated (TwoSum) */
    static double others(double[] x, int xo, int cols, int j, double m) {
        double others = 0;
        double comp = 0;
        for (int c = 0; c < cols; c++) {
            if (c != j) {
                double e = RowMath.shiftedExp(x[xo + c], m);
                double t = others + e;
                double bp = t - others;
                comp += (others - (t - bp)) + (e - bp);
                others = t;
            }
        }
        return RowMath.finish(others, comp);
    }

    /** @return {@code sum_{c != j} exp(x_c - m)} in float64 (the float32 row needs no compensation) */
    static double others(float[] x, int xo, int cols, int j, float m) {
        double others = 0;
        for (int c = 0; c < cols; c++) {
            if (c != j) {
                others += Math.exp((double) x[xo + c] - m);
            }
        }
        return others;
    }

    private static void scale(double[] y, int yo, int cols, double factor) {
        for (int c = yo; c < yo + cols; c++) {
            y[c] *= factor;
        }
    }

    private static void store(double[] e, float[] y, int yo, int cols, double factor) {
        for (int c = 0; c < cols; c++) {
            y[yo + c] = (float) (e[c] * factor);
        }
    }
}
