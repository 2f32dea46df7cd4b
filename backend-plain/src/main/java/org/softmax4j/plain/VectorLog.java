package org.softmax4j.plain;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code log1p(o)} for {@code o >= 0} and {@code log(v)} for positive normal {@code v}, in double lanes, to 2^-39
 * relative (2^-38 tested, and 2^-38 of {@code max(|log v|, 1)} for {@code log} near {@code v = 1}): far inside a float
 * ulp (2^-24), which is all the float32 losses need. From plain IEEE lane operations (fma, add, mul, div, bit operations),
 * so every JIT tier gives the same bits.
 *
 * <p>Method: {@code v = 1 + o = 2^k mant} with {@code mant} in {@code [sqrt(1/2), sqrt(2))} taken from the bits;
 * {@code log(mant) = 2 atanh(s)}, {@code s = (mant - 1) / (mant + 1)}, {@code |s| <= 0.172}, summed to {@code s^13}
 * (remainder below 2^-39.5, the worst case, at {@code mant} near {@code sqrt(2)}). {@code k} comes out of the
 * exponent field as an exact double with the 2^52 trick (no long-to-double conversion, which the JIT does not compile
 * everywhere). Rounding {@code 1 + o} costs 2^-53 absolute, at most 2^-43 relative for {@code o >= 2^-10}; below
 * that {@code o - o^2/2 + o^3/3 - o^4/4} (remainder below {@code o^5/5}, 2^-42 relative). NaN in, unspecified out:
 * callers route rows with NaN elsewhere.
 *
 * <p>{@link #log(FloatVector)} is a float-lane log to two float ulps, for the float32 cross-entropy from probabilities,
 * whose terms need no more (see there).
 */
final class VectorLog {

    /** Double lanes of the float kernels' vector shape (half as many lanes). */
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorExp.F.vectorShape());
    private static final long MANTISSA = 0x000f_ffff_ffff_ffffL;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    /** 2^52 as bits: OR-ing a small integer into its mantissa gives 2^52 + that integer, exactly. */
    private static final long TWO52_BITS = Double.doubleToRawLongBits(0x1p52);
    private static final double TWO52_PLUS_BIAS = 0x1p52 + 1023;
    private static final double SQRT2 = 1.4142135623730951;
    private static final double LN2 = 0.6931471805599453;
    private static final double SERIES_BELOW = 0x1p-10;

    private static final int FLOAT_MANTISSA = 0x007f_ffff;
    private static final int FLOAT_ONE_BITS = Float.floatToRawIntBits(1f);
    /** 2^23 as bits: OR-ing an exponent field into its mantissa gives 2^23 + that field, exactly. */
    private static final int TWO23_BITS = Float.floatToRawIntBits(0x1p23f);
    private static final float TWO23_PLUS_BIAS = 0x1p23f + 127;
    /** The bits of sqrt(1/2) rounded to float. */
    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits((float) Math.sqrt(0.5));
    /** ln 2 in two parts: the high part has 10 significant bits, so {@code k * LN2_HI} is exact for every exponent. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = (float) (LN2 - 0.693359375);
    /** Cephes' {@code logf} polynomial {@code P}: {@code log(1 + f) = f - f^2/2 + f^3 P(f)}, {@code |f| <= 0.42}. */
    private static final float LOG_P0 = 7.0376836292e-2f;
    private static final float LOG_P1 = -1.1514610310e-1f;
    private static final float LOG_P2 = 1.1676998740e-1f;
    private static final float LOG_P3 = -1.2420140846e-1f;
    private static final float LOG_P4 = 1.4249322787e-1f;
    private static final float LOG_P5 = -1.6668057665e-1f;
    private static final float LOG_P6 = 2.0000714765e-1f;
    private static final float LOG_P7 = -2.4999993993e-1f;
    private static final float LOG_P8 = 3.3333331174e-1f;

    private VectorLog() {
    }

    /**
     * {@code out[to + i] = log1p(a[from + i])} for {@code i} in {@code [0, n)}, a whole number of {@code D.length()}
     * lanes, in one call so that the vectors' latency chains overlap. Arrays in and out, no vector parameter or
     * result: a vector passed to or returned from a call C2 does not inline is boxed (a training loop allocated 768
     * bytes per step so); for the same reason no vector stays live across the call to {@link #log}.
     */
    static void log1p(double[] a, int from, double[] out, int to, int n) {
        int dl = D.length();
        for (int i = 0; i < n; i += dl) {
            DoubleVector.fromArray(D, a, from + i).add(1).intoArray(out, to + i);
        }
        log(out, to, to + n);
        for (int i = 0; i < n; i += dl) {
            DoubleVector o = DoubleVector.fromArray(D, a, from + i);
            DoubleVector series = o.mul(o.fma(-0.25, 1.0 / 3).fma(o, DoubleVector.broadcast(D, -0.5))
                    .fma(o, DoubleVector.broadcast(D, 1.0)));
            DoubleVector.fromArray(D, out, to + i).blend(series, o.compare(VectorOperators.LT, SERIES_BELOW))
                    .intoArray(out, to + i);
        }
    }

    /**
     * {@code v[i] = log(v[i])} in place for {@code i} in {@code [from, to)}, a whole number of {@code D.length()}
     * lanes, each positive and normal: the method of the class comment without the rounding of {@code 1 + o}, to
     * 2^-39 relative (and 2^-39 absolute near {@code v = 1}).
     */
    static void log(double[] v, int from, int to) {
        for (int i = from; i < to; i += D.length()) {
            LongVector bits = DoubleVector.fromArray(D, v, i).reinterpretAsLongs();
            DoubleVector mant = bits.and(MANTISSA).or(ONE_BITS).reinterpretAsDoubles();
            DoubleVector k = bits.lanewise(VectorOperators.LSHR, 52).or(TWO52_BITS).reinterpretAsDoubles()
                    .sub(TWO52_PLUS_BIAS);
            VectorMask<Double> high = mant.compare(VectorOperators.GT, SQRT2);
            mant = mant.blend(mant.mul(0.5), high);
            k = k.blend(k.add(1), high);
            DoubleVector s = mant.sub(1).div(mant.add(1));
            DoubleVector z = s.mul(s);
            DoubleVector p = z.fma(1.0 / 13, 1.0 / 11);
            p = p.fma(z, DoubleVector.broadcast(D, 1.0 / 9));
            p = p.fma(z, DoubleVector.broadcast(D, 1.0 / 7));
            p = p.fma(z, DoubleVector.broadcast(D, 1.0 / 5));
            p = p.fma(z, DoubleVector.broadcast(D, 1.0 / 3));
            p = p.fma(z, DoubleVector.broadcast(D, 1.0));
            k.fma(DoubleVector.broadcast(D, LN2), s.add(s).mul(p)).intoArray(v, i);
        }
    }

    /**
     * {@code log(v)} lane-wise for positive normal floats, to 2^-23 relative (two float ulps; tested with {@code v}
     * from 2^-126 to 2^128, values near 1 among them; measured 2^-23.6). Musl's reduction: the bits shifted so that
     * the exponent field steps up at {@code sqrt(2)} give {@code v = 2^k mant}, {@code mant} in
     * {@code [sqrt(1/2), sqrt(2))}, and {@code f = mant - 1} exactly; then Cephes' {@code logf} polynomial,
     * {@code log(1 + f) = f - f^2/2 + f^3 P(f)} (no division), and {@code k ln2} added as {@code k LN2_HI} (exact)
     * plus {@code k LN2_LO} (Cody-Waite). Plain IEEE lane operations: the same bits in every JIT tier. Zero,
     * subnormal, infinite or NaN lanes give unspecified values; callers keep them out.
     */
    static FloatVector log(FloatVector v) {
        // the bits moved so that the exponent field steps up at sqrt(2): mant in [sqrt(1/2), sqrt(2)), v = 2^k mant
        IntVector bits = v.reinterpretAsInts().add(FLOAT_ONE_BITS - SQRT_HALF_BITS);
        FloatVector mant = bits.and(FLOAT_MANTISSA).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector k = bits.lanewise(VectorOperators.LSHR, 23).or(TWO23_BITS).reinterpretAsFloats()
                .sub(TWO23_PLUS_BIAS);
        FloatVector f = mant.sub(1f); // exact (Sterbenz)
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(LOG_P0, LOG_P1);
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P2));
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P3));
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P4));
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P5));
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P6));
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P7));
        p = p.fma(f, FloatVector.broadcast(VectorExp.F, LOG_P8));
        FloatVector logMant = f.add(p.mul(f).fma(z, z.mul(-0.5f)));
        return k.fma(FloatVector.broadcast(VectorExp.F, LN2_HI),
                k.fma(FloatVector.broadcast(VectorExp.F, LN2_LO), logMant));
    }
}
