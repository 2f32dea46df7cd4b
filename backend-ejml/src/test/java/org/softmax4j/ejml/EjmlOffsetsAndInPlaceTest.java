package org.softmax4j.ejml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * The paths a plain offset-0 call does not take: operands at non-zero offsets (copied into per-thread scratch
 * matrices for the EJML kernels, indexed directly by the row loops), outputs written in place over their input, and
 * several threads sharing the instance (per-thread workspaces). Each must give bit for bit the result of the simple
 * call and leave the array outside the output region untouched.
 */
class EjmlOffsetsAndInPlaceTest {

    private static final double GUARD = 1234.5;
    private final SoftmaxOps ops = new EjmlSoftmaxOps();

    /** @return {@code x} placed at {@code offset} in a longer array padded with {@link #GUARD} */
    private static double[] at(int offset, double[] x, int tail) {
        double[] a = new double[offset + x.length + tail];
        Arrays.fill(a, GUARD);
        System.arraycopy(x, 0, a, offset, x.length);
        return a;
    }

    private static float[] at(int offset, float[] x, int tail) {
        float[] a = new float[offset + x.length + tail];
        Arrays.fill(a, (float) GUARD);
        System.arraycopy(x, 0, a, offset, x.length);
        return a;
    }

    /** Equal values as Java prints them (each value's shortest unique decimal: bit for bit, NaN equal to NaN). */
    private static void assertBitwise(String what, double[] expected, double[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual), what);
    }

    private static void assertBitwise(String what, float[] expected, float[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual), what);
    }

    private static void assertRegion(String what, double[] expected, double[] padded, int offset) {
        assertBitwise(what, expected, Arrays.copyOfRange(padded, offset, offset + expected.length));
        for (int i = 0; i < padded.length; i++) {
            if (i < offset || i >= offset + expected.length) {
                assertEquals(GUARD, padded[i], 0, what + ": written outside the output region at " + i);
            }
        }
    }

    private static void assertRegion(String what, float[] expected, float[] padded, int offset) {
        assertBitwise(what, expected, Arrays.copyOfRange(padded, offset, offset + expected.length));
        for (int i = 0; i < padded.length; i++) {
            if (i < offset || i >= offset + expected.length) {
                assertEquals((float) GUARD, padded[i], 0, what + ": written outside the output region at " + i);
            }
        }
    }

    @Test
    void matrixProductsAtOffsetsMatchOffsetZero() {
        Random rnd = new Random(11);
        // narrow (own loop: no copy), wide (EJML: operands copied to scratch), large (EJML concurrent)
        for (int[] s : new int[][] {{9, 13, 5}, {12, 7, 33}, {256, 256, 256}}) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = Arrays2.gaussian(rnd, m * k);
            double[] b = Arrays2.gaussian(rnd, k * n);
            double[] c0 = Arrays2.gaussian(rnd, m * n);
            for (double beta : new double[] {0, 1, 0.75}) {
                for (int transA = 0; transA < 3; transA++) { // 0: A B, 1: A^T B, 2: A B^T
                    String w = new String[] {"matmul ", "matmulTransA ", "matmulTransB "}[transA] + m + "x" + k + "x"
                            + n + " beta=" + beta;
                    double[] expected = c0.clone();
                    product(transA, m, k, n, 1.5, a, 0, b, 0, beta, expected, 0);
                    double[] c = at(3, c0, 2);
                    product(transA, m, k, n, 1.5, at(5, a, 1), 5, at(7, b, 0), 7, beta, c, 3);
                    assertRegion(w + " f64 offsets", expected, c, 3);
                    // only the output at a non-zero offset
                    c = at(1, c0, 0);
                    product(transA, m, k, n, 1.5, a, 0, b, 0, beta, c, 1);
                    assertRegion(w + " f64 output offset", expected, c, 1);

                    float[] af = Arrays2.toFloat(a);
                    float[] bf = Arrays2.toFloat(b);
                    float[] expectedF = Arrays2.toFloat(c0);
                    product(transA, m, k, n, 1.5f, af, 0, bf, 0, (float) beta, expectedF, 0);
                    float[] cf = at(3, Arrays2.toFloat(c0), 2);
                    product(transA, m, k, n, 1.5f, at(5, af, 1), 5, at(7, bf, 0), 7, (float) beta, cf, 3);
                    assertRegion(w + " f32 offsets", expectedF, cf, 3);
                }
            }
        }
    }

    /** {@code form} 0: {@code A B}, 1: {@code A^T B}, 2: {@code A B^T}. */
    private void product(int form, int m, int k, int n, double alpha, double[] a, int ao, double[] b, int bo,
                         double beta, double[] c, int co) {
        if (form == 1) {
            ops.matmulTransA(m, k, n, alpha, a, ao, b, bo, beta, c, co);
        } else if (form == 2) {
            ops.matmulTransB(m, k, n, alpha, a, ao, b, bo, beta, c, co);
        } else {
            ops.matmul(m, k, n, alpha, a, ao, b, bo, beta, c, co);
        }
    }

    private void product(int form, int m, int k, int n, float alpha, float[] a, int ao, float[] b, int bo,
                         float beta, float[] c, int co) {
        if (form == 1) {
            ops.matmulTransA(m, k, n, alpha, a, ao, b, bo, beta, c, co);
        } else if (form == 2) {
            ops.matmulTransB(m, k, n, alpha, a, ao, b, bo, beta, c, co);
        } else {
            ops.matmul(m, k, n, alpha, a, ao, b, bo, beta, c, co);
        }
    }

    @Test
    void jacobianAtOffsetsMatchesOffsetZero() {
        Random rnd = new Random(12);
        for (int cols : new int[] {1, 5, 40}) {
            double[] y = new double[cols];
            ops.softmax(1, cols, Arrays2.logits(rnd, cols), 0, y, 0);
            double[] expected = new double[cols * cols];
            ops.jacobian(cols, y, 0, expected, 0);
            double[] jac = at(4, new double[cols * cols], 3);
            ops.jacobian(cols, at(2, y, 1), 2, jac, 4);
            assertRegion("jacobian f64 " + cols, expected, jac, 4);
            float[] yf = Arrays2.toFloat(y);
            float[] expectedF = new float[cols * cols];
            ops.jacobian(cols, yf, 0, expectedF, 0);
            float[] jf = at(4, new float[cols * cols], 3);
            ops.jacobian(cols, at(2, yf, 1), 2, jf, 4);
            assertRegion("jacobian f32 " + cols, expectedF, jf, 4);
        }
    }

    @Test
    void rowOpsAtOffsetsMatchOffsetZero() {
        Random rnd = new Random(13);
        int rows = 3;
        int cols = 17;
        int n = rows * cols;
        double[] x = Arrays2.logits(rnd, n);
        double[] expected = new double[n];
        ops.softmax(rows, cols, x, 0, expected, 0);
        double[] y = at(6, new double[n], 2);
        ops.softmax(rows, cols, at(1, x, 4), 1, y, 6);
        assertRegion("softmax f64 offsets", expected, y, 6);

        float[] xf = Arrays2.toFloat(x);
        float[] expectedF = new float[n];
        ops.softmax(rows, cols, xf, 0, expectedF, 0);
        float[] yf = at(6, new float[n], 2);
        ops.softmax(rows, cols, at(1, xf, 4), 1, yf, 6);
        assertRegion("softmax f32 offsets", expectedF, yf, 6);

        int[] classes = {0, 16, 5};
        double[] g = new double[n];
        double[] loss = new double[rows];
        double r0 = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, CrossEntropyOptions.DEFAULT,
                loss, 0, g, 0);
        double[] gp = at(2, new double[n], 1);
        double[] lp = at(5, new double[rows], 1);
        double r1 = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, at(3, x, 0), 3, new int[] {9, 0, 16, 5}, 1,
                CrossEntropyOptions.DEFAULT, lp, 5, gp, 2);
        assertEquals(r0, r1, 0, "sparse CE f64 offsets: reduced loss");
        assertRegion("sparse CE f64 offsets: gradient", g, gp, 2);
        assertRegion("sparse CE f64 offsets: loss", loss, lp, 5);

        int k = 4;
        int[] idx = new int[rows * k];
        double[] vals = new double[rows * k];
        ops.topK(rows, cols, k, x, 0, vals, 0, idx, 0);
        int[] idxP = new int[rows * k + 3];
        double[] valsP = at(2, new double[rows * k], 0);
        ops.topK(rows, cols, k, at(3, x, 0), 3, valsP, 2, idxP, 3);
        assertArrayEquals(idx, Arrays.copyOfRange(idxP, 3, 3 + rows * k), "topK offsets: indices");
        assertRegion("topK offsets: values", vals, valsP, 2);
    }

    @Test
    void inPlaceMatchesOutOfPlace() {
        Random rnd = new Random(14);
        int rows = 4;
        int cols = 50;
        int n = rows * cols;
        double[] x = Arrays2.logits(rnd, n);
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rnd.nextBoolean();
        }
        double[] expected = new double[n];
        double[] inPlace = x.clone();
        ops.softmax(rows, cols, x, 0, expected, 0);
        ops.softmax(rows, cols, inPlace, 0, inPlace, 0);
        assertBitwise("softmax in place", expected, inPlace);
        inPlace = x.clone();
        ops.softmax(rows, cols, 2.5, x, 0, expected, 0);
        ops.softmax(rows, cols, 2.5, inPlace, 0, inPlace, 0);
        assertBitwise("softmax T in place", expected, inPlace);
        inPlace = x.clone();
        ops.maskedSoftmax(rows, cols, x, 0, mask, 0, expected, 0);
        ops.maskedSoftmax(rows, cols, inPlace, 0, mask, 0, inPlace, 0);
        assertBitwise("maskedSoftmax in place", expected, inPlace);
        inPlace = x.clone();
        ops.logSoftmax(rows, cols, x, 0, expected, 0);
        ops.logSoftmax(rows, cols, inPlace, 0, inPlace, 0);
        assertBitwise("logSoftmax in place", expected, inPlace);

        double[] y = new double[n];
        ops.softmax(rows, cols, x, 0, y, 0);
        double[] dy = Arrays2.gaussian(rnd, n);
        ops.softmaxBackward(rows, cols, y, 0, dy, 0, expected, 0);
        double[] overY = y.clone();
        ops.softmaxBackward(rows, cols, overY, 0, dy, 0, overY, 0);
        assertBitwise("softmaxBackward over y", expected, overY);
        double[] overDy = dy.clone();
        ops.softmaxBackward(rows, cols, y, 0, overDy, 0, overDy, 0);
        assertBitwise("softmaxBackward over dy", expected, overDy);

        double[] labels = Arrays2.distribution(rnd, rows, cols);
        double[] loss = new double[rows];
        double r0 = ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, CrossEntropyOptions.DEFAULT, loss, 0,
                expected, 0);
        double[] overLogits = x.clone();
        double r1 = ops.softmaxCrossEntropyWithLogits(rows, cols, overLogits, 0, labels, 0, CrossEntropyOptions.DEFAULT,
                null, 0, overLogits, 0);
        assertEquals(r0, r1, 0, "dense CE gradient over the logits: reduced loss");
        assertBitwise("dense CE gradient over the logits", expected, overLogits);

        float[] xf = Arrays2.toFloat(x);
        float[] expectedF = new float[n];
        float[] inPlaceF = xf.clone();
        ops.softmax(rows, cols, xf, 0, expectedF, 0);
        ops.softmax(rows, cols, inPlaceF, 0, inPlaceF, 0);
        assertBitwise("softmax f32 in place", expectedF, inPlaceF);
        int[] classes = {3, 0, 49, 7};
        ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xf, 0, classes, 0, CrossEntropyOptions.DEFAULT, null, 0,
                expectedF, 0);
        inPlaceF = xf.clone();
        ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, inPlaceF, 0, classes, 0, CrossEntropyOptions.DEFAULT, null,
                0, inPlaceF, 0);
        assertBitwise("sparse CE f32 gradient over the logits", expectedF, inPlaceF);
    }

    @Test
    void threadsSharingTheInstanceGetTheSingleThreadedResults() throws Exception {
        Random rnd = new Random(15);
        int m = 40;
        int k = 30;
        int n = 20;
        double[] a = Arrays2.gaussian(rnd, m * k);
        double[] b = Arrays2.gaussian(rnd, k * n);
        double[] expectedC = new double[m * n];
        ops.matmul(m, k, n, 1, a, 0, b, 0, 0, expectedC, 0);
        float[] x = Arrays2.toFloat(Arrays2.logits(rnd, 8 * 300));
        float[] expectedY = new float[x.length];
        ops.softmax(8, 300, x, 0, expectedY, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 200; rep++) {
                        double[] c = at(1, new double[m * n], 0);
                        ops.matmul(m, k, n, 1, at(2, a, 0), 2, b, 0, 0, c, 1); // scratch copies
                        assertRegion("matmul from a pool thread", expectedC, c, 1);
                        float[] y = new float[x.length];
                        ops.softmax(8, 300, x, 0, y, 0); // per-thread float64 row
                        assertBitwise("softmax f32 from a pool thread", expectedY, y);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
