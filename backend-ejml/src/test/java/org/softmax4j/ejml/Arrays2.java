package org.softmax4j.ejml;

import org.softmax4j.conformance.ErrorBounds;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Seeded inputs and comparisons shared by the tests of this module. */
final class Arrays2 {

    /** The shapes every row op is checked on: single entries, the MNIST width, long rows (2 x 32000). */
    static final int[][] SHAPES = {{1, 1}, {1, 7}, {4, 10}, {3, 100}, {2, 1000}, {2, 32000}};

    private Arrays2() {
    }

    /** Logits of mixed magnitude (so that shifts of hundreds occur) with a few {@code -inf}. */
    static double[] logits(Random rnd, int n) {
        double[] x = new double[n];
        double spread = n > 2 ? 300 : 30;
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(8) == 0 ? rnd.nextGaussian() * spread : rnd.nextGaussian() * 3;
            if (n > 4 && rnd.nextInt(50) == 0) {
                x[i] = Double.NEGATIVE_INFINITY;
            }
        }
        return x;
    }

    static double[] gaussian(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    /** Non-negative values summing to about 1 per row. */
    static double[] distribution(Random rnd, int rows, int cols) {
        double[] p = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                double v = rnd.nextInt(5) == 0 ? 0 : rnd.nextDouble();
                p[r * cols + c] = v;
                s += v;
            }
            for (int c = 0; c < cols; c++) {
                p[r * cols + c] = s == 0 ? 1.0 / cols : p[r * cols + c] / s;
            }
        }
        return p;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Bit-for-bit equality (NaN equals NaN; {@code -0.0} differs from {@code 0.0}). */
    static void assertBitwise(String what, double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
                fail(what + ": index " + i + ": plain " + expected[i] + ", ejml " + actual[i]);
            }
        }
    }

    static void assertBitwise(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": index " + i + ": plain " + expected[i] + ", ejml " + actual[i]);
            }
        }
    }

    static void assertBitwise(String what, int[] expected, int[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": index " + i + ": plain " + expected[i] + ", ejml " + actual[i]);
            }
        }
    }

    /**
     * {@code |actual - expected| <= ulps * ulp_f32(expected) + scaleUlps * 2^-24 * scale}; NaN and infinities must
     * match exactly.
     */
    static void assertClose(String what, float[] expected, float[] actual, double ulps, double scaleUlps,
                            double[] scale) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e) || Double.isNaN(a) || Double.isInfinite(a)) {
                if (Double.compare(e, a) != 0) {
                    fail(what + ": index " + i + ": expected " + e + ", actual " + a);
                }
                continue;
            }
            double bound = ulps * Math.ulp((float) e) + scaleUlps * 0x1p-24 * (scale == null ? 0 : scale[i]);
            if (Math.abs(a - e) > bound) {
                fail(what + ": index " + i + ": expected " + e + ", actual " + a + ", error "
                        + Math.abs(a - e) / Math.ulp((float) e) + " ulp > bound " + bound / Math.ulp((float) e));
            }
        }
    }

    /** The conformance kit's row budget {@code 4 + ceil(log2 cols)} ulps: the kit's own, not a copy of it. */
    static double rowUlps(int cols) {
        return ErrorBounds.rowUlps(cols);
    }
}
