package org.softmax4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The accuracy fixes of the shared kernels that the conformance kit reaches only by fuzzing: float32 rows rounded
 * once from float64, the backward rows where a subnormal intermediate would lose its bits, and the k-outer
 * {@code A^T B} giving the row-outer loop's bits. Every backend on these kernels passes the kit besides.
 */
class SharedKernelsTest {

    /** The shapes of the row checks: single entries, the MNIST width, long rows. */
    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {4, 10}, {3, 100}, {2, 1000}, {2, 32000}};

    /** Logits of mixed magnitude (so that shifts of hundreds occur) with a few {@code -inf}, as float32 values. */
    private static float[] logits(Random rnd, int n) {
        float[] x = new float[n];
        double spread = n > 2 ? 300 : 30;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextInt(8) == 0 ? rnd.nextGaussian() * spread : rnd.nextGaussian() * 3);
            if (n > 4 && rnd.nextInt(50) == 0) {
                x[i] = Float.NEGATIVE_INFINITY;
            }
        }
        return x;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Each float32 entry within one float32 ulp of the float64 kernel's result on the same (exact) inputs. */
    private static void assertWithinOneUlp(String what, double[] reference, float[] actual) {
        for (int i = 0; i < actual.length; i++) {
            float expected = (float) reference[i];
            if (Float.isNaN(expected) || Float.isInfinite(expected)) {
                assertEquals(expected, actual[i], what + ": index " + i);
                continue;
            }
            if (!(Math.abs(actual[i] - reference[i]) <= Math.ulp(expected))) {
                fail(what + ": index " + i + ": float64 " + reference[i] + ", float32 " + actual[i]);
            }
        }
    }

    @Test
    void float32SoftmaxFamilyRoundsOnceFromFloat64() {
        Random rnd = new Random(2);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            float[] x = logits(rnd, n);
            double[] xd = widen(x);
            boolean[] mask = new boolean[n];
            for (int i = 0; i < n; i++) {
                mask[i] = rnd.nextInt(4) != 0;
            }
            float[] y = new float[n];
            double[] ref = new double[n];
            String shape = " " + rows + "x" + cols;
            RowSoftmax.softmax(rows, cols, x, 0, y, 0);
            RowSoftmax.softmax(rows, cols, xd, 0, ref, 0);
            assertWithinOneUlp("softmax" + shape, ref, y);
            RowSoftmax.softmax(rows, cols, 0.37f, x, 0, y, 0);
            RowSoftmax.softmax(rows, cols, (double) 0.37f, xd, 0, ref, 0);
            assertWithinOneUlp("softmax T" + shape, ref, y);
            RowSoftmax.maskedSoftmax(rows, cols, x, 0, mask, 0, y, 0);
            RowSoftmax.maskedSoftmax(rows, cols, xd, 0, mask, 0, ref, 0);
            assertWithinOneUlp("maskedSoftmax" + shape, ref, y);
        }
    }

    @Test
    void logSoftmaxBackwardKeepsPrecisionWhereExpLogpIsSubnormal() {
        // found by the conformance fuzzer: exp(-742) is subnormal, the row sum about -1.8e308
        double[] logp = {0.0, -2.9017104018268967, -3.2154023455963343, -2.1569041802196662, -3.569747835785102, -742};
        double[] dlogp = {-Double.MAX_VALUE, -0.1867009733434318, 0.5381495100126843, 0.12806021750233,
            0.14158285992211045, Double.MIN_VALUE};
        double[] dx = new double[6];
        SoftmaxGradients.logSoftmaxBackward(1, 6, logp, 0, dlogp, 0, dx, 0);
        // exact (the conformance reference, 45 digits): 1.0190840109031158e-14
        assertEquals(1.0190840109031158E-14, dx[5], 4 * Math.ulp(1.0190840109031158E-14), "dx[5]");
    }

    @Test
    void softmaxBackwardKeepsPrecisionWhereYDyIsSubnormal() {
        // y dy subnormal and y large: scaled, dx = y dy (1 - y) is exact to rounding; a y that is not a softmax
        // output, as the fuzzer sends
        double y = 35.3;
        double dy = 3 * Double.MIN_VALUE;
        double[] dx = new double[1];
        SoftmaxGradients.softmaxBackward(1, 1, new double[] {y}, 0, new double[] {dy}, 0, dx, 0);
        double exact = new BigDecimal(y).multiply(new BigDecimal(dy))
                .multiply(BigDecimal.ONE.subtract(new BigDecimal(y))).doubleValue();
        assertEquals(exact, dx[0], Math.ulp(exact), "dx = y dy (1 - y), subnormal");
    }

    @Test
    void transAWithTheKLoopOutermostGivesTheRowOrderBits() {
        // 600 x 500 A (m k = 300000 >= 2^18, m >= k): the p-outer loop; each c_ij sums p in order either way
        int m = 600;
        int k = 500;
        int n = 3;
        Random rnd = new Random(5);
        double[] a = new double[k * m];
        double[] b = new double[k * n];
        double[] c0 = new double[m * n];
        for (double[] v : new double[][] {a, b, c0}) {
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextGaussian();
            }
        }
        double[] c = c0.clone();
        MatrixProducts.matmulTransA(m, k, n, 0.75, a, 0, b, 0, -0.5, c, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = -0.5 * c0[i * n + j];
                for (int p = 0; p < k; p++) {
                    expected += (0.75 * a[p * m + i]) * b[p * n + j];
                }
                assertEquals(expected, c[i * n + j], 0, "c[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void transBHasTheBitsOfTheProductWithBTransposed() {
        // A B^T as dots must sum each c_ij as the i-p-j loop of A B does, with the same per-term scaling rule:
        // alpha 0.75 (factor first), 3 (each a b scaled), 1e-310 (alpha a subnormal: each a b scaled)
        Random rnd = new Random(13);
        for (int[] shape : new int[][] {{1, 1, 1}, {3, 7, 5}, {17, 33, 9}}) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            for (double alpha : new double[] {0.75, 3, 1e-310, 0}) {
                for (double beta : new double[] {0, 1, -0.5}) {
                    double[] a = gaussian(rnd, m * k + 2);
                    double[] b = gaussian(rnd, n * k + 1);
                    double[] bt = new double[k * n];
                    float[] bf = new float[n * k + 1];
                    float[] btf = new float[k * n];
                    for (int j = 0; j < n; j++) {
                        for (int p = 0; p < k; p++) {
                            bt[p * n + j] = b[1 + j * k + p];
                            bf[1 + j * k + p] = (float) b[1 + j * k + p];
                            btf[p * n + j] = (float) b[1 + j * k + p];
                        }
                    }
                    float[] af = new float[a.length];
                    for (int i = 0; i < a.length; i++) {
                        af[i] = (float) a[i];
                    }
                    double[] c0 = gaussian(rnd, m * n + 3);
                    double[] expected = c0.clone();
                    double[] actual = c0.clone();
                    MatrixProducts.matmul(m, k, n, alpha, a, 2, bt, 0, beta, expected, 3);
                    MatrixProducts.matmulTransB(m, k, n, alpha, a, 2, b, 1, beta, actual, 3);
                    float[] cf = new float[c0.length];
                    for (int i = 0; i < c0.length; i++) {
                        cf[i] = (float) c0[i];
                    }
                    float[] expectedF = cf.clone();
                    float[] actualF = cf.clone();
                    float alphaF = alpha == 1e-310 ? 1e-40f : (float) alpha;
                    MatrixProducts.matmul(m, k, n, alphaF, af, 2, btf, 0, (float) beta, expectedF, 3);
                    MatrixProducts.matmulTransB(m, k, n, alphaF, af, 2, bf, 1, (float) beta, actualF, 3);
                    String what = m + "x" + k + "x" + n + " alpha=" + alpha + " beta=" + beta;
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                                what + " float64 c[" + i + "]");
                        assertEquals(Float.floatToRawIntBits(expectedF[i]), Float.floatToRawIntBits(actualF[i]),
                                what + " float32 c[" + i + "]");
                    }
                }
            }
        }
    }

    private static double[] gaussian(Random rnd, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }
}
