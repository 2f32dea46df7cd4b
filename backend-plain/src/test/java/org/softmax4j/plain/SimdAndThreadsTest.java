package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * The kernel selection (SIMD with {@code --add-modules jdk.incubator.vector}, scalar without; the build runs this
 * module's tests both ways and tells each run what to expect with {@code softmax4j.test.expectSimd}) and the row
 * team (softmax with and without temperature, masked softmax, log-softmax, both backward ops and the dense and sparse
 * cross-entropies give the same bits for any number of threads).
 */
class SimdAndThreadsTest {

    private static final boolean EXPECT_SIMD = Boolean.getBoolean("softmax4j.test.expectSimd");

    @Test
    void descriptionNamesTheKernelsOfThisJvm() {
        PlainSoftmaxOps ops = new PlainSoftmaxOps();
        String d = ops.description();
        assertEquals(EXPECT_SIMD, ops.usesSimd(), d);
        assertTrue(d.contains(EXPECT_SIMD ? "float32: SIMD" : "float32: scalar"), d);
        assertTrue(d.contains(EXPECT_SIMD ? "float64: SIMD" : "float64: scalar"), d);
        assertTrue(new PlainSoftmaxOps(1).description().endsWith("single-threaded"));
        assertTrue(new PlainSoftmaxOps(3).description().contains("rows over 3 threads"));
    }

    @Test
    void simdExpGivesTheBitsOfItsScalarTwin() {
        if (!EXPECT_SIMD) {
            return; // the scalar twin is SIMD-only code; without the module VectorExp cannot load
        }
        VectorExpCheck.assertLanesMatchScalar();
    }

    @Test
    void simdDoubleExpIsWithinItsUlpBoundAndGivesTheBitsOfItsScalarTwin() {
        if (!EXPECT_SIMD) {
            return; // VectorExpDouble is SIMD-only code; without the module it cannot load
        }
        VectorExpDoubleCheck.assertAccurateAndLanesMatchScalar();
    }

    @Test
    void simdArgmaxAndTopKGiveTheScalarIndices() {
        if (!EXPECT_SIMD) {
            return; // VectorFloatKernels is SIMD-only code; without the module it cannot load
        }
        VectorFloatSelectionCheck.assertIndicesMatchScalar();
    }

    @Test
    void simdCrossEntropyFromProbabilitiesIsWithinAFloatUlpOfTheScalarKernel() {
        if (!EXPECT_SIMD) {
            return; // VectorFloatKernels is SIMD-only code; without the module it cannot load
        }
        VectorCrossEntropyCheck.assertCloseToScalar();
    }

    @Test
    void rowsTheDoubleSimdKernelsLeaveToTheScalarOnesGiveTheirBits() {
        if (!EXPECT_SIMD) {
            return; // VectorDoubleKernels is SIMD-only code; without the module it cannot load
        }
        VectorDoubleKernelsCheck.assertScalarRowsGiveScalarBits();
    }

    @Test
    void simdLog1pIsFarInsideAFloatUlp() {
        if (!EXPECT_SIMD) {
            return; // VectorLog is SIMD-only code; without the module it cannot load
        }
        VectorLogCheck.assertCloseToLog1p();
        VectorLogCheck.assertCloseToLog();
        VectorLogCheck.assertFloatLogCloseToLog();
    }

    @Test
    void simdKernelsFillTheVectorApiCachesBeforeTheyRun() {
        if (!EXPECT_SIMD) {
            return; // VectorOpCaches is SIMD-only code; without the module it cannot load
        }
        VectorOpCachesCheck.assertKernelsFillTheCaches();
    }

    private static float[] logits(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-20, 20);
        }
        return x;
    }

    @Test
    void threadCountDoesNotChangeABit() throws Exception {
        int[][] shapes = {{97, 10}, {64, 1000}, {9, 4099}};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            PlainSoftmaxOps one = new PlainSoftmaxOps(1);
            PlainSoftmaxOps[] many = {new PlainSoftmaxOps(2, null, 1), new PlainSoftmaxOps(3, null, 1),
                new PlainSoftmaxOps(4, pool, 1)};
            CrossEntropyOptions mean = CrossEntropyOptions.DEFAULT;
            CrossEntropyOptions none = CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE);
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                float[] x = logits(rows * cols, rows);
                int[] classes = new SplittableRandom(cols).ints(rows, 0, cols).toArray();
                classes[1] = -100;
                float[] y1 = new float[rows * cols];
                float[] g1 = new float[rows * cols];
                float[] l1 = new float[rows];
                one.softmax(rows, cols, x, 0, y1, 0);
                float[] ls1 = new float[rows * cols];
                float[] dx1 = new float[rows * cols];
                one.logSoftmax(rows, cols, x, 0, ls1, 0);
                one.softmaxBackward(rows, cols, y1, 0, x, 0, dx1, 0);
                float[] dl1 = new float[rows * cols];
                one.logSoftmaxBackward(rows, cols, ls1, 0, x, 0, dl1, 0);
                float m1 = one.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, mean, null, 0, g1, 0);
                boolean[] mask = new boolean[rows * cols];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = (i * 7 + i / 5) % 3 != 0;
                }
                float[] t1 = new float[rows * cols];
                float[] k1 = new float[rows * cols];
                float[] dg1 = new float[rows * cols];
                float[] dl1v = new float[rows];
                one.softmax(rows, cols, 0.7f, x, 0, t1, 0);
                one.maskedSoftmax(rows, cols, x, 0, mask, 0, k1, 0);
                float dm1 = one.softmaxCrossEntropyWithLogits(rows, cols, x, 0, y1, 0, mean, dl1v, 0, dg1, 0);
                one.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, none, l1, 0, null, 0);
                double[] xd = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    xd[i] = x[i];
                }
                double[] yd1 = new double[x.length];
                one.softmax(rows, cols, xd, 0, yd1, 0);
                for (PlainSoftmaxOps ops : many) {
                    for (int repeat = 0; repeat < 3; repeat++) {
                        float[] y = new float[rows * cols];
                        float[] g = new float[rows * cols];
                        float[] l = new float[rows];
                        double[] yd = new double[x.length];
                        ops.softmax(rows, cols, x, 0, y, 0);
                        float[] ls = new float[rows * cols];
                        float[] dx = new float[rows * cols];
                        ops.logSoftmax(rows, cols, x, 0, ls, 0);
                        ops.softmaxBackward(rows, cols, y1, 0, x, 0, dx, 0);
                        float[] dl = new float[rows * cols];
                        ops.logSoftmaxBackward(rows, cols, ls1, 0, x, 0, dl, 0);
                        float m = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, mean, null, 0,
                                g, 0);
                        ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, none, l, 0, null, 0);
                        ops.softmax(rows, cols, xd, 0, yd, 0);
                        float[] t = new float[rows * cols];
                        float[] k = new float[rows * cols];
                        float[] dg = new float[rows * cols];
                        float[] dlv = new float[rows];
                        ops.softmax(rows, cols, 0.7f, x, 0, t, 0);
                        ops.maskedSoftmax(rows, cols, x, 0, mask, 0, k, 0);
                        float dm = ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, y1, 0, mean, dlv, 0, dg, 0);
                        String what = ops.description() + " " + rows + "x" + cols;
                        assertArrayEquals(t1, t, what);
                        assertArrayEquals(k1, k, what);
                        assertArrayEquals(dg1, dg, what);
                        assertArrayEquals(dl1v, dlv, what);
                        assertEquals(Float.floatToIntBits(dm1), Float.floatToIntBits(dm), what);
                        assertArrayEquals(y1, y, what);
                        assertArrayEquals(ls1, ls, what);
                        assertArrayEquals(dx1, dx, what);
                        assertArrayEquals(dl1, dl, what);
                        assertArrayEquals(g1, g, what);
                        assertArrayEquals(l1, l, what);
                        assertArrayEquals(yd1, yd, what);
                        assertEquals(Float.floatToIntBits(m1), Float.floatToIntBits(m), what);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The mask of the thread tests: about a third of the classes masked, never a row's class. */
    private static boolean[] mask(int rows, int cols, int[] classes) {
        boolean[] mask = new boolean[rows * cols];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (i * 7 + i / 5) % 3 != 0;
        }
        for (int r = 0; r < rows; r++) {
            if (classes[r] >= 0) {
                mask[r * cols + classes[r]] = true;
            }
        }
        return mask;
    }

    /** One float32 op of the thread test: writes its results (and the returned loss, if any) into {@code out}. */
    private interface FloatOp {
        void run(PlainSoftmaxOps ops, int rows, int cols, float[] x, float[] aux, int[] classes, float[][] out);
    }

    /**
     * The float32 ops on the team besides those of {@link #threadCountDoesNotChangeABit}: logsumexp, the masked ops,
     * the cross-entropy from probabilities (whose total adds the rows' losses in row order) and top-k.
     */
    @Test
    void float32ThreadCountDoesNotChangeABitOfTheMaskedAndReducedOps() throws Exception {
        CrossEntropyOptions smooth = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1);
        FloatOp[] ops = {
            (o, r, c, x, a, k, out) -> o.logSumExp(r, c, x, 0, out[1], 0),
            (o, r, c, x, a, k, out) -> o.maskedLogSoftmax(r, c, x, 0, mask(r, c, k), 0, out[0], 0),
            (o, r, c, x, a, k, out) -> o.maskedLogSumExp(r, c, x, 0, mask(r, c, k), 0, out[1], 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.sparseSoftmaxCrossEntropyWithLogits(r, c, x, 0, mask(r, c, k), 0,
                    k, 0, CrossEntropyOptions.DEFAULT, null, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.sparseSoftmaxCrossEntropyWithLogits(r, c, x, 0, mask(r, c, k), 0,
                    k, 0, smooth, out[1], 1, null, 0),
            (o, r, c, x, a, k, out) -> {
                boolean[] mask = mask(r, c, k);
                float[] labels = new float[r * c];
                o.maskedSoftmax(r, c, a, 0, mask, 0, labels, 0);
                out[1][0] = o.softmaxCrossEntropyWithLogits(r, c, x, 0, mask, 0, labels, 0, smooth, null, 0, out[0],
                        0);
            },
            (o, r, c, x, a, k, out) -> out[1][0] = o.crossEntropy(r, c, a, 0, x, 0, 1e-7, Reduction.SUM, out[1], 1),
            (o, r, c, x, a, k, out) -> {
                int[] indices = new int[r * 5];
                o.topK(r, c, 5, x, 0, out[0], 0, indices, 0);
                for (int i = 0; i < indices.length; i++) {
                    out[0][indices.length + i] = indices[i]; // exact as a float (below 2^24)
                }
            },
        };
        int[][] shapes = {{97, 10}, {64, 1000}, {9, 4099}};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            PlainSoftmaxOps one = new PlainSoftmaxOps(1);
            PlainSoftmaxOps[] many = {new PlainSoftmaxOps(2, null, 1), new PlainSoftmaxOps(3, null, 1),
                new PlainSoftmaxOps(4, pool, 1)};
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                float[] x = logits(rows * cols, rows);
                float[] aux = new float[rows * cols];
                SplittableRandom random = new SplittableRandom(cols);
                for (int i = 0; i < aux.length; i++) {
                    aux[i] = (float) random.nextDouble();
                }
                int[] classes = random.ints(rows, 0, cols).toArray();
                classes[1] = -100;
                for (int op = 0; op < ops.length; op++) {
                    float[][] expected = {new float[rows * cols], new float[rows + 1]};
                    ops[op].run(one, rows, cols, x, aux, classes, expected);
                    for (PlainSoftmaxOps p : many) {
                        float[][] actual = {new float[rows * cols], new float[rows + 1]};
                        ops[op].run(p, rows, cols, x, aux, classes, actual);
                        String what = p.description() + " " + rows + "x" + cols + " op " + op;
                        assertArrayEquals(expected[0], actual[0], what);
                        assertArrayEquals(expected[1], actual[1], what);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The float32 Jacobian's rows on the team: the bits of one thread, every row written (the output starts as NaN),
     * at offsets in both arrays.
     */
    @Test
    void float32JacobianRowsOnTheTeamGiveTheBitsOfOneThread() {
        PlainSoftmaxOps one = new PlainSoftmaxOps(1);
        PlainSoftmaxOps[] many = {new PlainSoftmaxOps(2, null, 1), new PlainSoftmaxOps(3, null, 1)};
        for (int cols : new int[] {3, 17, 1000}) {
            float[] y = new float[cols + 2];
            one.softmax(1, cols, logits(cols, cols), 0, y, 2);
            float[] expected = new float[cols * cols + 5];
            one.jacobian(cols, y, 2, expected, 5);
            for (PlainSoftmaxOps p : many) {
                float[] actual = new float[cols * cols + 5];
                java.util.Arrays.fill(actual, 5, actual.length, Float.NaN);
                p.jacobian(cols, y, 2, actual, 5);
                assertArrayEquals(expected, actual, p.description() + " " + cols + " classes");
            }
        }
    }

    /** One float64 op of the thread test: writes its results (and the returned loss, if any) into {@code out}. */
    private interface DoubleOp {
        void run(PlainSoftmaxOps ops, int rows, int cols, double[] x, double[] aux, int[] classes, double[][] out);
    }

    @Test
    void float64ThreadCountDoesNotChangeABit() throws Exception {
        CrossEntropyOptions smooth = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1);
        DoubleOp[] ops = {
            (o, r, c, x, a, k, out) -> o.softmax(r, c, x, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> o.logSoftmax(r, c, x, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> o.logSumExp(r, c, x, 0, out[1], 0),
            (o, r, c, x, a, k, out) -> o.softmaxBackward(r, c, a, 0, x, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> o.logSoftmaxBackward(r, c, x, 0, a, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.sparseSoftmaxCrossEntropyWithLogits(r, c, x, 0, k, 0,
                    CrossEntropyOptions.DEFAULT, null, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.sparseSoftmaxCrossEntropyWithLogits(r, c, x, 0, k, 0, smooth,
                    out[1], 1, null, 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.softmaxCrossEntropyWithLogits(r, c, x, 0, a, 0, smooth, null, 0,
                    out[0], 0),
            (o, r, c, x, a, k, out) -> o.maskedSoftmax(r, c, x, 0, mask(r, c, k), 0, out[0], 0),
            (o, r, c, x, a, k, out) -> o.maskedLogSoftmax(r, c, x, 0, mask(r, c, k), 0, out[0], 0),
            (o, r, c, x, a, k, out) -> o.maskedLogSumExp(r, c, x, 0, mask(r, c, k), 0, out[1], 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.sparseSoftmaxCrossEntropyWithLogits(r, c, x, 0, mask(r, c, k), 0,
                    k, 0, CrossEntropyOptions.DEFAULT, null, 0, out[0], 0),
            (o, r, c, x, a, k, out) -> out[1][0] = o.sparseSoftmaxCrossEntropyWithLogits(r, c, x, 0, mask(r, c, k), 0,
                    k, 0, smooth, out[1], 1, null, 0),
            (o, r, c, x, a, k, out) -> {
                boolean[] mask = mask(r, c, k);
                double[] labels = new double[r * c];
                o.maskedSoftmax(r, c, a, 0, mask, 0, labels, 0);
                out[1][0] = o.softmaxCrossEntropyWithLogits(r, c, x, 0, mask, 0, labels, 0, smooth, null, 0, out[0],
                        0);
            },
        };
        int[][] shapes = {{97, 10}, {64, 1000}, {9, 4099}};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            PlainSoftmaxOps one = new PlainSoftmaxOps(1);
            PlainSoftmaxOps[] many = {new PlainSoftmaxOps(2, null, 1), new PlainSoftmaxOps(3, null, 1),
                new PlainSoftmaxOps(4, pool, 1)};
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                double[] x = new double[rows * cols];
                double[] aux = new double[rows * cols];
                SplittableRandom random = new SplittableRandom(rows);
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextDouble(-20, 0);
                    aux[i] = random.nextDouble();
                }
                int[] classes = random.ints(rows, 0, cols).toArray();
                classes[1] = -100;
                for (int op = 0; op < ops.length; op++) {
                    double[][] expected = {new double[rows * cols], new double[rows + 1]};
                    ops[op].run(one, rows, cols, x, aux, classes, expected);
                    for (PlainSoftmaxOps p : many) {
                        double[][] actual = {new double[rows * cols], new double[rows + 1]};
                        ops[op].run(p, rows, cols, x, aux, classes, actual);
                        String what = p.description() + " " + rows + "x" + cols + " op " + op;
                        assertArrayEquals(expected[0], actual[0], what);
                        assertArrayEquals(expected[1], actual[1], what);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
