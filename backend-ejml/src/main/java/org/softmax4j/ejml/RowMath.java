package org.softmax4j.ejml;

/**
 * The scalar pieces every row loop shares: the row maximum with the contract's NaN rule, the exponential of an
 * exactly corrected shift, and the end of a compensated sum.
 *
 * <p>EJML has no kernel for these: {@code CommonOps_DDRM.maxRows} returns the value, not the index the
 * {@code 1 - p_max} trick needs, and does not report NaN; {@code elementExp} has no per-row shift (EJML has no
 * broadcast row-subtract) and is slow on JDK 17 (see {@link EjmlSoftmaxOps}).
 *
 * <p>The formulas are those of the plain backend, so that the two agree bit for bit where both run the same
 * algorithm.
 */
final class RowMath {

    private RowMath() {
    }

    /**
     * @return the index of the first maximum of {@code x[off .. off + cols)}, or of its first NaN if it has one
     *         ({@code cols >= 1})
     */
    static int maxIndex(double[] x, int off, int cols) {
        double m = x[off];
        if (m != m) {
            return 0;
        }
        int best = 0;
        for (int c = 1; c < cols; c++) {
            double v = x[off + c];
            if (v > m) {
                m = v;
                best = c;
            } else if (v != v) {
                return c;
            }
        }
        return best;
    }

    /** Float32 variant of {@link #maxIndex(double[], int, int)}. */
    static int maxIndex(float[] x, int off, int cols) {
        float m = x[off];
        if (m != m) {
            return 0;
        }
        int best = 0;
        for (int c = 1; c < cols; c++) {
            float v = x[off + c];
            if (v > m) {
                m = v;
                best = c;
            } else if (v != v) {
                return c;
            }
        }
        return best;
    }

    /** @return true if the row maximum {@code m} is finite, i.e. the row has no NaN, no +inf and is not all -inf */
    static boolean isFinite(double m) {
        return Math.abs(m) <= Double.MAX_VALUE;
    }

    /**
     * {@code exp(v - m)} for a finite {@code m >= v}, exact to rounding even when {@code v - m} is large: the rounding
     * error {@code lo} of {@code hi = v - m} (TwoSum) is applied to first order, {@code e + e lo}. Without it the
     * error of the exponential grows as {@code |v - m| u} (hundreds of ulps near {@code |v - m| = 700}). {@code v =
     * -inf} (or an overflowing shift) gives exactly 0; the correction, NaN there, is skipped.
     */
    static double shiftedExp(double v, double m) {
        double hi = v - m;
        double e = Math.exp(hi);
        if (e != 0) {
            e += e * shiftError(v, m, hi);
        }
        return e;
    }

    /** @return the exact error {@code (v - m) - hi} of {@code hi = fl(v - m)} (Knuth's TwoSum), for finite hi */
    static double shiftError(double v, double m, double hi) {
        double bb = hi - v;
        return (v - (hi - bb)) - (m + bb);
    }

    /** @return the compensated sum {@code sum + comp}; a non-finite {@code sum} (inf, NaN) is returned as is */
    static double finish(double sum, double comp) {
        return Double.isFinite(sum) ? sum + comp : sum;
    }
}
