package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.softmax4j.CrossEntropyOptions;

/**
 * The rows {@link VectorDoubleKernels} hands to the exact scalar kernels give the scalar kernels' bits, each row on
 * its own (its neighbours, computed in lanes, do not change it). In a class of its own so that only the SIMD test
 * run loads the Vector API. The accuracy of the rows computed in lanes is the conformance kit's to check.
 */
final class VectorDoubleKernelsCheck {

    private static final int COLS = 37;

    private VectorDoubleKernelsCheck() {
    }

    /** A batch of three rows: an ordinary one, the given one, another ordinary one. */
    private static double[] batch(double[] special, SplittableRandom random) {
        double[] x = new double[3 * COLS];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-5, 0);
        }
        System.arraycopy(special, 0, x, COLS, COLS);
        return x;
    }

    private static double[] row(SplittableRandom random, double fill, int at, double value) {
        double[] r = new double[COLS];
        for (int c = 0; c < COLS; c++) {
            r[c] = fill == 0 ? random.nextDouble(-5, 0) : fill;
        }
        r[at] = value;
        return r;
    }

    private static void assertMiddleRowBits(double[] expected, double[] actual, String what) {
        assertArrayEquals(Arrays.copyOfRange(expected, COLS, 2 * COLS), Arrays.copyOfRange(actual, COLS, 2 * COLS),
                what);
    }

    static void assertScalarRowsGiveScalarBits() {
        VectorDoubleKernels simd = new VectorDoubleKernels();
        DoubleKernels scalar = DoubleKernels.SCALAR;
        SplittableRandom random = new SplittableRandom(5);
        double[][] logits = {
            row(random, 0, 3, Double.NaN),
            row(random, 0, 30, Double.POSITIVE_INFINITY),
            row(random, Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY),
        };
        for (double[] special : logits) {
            double[] x = batch(special, random);
            String what = Arrays.toString(special);
            double[] a = new double[x.length];
            double[] b = new double[x.length];
            simd.softmax(3, COLS, x, 0, a, 0);
            scalar.softmax(3, COLS, x, 0, b, 0);
            assertMiddleRowBits(b, a, "softmax " + what);
            simd.logSoftmax(3, COLS, x, 0, a, 0);
            scalar.logSoftmax(3, COLS, x, 0, b, 0);
            assertMiddleRowBits(b, a, "logSoftmax " + what);
            double[] la = new double[3];
            double[] lb = new double[3];
            simd.logSumExp(3, COLS, x, 0, la, 0);
            scalar.logSumExp(3, COLS, x, 0, lb, 0);
            assertEquals(lb[1], la[1], "logSumExp " + what);
            int[] classes = {1, 2, 3};
            CrossEntropyOptions smooth = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.2);
            simd.sparse(3, COLS, x, 0, classes, 0, smooth, 0.5, la, 0, a, 0);
            scalar.sparse(3, COLS, x, 0, classes, 0, smooth, 0.5, lb, 0, b, 0);
            assertMiddleRowBits(b, a, "sparse gradient " + what);
            assertEquals(lb[1], la[1], "sparse loss " + what);
            double[] labels = batch(row(random, 0.01, 2, 0.5), random);
            simd.dense(3, COLS, x, 0, labels, 0, smooth, 0.5, la, 0, a, 0);
            scalar.dense(3, COLS, x, 0, labels, 0, smooth, 0.5, lb, 0, b, 0);
            assertMiddleRowBits(b, a, "dense gradient " + what);
            assertEquals(lb[1], la[1], "dense loss " + what);
        }
        // smoothing with a -inf logit (infinite loss), a positive label on a -inf logit, a tiny gradient scale
        double[] x = batch(row(random, 0, 5, Double.NEGATIVE_INFINITY), random);
        double[] labels = batch(row(random, 0.01, 5, 0.5), random);
        double[] a = new double[x.length];
        double[] b = new double[x.length];
        double[] la = new double[3];
        double[] lb = new double[3];
        int[] classes = {1, 2, 3};
        CrossEntropyOptions smooth = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.2);
        simd.sparse(3, COLS, x, 0, classes, 0, smooth, 0.5, la, 0, a, 0);
        scalar.sparse(3, COLS, x, 0, classes, 0, smooth, 0.5, lb, 0, b, 0);
        assertMiddleRowBits(b, a, "sparse gradient, smoothing and -inf");
        assertEquals(lb[1], la[1], "sparse loss, smoothing and -inf");
        simd.dense(3, COLS, x, 0, labels, 0, CrossEntropyOptions.DEFAULT, 0.5, la, 0, a, 0);
        scalar.dense(3, COLS, x, 0, labels, 0, CrossEntropyOptions.DEFAULT, 0.5, lb, 0, b, 0);
        assertMiddleRowBits(b, a, "dense gradient, label on -inf");
        assertEquals(lb[1], la[1], "dense loss, label on -inf");
        simd.sparse(3, COLS, x, 0, classes, 0, CrossEntropyOptions.DEFAULT, 0x1p-1000, la, 0, a, 0);
        scalar.sparse(3, COLS, x, 0, classes, 0, CrossEntropyOptions.DEFAULT, 0x1p-1000, lb, 0, b, 0);
        assertMiddleRowBits(b, a, "sparse gradient, tiny scale");
        // backward: dy all below 2^-600 (rescaled), a NaN; logp below -746, above 0, NaN, a tiny sum of dlogp
        double[] y = batch(row(random, 1.0 / COLS, 0, 1.0 / COLS), random);
        double[][] dys = {row(random, 0x1p-700, 1, 0x1p-650), row(random, 0, 4, Double.NaN)};
        for (double[] dyRow : dys) {
            double[] dy = batch(dyRow, random);
            simd.softmaxBackward(3, COLS, y, 0, dy, 0, a, 0);
            scalar.softmaxBackward(3, COLS, y, 0, dy, 0, b, 0);
            assertMiddleRowBits(b, a, "softmaxBackward " + Arrays.toString(dyRow));
        }
        double[][] logps = {row(random, 0, 2, -800), row(random, 0, 2, 0.5), row(random, 0, 2, Double.NaN)};
        double[] dlogp = batch(row(random, 0, 0, 1), random);
        for (double[] logpRow : logps) {
            double[] logp = batch(logpRow, random);
            simd.logSoftmaxBackward(3, COLS, logp, 0, dlogp, 0, a, 0);
            scalar.logSoftmaxBackward(3, COLS, logp, 0, dlogp, 0, b, 0);
            assertMiddleRowBits(b, a, "logSoftmaxBackward " + Arrays.toString(logpRow));
        }
        double[] tinySum = batch(row(random, 0, 0, 0), random);
        for (int c = 0; c < COLS; c++) {
            tinySum[COLS + c] = c % 2 == 0 ? 0x1p-1000 : 0;
        }
        double[] logp = batch(row(random, 0, 0, -1), random);
        simd.logSoftmaxBackward(3, COLS, logp, 0, tinySum, 0, a, 0);
        scalar.logSoftmaxBackward(3, COLS, logp, 0, tinySum, 0, b, 0);
        assertMiddleRowBits(b, a, "logSoftmaxBackward, tiny sum");
    }
}
