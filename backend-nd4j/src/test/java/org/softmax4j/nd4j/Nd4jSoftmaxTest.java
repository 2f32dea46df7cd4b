package org.softmax4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;

/**
 * The INDArray entry point gives bit for bit what the array path (the SPI, which the conformance kit checks) gives:
 * both run the same native compositions, so any difference would be a copy or layout bug. Also in place, on views
 * and with bad arguments.
 */
class Nd4jSoftmaxTest {

    private static final SoftmaxOps OPS = new Nd4jSoftmaxOps();
    private static final int ROWS = 6;
    private static final int COLS = 9;

    enum Type { FLOAT, DOUBLE }

    private static double[] random(long seed, int n, double scale) {
        Random r = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * scale;
        }
        return a;
    }

    private static INDArray array(double[] a, int rows, int cols, Type t) {
        INDArray x = Nd4j.create(a, new long[] {rows, cols}, DataType.DOUBLE);
        return t == Type.DOUBLE ? x : x.castTo(DataType.FLOAT);
    }

    /** The SPI result for the same inputs, as doubles (float32 inputs rounded exactly as the INDArray holds them). */
    private interface Spi64 {
        void run(double[] out);
    }

    private interface Spi32 {
        void run(float[] out);
    }

    private static void same(String what, Type t, INDArray actual, int n, Spi64 d, Spi32 f) {
        if (t == Type.DOUBLE) {
            double[] expected = new double[n];
            d.run(expected);
            assertArrayEquals(expected, actual.dup('c').data().asDouble(), 0.0, what + " DOUBLE");
        } else {
            float[] expected = new float[n];
            f.run(expected);
            assertArrayEquals(expected, actual.dup('c').data().asFloat(), 0.0f, what + " FLOAT");
        }
    }

    private static float[] f(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void everyOpMatchesTheArrayPath(Type t) {
        int n = ROWS * COLS;
        double[] x = random(1, n, 4);
        double[] x32 = t == Type.FLOAT ? toDouble(f(x)) : x;
        INDArray xa = array(x, ROWS, COLS, t);

        same("softmax", t, Nd4jSoftmax.softmax(xa), n, o -> OPS.softmax(ROWS, COLS, x32, 0, o, 0),
                o -> OPS.softmax(ROWS, COLS, f(x), 0, o, 0));
        INDArray out = xa.ulike();
        Nd4jSoftmax.softmax(xa, 0.7, out);
        same("softmax T", t, out, n, o -> OPS.softmax(ROWS, COLS, 0.7, x32, 0, o, 0),
                o -> OPS.softmax(ROWS, COLS, 0.7f, f(x), 0, o, 0));
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = i % 3 != 0 && i / COLS != 2;
        }
        Nd4jSoftmax.maskedSoftmax(xa, Nd4j.createFromArray(mask).reshape(ROWS, COLS), out);
        same("maskedSoftmax", t, out, n, o -> OPS.maskedSoftmax(ROWS, COLS, x32, 0, mask, 0, o, 0),
                o -> OPS.maskedSoftmax(ROWS, COLS, f(x), 0, mask, 0, o, 0));
        Nd4jSoftmax.logSoftmax(xa, out);
        same("logSoftmax", t, out, n, o -> OPS.logSoftmax(ROWS, COLS, x32, 0, o, 0),
                o -> OPS.logSoftmax(ROWS, COLS, f(x), 0, o, 0));
        INDArray lse = Nd4j.create(xa.dataType(), ROWS);
        Nd4jSoftmax.logSumExp(xa, lse);
        same("logSumExp", t, lse, ROWS, o -> OPS.logSumExp(ROWS, COLS, x32, 0, o, 0),
                o -> OPS.logSumExp(ROWS, COLS, f(x), 0, o, 0));

        double[] dy = random(2, n, 1);
        double[] dy32 = t == Type.FLOAT ? toDouble(f(dy)) : dy;
        INDArray dya = array(dy, ROWS, COLS, t);
        Nd4jSoftmax.softmaxBackward(xa, dya, out);
        same("softmaxBackward", t, out, n, o -> OPS.softmaxBackward(ROWS, COLS, x32, 0, dy32, 0, o, 0),
                o -> OPS.softmaxBackward(ROWS, COLS, f(x), 0, f(dy), 0, o, 0));
        Nd4jSoftmax.logSoftmaxBackward(xa, dya, out);
        same("logSoftmaxBackward", t, out, n, o -> OPS.logSoftmaxBackward(ROWS, COLS, x32, 0, dy32, 0, o, 0),
                o -> OPS.logSoftmaxBackward(ROWS, COLS, f(x), 0, f(dy), 0, o, 0));
        INDArray jac = Nd4j.create(xa.dataType(), COLS, COLS);
        Nd4jSoftmax.jacobian(xa.getRow(1), jac);
        same("jacobian", t, jac, COLS * COLS, o -> OPS.jacobian(COLS, x32, COLS, o, 0),
                o -> OPS.jacobian(COLS, f(x), COLS, o, 0));

        double[] p = OPS.softmax(ROWS, COLS, random(3, n, 1));
        double[] p32 = t == Type.FLOAT ? toDouble(f(p)) : p;
        INDArray pa = array(p, ROWS, COLS, t);
        INDArray loss = Nd4j.create(xa.dataType(), ROWS);
        Nd4jSoftmax.crossEntropy(pa, pa, 1e-7, loss);
        same("crossEntropy", t, loss, ROWS, o -> OPS.crossEntropy(ROWS, COLS, p32, 0, p32, 0, 1e-7, o, 0),
                o -> OPS.crossEntropy(ROWS, COLS, f(p), 0, f(p), 0, 1e-7, o, 0));

        double[] w = random(4, COLS, 0.1);
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + Math.abs(w[i]);
        }
        CrossEntropyOptions o2 = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1).withClassWeights(w)
                .withReduction(Reduction.MEAN).withIgnoreIndex(3);
        INDArray grad = xa.ulike();
        double v = Nd4jSoftmax.softmaxCrossEntropyWithLogits(xa, pa, o2, loss, grad);
        double[] g64 = new double[n];
        float[] g32 = new float[n];
        double vArr = t == Type.DOUBLE
                ? OPS.softmaxCrossEntropyWithLogits(ROWS, COLS, x32, 0, p32, 0, o2, null, 0, g64, 0)
                : OPS.softmaxCrossEntropyWithLogits(ROWS, COLS, f(x), 0, f(p), 0, o2, null, 0, g32, 0);
        assertEquals(vArr, v, 0.0, "dense value");
        same("dense gradient", t, grad, n, o -> System.arraycopy(g64, 0, o, 0, n), o -> System.arraycopy(g32, 0, o, 0, n));

        int[] classes = {0, 3, 8, 3, 5, 1};
        v = Nd4jSoftmax.sparseSoftmaxCrossEntropyWithLogits(xa, Nd4j.createFromArray(classes), o2, loss, grad);
        vArr = t == Type.DOUBLE
                ? OPS.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, x32, 0, classes, 0, o2, null, 0, g64, 0)
                : OPS.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, f(x), 0, classes, 0, o2, null, 0, g32, 0);
        assertEquals(vArr, v, 0.0, "sparse value");
        same("sparse gradient", t, grad, n, o -> System.arraycopy(g64, 0, o, 0, n),
                o -> System.arraycopy(g32, 0, o, 0, n));

        INDArray idx = Nd4j.create(DataType.INT32, ROWS);
        Nd4jSoftmax.argmax(xa, idx);
        int[] am = new int[ROWS];
        if (t == Type.DOUBLE) {
            OPS.argmax(ROWS, COLS, x32, 0, am, 0);
        } else {
            OPS.argmax(ROWS, COLS, f(x), 0, am, 0);
        }
        assertArrayEquals(am, idx.toIntVector(), "argmax");
        INDArray top = Nd4j.create(DataType.INT64, ROWS, 3);
        INDArray topValues = Nd4j.create(xa.dataType(), ROWS, 3);
        Nd4jSoftmax.topK(xa, 3, topValues, top);
        int[] ti = new int[ROWS * 3];
        if (t == Type.DOUBLE) {
            OPS.topK(ROWS, COLS, 3, x32, 0, null, 0, ti, 0);
        } else {
            OPS.topK(ROWS, COLS, 3, f(x), 0, null, 0, ti, 0);
        }
        assertArrayEquals(ti, top.reshape(ROWS * 3).toIntVector(), "topK");

        double[] b = random(5, COLS * 4, 1);
        INDArray c = Nd4j.create(xa.dataType(), ROWS, 4);
        Nd4jSoftmax.matmul(1.0, xa, array(b, COLS, 4, t), 0.0, c);
        double[] b32 = t == Type.FLOAT ? toDouble(f(b)) : b;
        same("matmul", t, c, ROWS * 4, o -> OPS.matmul(ROWS, COLS, 4, 1.0, x32, 0, b32, 0, 0.0, o, 0),
                o -> OPS.matmul(ROWS, COLS, 4, 1f, f(x), 0, f(b), 0, 0f, o, 0));
    }

    private static double[] toDouble(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    /**
     * A call of at least {@link Kernels#FEW_ROWS} rows goes to libnd4j's softmax whole (after the shift only where an
     * entry lies below {@link Kernels#SHIFT_BELOW}); each of its rows must come out as that row alone does (a call of
     * one row, which takes the row sums in Java). Rows below -745, of infinities and of NaN sit among ordinary ones.
     */
    @ParameterizedTest
    @EnumSource(Type.class)
    void manyRowsAgreeWithEachRowAlone(Type t) {
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        double[][] special = {
            {-800, -801, -802.5, -900}, {-1e6, -1e6, -1e6 - 1, -1e6}, {-inf, -inf, -inf, -inf}, {-inf, 0, -inf, 1},
            {inf, 0, 1, 2}, {inf, inf, 0, -inf}, {nan, 0, 1, 2}, {nan, nan, nan, nan}, {3, 1, 4, 1},
        };
        int cols = 4;
        int rows = Kernels.FEW_ROWS + 3;
        for (int call = 0; call <= special.length; call++) {
            // one special row per call, so that each takes the path its own values choose; the last call has none
            double[] x = random(7 + call, rows * cols, 3);
            if (call < special.length) {
                System.arraycopy(special[call], 0, x, (5 + call) * cols, cols);
            }
            INDArray all = Nd4jSoftmax.softmax(array(x, rows, cols, t)).castTo(DataType.DOUBLE);
            for (int r = 0; r < rows; r++) {
                double[] row = java.util.Arrays.copyOfRange(x, r * cols, (r + 1) * cols);
                double[] alone = Nd4jSoftmax.softmax(array(row, 1, cols, t)).castTo(DataType.DOUBLE).data().asDouble();
                double[] got = all.getRow(r).dup().data().asDouble();
                for (int c = 0; c < cols; c++) {
                    String what = t + " row " + r + " " + java.util.Arrays.toString(row) + " column " + c;
                    if (Double.isNaN(alone[c]) || Double.isNaN(got[c])) {
                        assertEquals(alone[c], got[c], what); // both NaN
                    } else {
                        assertEquals(alone[c], got[c], 1e-14 + 4 * Math.ulp(alone[c]) * (t == Type.FLOAT ? 1 << 29 : 1),
                                what);
                    }
                }
            }
        }
    }

    @Test
    void inPlaceAndOnViews() {
        double[] x = random(7, ROWS * COLS, 3);
        double[] expected = OPS.softmax(ROWS, COLS, x);
        INDArray xa = Nd4j.create(x, new long[] {ROWS, COLS}, DataType.DOUBLE);
        Nd4jSoftmax.softmax(xa, xa);
        assertArrayEquals(expected, xa.data().asDouble(), 0.0, "in place");

        // a view: columns 2..COLS+1 of a wider matrix, f-ordered
        INDArray wide = Nd4j.create(DataType.DOUBLE, new long[] {ROWS, COLS + 3}, 'f');
        INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(2, COLS + 2));
        view.assign(Nd4j.create(x, new long[] {ROWS, COLS}, DataType.DOUBLE));
        INDArray out = Nd4j.create(DataType.DOUBLE, ROWS, COLS);
        Nd4jSoftmax.softmax(view, out);
        assertArrayEquals(expected, out.data().asDouble(), 0.0, "view input");
        assertTrue(wide.getColumn(0).sumNumber().doubleValue() == 0, "the rest of the wider matrix untouched");
    }

    @Test
    void badArgumentsNameTheArgument() {
        INDArray x = Nd4j.create(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jSoftmax.softmax(x, Nd4j.create(DataType.DOUBLE, 3, 2)));
        assertTrue(e.getMessage().startsWith("out: expected DOUBLE [2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jSoftmax.softmax(Nd4j.create(DataType.INT32, 2, 3)));
        assertTrue(e.getMessage().contains("x: expected dtype FLOAT or DOUBLE, actual INT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jSoftmax.logSoftmax(Nd4j.create(DataType.DOUBLE, 2, 3, 4), Nd4j.create(DataType.DOUBLE, 2, 3, 4)));
        assertTrue(e.getMessage().startsWith("x: expected a rank 2 array"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nd4jSoftmax.sparseSoftmaxCrossEntropyWithLogits(x,
                Nd4j.createFromArray(0, 3), CrossEntropyOptions.DEFAULT, null, null));
        assertTrue(e.getMessage().startsWith("classes[1] (row 1): expected a class in [0, 3)"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Nd4jSoftmax.softmax(null));
    }
}
