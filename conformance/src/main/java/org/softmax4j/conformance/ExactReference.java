package org.softmax4j.conformance;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * An independent high-precision reference of every op of {@link org.softmax4j.SoftmaxOps}, with the semantics table
 * of the package documentation. Inputs are the exact dtype values (a float32 input is passed as the doubles its
 * floats widen to, exactly); every intermediate is a {@link BigDecimal} rounded to {@link #MC} (45 digits), so the
 * returned doubles are the exact results correctly rounded to float64 (at most 0.5 ulp of float64 away, far below
 * any float32 ulp). Ops whose result can cancel also return the scale of {@link Tolerance}.
 *
 * <p>exp uses {@code x = k ln2 + j/64 + s} with {@code |s| <= 1/128}, a table of {@code exp(j/64)} and 17 Taylor
 * terms, in 160-bit binary fixed point (BigInteger products and shifts; the shift {@code x - m} of two doubles is exact
 * there) and one rounding to {@link #MC} at the end; ln uses {@code x = 10^n * F/32}, a table of {@code ln(j/32)} and
 * the atanh series {@code ln(F/j) = 2 atanh((F - j)/(F + j))} with {@code |t| <= 1/128}. Both are checked against
 * known constants and {@link Math#exp}/{@link Math#log} in {@code ExactReferenceTest}. Thread-safe (immutable tables).
 */
public final class ExactReference {

    /** 45 significant digits: enough that rounding to float64 is exact to rounding, cheap enough for 64000 rows. */
    public static final MathContext MC = new MathContext(45, RoundingMode.HALF_EVEN);

    /** Below this exponent exp(x) < 1e-477 is returned as 0: negligible next to a term of 1 and under float64. */
    private static final double EXP_ZERO_BELOW = -1100;

    private static final int TAYLOR_TERMS = 17;
    private static final BigDecimal[] INV_ODD = new BigDecimal[40];
    /** ln 2, ln 10 from the atanh series: ln 2 = 2 atanh(1/3), ln 10 = 3 ln 2 + 2 atanh(1/9). */
    public static final BigDecimal LN2;
    public static final BigDecimal LN10;
    /** ln(j/32) for j in [32, 320]. */
    private static final BigDecimal[] LN_TAB = new BigDecimal[321];
    /** 2^k rounded to MC for k in [-POW2_BIAS, POW2_BIAS]. */
    private static final int POW2_BIAS = 1900;
    private static final BigDecimal[] POW2 = new BigDecimal[2 * POW2_BIAS + 1];
    /** Fraction bits of the fixed-point exp: 160 bits = 48 digits. */
    private static final int FB = 160;
    private static final BigDecimal FIXED_ONE_DECIMAL = new BigDecimal(BigInteger.ONE.shiftLeft(FB));
    /** 2^FB / n!, ln2 * 2^FB, exp(j/64) * 2^FB, from 60-digit values. */
    private static final BigInteger[] INV_FACT_FIXED = new BigInteger[TAYLOR_TERMS + 1];
    private static final BigInteger LN2_FIXED;
    private static final BigInteger[] EXP_TAB_FIXED = new BigInteger[49];
    private static final BigDecimal SIXTY_FOUR = BigDecimal.valueOf(64);
    private static final BigDecimal THIRTY_TWO = BigDecimal.valueOf(32);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    static {
        for (int n = 0; n < INV_ODD.length; n++) {
            INV_ODD[n] = BigDecimal.ONE.divide(BigDecimal.valueOf(2L * n + 1), MC);
        }
        LN2 = twoAtanhSlow(BigDecimal.ONE.divide(BigDecimal.valueOf(3), MC));
        LN10 = LN2.multiply(BigDecimal.valueOf(3)).add(twoAtanhSlow(BigDecimal.ONE.divide(BigDecimal.valueOf(9), MC)), MC);
        for (int j = 32; j <= 320; j++) {
            // ln(j/32) = ln 2^e + 2 atanh((g - 1)/(g + 1)) with g = j/32 / 2^e in [0.75, 1.5)
            int e = 0;
            double g = j / 32.0;
            while (g >= 1.5) {
                g /= 2;
                e++;
            }
            BigDecimal gd = new BigDecimal(g);
            BigDecimal t = gd.subtract(BigDecimal.ONE).divide(gd.add(BigDecimal.ONE), MC);
            LN_TAB[j] = LN2.multiply(BigDecimal.valueOf(e)).add(twoAtanhSlow(t), MC);
        }
        for (int k = -POW2_BIAS; k <= POW2_BIAS; k++) {
            POW2[k + POW2_BIAS] = k >= 0 ? TWO.pow(k).round(MC) : BigDecimal.ONE.divide(TWO.pow(-k), MC);
        }
        MathContext mc60 = new MathContext(60, RoundingMode.HALF_EVEN);
        BigInteger fact = BigInteger.ONE;
        for (int n = 0; n <= TAYLOR_TERMS; n++) {
            fact = fact.multiply(BigInteger.valueOf(Math.max(n, 1)));
            INV_FACT_FIXED[n] = BigInteger.ONE.shiftLeft(FB).add(fact.shiftRight(1)).divide(fact);
        }
        LN2_FIXED = toFixed(twoAtanhSlow(BigDecimal.ONE.divide(BigDecimal.valueOf(3), mc60), mc60));
        for (int j = -24; j <= 24; j++) {
            EXP_TAB_FIXED[j + 24] = toFixed(taylorExp(BigDecimal.valueOf(j).divide(SIXTY_FOUR, mc60), 70, mc60));
        }
    }

    private ExactReference() {
    }

    /** {@code 2 atanh(t) = 2 sum t^(2n+1)/(2n+1)} to full precision, for the tables (|t| <= 1/3). */
    private static BigDecimal twoAtanhSlow(BigDecimal t) {
        return twoAtanhSlow(t, MC);
    }

    private static BigDecimal twoAtanhSlow(BigDecimal t, MathContext mc) {
        BigDecimal t2 = t.multiply(t, mc);
        BigDecimal term = t;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal tiny = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int n = 0; term.abs().compareTo(tiny) > 0; n++) {
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * n + 1), mc), mc);
            term = term.multiply(t2, mc);
        }
        return sum.multiply(TWO);
    }

    private static BigDecimal taylorExp(BigDecimal s, int terms, MathContext mc) {
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int n = 1; n <= terms; n++) {
            term = term.multiply(s, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        return sum;
    }

    /** @return {@code round(v * 2^FB)} as a BigInteger */
    private static BigInteger toFixed(BigDecimal v) {
        return v.multiply(FIXED_ONE_DECIMAL).setScale(0, RoundingMode.HALF_EVEN).unscaledValue();
    }

    /** @return {@code round(v * 2^FB)} from the bits of a finite double, exact unless |v| < 2^-FB */
    private static BigInteger toFixed(double v) {
        if (v == 0) {
            return BigInteger.ZERO;
        }
        int e = Math.getExponent(v);
        long mant = e == Double.MIN_EXPONENT - 1 ? (Double.doubleToRawLongBits(v) & 0xfffffffffffffL) << 1
                : (Double.doubleToRawLongBits(v) & 0xfffffffffffffL) | 0x10000000000000L;
        if (e == Double.MIN_EXPONENT - 1) {
            e = Double.MIN_EXPONENT;
        }
        int shift = e - 52 + FB; // v = mant * 2^(e - 52)
        BigInteger m = BigInteger.valueOf(v < 0 ? -mant : mant);
        return shift >= 0 ? m.shiftLeft(shift) : m.shiftRight(-shift); // below 2^-FB: floor, negligible
    }

    // ------------------------------------------------------------------------------------------- elementary

    /**
     * @return {@code exp(x)} to {@link #MC}; exactly 0 below {@code -1100} (under 1e-477); x must be {@code <= 1100}
     */
    public static BigDecimal exp(BigDecimal x) {
        double xd = x.doubleValue();
        if (xd < EXP_ZERO_BELOW) {
            return BigDecimal.ZERO;
        }
        if (xd > -EXP_ZERO_BELOW) {
            throw new IllegalArgumentException("exp: expected x <= 1100, actual " + xd);
        }
        return expFixed(toFixed(x), xd);
    }

    /**
     * {@code exp(X / 2^FB)} in binary fixed point (BigInteger products and shifts, no decimal rounding until the end):
     * {@code X = k ln2 + j/64 + S} with {@code |S| <= 2^-7}, 17 Taylor terms, the table of {@code exp(j/64)}.
     *
     * @param xd X / 2^FB as a double (to choose k and j)
     */
    private static BigDecimal expFixed(BigInteger bigX, double xd) {
        int k = (int) Math.rint(xd / 0.6931471805599453);
        BigInteger r = bigX.subtract(LN2_FIXED.multiply(BigInteger.valueOf(k)));
        int j = (int) Math.rint(r.doubleValue() * 0x1p-160 * 64);
        BigInteger s = r.subtract(BigInteger.valueOf(j).shiftLeft(FB - 6));
        BigInteger p = INV_FACT_FIXED[TAYLOR_TERMS];
        for (int n = TAYLOR_TERMS - 1; n >= 0; n--) {
            p = p.multiply(s).shiftRight(FB).add(INV_FACT_FIXED[n]);
        }
        p = p.multiply(EXP_TAB_FIXED[j + 24]).shiftRight(FB);
        return new BigDecimal(p).multiply(POW2[k - FB + POW2_BIAS], MC);
    }

    /** @return {@code ln(x)} to {@link #MC} for {@code x > 0} */
    public static BigDecimal ln(BigDecimal x) {
        if (x.signum() <= 0) {
            throw new IllegalArgumentException("ln: expected x > 0, actual " + x);
        }
        int n = x.precision() - x.scale() - 1; // x = f * 10^n with f in [1, 10)
        BigDecimal bigF = x.movePointLeft(n).multiply(THIRTY_TWO); // in [32, 320)
        int j = (int) Math.rint(bigF.doubleValue());
        if (j > 320) {
            j = 320;
        }
        BigDecimal jd = BigDecimal.valueOf(j);
        BigDecimal t = bigF.subtract(jd).divide(bigF.add(jd), MC);
        BigDecimal t2 = t.multiply(t, MC);
        // 2 atanh(t) with |t| <= 1/128: t^2 <= 6.2e-5, 12 terms reach 1e-50
        BigDecimal p = INV_ODD[12];
        for (int m = 11; m >= 0; m--) {
            p = p.multiply(t2, MC).add(INV_ODD[m], MC);
        }
        BigDecimal lnF = p.multiply(t, MC).multiply(TWO);
        return LN10.multiply(BigDecimal.valueOf(n)).add(LN_TAB[j], MC).add(lnF, MC);
    }

    /** @return {@code exp(x)} correctly rounded (to the reference's precision) to a double */
    public static double exp(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x < EXP_ZERO_BELOW) {
            return 0;
        }
        if (x > 710) {
            return Double.POSITIVE_INFINITY;
        }
        return exp(new BigDecimal(x)).doubleValue();
    }

    /** @return {@code ln(x)} correctly rounded to a double ({@code -inf} for 0, NaN for negative or NaN) */
    public static double ln(double x) {
        if (Double.isNaN(x) || x < 0) {
            return Double.NaN;
        }
        if (x == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        return ln(new BigDecimal(x)).doubleValue();
    }

    /** @return the logistic sigmoid {@code 1 / (1 + exp(-z))} at high precision, rounded to a double */
    public static double sigmoid(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        // only exp of non-positive arguments: z >= 0: 1/(1 + e^-z); z < 0: e^z/(1 + e^z)
        BigDecimal e = exp(new BigDecimal(-Math.abs(Math.max(Math.min(z, 2000), -2000))));
        BigDecimal den = BigDecimal.ONE.add(e);
        return (z >= 0 ? BigDecimal.ONE : e).divide(den, MC).doubleValue();
    }

    // ------------------------------------------------------------------------------------------- results

    /**
     * Exact values (correctly rounded to double) and, for ops with a scale term in {@link ErrorBounds}, the scale of
     * each value ({@code null} otherwise).
     */
    public record Exact(double[] values, double[] scales) {
        public double scale(int i) {
            return scales == null ? 0 : scales[i];
        }
    }

    /**
     * The exact results of a softmax cross-entropy with logits: per-row losses (unscaled) and their scales, the
     * reduced value and its scale, the gradient (scaled by the reduction) and its scales.
     */
    public record Loss(double[] loss, double[] lossScales, double reduced, double reducedScale,
                       double[] gradient, double[] gradientScales) {
    }

    private enum RowKind { FINITE, HAS_NAN, HAS_POS_INF, ALL_NEG_INF }

    private static RowKind kind(double[] x, int off, int cols) {
        boolean nan = false;
        boolean posInf = false;
        boolean anyAboveNegInf = false;
        for (int c = 0; c < cols; c++) {
            double v = x[off + c];
            nan |= Double.isNaN(v);
            posInf |= v == Double.POSITIVE_INFINITY;
            anyAboveNegInf |= v > Double.NEGATIVE_INFINITY;
        }
        return nan ? RowKind.HAS_NAN : posInf ? RowKind.HAS_POS_INF : anyAboveNegInf ? RowKind.FINITE
                : RowKind.ALL_NEG_INF;
    }

    private static double max(double[] x, int off, int cols) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            m = Math.max(m, x[off + c]);
        }
        return m;
    }

    /**
     * {@code exp((x_c - m) / T)} for every entry of a finite row (0 for {@code -inf}), into {@code e}. The sum is kept
     * as the count of entries equal to the maximum (each exactly 1) plus the rest, so that {@code ln s} of
     * {@code s = 1 + tiny} keeps the tiny part (log1p) instead of rounding it away. {@code temperature} null means 1.
     */
    private static RowExps shiftedExps(double[] x, int off, int cols, double m, BigDecimal temperature,
                                       BigDecimal[] e) {
        if (cols < CACHED_COLS) {
            return computeShiftedExps(x, off, cols, m, temperature, e);
        }
        RowKey key = new RowKey(Arrays.copyOfRange(x, off, off + cols), temperature);
        RowExps hit;
        synchronized (CACHE) {
            hit = CACHE.get(key);
        }
        if (hit == null) {
            hit = computeShiftedExps(x, off, cols, m, temperature, new BigDecimal[cols]);
            synchronized (CACHE) {
                CACHE.put(key, hit);
            }
        }
        System.arraycopy(hit.e(), 0, e, 0, cols);
        return hit;
    }

    /** Rows this long are cached: the accuracy tests run several ops (and backends) over the same long rows. */
    private static final int CACHED_COLS = 256;
    private static final int CACHE_ROWS = 12;

    private record RowKey(double[] row, BigDecimal temperature) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && Arrays.equals(row, k.row)
                    && java.util.Objects.equals(temperature, k.temperature);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(row) * 31 + java.util.Objects.hashCode(temperature);
        }
    }

    /** The exponentials of a row and their sum {@code ones + rest} ({@code ones} entries equal to the maximum). */
    private record RowExps(BigDecimal[] e, int ones, BigDecimal rest) {
        BigDecimal sum() {
            return rest.add(BigDecimal.valueOf(ones), MC);
        }

        /** {@code ln(ones + rest)}, through log1p when {@code ones = 1} so a tiny rest is not lost */
        BigDecimal lnSum() {
            return ones == 1 ? log1p(rest) : ln(sum());
        }
    }

    private static final java.util.Map<RowKey, RowExps> CACHE = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<RowKey, RowExps> eldest) {
            return size() > CACHE_ROWS;
        }
    };

    private static RowExps computeShiftedExps(double[] x, int off, int cols, double m, BigDecimal temperature,
                                              BigDecimal[] e) {
        BigDecimal bm = new BigDecimal(m);
        BigInteger fixedM = toFixed(m);
        BigDecimal rest = BigDecimal.ZERO;
        int ones = 0;
        double t = temperature == null ? 1 : temperature.doubleValue();
        for (int c = 0; c < cols; c++) {
            double v = x[off + c];
            if (v == m) {
                e[c] = BigDecimal.ONE;
                ones++;
                continue;
            }
            // x - m in double is within a relative 2^-53 of the exact shift: enough to decide "negligible"
            if (v == Double.NEGATIVE_INFINITY || (v - m) / t < EXP_ZERO_BELOW - 10) {
                e[c] = BigDecimal.ZERO;
                continue;
            }
            if (temperature == null) {
                e[c] = expFixed(toFixed(v).subtract(fixedM), v - m); // the shift exact in fixed point
            } else {
                e[c] = exp(new BigDecimal(v).subtract(bm).divide(temperature, MC));
            }
            rest = rest.add(e[c], MC);
        }
        return new RowExps(e, ones, rest);
    }

    /** @return {@code ln(1 + t)} to {@link #MC} relative to the result, for {@code t > -1} */
    public static BigDecimal log1p(BigDecimal t) {
        if (t.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (t.abs().compareTo(new BigDecimal("1e-3")) >= 0) {
            return ln(BigDecimal.ONE.add(t, MC));
        }
        // t - t^2/2 + t^3/3 - ...: with |t| < 1e-3, 16 terms reach 1e-48 relative
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal power = t;
        for (int n = 1; n <= 16; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(n), MC);
            sum = (n % 2 == 1) ? sum.add(term, MC) : sum.subtract(term, MC);
            power = power.multiply(t, MC);
        }
        return sum;
    }

    private static BigDecimal[] buffer(int cols) {
        return new BigDecimal[cols];
    }

    // ------------------------------------------------------------------------------------------- ops

    /** Row softmax (see {@link org.softmax4j.SoftmaxOps#softmax(int, int, double[], int, double[], int)}). */
    public static Exact softmax(int rows, int cols, double[] x) {
        return softmax(rows, cols, x, null);
    }

    /** Softmax with temperature {@code T} (a float32 temperature passed as its exact double value). */
    public static Exact softmax(int rows, int cols, double temperature, double[] x) {
        return softmax(rows, cols, x, new BigDecimal(temperature));
    }

    private static Exact softmax(int rows, int cols, double[] x, BigDecimal temperature) {
        double[] y = new double[rows * cols];
        BigDecimal[] e = buffer(cols);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            if (kind(x, off, cols) != RowKind.FINITE) {
                Arrays.fill(y, off, off + cols, Double.NaN);
                continue;
            }
            BigDecimal inv = BigDecimal.ONE.divide(shiftedExps(x, off, cols, max(x, off, cols), temperature, e).sum(), MC);
            for (int c = 0; c < cols; c++) {
                y[off + c] = e[c].multiply(inv, MC).doubleValue();
            }
        }
        return new Exact(y, null);
    }

    /**
     * Masked softmax: masked-out entries exactly 0, a fully masked row all zeros, the others the softmax of the
     * entries taking part (NaN there if those contain NaN or +inf or are all -inf).
     */
    public static Exact maskedSoftmax(int rows, int cols, double[] x, boolean[] mask) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            int n = 0;
            for (int c = 0; c < cols; c++) {
                n += mask[off + c] ? 1 : 0;
            }
            if (n == 0) {
                continue;
            }
            double[] sub = new double[n];
            for (int c = 0, i = 0; c < cols; c++) {
                if (mask[off + c]) {
                    sub[i++] = x[off + c];
                }
            }
            double[] s = softmax(1, n, sub).values();
            for (int c = 0, i = 0; c < cols; c++) {
                if (mask[off + c]) {
                    y[off + c] = s[i++];
                }
            }
        }
        return new Exact(y, null);
    }

    /**
     * Masked log-softmax: the log-softmax of the entries taking part (a sub-row), masked-out entries {@code -inf}, a
     * fully masked row {@code -inf} everywhere.
     */
    public static Exact maskedLogSoftmax(int rows, int cols, double[] x, boolean[] mask) {
        double[] y = new double[rows * cols];
        Arrays.fill(y, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            double[] sub = kept(x, mask, r * cols, cols);
            if (sub.length > 0) {
                scatter(logSoftmax(1, sub.length, sub).values(), mask, r * cols, cols, y);
            }
        }
        return new Exact(y, null);
    }

    /** Masked log-sum-exp: the log-sum-exp of the entries taking part; {@code -inf} for a fully masked row. */
    public static Exact maskedLogSumExp(int rows, int cols, double[] x, boolean[] mask) {
        double[] out = new double[rows];
        double[] scale = new double[rows];
        for (int r = 0; r < rows; r++) {
            double[] sub = kept(x, mask, r * cols, cols);
            Exact e = logSumExp(1, sub.length, sub);
            out[r] = e.values()[0];
            scale[r] = e.scale(0);
        }
        return new Exact(out, scale);
    }

    /** @return the entries of row {@code x[off .. off + cols)} whose mask is true, in order */
    private static double[] kept(double[] x, boolean[] mask, int off, int cols) {
        int n = 0;
        for (int c = 0; c < cols; c++) {
            n += mask[off + c] ? 1 : 0;
        }
        double[] sub = new double[n];
        for (int c = 0, i = 0; c < cols; c++) {
            if (mask[off + c]) {
                sub[i++] = x[off + c];
            }
        }
        return sub;
    }

    /** Writes {@code sub} to the kept entries of row {@code y[off .. off + cols)}, in order. */
    private static void scatter(double[] sub, boolean[] mask, int off, int cols, double[] y) {
        for (int c = 0, i = 0; c < cols; c++) {
            if (mask[off + c]) {
                y[off + c] = sub[i++];
            }
        }
    }

    /** Row log-softmax {@code (x - m) - ln s}, without forming the softmax. */
    public static Exact logSoftmax(int rows, int cols, double[] x) {
        double[] y = new double[rows * cols];
        BigDecimal[] e = buffer(cols);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            if (kind(x, off, cols) != RowKind.FINITE) {
                Arrays.fill(y, off, off + cols, Double.NaN);
                continue;
            }
            double m = max(x, off, cols);
            BigDecimal lnS = shiftedExps(x, off, cols, m, null, e).lnSum();
            BigDecimal bm = new BigDecimal(m);
            for (int c = 0; c < cols; c++) {
                double v = x[off + c];
                y[off + c] = v == Double.NEGATIVE_INFINITY ? v
                        : new BigDecimal(v).subtract(bm).subtract(lnS, MC).doubleValue();
            }
        }
        return new Exact(y, null);
    }

    /** Row log-sum-exp {@code m + ln s}; scale {@code |m| + ln s}. */
    public static Exact logSumExp(int rows, int cols, double[] x) {
        double[] out = new double[rows];
        double[] scale = new double[rows];
        BigDecimal[] e = buffer(cols);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            switch (cols == 0 ? RowKind.ALL_NEG_INF : kind(x, off, cols)) {
                case HAS_NAN -> out[r] = Double.NaN;
                case HAS_POS_INF -> out[r] = Double.POSITIVE_INFINITY;
                case ALL_NEG_INF -> out[r] = Double.NEGATIVE_INFINITY;
                case FINITE -> {
                    double m = max(x, off, cols);
                    BigDecimal lnS = shiftedExps(x, off, cols, m, null, e).lnSum();
                    out[r] = new BigDecimal(m).add(lnS, MC).doubleValue();
                    scale[r] = Math.abs(m) + lnS.doubleValue();
                }
            }
        }
        return new Exact(out, scale);
    }

    /**
     * Softmax backward {@code dx_c = y_c (dy_c - sum_j dy_j y_j)}; scale {@code |y_c| (|dy_c| + sum_j |dy_j y_j|)}.
     * Finite inputs only.
     */
    public static Exact softmaxBackward(int rows, int cols, double[] y, double[] dy) {
        requireFinite("y", y);
        requireFinite("dy", dy);
        double[] dx = new double[rows * cols];
        double[] scale = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            BigDecimal dot = BigDecimal.ZERO;
            double absDot = 0;
            for (int c = 0; c < cols; c++) {
                dot = dot.add(new BigDecimal(dy[off + c]).multiply(new BigDecimal(y[off + c])), MC);
                absDot += Math.abs(dy[off + c] * y[off + c]);
            }
            for (int c = 0; c < cols; c++) {
                BigDecimal yc = new BigDecimal(y[off + c]);
                dx[off + c] = yc.multiply(new BigDecimal(dy[off + c]).subtract(dot, MC), MC).doubleValue();
                scale[off + c] = Math.abs(y[off + c]) * (Math.abs(dy[off + c]) + absDot);
            }
        }
        return new Exact(dx, scale);
    }

    /**
     * Log-softmax backward {@code dx_c = dlogp_c - exp(logp_c) sum_j dlogp_j}; scale
     * {@code |dlogp_c| + exp(logp_c) sum_j |dlogp_j|}. {@code logp} may hold {@code -inf}; otherwise finite inputs.
     */
    public static Exact logSoftmaxBackward(int rows, int cols, double[] logp, double[] dlogp) {
        requireFinite("dlogp", dlogp);
        double[] dx = new double[rows * cols];
        double[] scale = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            BigDecimal sum = BigDecimal.ZERO;
            double absSum = 0;
            for (int c = 0; c < cols; c++) {
                sum = sum.add(new BigDecimal(dlogp[off + c])); // exact: a 45-digit sum of +-MAX leaves 1e263 of noise
                absSum += Math.abs(dlogp[off + c]);
            }
            for (int c = 0; c < cols; c++) {
                double lp = logp[off + c];
                if (Double.isNaN(lp) || lp == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("logp: the reference needs finite or -inf values, actual " + lp);
                }
                // exp(0) = 1 exactly, so dlogp - 1 * sum cancels exactly where it should (fuzz-15)
                BigDecimal p = lp == Double.NEGATIVE_INFINITY ? BigDecimal.ZERO
                        : lp == 0 ? BigDecimal.ONE : exp(new BigDecimal(lp));
                dx[off + c] = new BigDecimal(dlogp[off + c]).subtract(p.multiply(sum)).round(MC).doubleValue();
                scale[off + c] = Math.abs(dlogp[off + c]) + p.doubleValue() * absSum;
            }
        }
        return new Exact(dx, scale);
    }

    /** The {@code C x C} Jacobian {@code y_i ([i == j] - y_j)} (finite y). */
    public static Exact jacobian(int cols, double[] y) {
        requireFinite("y", y);
        double[] jac = new double[cols * cols];
        for (int i = 0; i < cols; i++) {
            BigDecimal yi = new BigDecimal(y[i]);
            for (int j = 0; j < cols; j++) {
                BigDecimal d = (i == j ? BigDecimal.ONE : BigDecimal.ZERO).subtract(new BigDecimal(y[j]));
                jac[i * cols + j] = yi.multiply(d, MC).doubleValue();
            }
        }
        return new Exact(jac, null);
    }

    /**
     * Keras cross-entropy from probabilities: each row divided by its sum, clipped to {@code [eps, 1 - eps]} with
     * {@code eps} and {@code 1 - eps} rounded to the dtype, then {@code -sum t_c ln p_c}. A row summing to 0 gives
     * NaN; a zero probability with {@code eps = 0} gives {@code t * -inf} as IEEE does (NaN for {@code t = 0}).
     */
    public static Exact crossEntropy(Dtype dtype, int rows, int cols, double[] p, double[] labels, double eps) {
        BigDecimal[] exact = new BigDecimal[rows];
        double[] loss = crossEntropy(dtype, rows, cols, p, labels, eps, exact);
        return new Exact(loss, null);
    }

    /**
     * Keras' cross-entropy reduced over the batch: {@code SUM} (and {@code NONE}) the exact sum of the row losses,
     * {@code MEAN} that sum divided by {@code rows}; NaN if a row's loss is NaN (or for the mean of no rows),
     * {@code +inf} if one is infinite.
     *
     * @return the reduced value as the only element
     */
    public static Exact crossEntropyReduced(Dtype dtype, int rows, int cols, double[] p, double[] labels, double eps,
                                            Reduction reduction) {
        BigDecimal[] exact = new BigDecimal[rows];
        double[] loss = crossEntropy(dtype, rows, cols, p, labels, eps, exact);
        BigDecimal sum = BigDecimal.ZERO;
        boolean nan = reduction == Reduction.MEAN && rows == 0;
        boolean inf = false;
        for (int r = 0; r < rows; r++) {
            if (exact[r] == null) {
                nan |= Double.isNaN(loss[r]);
                inf |= Double.isInfinite(loss[r]);
            } else {
                sum = sum.add(exact[r], MC);
            }
        }
        double value = nan ? Double.NaN : inf ? Double.POSITIVE_INFINITY
                : reduction == Reduction.MEAN ? sum.divide(BigDecimal.valueOf(rows), MC).doubleValue()
                : sum.doubleValue();
        return new Exact(new double[] {value}, null);
    }

    /** The row losses rounded to double; {@code exact[r]} the unrounded one, null where it is NaN or infinite. */
    private static double[] crossEntropy(Dtype dtype, int rows, int cols, double[] p, double[] labels, double eps,
                                         BigDecimal[] exact) {
        requireFinite("probabilities", p);
        requireFinite("labels", labels);
        BigDecimal lo = new BigDecimal(dtype.round(eps));
        BigDecimal hi = new BigDecimal(dtype.round(1 - dtype.round(eps)));
        double[] loss = new double[rows];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            BigDecimal sum = BigDecimal.ZERO;
            for (int c = 0; c < cols; c++) {
                sum = sum.add(new BigDecimal(p[off + c]));
            }
            if (sum.signum() == 0) {
                loss[r] = Double.NaN;
                continue;
            }
            BigDecimal acc = BigDecimal.ZERO;
            boolean infinite = false;
            boolean nan = false;
            for (int c = 0; c < cols; c++) {
                BigDecimal pc = new BigDecimal(p[off + c]);
                BigDecimal q = pc.divide(sum, MC);
                double t = labels[off + c];
                if (q.max(lo).signum() == 0) {
                    nan |= t == 0;
                    infinite |= t != 0;
                    continue;
                }
                if (t != 0) {
                    acc = acc.subtract(new BigDecimal(t).multiply(clippedLn(pc, sum, q, lo, hi), MC), MC);
                }
            }
            loss[r] = nan ? Double.NaN : infinite ? Double.POSITIVE_INFINITY : acc.doubleValue();
            exact[r] = nan || infinite ? null : acc;
        }
        return loss;
    }

    /**
     * {@code ln(clip(q, lo, hi))} for {@code q = p / sum}; above 1/2 through {@code log1p(-(sum - p) / sum)} with the
     * numerator exact, so that {@code q = 1 - tiny} keeps its tiny logarithm (a 45-digit quotient would round it to 1).
     */
    private static BigDecimal clippedLn(BigDecimal p, BigDecimal sum, BigDecimal q, BigDecimal lo, BigDecimal hi) {
        // the clip decisions compare exactly (p against hi * sum): the rounded q of 1 / (1 + 1e-322) is 1
        if (p.compareTo(hi.multiply(sum)) >= 0) {
            return log1p(hi.subtract(BigDecimal.ONE));
        }
        if (p.compareTo(lo.multiply(sum)) <= 0) {
            return ln(lo);
        }
        if (q.compareTo(HALF) > 0) {
            return log1p(sum.subtract(p).negate().divide(sum, MC));
        }
        return ln(q);
    }

    private static final BigDecimal HALF = new BigDecimal("0.5");

    /** Dense softmax cross-entropy with logits, with the effective target of {@link CrossEntropyOptions}. */
    public static Loss softmaxCrossEntropy(int rows, int cols, double[] logits, double[] labels,
                                           CrossEntropyOptions options) {
        requireFinite("labels", labels);
        BigDecimal[][] q = new BigDecimal[rows][];
        BigDecimal e = new BigDecimal(options.labelSmoothing());
        BigDecimal keep = BigDecimal.ONE.subtract(e);
        BigDecimal eOverC = e.divide(BigDecimal.valueOf(cols), MC);
        for (int r = 0; r < rows; r++) {
            q[r] = new BigDecimal[cols];
            for (int c = 0; c < cols; c++) {
                BigDecimal l = new BigDecimal(labels[r * cols + c]);
                q[r][c] = new BigDecimal(options.classWeight(c)).multiply(keep.multiply(l).add(eOverC, MC), MC);
            }
        }
        return loss(rows, cols, logits, q, options.reduction(), BigDecimal.valueOf(rows));
    }

    /** Sparse softmax cross-entropy with logits; ignored rows have no target (loss 0, gradient 0). */
    public static Loss sparseSoftmaxCrossEntropy(int rows, int cols, double[] logits, int[] classes,
                                                 CrossEntropyOptions options) {
        BigDecimal[][] q = new BigDecimal[rows][];
        BigDecimal e = new BigDecimal(options.labelSmoothing());
        BigDecimal keep = BigDecimal.ONE.subtract(e);
        BigDecimal eOverC = e.divide(BigDecimal.valueOf(cols), MC);
        BigDecimal denominator = BigDecimal.ZERO;
        for (int r = 0; r < rows; r++) {
            int t = classes[r];
            if (t == options.ignoreIndex()) {
                continue;
            }
            if (t < 0 || t >= cols) {
                throw new IllegalArgumentException("classes[" + r + "]: expected in [0, " + cols + "), actual " + t);
            }
            denominator = denominator.add(new BigDecimal(options.classWeight(t)));
            q[r] = new BigDecimal[cols];
            for (int c = 0; c < cols; c++) {
                BigDecimal w = new BigDecimal(options.classWeight(c));
                q[r][c] = w.multiply(eOverC, MC);
                if (c == t) {
                    q[r][c] = q[r][c].add(keep.multiply(w), MC);
                }
            }
        }
        return loss(rows, cols, logits, q, options.reduction(), denominator);
    }

    /**
     * Dense softmax cross-entropy over the classes whose mask is true: the probabilities are the softmax of the kept
     * logits (a masked class has probability 0, target 0, gradient 0), label smoothing spreads {@code e / K} over the
     * {@code K} kept classes, a row with no kept class has loss 0 and gradient 0 (and still counts in the mean's
     * {@code rows}). Labels on masked classes must be 0.
     */
    public static Loss maskedSoftmaxCrossEntropy(int rows, int cols, double[] logits, boolean[] mask, double[] labels,
                                                 CrossEntropyOptions options) {
        requireFinite("labels", labels);
        BigDecimal[][] q = new BigDecimal[rows][];
        BigDecimal e = new BigDecimal(options.labelSmoothing());
        BigDecimal keep = BigDecimal.ONE.subtract(e);
        for (int r = 0; r < rows; r++) {
            int kept = kept(logits, mask, r * cols, cols).length;
            if (kept == 0) {
                continue;
            }
            BigDecimal eOverK = e.divide(BigDecimal.valueOf(kept), MC);
            q[r] = new BigDecimal[cols];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (!mask[i]) {
                    if (labels[i] != 0) {
                        throw new IllegalArgumentException("labels[" + i + "]: a masked class must have label 0");
                    }
                    q[r][c] = BigDecimal.ZERO;
                    continue;
                }
                BigDecimal l = new BigDecimal(labels[i]);
                q[r][c] = new BigDecimal(options.classWeight(c)).multiply(keep.multiply(l).add(eOverK, MC), MC);
            }
        }
        return loss(rows, cols, maskedToNegInf(logits, mask), q, mask, options.reduction(),
                BigDecimal.valueOf(rows));
    }

    /** Sparse softmax cross-entropy over the kept classes (the rules of the masked dense one); targets are kept. */
    public static Loss maskedSparseSoftmaxCrossEntropy(int rows, int cols, double[] logits, boolean[] mask,
                                                       int[] classes, CrossEntropyOptions options) {
        BigDecimal[][] q = new BigDecimal[rows][];
        BigDecimal e = new BigDecimal(options.labelSmoothing());
        BigDecimal keep = BigDecimal.ONE.subtract(e);
        BigDecimal denominator = BigDecimal.ZERO;
        for (int r = 0; r < rows; r++) {
            int t = classes[r];
            if (t == options.ignoreIndex()) {
                continue;
            }
            if (t < 0 || t >= cols || !mask[r * cols + t]) {
                throw new IllegalArgumentException("classes[" + r + "]: expected a kept class, actual " + t);
            }
            BigDecimal eOverK = e.divide(BigDecimal.valueOf(kept(logits, mask, r * cols, cols).length), MC);
            denominator = denominator.add(new BigDecimal(options.classWeight(t)));
            q[r] = new BigDecimal[cols];
            for (int c = 0; c < cols; c++) {
                BigDecimal w = new BigDecimal(options.classWeight(c));
                q[r][c] = mask[r * cols + c] ? w.multiply(eOverK, MC) : BigDecimal.ZERO;
                if (c == t) {
                    q[r][c] = q[r][c].add(keep.multiply(w), MC);
                }
            }
        }
        return loss(rows, cols, maskedToNegInf(logits, mask), q, mask, options.reduction(), denominator);
    }

    /** @return a copy of {@code x} with the masked entries {@code -inf} (they then take no probability) */
    private static double[] maskedToNegInf(double[] x, boolean[] mask) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            if (!mask[i]) {
                y[i] = Double.NEGATIVE_INFINITY;
            }
        }
        return y;
    }

    private static Loss loss(int rows, int cols, double[] logits, BigDecimal[][] q, Reduction reduction,
                             BigDecimal denominator) {
        return loss(rows, cols, logits, q, null, reduction, denominator);
    }

    /**
     * The loss, reduction and gradient for targets {@code q} (a null row: ignored); a masked class ({@code mask}
     * false, null: none) has gradient 0 also in a NaN row.
     */
    private static Loss loss(int rows, int cols, double[] logits, BigDecimal[][] q, boolean[] mask,
                             Reduction reduction, BigDecimal denominator) {
        double[] loss = new double[rows];
        double[] lossScale = new double[rows];
        double[] grad = new double[rows * cols];
        double[] gradScale = new double[rows * cols];
        // a mean over nothing (denominator 0) is NaN and moves nothing: gradient scale 0
        BigDecimal gs = reduction != Reduction.MEAN ? BigDecimal.ONE
                : denominator.signum() != 0 ? BigDecimal.ONE.divide(denominator, MC) : BigDecimal.ZERO;
        double gsd = gs.doubleValue();
        BigDecimal sum = BigDecimal.ZERO;
        double sumScale = 0;
        boolean sumNaN = false;
        boolean sumInf = false;
        BigDecimal[] e = buffer(cols);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            if (q[r] == null) {
                continue;
            }
            if (kind(logits, off, cols) != RowKind.FINITE) {
                loss[r] = Double.NaN;
                for (int c = 0; c < cols; c++) {
                    grad[off + c] = mask == null || mask[off + c] ? Double.NaN : 0;
                }
                sumNaN = true;
                continue;
            }
            double m = max(logits, off, cols);
            RowExps exps = shiftedExps(logits, off, cols, m, null, e);
            BigDecimal s = exps.sum();
            BigDecimal lnS = exps.lnSum();
            BigDecimal inv = BigDecimal.ONE.divide(s, MC);
            BigDecimal bm = new BigDecimal(m);
            BigDecimal total = BigDecimal.ZERO;
            for (int c = 0; c < cols; c++) {
                total = total.add(q[r][c], MC);
            }
            BigDecimal rowLoss = BigDecimal.ZERO;
            double rowScale = 0;
            boolean inf = false;
            for (int c = 0; c < cols; c++) {
                double v = logits[off + c];
                BigDecimal qc = q[r][c];
                if (v == Double.NEGATIVE_INFINITY) {
                    inf |= qc.signum() != 0;
                } else if (qc.signum() != 0) {
                    BigDecimal term = qc.multiply(new BigDecimal(v).subtract(bm).subtract(lnS, MC), MC);
                    rowLoss = rowLoss.subtract(term, MC);
                    rowScale += Math.abs(term.doubleValue());
                }
                BigDecimal p = e[c].multiply(inv, MC);
                grad[off + c] = p.multiply(total, MC).subtract(qc, MC).multiply(gs, MC).doubleValue();
                gradScale[off + c] = (p.doubleValue() * Math.abs(total.doubleValue()) + Math.abs(qc.doubleValue()))
                        * gsd;
            }
            loss[r] = inf ? Double.POSITIVE_INFINITY : rowLoss.doubleValue();
            lossScale[r] = inf ? 0 : rowScale;
            sumInf |= inf;
            sum = sum.add(rowLoss, MC);
            sumScale += rowScale;
        }
        double reduced;
        double reducedScale = sumScale;
        if (sumNaN) {
            reduced = Double.NaN;
        } else if (reduction == Reduction.MEAN && denominator.signum() == 0) {
            reduced = Double.NaN;
        } else if (sumInf) {
            reduced = Double.POSITIVE_INFINITY;
        } else if (reduction == Reduction.MEAN) {
            reduced = sum.divide(denominator, MC).doubleValue();
            reducedScale = sumScale / denominator.doubleValue();
        } else {
            reduced = sum.doubleValue();
        }
        return new Loss(loss, lossScale, reduced, reducedScale, grad, gradScale);
    }

    /** Row argmax: ties to the lowest index, the first NaN wins, -0.0 ties 0.0. */
    public static int[] argmax(int rows, int cols, double[] x) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = topK(1, cols, 1, Arrays.copyOfRange(x, r * cols, r * cols + cols))[0];
        }
        return out;
    }

    /** Row top-k indices: descending, stable (equal values by ascending index), NaN above everything. */
    public static int[] topK(int rows, int cols, int k, double[] x) {
        int[] out = new int[rows * k];
        Integer[] idx = new Integer[cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int c = 0; c < cols; c++) {
                idx[c] = c;
            }
            Arrays.sort(idx, (a, b) -> rank(x[off + b], x[off + a]));
            for (int i = 0; i < k; i++) {
                out[r * k + i] = idx[i];
            }
        }
        return out;
    }

    /** Orders NaN above everything and -0.0 equal to 0.0 (Arrays.sort is stable, so ties keep index order). */
    private static int rank(double a, double b) {
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return na == nb ? 0 : na ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C} with {@code A}, {@code B} stored as {@code product} stores them
     * ({@link Op#aIndex}, {@link Op#bIndex}: {@code A^T} for matmulTransA, {@code B^T} for matmulTransB);
     * scale {@code |alpha| sum_l |a_il b_lj| + |beta c_ij|} ({@code c} not read when {@code beta = 0}).
     */
    public static Exact matmul(Op product, int m, int k, int n, double alpha, double[] a, double[] b,
                               double beta, double[] c) {
        double[] out = new double[m * n];
        double[] scale = new double[m * n];
        BigDecimal ba = new BigDecimal(alpha);
        BigDecimal bb = new BigDecimal(beta);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                BigDecimal dot = BigDecimal.ZERO;
                double abs = 0;
                for (int l = 0; l < k; l++) {
                    double av = a[product.aIndex(i, l, m, k)];
                    double bv = b[product.bIndex(l, j, k, n)];
                    dot = dot.add(new BigDecimal(av).multiply(new BigDecimal(bv)));
                    abs += Math.abs(av * bv);
                }
                BigDecimal v = ba.multiply(dot);
                double cs = 0;
                if (beta != 0) {
                    v = v.add(bb.multiply(new BigDecimal(c[i * n + j])));
                    cs = Math.abs(beta * c[i * n + j]);
                }
                out[i * n + j] = v.round(MC).doubleValue();
                scale[i * n + j] = Math.abs(alpha) * abs + cs;
            }
        }
        return new Exact(out, scale);
    }

    private static void requireFinite(String name, double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(name + "[" + i + "]: the reference needs finite values, actual "
                        + a[i]);
            }
        }
    }
}
