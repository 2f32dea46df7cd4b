package org.softmax4j.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.kernels.MatrixProducts;

/**
 * EJML's product kernels are "as exact" as the shared loop: with {@code |alpha| <= 1} (or a power of two with
 * {@code beta = 0}) they give its values; with {@code |alpha| > 1} (the sum scaled instead of each term) within the
 * product bound of it, and finite where {@code alpha a_ik} alone would overflow. Narrow shapes run the shared loop.
 */
class EjmlProductsTest {

    private static final int[][] PRODUCTS = {{1, 1, 1}, {100, 784, 10}, {784, 100, 10}, {600, 500, 3}, {7, 5, 16},
        {33, 17, 40}, {64, 64, 64}, {256, 256, 256}};
    private static final String[] NAMES = {"matmul f64", "matmulTransA f64", "matmul f32", "matmulTransA f32"};

    private final SoftmaxOps ejml = new EjmlSoftmaxOps();

    private static double[] gaussian(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    private static float[] narrow(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** @return the shared loop's and ejml's C for matmul, matmulTransA in f64 and f32 (widened), in that order */
    private double[][] products(double alpha, double beta, int m, int k, int n, double[] a, double[] b, double[] c0) {
        double[][] r = new double[8][];
        float[] af = narrow(a);
        float[] bf = narrow(b);
        for (int t = 0; t < 2; t++) {
            double[] shared = c0.clone();
            double[] actual = c0.clone();
            float[] sharedF = narrow(c0);
            float[] actualF = narrow(c0);
            if (t == 1) {
                MatrixProducts.matmulTransA(m, k, n, alpha, a, 0, b, 0, beta, shared, 0);
                ejml.matmulTransA(m, k, n, alpha, a, 0, b, 0, beta, actual, 0);
                MatrixProducts.matmulTransA(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, sharedF, 0);
                ejml.matmulTransA(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, actualF, 0);
            } else {
                MatrixProducts.matmul(m, k, n, alpha, a, 0, b, 0, beta, shared, 0);
                ejml.matmul(m, k, n, alpha, a, 0, b, 0, beta, actual, 0);
                MatrixProducts.matmul(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, sharedF, 0);
                ejml.matmul(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, actualF, 0);
            }
            r[2 * t] = shared;
            r[2 * t + 1] = actual;
            r[4 + 2 * t] = widen(sharedF);
            r[4 + 2 * t + 1] = widen(actualF);
        }
        return r;
    }

    @Test
    void ejmlKernelsGiveTheSharedLoopsValues() {
        Random rnd = new Random(8);
        double[][] alphaBeta = {{1, 0}, {1, 1}, {1, -0.25}, {2, 0}, {-0.5, 0}, {0, 0.5}, {0.3, 0.7}, {-1, -0.25}};
        for (int[] s : PRODUCTS) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = gaussian(rnd, m * k);
            double[] b = gaussian(rnd, k * n);
            double[] c0 = gaussian(rnd, m * n);
            for (double[] ab : alphaBeta) {
                double[][] r = products(ab[0], ab[1], m, k, n, a, b, c0);
                for (int i = 0; i < 4; i++) {
                    // -0.0 and 0.0 count as equal: the loop starts each sum from +0.0, EJML from the first product
                    for (int e = 0; e < m * n; e++) {
                        if (!(r[2 * i][e] == r[2 * i + 1][e])) {
                            fail(NAMES[i] + " " + m + "x" + k + "x" + n + " alpha=" + ab[0] + " beta=" + ab[1]
                                    + ": index " + e + ": shared " + r[2 * i][e] + ", ejml " + r[2 * i + 1][e]);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code |alpha| > 1}: EJML's kernels would form {@code alpha a_ik} first, which can overflow, so the sum is scaled
     * instead; the shared loop scales each {@code a b}: within the product bound {@code (k + 2) u sum |alpha a b| +
     * u |beta c|} of each other (twice the conformance bound), and a product whose {@code alpha a_ik} overflows stays
     * finite.
     */
    @Test
    void scaledProductsAgreeWithinTheProductBoundAndDoNotOverflow() {
        Random rnd = new Random(9);
        for (int[] s : PRODUCTS) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = gaussian(rnd, m * k);
            double[] b = gaussian(rnd, k * n);
            double[] c0 = gaussian(rnd, m * n);
            for (double[] ab : new double[][] {{-1.5, 0}, {3.7, 0.5}, {1.25, 1}, {2, -0.25}}) {
                double[][] r = products(ab[0], ab[1], m, k, n, a, b, c0);
                for (int i = 0; i < 4; i++) {
                    boolean transA = i % 2 == 1;
                    double u = i < 2 ? 0x1p-53 : 0x1p-24;
                    for (int e = 0; e < m * n; e++) {
                        double scale = Math.abs(ab[1] * c0[e]);
                        for (int p = 0; p < k; p++) {
                            double av = transA ? a[p * m + e / n] : a[(e / n) * k + p];
                            scale += Math.abs(ab[0] * av * b[p * n + e % n]);
                        }
                        double bound = n < EjmlProducts.NARROW_COLS ? 0 : 2 * ((k + 2) * u * scale);
                        if (!(Math.abs(r[2 * i][e] - r[2 * i + 1][e]) <= bound)) {
                            fail(NAMES[i] + " " + m + "x" + k + "x" + n + " alpha=" + ab[0] + ": index " + e
                                    + ": shared " + r[2 * i][e] + ", ejml " + r[2 * i + 1][e] + ", bound " + bound);
                        }
                    }
                }
            }
        }
        for (int n : new int[] {3, 20}) {
            double[] b = new double[2 * n];
            Arrays.fill(b, 1e-20);
            double[] c = new double[n];
            ejml.matmul(1, 2, n, 1e300, new double[] {1e10, 2e10}, 0, b, 0, 0, c, 0);
            for (double v : c) {
                assertEquals(3e290, v, 1e277, "matmul 1x2x" + n + " alpha=1e300: alpha a overflows, the product not");
            }
        }
        // found by the conformance fuzzer (float32, n >= 16): per-term scaling overflows to inf - inf = NaN, the
        // exact results are 3.43e39 (rounds to +inf in float32) and -1.5579027904893329e38
        float max = Float.MAX_VALUE;
        float[] c = new float[16];
        ejml.matmul(1, 2, 16, 3f, new float[] {max, -max}, 0, bColumn(4.275282382965088f, 0.9197267293930054f), 0, 0f,
                c, 0);
        assertEquals(Float.POSITIVE_INFINITY, c[0], "3 (MAX 4.28 - MAX 0.92) overflows float32");
        ejml.matmul(1, 2, 16, -1.793434977531433f, new float[] {-max, max}, 0,
                bColumn(-0.9731761813163757f, -0.7178970575332642f), 0, 0f, c, 0);
        assertEquals(-1.5579027904893329e38, c[0], Math.ulp(1.5579028e38f), "-1.79 (MAX 0.97 - MAX 0.72) is finite");
        // |alpha| < 1: alpha a formed first (as the shared loop), so a sum of a b beyond the float range is finite
        ejml.matmul(1, 2, 16, -0.5f, new float[] {max, max}, 0, bColumn(0.75f, 0.75f), 0, 0f, c, 0);
        assertEquals(-0.75 * max, c[0], Math.ulp(max), "-0.5 (MAX 0.75 + MAX 0.75) is finite");
        // alpha a subnormal (1e-10 * 1e-300): the shared loop runs, scaling a b instead, keeping full precision
        double[] cd = new double[16];
        double[] bd = new double[32];
        Arrays.fill(bd, 0, 16, 3e300);
        Arrays.fill(bd, 16, 32, 1e300);
        ejml.matmul(1, 2, 16, 1e-10, new double[] {1e-300, 2e-300}, 0, bd, 0, 0, cd, 0);
        assertEquals(5e-10, cd[0], 4 * Math.ulp(5e-10), "1e-10 (1e-300 3e300 + 2e-300 1e300)");
    }

    /**
     * {@code A B^T}: EJML's {@code multTransB} sums {@code a b} unscaled and the sum is scaled after, so it agrees
     * with the shared loop within twice the product bound; an unscaled sum that overflows ({@code |alpha| < 1}) and
     * a non-finite input are recomputed by the shared loop, bit for bit its result.
     */
    @Test
    void transBAgreesWithTheSharedLoopAndIsRescuedWhereTheUnscaledSumOverflows() {
        Random rnd = new Random(10);
        for (int[] s : PRODUCTS) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = gaussian(rnd, m * k);
            double[] b = gaussian(rnd, n * k);
            double[] c0 = gaussian(rnd, m * n);
            for (double[] ab : new double[][] {{1, 0}, {0.3, 0.7}, {-1.5, 0}, {3.7, 0.5}, {0, 0.5}}) {
                double[] shared = c0.clone();
                double[] actual = c0.clone();
                MatrixProducts.matmulTransB(m, k, n, ab[0], a, 0, b, 0, ab[1], shared, 0);
                ejml.matmulTransB(m, k, n, ab[0], a, 0, b, 0, ab[1], actual, 0);
                float[] sharedF = narrow(c0);
                float[] actualF = narrow(c0);
                MatrixProducts.matmulTransB(m, k, n, (float) ab[0], narrow(a), 0, narrow(b), 0, (float) ab[1],
                        sharedF, 0);
                ejml.matmulTransB(m, k, n, (float) ab[0], narrow(a), 0, narrow(b), 0, (float) ab[1], actualF, 0);
                for (int e = 0; e < m * n; e++) {
                    double scale = Math.abs(ab[1] * c0[e]);
                    for (int p = 0; p < k; p++) {
                        scale += Math.abs(ab[0] * a[(e / n) * k + p] * b[(e % n) * k + p]);
                    }
                    String what = "matmulTransB " + m + "x" + k + "x" + n + " alpha=" + ab[0] + " beta=" + ab[1]
                            + " index " + e;
                    double bound = n < EjmlProducts.NARROW_COLS ? 0 : 2 * ((k + 2) * 0x1p-53 * scale);
                    assertEquals(shared[e], actual[e], bound, what + " f64");
                    double boundF = n < EjmlProducts.NARROW_COLS ? 0 : 2 * ((k + 2) * 0x1p-24 * scale);
                    assertEquals(sharedF[e], actualF[e], boundF, what + " f32");
                }
            }
        }
        float max = Float.MAX_VALUE;
        float[] a = {max, max};
        float[] b = new float[32];
        Arrays.fill(b, 0.75f);
        float[] c = new float[16];
        ejml.matmulTransB(1, 2, 16, -0.5f, a, 0, b, 0, 0f, c, 0);
        assertEquals(-0.75 * max, c[3], Math.ulp(max), "-0.5 (MAX 0.75 + MAX 0.75) is finite: the shared loop's");
        float[] expected = new float[16];
        a[1] = Float.NaN;
        Arrays.fill(c, 2f);
        Arrays.fill(expected, 2f);
        ejml.matmulTransB(1, 2, 16, 1f, a, 0, b, 0, 1f, c, 0);
        MatrixProducts.matmulTransB(1, 2, 16, 1f, a, 0, b, 0, 1f, expected, 0);
        assertEquals(Arrays.toString(expected), Arrays.toString(c), "NaN input: the shared loop's result");
    }

    /** @return a 2 x 16 B whose rows are {@code top} and {@code bottom} repeated */
    private static float[] bColumn(float top, float bottom) {
        float[] b = new float[32];
        Arrays.fill(b, 0, 16, top);
        Arrays.fill(b, 16, 32, bottom);
        return b;
    }
}
