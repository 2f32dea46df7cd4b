package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;

/**
 * Checks of {@link VectorExpDouble} against an exact reference ({@link BigDecimal}, 40 digits), in a class of their
 * own so that only the SIMD test run loads the Vector API.
 */
final class VectorExpDoubleCheck {

    private static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);
    private static final BigDecimal LN2 = new BigDecimal(
            "0.69314718055994530941723212145817656807550013436025525412068000949339362");

    private VectorExpDoubleCheck() {
    }

    /** {@code exp(h)} to 40 digits: {@code h = n ln2 + r}, Taylor's series of {@code r}, times {@code 2^n}. */
    static BigDecimal exactExp(BigDecimal h) {
        BigDecimal n = h.divide(LN2, MC).setScale(0, RoundingMode.HALF_EVEN);
        BigDecimal r = h.subtract(n.multiply(LN2), MC);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 40; k++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        int e = n.intValueExact();
        BigDecimal two = BigDecimal.valueOf(2);
        return e >= 0 ? sum.multiply(two.pow(e), MC) : sum.divide(two.pow(-e), MC);
    }

    /** The error of {@code out ~ exp(hi + lo) * 2^64} in ulps of the result. */
    private static double ulps(double out, double hi, double lo) {
        BigDecimal exact = exactExp(new BigDecimal(hi).add(new BigDecimal(lo))).multiply(new BigDecimal(0x1p64), MC);
        double rounded = exact.doubleValue();
        return exact.subtract(new BigDecimal(out), MC).abs().doubleValue() / Math.ulp(rounded);
    }

    /**
     * Lanes equal {@link VectorExpDouble#scalar} bit for bit and are within {@link VectorExpDouble#MAX_ULPS} of the
     * exact {@code exp(hi + lo) * 2^64}, over the whole range {@code [-746, 0]}: uniform shifts, shifts from
     * {@code x - m} of random logits (with their TwoSum error), the reduction's boundaries {@code (k + 1/2) ln 2}
     * (where {@code n} changes and {@code |r|} is largest), tiny shifts, and the edge of underflow near
     * {@code ln(2^-1075) = -745.13}; below {@link VectorExpDouble#CUTOFF}, -inf and NaN the special values.
     *
     * @return the largest error seen, in ulps
     */
    static double assertAccurateAndLanesMatchScalar() {
        int lanes = VectorExpDouble.L;
        SplittableRandom random = new SplittableRandom(17);
        double[] hi = new double[lanes];
        double[] lo = new double[lanes];
        double[] out = new double[lanes];
        double worst = 0;
        for (int round = 0; round < 2_500; round++) {
            for (int l = 0; l < lanes; l++) {
                lo[l] = 0;
                switch ((round * lanes + l) % 6) {
                    case 0 -> hi[l] = -random.nextDouble(0, 746);
                    case 1 -> {
                        double m = random.nextDouble(-1e6, 1e6);
                        double x = m - random.nextDouble(0, random.nextBoolean() ? 746 : 2);
                        hi[l] = x - m;
                        lo[l] = VectorExpDouble.shiftError(DoubleVector.broadcast(VectorExpDouble.D, x),
                                DoubleVector.broadcast(VectorExpDouble.D, m),
                                DoubleVector.broadcast(VectorExpDouble.D, hi[l])).lane(0);
                    }
                    case 2 -> hi[l] = -(random.nextInt(1076) + 0.5) * Math.log(2) * (1 + random.nextDouble(-1e-12, 1e-12));
                    case 3 -> hi[l] = -Math.scalb(random.nextDouble(), -random.nextInt(60));
                    case 4 -> hi[l] = -745.13 + random.nextDouble(-0.87, 0.13);
                    default -> {
                        hi[l] = -random.nextDouble(0, 40);
                        lo[l] = Math.ulp(hi[l]) * random.nextDouble(-0.5, 0.5);
                    }
                }
            }
            VectorExpDouble.exp64(DoubleVector.fromArray(VectorExpDouble.D, hi, 0),
                    DoubleVector.fromArray(VectorExpDouble.D, lo, 0)).intoArray(out, 0);
            for (int l = 0; l < lanes; l++) {
                int lane = l;
                double twin = VectorExpDouble.scalar(hi[l], lo[l]);
                assertEquals(Double.doubleToLongBits(twin), Double.doubleToLongBits(out[l]),
                        () -> "exp64 lane vs scalar twin at " + hi[lane] + " + " + lo[lane]);
                if (hi[l] < VectorExpDouble.CUTOFF) {
                    assertEquals(0.0, out[l]);
                } else {
                    double u = ulps(out[l], hi[l], lo[l]);
                    assertTrue(u <= VectorExpDouble.MAX_ULPS, () -> "exp64(" + hi[lane] + " + " + lo[lane] + ") = "
                            + out[lane] + ": " + u + " ulps");
                    worst = Math.max(worst, u);
                }
            }
        }
        assertEquals(VectorExpDouble.TWO64, VectorExpDouble.scalarShifted(3.25, 3.25), "exp(0) * 2^64 is exact");
        assertEquals(0.0, VectorExpDouble.scalar(Double.NEGATIVE_INFINITY, Double.NaN), "exp(-inf) is 0");
        assertEquals(0.0, VectorExpDouble.scalar(-746.5, 0), "below the cutoff: 0");
        assertTrue(Double.isNaN(VectorExpDouble.scalar(Double.NaN, 0)), "NaN stays NaN");
        double[] special = {Double.NEGATIVE_INFINITY, Double.NaN, -746.5, 0, -0.0, -745.9, -1e-300, -700};
        double[] zeros = new double[special.length];
        double[] res = new double[special.length];
        for (int i = 0; i + lanes <= special.length; i += lanes) {
            VectorExpDouble.exp64(DoubleVector.fromArray(VectorExpDouble.D, special, i),
                    DoubleVector.fromArray(VectorExpDouble.D, zeros, i)).intoArray(res, i);
            for (int l = i; l < i + lanes; l++) {
                assertEquals(Double.doubleToLongBits(VectorExpDouble.scalar(special[l], 0)),
                        Double.doubleToLongBits(res[l]), "special value " + special[l]);
            }
        }
        return worst;
    }
}
