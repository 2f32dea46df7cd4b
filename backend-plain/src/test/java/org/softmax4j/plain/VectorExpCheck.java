package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/** Checks of {@link VectorExp}, in a class of their own so that only the SIMD test run loads the Vector API. */
final class VectorExpCheck {

    private VectorExpCheck() {
    }

    /**
     * Every lane equals {@link VectorExp#scalarShifted} bit for bit (so tails and vectors agree), and the result is
     * within 1.5 float ulps of {@code exp(x - m) * 2^64} (exact shift, exp in double, which is far more accurate)
     * down to the cut-off, 0 below it (shifts to -140).
     */
    static void assertLanesMatchScalar() {
        int lanes = VectorExp.L;
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[lanes];
        float[] out = new float[lanes];
        double worst = 0;
        for (int round = 0; round < 20_000; round++) {
            float m = (float) random.nextDouble(-1e4, 1e4);
            double spread = round % 3 == 0 ? 140 : round % 3 == 1 ? 20 : 1e-3;
            for (int l = 0; l < lanes; l++) {
                x[l] = (float) (m - random.nextDouble(0, spread));
                if (x[l] > m) {
                    x[l] = m;
                }
            }
            if (round % 97 == 0) {
                x[0] = Float.NEGATIVE_INFINITY;
                x[1] = Float.NaN;
                x[2] = m;
            }
            FloatVector xv = FloatVector.fromArray(VectorExp.F, x, 0);
            FloatVector mv = FloatVector.broadcast(VectorExp.F, m);
            FloatVector hi = xv.sub(mv);
            VectorExp.exp64(hi, VectorExp.shiftError(xv, mv, hi)).intoArray(out, 0);
            for (int l = 0; l < lanes; l++) {
                float twin = VectorExp.scalarShifted(x[l], m);
                assertEquals(Float.floatToIntBits(twin), Float.floatToIntBits(out[l]),
                        () -> "exp64 lane vs scalar twin");
                if (Float.isNaN(x[l])) {
                    assertTrue(Float.isNaN(out[l]), "NaN stays NaN");
                    continue;
                }
                if (x[l] == Float.NEGATIVE_INFINITY) {
                    assertEquals(0f, out[l], "exp(-inf) is 0");
                    continue;
                }
                double exact = new BigDecimal(x[l]).subtract(new BigDecimal(m), MathContext.DECIMAL128).doubleValue();
                double e = Math.exp(exact) * VectorExp.TWO64;
                if (x[l] - m < VectorExp.CUTOFF) {
                    assertEquals(0f, out[l], "exp64 below the cut-off");
                } else if (e > 0) {
                    worst = Math.max(worst, Math.abs(out[l] - e) / Math.ulp((float) e));
                }
            }
            assertEquals(VectorExp.TWO64, (double) VectorExp.scalarShifted(m, m), "exp(0) * 2^64 is exact");
        }
        double w = worst;
        assertTrue(w <= 1.5, () -> "exp64 error " + w + " ulps");
    }
}
