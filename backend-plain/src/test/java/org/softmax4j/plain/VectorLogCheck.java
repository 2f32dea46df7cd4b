package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/** Checks of {@link VectorLog}, in a class of their own so that only the SIMD test run loads the Vector API. */
final class VectorLogCheck {

    /** The claimed accuracy: far inside a float ulp (2^-24), which is what the float32 losses need. */
    private static final double BOUND = 0x1p-38;
    /** The float log's claimed accuracy, two float ulps at most (2^-23 relative); measured: 2^-23.6. */
    private static final double FLOAT_BOUND = 0x1p-23;

    private VectorLogCheck() {
    }

    /**
     * Within 2^-38 relative of {@link Math#log1p} (itself within 1 double ulp, 2^-52) over others from 0 to 2^32: tiny
     * values (the series branch), both sides of the switch at 2^-10, the reduction's edges near {@code sqrt(2) - 1}
     * and powers of two, and the wide rows' range; two vectors per call, as the narrow kernels call it.
     */
    static void assertCloseToLog1p() {
        int lanes = 2 * VectorLog.D.length();
        SplittableRandom random = new SplittableRandom(11);
        double[] o = new double[lanes];
        double[] out = new double[lanes];
        double worst = 0;
        for (int round = 0; round < 50_000; round++) {
            for (int l = 0; l < lanes; l++) {
                o[l] = switch ((round + l) % 5) {
                    case 0 -> random.nextDouble() * Math.scalb(1.0, -random.nextInt(80));
                    case 1 -> 0x1p-10 * (1 + random.nextDouble(-1e-6, 1e-6));
                    case 2 -> Math.sqrt(2) - 1 + random.nextDouble(-1e-9, 1e-9);
                    case 3 -> Math.scalb(1.0, random.nextInt(33)) - 1 + random.nextDouble(-1e-3, 1e-3);
                    default -> random.nextDouble(0, 0x1p32);
                };
                o[l] = Math.max(o[l], 0);
            }
            VectorLog.log1p(o, 0, out, 0, lanes);
            for (int l = 0; l < lanes; l++) {
                double e = Math.log1p(o[l]);
                worst = Math.max(worst, e == 0 ? Math.abs(out[l]) : Math.abs(out[l] - e) / e);
            }
        }
        o[0] = 0;
        VectorLog.log1p(o, 0, out, 0, lanes);
        assertEquals(0.0, out[0], "log1p(0)");
        double w = worst;
        assertTrue(w <= BOUND, () -> "log1p relative error " + w);
    }

    /**
     * {@link VectorLog#log} within 2^-38 of {@link Math#log} relative to {@code max(|log v|, 1)} over the cross-entropy's
     * range of probabilities (from float32's least {@code eps} to 1, and past it): powers of two and their
     * neighbours, the reduction's edge at {@code sqrt(2)}, values near 1 and random ones.
     */
    static void assertCloseToLog() {
        int lanes = VectorLog.D.length();
        SplittableRandom random = new SplittableRandom(12);
        double[] v = new double[lanes];
        double[] out = new double[lanes];
        double worst = 0;
        for (int round = 0; round < 50_000; round++) {
            for (int l = 0; l < lanes; l++) {
                v[l] = switch ((round + l) % 5) {
                    case 0 -> Math.scalb(1.0, -random.nextInt(160)) * (1 + random.nextDouble(-1e-12, 1e-12));
                    case 1 -> Math.sqrt(2) * Math.scalb(1.0, -random.nextInt(60)) * (1 + random.nextDouble(-1e-9, 1e-9));
                    case 2 -> 1 + random.nextDouble(-1e-3, 1e-3);
                    case 3 -> random.nextDouble() * Math.scalb(1.0, -random.nextInt(140));
                    default -> random.nextDouble(0x1p-30, 4);
                };
                v[l] = Math.max(v[l], Double.MIN_NORMAL);
            }
            System.arraycopy(v, 0, out, 0, lanes);
            VectorLog.log(out, 0, lanes);
            for (int l = 0; l < lanes; l++) {
                double e = Math.log(v[l]);
                worst = Math.max(worst, Math.abs(out[l] - e) / Math.max(Math.abs(e), 1));
            }
        }
        double w = worst;
        assertTrue(w <= BOUND, () -> "log relative error " + w);
        java.util.Arrays.fill(out, 1.0);
        VectorLog.log(out, 0, lanes);
        assertEquals(0.0, out[0], "log(1)");
    }

    /**
     * {@link VectorLog#log(FloatVector)} within 2^-23 relative of {@link Math#log} (of the float, in double) over
     * every binade of the positive normal floats: powers of two and their neighbours, the reduction's edge at
     * {@code sqrt(2)} on both sides, values near 1 (where the result is small and only the series is left) and
     * random ones; {@code log(1) = 0} exactly.
     */
    static void assertFloatLogCloseToLog() {
        int lanes = VectorExp.L;
        SplittableRandom random = new SplittableRandom(13);
        float[] v = new float[lanes];
        float[] out = new float[lanes];
        double worst = 0;
        for (int round = 0; round < 100_000; round++) {
            for (int l = 0; l < lanes; l++) {
                int binade = random.nextInt(-126, 128);
                float f = switch ((round + l) % 5) {
                    case 0 -> Math.scalb(1f, binade);
                    case 1 -> Math.scalb((float) Math.sqrt(2), binade);
                    case 2 -> 1 + (float) random.nextDouble(-1e-3, 1e-3);
                    case 3 -> Math.scalb(1f + random.nextInt(-64, 64) * Math.ulp(1f), Math.min(binade, 126));
                    default -> Math.scalb((float) random.nextDouble(1, 2), Math.min(binade, 126));
                };
                for (int step = random.nextInt(-2, 3); step != 0; step -= Integer.signum(step)) {
                    f = step > 0 ? Math.nextUp(f) : Math.nextDown(f);
                }
                v[l] = Math.min(Math.max(f, Float.MIN_NORMAL), Float.MAX_VALUE);
            }
            VectorLog.log(FloatVector.fromArray(VectorExp.F, v, 0)).intoArray(out, 0);
            for (int l = 0; l < lanes; l++) {
                double e = Math.log(v[l]);
                worst = Math.max(worst, e == 0 ? Math.abs(out[l]) : Math.abs(out[l] - e) / Math.abs(e));
            }
        }
        double w = worst;
        assertTrue(w <= FLOAT_BOUND, () -> "float log relative error " + w + " = 2^" + Math.log(w) / Math.log(2));
        java.util.Arrays.fill(v, 1f);
        VectorLog.log(FloatVector.fromArray(VectorExp.F, v, 0)).intoArray(out, 0);
        assertEquals(0f, out[0], "log(1)");
    }
}
