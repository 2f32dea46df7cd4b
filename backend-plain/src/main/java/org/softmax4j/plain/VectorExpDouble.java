package org.softmax4j.plain;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp(hi + lo) * 2^64} in double lanes, for a shift {@code hi = x - m <= 0} and its exact rounding error
 * {@code lo} (TwoSum), to about 0.65 double ulp (bound tested: {@link #MAX_ULPS}), from plain IEEE lane operations
 * only (fma, add, mul, integer shift, compare, blend): the float64 twin of {@link VectorExp}.
 *
 * <p>Why a separate class from {@link VectorExp} rather than one generic over the element type: the Vector API has no
 * vector generic over {@code float}/{@code double} with lane arithmetic ({@code FloatVector} and {@code DoubleVector}
 * are distinct classes, their species and bit layouts differ), and the float32 exp needs a degree-7 polynomial and
 * {@code 2^-104}, the float64 one a degree-13 polynomial, an exact linear part and {@code 2^-746}. The steps
 * are the same and in the same order; keep them in step.
 *
 * <p>Why not {@code lanewise(EXP)}: compiled, it calls a vendor routine (SVML) whose results differ by up to an ulp
 * from the interpreter's {@link Math#exp}, so the same call would give other bits under {@code -Xint} or C1. Fma,
 * add, multiply and shifts round identically in every tier, so this exp gives the same bits everywhere, and
 * {@link #scalar} (the same operations on one double, {@link Math#fma} for each lane fma) gives the bits of any lane.
 *
 * <p>Method. {@code n = round(hi / ln 2)} (one fma with the magic {@code 1.5 * 2^52}, no double-to-long conversion);
 * Cody-Waite with {@code ln 2 = LN2_HI + LN2_LO}, {@code LN2_HI} of 32 significant bits, so
 * {@code rh = hi - n LN2_HI} is exact (the product fits 53 bits, and Sterbenz for the difference); the small part
 * {@code c = lo - n LN2_LO} (below 2^-22 in magnitude) and {@code r = rh + c} (rounded),
 * {@code |r| <= ln2 / 2 + 2^-22}. Then {@code exp(rh + c) = 1 + rh + c + r^2 P(r)} with {@code P} Taylor's
 * {@code 1/2! + r/3! + ... + r^11/13!} (remainder below {@code r^14 / 14! < 2^-57}, 0.03 ulp of
 * {@code exp(r) >= 0.7}): the linear part is exact, {@code 1 + rh} as the pair {@code e + ee} (Fast2Sum) and
 * {@code c} folded into {@code u = fma(r^2, P, c)}, and only the quadratic part sees the rounding of {@code r}
 * (at most {@code 2 |r| P(r) ulp(r) / 2}, under 0.1 ulp of the result). So {@code exp = e + (ee + u)}: the small sum
 * ({@code |u| < 0.071}) rounds by at most 1/16 ulp of the result, the final addition by 1/2 ulp, and the
 * polynomial's roundings are scaled down by {@code r^2 < 0.121}; 0.68 ulp is the worst seen over 320,000 arguments.
 * Last, times {@code 2^(n + 64)} built in the exponent bits (exact). The factor {@code 2^64} keeps every result
 * down to {@code exp(-746)} a normal double (no rounding through subnormals here); callers fold {@code 2^-64} into
 * their final scale, where the one rounding of a subnormal result happens. Shifts below {@link #CUTOFF}
 * ({@code -inf} too) give exactly 0: {@code exp(-746) < 2^-1076}, less than half the smallest subnormal, so after
 * the factor {@code 2^-64 / s <= 2^-64} nothing of them remains. NaN stays NaN. Shifts above 0 are out of range
 * (callers pass {@code x - max} or check).
 */
final class VectorExpDouble {

    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final int L = D.length();

    static {
        VectorOpCaches.fill(); // before any kernel runs: see there
    }

    /** exp(0) * 2^64: the term of a row's maximum. */
    static final double TWO64 = 0x1p64;
    static final double TWO_M64 = 0x1p-64;
    /** Shifts below this give 0 (see the class comment). */
    static final double CUTOFF = -746;
    /** The error bound the tests check ({@code VectorExpDoubleCheck}), in ulps of the exact result. */
    static final double MAX_ULPS = 0.75;

    private static final double LOG2E = 1.4426950408889634;
    private static final double MAGIC = 0x1.8p52;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);
    /** ln 2 = LN2_HI + LN2_LO: fdlibm's split, LN2_HI with its low 21 bits zero. */
    private static final double NEG_LN2_HI = -6.93147180369123816490e-01;
    private static final double NEG_LN2_LO = -1.90821492927058770002e-10;
    /** 1/k! for k = 2..13. */
    private static final double P2 = 1.0 / 2;
    private static final double P3 = 1.0 / 6;
    private static final double P4 = 1.0 / 24;
    private static final double P5 = 1.0 / 120;
    private static final double P6 = 1.0 / 720;
    private static final double P7 = 1.0 / 5040;
    private static final double P8 = 1.0 / 40320;
    private static final double P9 = 1.0 / 362880;
    private static final double P10 = 1.0 / 3628800;
    private static final double P11 = 1.0 / 39916800;
    private static final double P12 = 1.0 / 479001600;
    private static final double P13 = 1.0 / 6227020800.0;
    /** 1023 (bias) + 64 (the 2^64 factor) - MAGIC_BITS: exponent field from the magic-rounded bits. */
    private static final long EXP_ADJUST = 1023 + 64 - MAGIC_BITS;

    private VectorExpDouble() {
    }

    /** {@code exp(hi + lo) * 2^64} lane-wise (see the class comment). */
    static DoubleVector exp64(DoubleVector hi, DoubleVector lo) {
        DoubleVector t = hi.fma(LOG2E, MAGIC);
        DoubleVector n = t.sub(MAGIC);
        DoubleVector rh = n.fma(DoubleVector.broadcast(D, NEG_LN2_HI), hi);
        DoubleVector c = n.fma(DoubleVector.broadcast(D, NEG_LN2_LO), lo);
        DoubleVector e = expReduced(rh, c);
        LongVector bits = t.reinterpretAsLongs().add(EXP_ADJUST).lanewise(VectorOperators.LSHL, 52);
        e = e.mul(bits.reinterpretAsDoubles());
        return e.blend(0, hi.compare(VectorOperators.LT, CUTOFF));
    }

    /**
     * {@code exp(rh + c)} for the reduced argument {@code |rh + c| <= ln2 / 2 + 2^-22} (see the class comment). A
     * method of its own so that both it and {@link #exp64} stay below the JIT's inlining limit (325 bytes of
     * bytecode, {@code -XX:FreqInlineSize}): a vector method that is not inlined boxes its vectors, allocating.
     */
    private static DoubleVector expReduced(DoubleVector rh, DoubleVector c) {
        DoubleVector r = rh.add(c);
        DoubleVector s = r.mul(r);
        DoubleVector p = r.fma(P13, P12);
        p = p.fma(r, DoubleVector.broadcast(D, P11));
        p = p.fma(r, DoubleVector.broadcast(D, P10));
        p = p.fma(r, DoubleVector.broadcast(D, P9));
        p = p.fma(r, DoubleVector.broadcast(D, P8));
        p = p.fma(r, DoubleVector.broadcast(D, P7));
        p = p.fma(r, DoubleVector.broadcast(D, P6));
        p = p.fma(r, DoubleVector.broadcast(D, P5));
        p = p.fma(r, DoubleVector.broadcast(D, P4));
        p = p.fma(r, DoubleVector.broadcast(D, P3));
        p = p.fma(r, DoubleVector.broadcast(D, P2));
        DoubleVector u = s.fma(p, c);
        DoubleVector e = rh.add(1);
        DoubleVector ee = rh.sub(e.sub(1));
        return e.add(ee.add(u));
    }

    /** The exact error of {@code hi = x - m} (TwoSum), lane-wise; meaningless (NaN) where {@code hi} is infinite. */
    static DoubleVector shiftError(DoubleVector x, DoubleVector m, DoubleVector hi) {
        DoubleVector bb = hi.sub(x);
        return x.sub(hi.sub(bb)).sub(m.add(bb));
    }

    /** One lane of {@link #exp64}: the same operations in the same order, hence the same bits. */
    static double scalar(double hi, double lo) {
        if (hi < CUTOFF) {
            return 0;
        }
        double t = Math.fma(hi, LOG2E, MAGIC);
        double n = t - MAGIC;
        double rh = Math.fma(n, NEG_LN2_HI, hi);
        double c = Math.fma(n, NEG_LN2_LO, lo);
        double r = rh + c;
        double s = r * r;
        double p = Math.fma(r, P13, P12);
        p = Math.fma(p, r, P11);
        p = Math.fma(p, r, P10);
        p = Math.fma(p, r, P9);
        p = Math.fma(p, r, P8);
        p = Math.fma(p, r, P7);
        p = Math.fma(p, r, P6);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P2);
        double u = Math.fma(s, p, c);
        double e = rh + 1;
        double ee = rh - (e - 1);
        e = e + (ee + u);
        return e * Double.longBitsToDouble((Double.doubleToRawLongBits(t) + EXP_ADJUST) << 52);
    }

    /** {@code exp(x - m) * 2^64} of one double, the shift's rounding corrected: the same bits as a lane. */
    static double scalarShifted(double x, double m) {
        double hi = x - m;
        return scalar(hi, shiftError(x, m, hi));
    }

    /** {@link #shiftError(DoubleVector, DoubleVector, DoubleVector)} of one double. */
    static double shiftError(double x, double m, double hi) {
        double bb = hi - x;
        return (x - (hi - bb)) - (m + bb);
    }
}
