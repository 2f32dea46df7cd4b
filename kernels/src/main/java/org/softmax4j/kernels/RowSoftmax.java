package org.softmax4j.kernels;

import java.util.Arrays;

/**
 * Scalar row kernels of softmax, softmax with temperature, masked softmax, log-softmax and log-sum-exp (each of the
 * last two with an optional mask).
 *
 * <p>Every row is shifted by its first maximum {@code m} (index {@code im}). The sum is kept as
 * {@code s = 1 + others}, {@code others} being the sum of {@code exp(x_c - m)} over every entry but {@code im}
 * (whose term is exactly 1), so that {@code 1 - p_max}, {@code log p_max = -log1p(others)} and
 * {@code logSumExp = m + log1p(others)} keep their tiny tails.
 *
 * <p>Float64: {@code x - m} is rounded; its exact error {@code lo} (TwoSum) would otherwise become a relative error
 * {@code |x - m| * 2^-53} of the exponential (hundreds of ulps near {@code |x - m| = 700}), so
 * {@code exp(x - m) = exp(hi) * (1 + lo)} is corrected to first order. Sums are compensated (TwoSum/Neumaier).
 * Float32: everything is computed in double and rounded once when stored; softmax keeps the exponentials in a
 * per-thread float64 row until the division, so each probability is within 0.5 ulp of the float64 result (storing
 * {@code e} in the float32 output first rounds twice: up to about 1.4 ulp, a quarter of the entries one ulp off on
 * 200 x 1000 Gaussian logits).
 *
 * <p>Internal: shared by the backends of this repository, not an API (see the package documentation).
 */
public final class RowSoftmax {

    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    private static final double POS_INF = Double.POSITIVE_INFINITY;

    private RowSoftmax() {
    }

    // ------------------------------------------------------------------------------------------- shared helpers

    /**
     * {@code exp(v - m)} for {@code v <= m} (or NaN), corrected for the rounding of the subtraction.
     * {@code v = -inf} gives exactly 0 (the correction, NaN there, is skipped when the exponential is 0).
     */
    static double expShifted(double v, double m) {
        double hi = v - m;
        double e = Math.exp(hi);
        if (e != 0) {
            // TwoSum(v, -m): lo = (v - m) - hi exactly (no overflow is possible since hi is finite here)
            double bb = hi - v;
            double lo = (v - (hi - bb)) - (m + bb);
            e += e * lo;
        }
        return e;
    }

    /** The exact error of {@code hi = v - m} (TwoSum); only meaningful when {@code hi} is finite. */
    static double shiftError(double v, double m, double hi) {
        double bb = hi - v;
        return (v - (hi - bb)) - (m + bb);
    }

    /**
     * {@code exp((v - m) / t)}, with the exact remainders of the subtraction (TwoSum) and of the division (fma)
     * folded into a first-order correction, so large {@code |v - m| / t} stays accurate.
     */
    static double expShiftedScaled(double v, double m, double t) {
        double hi = v - m;
        double q = hi / t;
        double e = Math.exp(q);
        if (e != 0) {
            double lo = shiftError(v, m, hi);
            // (hi + lo) / t = q + (r + lo) / t exactly, r = hi - q * t being exact
            double r = Math.fma(-q, t, hi);
            e += e * ((r + lo) / t);
        }
        return e;
    }

    /** The compensated sum {@code sum + comp}; a non-finite {@code sum} (inf, NaN) is returned as is. */
    static double finish(double sum, double comp) {
        return Double.isFinite(sum) ? sum + comp : sum;
    }

    // ------------------------------------------------------------------------------------------------ float64

    public static void softmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            double m = NEG_INF;
            int im = 0;
            for (int c = 0; c < cols; c++) {
                double v = x[xo + c];
                if (v > m) {
                    m = v;
                    im = c;
                }
            }
            if (m == POS_INF || m == NEG_INF) {
                // +inf: inf - inf; all -inf (or -inf and NaN): -inf - -inf; either way the row is NaN
                Arrays.fill(y, yo, yo + cols, Double.NaN);
                continue;
            }
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                if (c == im) {
                    continue;
                }
                double e = expShifted(x[xo + c], m);
                y[yo + c] = e;
                double t = sum + e;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (e - bp);
                sum = t;
            }
            y[yo + im] = 1;
            double inv = 1 / (1 + finish(sum, comp));
            for (int c = 0; c < cols; c++) {
                y[yo + c] *= inv;
            }
        }
    }

    public static void softmax(int rows, int cols, double temperature, double[] x, int xOffset, double[] y,
                               int yOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            double m = NEG_INF;
            int im = 0;
            for (int c = 0; c < cols; c++) {
                double v = x[xo + c];
                if (v > m) {
                    m = v;
                    im = c;
                }
            }
            if (m == POS_INF || m == NEG_INF) {
                Arrays.fill(y, yo, yo + cols, Double.NaN);
                continue;
            }
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                if (c == im) {
                    continue;
                }
                double e = expShiftedScaled(x[xo + c], m, temperature);
                y[yo + c] = e;
                double t = sum + e;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (e - bp);
                sum = t;
            }
            y[yo + im] = 1;
            double inv = 1 / (1 + finish(sum, comp));
            for (int c = 0; c < cols; c++) {
                y[yo + c] *= inv;
            }
        }
    }

    public static void maskedSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                     double[] y, int yOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            int mo = maskOffset + o;
            double m = NEG_INF;
            int im = -1;
            boolean any = false;
            for (int c = 0; c < cols; c++) {
                if (mask[mo + c]) {
                    any = true;
                    double v = x[xo + c];
                    if (v > m) {
                        m = v;
                        im = c;
                    }
                }
            }
            if (!any) {
                Arrays.fill(y, yo, yo + cols, 0.0);
                continue;
            }
            if (m == POS_INF || m == NEG_INF) {
                for (int c = 0; c < cols; c++) {
                    y[yo + c] = mask[mo + c] ? Double.NaN : 0.0;
                }
                continue;
            }
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                if (!mask[mo + c]) {
                    y[yo + c] = 0;
                    continue;
                }
                if (c == im) {
                    continue;
                }
                double e = expShifted(x[xo + c], m);
                y[yo + c] = e;
                double t = sum + e;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (e - bp);
                sum = t;
            }
            y[yo + im] = 1;
            double inv = 1 / (1 + finish(sum, comp));
            for (int c = 0; c < cols; c++) {
                if (mask[mo + c]) {
                    y[yo + c] *= inv;
                }
            }
        }
    }

    public static void logSoftmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        maskedLogSoftmax(rows, cols, x, xOffset, null, 0, y, yOffset);
    }

    /**
     * Log-softmax of the kept entries ({@code mask} true; a null mask keeps every entry): masked entries
     * {@code -inf}, a row with no kept entry {@code -inf} everywhere; the kept entries follow the log-softmax rules
     * (NaN when their maximum is not finite or one of them is NaN). A masked entry adds exactly nothing, so the
     * result is that of {@link #logSoftmax} with the masked logits set to {@code -inf} wherever the kept maximum is
     * finite, bit for bit.
     */
    public static void maskedLogSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                        double[] y, int yOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            int mo = maskOffset + o;
            double m = NEG_INF;
            int im = 0;
            boolean any = mask == null;
            for (int c = 0; c < cols; c++) {
                if (mask == null || mask[mo + c]) {
                    any = true;
                    double v = x[xo + c];
                    if (v > m) {
                        m = v;
                        im = c;
                    }
                }
            }
            if (!any) {
                Arrays.fill(y, yo, yo + cols, NEG_INF);
                continue;
            }
            if (m == POS_INF || m == NEG_INF) {
                for (int c = 0; c < cols; c++) {
                    y[yo + c] = mask == null || mask[mo + c] ? Double.NaN : NEG_INF;
                }
                continue;
            }
            double l = Math.log1p(others(x, xo, cols, m, im, mask, mo));
            for (int c = 0; c < cols; c++) {
                if (mask != null && !mask[mo + c]) {
                    y[yo + c] = NEG_INF;
                    continue;
                }
                double v = x[xo + c];
                double hi = v - m;
                // hi and -l are both <= 0: no cancellation; lo restores the exact shift (skipped at -inf, NaN there)
                y[yo + c] = hi > NEG_INF ? (hi - l) + shiftError(v, m, hi) : hi - l;
            }
        }
    }

    public static void logSumExp(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        maskedLogSumExp(rows, cols, x, xOffset, null, 0, out, outOffset);
    }

    /**
     * Log-sum-exp of the kept entries ({@code mask} true; null keeps every entry): a row with no kept entry gives
     * {@code -inf} (the empty sum), masked entries (NaN included) are ignored.
     */
    public static void maskedLogSumExp(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                       double[] out, int outOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int mo = maskOffset + o;
            double m = NEG_INF;
            int im = 0;
            for (int c = 0; c < cols; c++) {
                if (mask == null || mask[mo + c]) {
                    double v = x[xo + c];
                    if (v > m) {
                        m = v;
                        im = c;
                    }
                }
            }
            if (m == POS_INF || m == NEG_INF) {
                // +inf -> +inf and all -inf (or nothing kept) -> -inf, unless a kept NaN is present
                out[outOffset + r] = hasNaN(x, xo, cols, mask, mo) ? Double.NaN : m;
                continue;
            }
            out[outOffset + r] = m + Math.log1p(others(x, xo, cols, m, im, mask, mo));
        }
    }

    /**
     * Compensated sum of {@code exp(x_c - m)} over the kept {@code c != im} (null mask: all); NaN if a kept entry is
     * NaN.
     */
    private static double others(double[] x, int xo, int cols, double m, int im, boolean[] mask, int mo) {
        double sum = 0;
        double comp = 0;
        for (int c = 0; c < cols; c++) {
            if (c == im || mask != null && !mask[mo + c]) {
                continue;
            }
            double e = expShifted(x[xo + c], m);
            double t = sum + e;
            double bp = t - sum;
            comp += (sum - (t - bp)) + (e - bp);
            sum = t;
        }
        return finish(sum, comp);
    }

    private static boolean hasNaN(double[] x, int xo, int cols, boolean[] mask, int mo) {
        for (int c = 0; c < cols; c++) {
            if (Double.isNaN(x[xo + c]) && (mask == null || mask[mo + c])) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ float32

    /** Rounds each probability once: the exponentials stay in a per-thread float64 row until the division. */
    public static void softmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        double[] e = Scratch.row(cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            int im = maxIndex(x, xo, cols);
            if (im < 0) {
                Arrays.fill(y, yo, yo + cols, Float.NaN);
                continue;
            }
            double md = x[xo + im];
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                // float - float is (nearly always) exact in double; its rounding is far below a float ulp
                double v = Math.exp(x[xo + c] - md);
                e[c] = v;
                if (c != im) {
                    sum += v;
                }
            }
            store(e, y, yo, cols, 1 / (1 + sum));
        }
    }

    public static void softmax(int rows, int cols, float temperature, float[] x, int xOffset, float[] y, int yOffset) {
        double[] e = Scratch.row(cols);
        double t = temperature;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            int im = maxIndex(x, xo, cols);
            if (im < 0) {
                Arrays.fill(y, yo, yo + cols, Float.NaN);
                continue;
            }
            double md = x[xo + im];
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = Math.exp((x[xo + c] - md) / t);
                e[c] = v;
                if (c != im) {
                    sum += v;
                }
            }
            store(e, y, yo, cols, 1 / (1 + sum));
        }
    }

    public static void maskedSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                     float[] y, int yOffset) {
        double[] e = Scratch.row(cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            int mo = maskOffset + o;
            float m = Float.NEGATIVE_INFINITY;
            int im = -1;
            boolean any = false;
            for (int c = 0; c < cols; c++) {
                if (mask[mo + c]) {
                    any = true;
                    float v = x[xo + c];
                    if (v > m) {
                        m = v;
                        im = c;
                    }
                }
            }
            if (!any) {
                Arrays.fill(y, yo, yo + cols, 0f);
                continue;
            }
            if (m == Float.POSITIVE_INFINITY || m == Float.NEGATIVE_INFINITY) {
                for (int c = 0; c < cols; c++) {
                    y[yo + c] = mask[mo + c] ? Float.NaN : 0f;
                }
                continue;
            }
            double md = m;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = mask[mo + c] ? Math.exp(x[xo + c] - md) : 0;
                e[c] = v;
                if (c != im) {
                    sum += v;
                }
            }
            // masked entries stay exactly 0 even when a NaN among the others makes the sum NaN
            double inv = 1 / (1 + sum);
            for (int c = 0; c < cols; c++) {
                y[yo + c] = mask[mo + c] ? (float) (e[c] * inv) : 0f;
            }
        }
    }

    /** @return the first maximum's index of a float32 row, or -1 if the maximum is not finite (+inf, all -inf) */
    private static int maxIndex(float[] x, int xo, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        int im = 0;
        for (int c = 0; c < cols; c++) {
            float v = x[xo + c];
            if (v > m) {
                m = v;
                im = c;
            }
        }
        return m == Float.POSITIVE_INFINITY || m == Float.NEGATIVE_INFINITY ? -1 : im;
    }

    /** {@code y = (float) (e * factor)}: one rounding per entry. */
    private static void store(double[] e, float[] y, int yo, int cols, double factor) {
        for (int c = 0; c < cols; c++) {
            y[yo + c] = (float) (e[c] * factor);
        }
    }

    public static void logSoftmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        maskedLogSoftmax(rows, cols, x, xOffset, null, 0, y, yOffset);
    }

    /** Float32 twin of the float64 {@code maskedLogSoftmax}. */
    public static void maskedLogSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                        float[] y, int yOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            int mo = maskOffset + o;
            float m = Float.NEGATIVE_INFINITY;
            int im = 0;
            boolean any = mask == null;
            for (int c = 0; c < cols; c++) {
                if (mask == null || mask[mo + c]) {
                    any = true;
                    float v = x[xo + c];
                    if (v > m) {
                        m = v;
                        im = c;
                    }
                }
            }
            if (!any) {
                Arrays.fill(y, yo, yo + cols, Float.NEGATIVE_INFINITY);
                continue;
            }
            if (m == Float.POSITIVE_INFINITY || m == Float.NEGATIVE_INFINITY) {
                for (int c = 0; c < cols; c++) {
                    y[yo + c] = mask == null || mask[mo + c] ? Float.NaN : Float.NEGATIVE_INFINITY;
                }
                continue;
            }
            double md = m;
            double l = Math.log1p(others(x, xo, cols, md, im, mask, mo));
            for (int c = 0; c < cols; c++) {
                y[yo + c] = mask == null || mask[mo + c] ? (float) ((x[xo + c] - md) - l) : Float.NEGATIVE_INFINITY;
            }
        }
    }

    public static void logSumExp(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        maskedLogSumExp(rows, cols, x, xOffset, null, 0, out, outOffset);
    }

    /** Float32 twin of the float64 {@code maskedLogSumExp}. */
    public static void maskedLogSumExp(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                       float[] out, int outOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int mo = maskOffset + o;
            float m = Float.NEGATIVE_INFINITY;
            int im = 0;
            for (int c = 0; c < cols; c++) {
                if (mask == null || mask[mo + c]) {
                    float v = x[xo + c];
                    if (v > m) {
                        m = v;
                        im = c;
                    }
                }
            }
            if (m == Float.POSITIVE_INFINITY || m == Float.NEGATIVE_INFINITY) {
                out[outOffset + r] = hasNaN(x, xo, cols, mask, mo) ? Float.NaN : m;
                continue;
            }
            double md = m;
            out[outOffset + r] = (float) (md + Math.log1p(others(x, xo, cols, md, im, mask, mo)));
        }
    }

    /** Sum in double of {@code exp(x_c - m)} over the kept {@code c != im}; NaN if a kept entry is NaN. */
    private static double others(float[] x, int xo, int cols, double m, int im, boolean[] mask, int mo) {
        double sum = 0;
        for (int c = 0; c < cols; c++) {
            if (c != im && (mask == null || mask[mo + c])) {
                sum += Math.exp(x[xo + c] - m);
            }
        }
        return sum;
    }

    private static boolean hasNaN(float[] x, int xo, int cols, boolean[] mask, int mo) {
        for (int c = 0; c < cols; c++) {
            if (Float.isNaN(x[xo + c]) && (mask == null || mask[mo + c])) {
                return true;
            }
        }
        return false;
    }
}
