package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/** Checks of {@link VectorLog}, in a class of their own so that only the SIMD test run loads the Vector API. */
final class VectorLogCheck {

    /** The claimed accuracy: far inside a float ulp (2^-24), which is what the float32 losses need. */
    private static final double BOUND = 0x1p-38;

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
}
