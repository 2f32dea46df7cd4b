package org.softmax4j.plain;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp(hi + lo) * 2^64} in float lanes, for a shift {@code hi = x - m <= 0} rounded to float and its exact
 * error {@code lo} (TwoSum), from plain IEEE lane operations only (fma, add, mul, integer shift, compare, blend).
 *
 * <p>Why not {@code lanewise(EXP)}: the JIT replaces it by a vendor routine (SVML) whose results differ by up to one
 * ulp from the interpreter's {@code Math.exp}, so the same call would give other bits under {@code -Xint} or C1.
 * Fma, add, multiply and shifts round identically in every tier, so this exp gives the same bits everywhere, and
 * {@link #scalar} (the same operations on one float) gives the same bits as any lane.
 *
 * <p>Method: {@code n = round(hi / ln 2)} (fma with a 1.5 * 2^23 magic, no float-to-int conversion),
 * {@code r = hi - n ln2 + lo} (Cody-Waite, two fmas), Cephes' {@code expf} polynomial on
 * {@code |r| <= ln2 / 2} (relative error about 1 ulp), times {@code 2^(n + 64)} built in the exponent bits. The
 * factor {@code 2^64} keeps every result down to {@code exp(-130)} normal (no double rounding through subnormals;
 * the exponent field stays above 0 down to {@code exp(-131.7)}); callers fold {@code 2^-64} into their final scale.
 * Shifts below {@link #CUTOFF} (and {@code -inf}) give exactly 0: their probability is far below the smallest float
 * subnormal, and fewer than 2^31 of them add less than 2^-37 relative to a row's {@code others} whenever that sum
 * is a normal float, so a log-softmax or loss near 0 ({@code log1p(others)}) keeps its relative accuracy. (The cut-off
 * was -104, where probabilities end: a row whose other terms were all about {@code exp(-86.5)} and below lost 147
 * ulps of its maximum's log-probability to the terms between {@code exp(-130)} and {@code exp(-104)}.) NaN stays NaN.
 */
final class VectorExp {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = F.length();

    static {
        VectorOpCaches.fill(); // before any kernel runs: see there
    }

    /** exp(0) * 2^64: the term of a row's maximum. */
    static final double TWO64 = 0x1p64;
    static final double TWO_M64 = 0x1p-64;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float NEG_LN2_HI = -0.693359375f;
    private static final float NEG_LN2_LO = 2.12194440e-4f;
    /** Shifts below this give 0 (see the class comment). */
    static final float CUTOFF = -130f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    /** 127 (bias) + 64 (the 2^64 factor) - MAGIC_BITS: exponent field from the magic-rounded bits. */
    private static final int EXP_ADJUST = 127 + 64 - MAGIC_BITS;

    private VectorExp() {
    }

    /** {@code exp(hi + lo) * 2^64} lane-wise (see the class comment). */
    static FloatVector exp64(FloatVector hi, FloatVector lo) {
        FloatVector t = hi.fma(LOG2E, MAGIC);
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, NEG_LN2_HI), hi);
        r = n.fma(FloatVector.broadcast(F, NEG_LN2_LO), r).add(lo);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(F, P2));
        p = p.fma(r, FloatVector.broadcast(F, P3));
        p = p.fma(r, FloatVector.broadcast(F, P4));
        p = p.fma(r, FloatVector.broadcast(F, P5));
        FloatVector e = p.fma(r.mul(r), r).add(1f);
        IntVector bits = t.reinterpretAsInts().add(EXP_ADJUST).lanewise(VectorOperators.LSHL, 23);
        e = e.mul(bits.reinterpretAsFloats());
        return e.blend(0f, hi.compare(VectorOperators.LT, CUTOFF));
    }

    /** The exact error of {@code hi = x - m} (TwoSum), lane-wise; meaningless (NaN) where {@code hi} is infinite. */
    static FloatVector shiftError(FloatVector x, FloatVector m, FloatVector hi) {
        FloatVector bb = hi.sub(x);
        return x.sub(hi.sub(bb)).sub(m.add(bb));
    }

    /** One lane of {@link #exp64}: the same operations in the same order, hence the same bits. */
    static float scalar(float hi, float lo) {
        if (hi < CUTOFF) {
            return 0f;
        }
        float t = Math.fma(hi, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, NEG_LN2_HI, hi);
        r = Math.fma(n, NEG_LN2_LO, r) + lo;
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float e = Math.fma(p, r * r, r) + 1f;
        return e * Float.intBitsToFloat((Float.floatToRawIntBits(t) + EXP_ADJUST) << 23);
    }

    /** {@code exp(x - m) * 2^64} of one float, the shift's rounding corrected: the same bits as a lane. */
    static float scalarShifted(float x, float m) {
        float hi = x - m;
        float bb = hi - x;
        float lo = (x - (hi - bb)) - (m + bb);
        return scalar(hi, lo);
    }

    /**
     * {@code exp((x - m) / t) * 2^64} of one float, {@code invT = 1 / t} rounded to float (normal): the quotient
     * {@code q = hi * invT}, its remainder {@code fma(-q, t, hi)} (exact or within a float ulp of itself) and the
     * shift's error {@code lo} folded into the low part {@code (rem + lo) * invT}; the operations of a lane of the
     * kernels' scaled shift, in the same order, so the same bits. {@code t = 1} is {@link #scalarShifted}.
     */
    static float scalarShifted(float x, float m, float t, float invT) {
        if (t == 1f) {
            return scalarShifted(x, m);
        }
        float hi = x - m;
        float bb = hi - x;
        float lo = (x - (hi - bb)) - (m + bb);
        float q = hi * invT;
        return scalar(q, (Math.fma(-q, t, hi) + lo) * invT);
    }

    /**
     * Whether a temperature {@code t} runs on the lanes: {@code 1 / t} a normal float (so {@code hi / t} is
     * {@code hi * invT} to an ulp and its remainder recovers the rest); other temperatures take the scalar kernel.
     */
    static boolean lanesTake(float t, float invT) {
        return invT >= Float.MIN_NORMAL && invT < Float.POSITIVE_INFINITY && t < Float.POSITIVE_INFINITY;
    }
}
