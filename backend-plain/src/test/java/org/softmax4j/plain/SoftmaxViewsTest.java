package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.softmax4j.BooleanMatrix;
import org.softmax4j.ClassLabels;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.IntMatrix;
import org.softmax4j.SoftmaxOps;

/**
 * The view overloads of {@link SoftmaxOps} give bitwise what the array form gives for the same regions (views at
 * offsets, row ranges of a larger array), and reject operands whose shapes do not fit with messages naming both.
 */
class SoftmaxViewsTest {

    private static final int ROWS = 5;
    private static final int COLS = 7;
    private static final int OFFSET = 3;

    private final SoftmaxOps ops = new PlainSoftmaxOps();
    private final Random random = new Random(13);

    /** A view of rows [1, 1 + ROWS) of a (ROWS + 2) x cols block at OFFSET in a longer array of random values. */
    private FloatMatrix floats(int cols) {
        float[] a = new float[OFFSET + (ROWS + 2) * cols + 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextGaussian() * 3);
        }
        return FloatMatrix.of(ROWS + 2, cols, a, OFFSET).rows(1, 1 + ROWS);
    }

    private DoubleMatrix doubles(int rows, int cols) {
        double[] a = new double[OFFSET + (rows + 2) * cols + 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian() * 3;
        }
        return DoubleMatrix.of(rows + 2, cols, a, OFFSET).rows(1, 1 + rows);
    }

    private static float[] copy(FloatMatrix m) {
        return m.array().clone();
    }

    @Test
    void elementwiseOpsOnViewsEqualTheArrayForm() {
        FloatMatrix x = floats(COLS);
        FloatMatrix y = floats(COLS);
        float[] expected = copy(y);
        ops.softmax(ROWS, COLS, x.array(), x.offset(), expected, y.offset());
        ops.softmax(x, y);
        assertArrayEquals(expected, y.array(), "softmax");

        ops.softmax(ROWS, COLS, 0.5f, x.array(), x.offset(), expected, y.offset());
        ops.softmax(x, 0.5f, y);
        assertArrayEquals(expected, y.array(), "softmax with temperature");

        ops.logSoftmax(ROWS, COLS, x.array(), x.offset(), expected, y.offset());
        ops.logSoftmax(x, y);
        assertArrayEquals(expected, y.array(), "logSoftmax");

        boolean[] m = new boolean[ROWS * COLS];
        for (int i = 0; i < m.length; i++) {
            m[i] = i % 3 != 0;
        }
        BooleanMatrix mask = BooleanMatrix.of(ROWS, COLS, m);
        ops.maskedSoftmax(ROWS, COLS, x.array(), x.offset(), m, 0, expected, y.offset());
        ops.maskedSoftmax(x, mask, y);
        assertArrayEquals(expected, y.array(), "maskedSoftmax");

        FloatMatrix dy = floats(COLS);
        FloatMatrix dx = floats(COLS);
        float[] expectedDx = copy(dx);
        ops.softmaxBackward(ROWS, COLS, y.array(), y.offset(), dy.array(), dy.offset(), expectedDx, dx.offset());
        ops.softmaxBackward(y, dy, dx);
        assertArrayEquals(expectedDx, dx.array(), "softmaxBackward");
        ops.logSoftmaxBackward(ROWS, COLS, y.array(), y.offset(), dy.array(), dy.offset(), expectedDx, dx.offset());
        ops.logSoftmaxBackward(y, dy, dx);
        assertArrayEquals(expectedDx, dx.array(), "logSoftmaxBackward");

        FloatMatrix lse = floats(1);
        float[] expectedLse = copy(lse);
        ops.logSumExp(ROWS, COLS, x.array(), x.offset(), expectedLse, lse.offset());
        ops.logSumExp(x, lse);
        assertArrayEquals(expectedLse, lse.array(), "logSumExp");
    }

    @Test
    void lossesOnViewsEqualTheArrayForm() {
        DoubleMatrix z = doubles(ROWS, COLS);
        int[] targets = {9, 9, 0, 6, 2, 3, 1, 9};
        ClassLabels y = ClassLabels.of(8, targets).rows(2, 2 + ROWS);
        CrossEntropyOptions options = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1);
        DoubleMatrix dz = doubles(ROWS, COLS);
        DoubleMatrix loss = doubles(ROWS, 1);
        double[] expectedDz = dz.array().clone();
        double[] expectedLoss = loss.array().clone();
        double expected = ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, z.array(), z.offset(), targets, 2,
                options, expectedLoss, loss.offset(), expectedDz, dz.offset());
        assertEquals(expected, ops.sparseSoftmaxCrossEntropyWithLogits(z, y, options, loss, dz));
        assertArrayEquals(expectedDz, dz.array(), "sparse gradient");
        assertArrayEquals(expectedLoss, loss.array(), "sparse per-row losses");
        assertEquals(expected, ops.sparseSoftmaxCrossEntropyWithLogits(z, y, options, null));

        DoubleMatrix labels = doubles(ROWS, COLS);
        expected = ops.softmaxCrossEntropyWithLogits(ROWS, COLS, z.array(), z.offset(), labels.array(),
                labels.offset(), null, expectedLoss, loss.offset(), expectedDz, dz.offset());
        assertEquals(expected, ops.softmaxCrossEntropyWithLogits(z, labels, null, loss, dz));
        assertArrayEquals(expectedDz, dz.array(), "dense gradient");
        assertArrayEquals(expectedLoss, loss.array(), "dense per-row losses");
        assertEquals(expected, ops.softmaxCrossEntropyWithLogits(z, labels, CrossEntropyOptions.DEFAULT, dz));

        DoubleMatrix p = doubles(ROWS, COLS);
        ops.softmax(p, p);
        ops.crossEntropy(ROWS, COLS, p.array(), p.offset(), labels.array(), labels.offset(), 1e-7, expectedLoss,
                loss.offset());
        ops.crossEntropy(p, labels, 1e-7, loss);
        assertArrayEquals(expectedLoss, loss.array(), "crossEntropy");

        ClassLabels best = ClassLabels.zeros(ROWS + 1).rows(1, 1 + ROWS);
        int[] expectedBest = new int[ROWS + 1];
        ops.argmax(ROWS, COLS, z.array(), z.offset(), expectedBest, 1);
        ops.argmax(z, best);
        assertArrayEquals(expectedBest, best.array(), "argmax");

        // top-3 of each row into views at offsets: values and indices as the array form writes them
        int k = 3;
        DoubleMatrix values = doubles(ROWS, k);
        IntMatrix indices = IntMatrix.of(ROWS + 1, k, new int[2 + (ROWS + 1) * k], 2).rows(1, 1 + ROWS);
        double[] expectedValues = values.array().clone();
        int[] expectedIndices = indices.array().clone();
        ops.topK(ROWS, COLS, k, z.array(), z.offset(), expectedValues, values.offset(), expectedIndices,
                indices.offset());
        ops.topK(z, k, values, indices);
        assertArrayEquals(expectedValues, values.array(), "topK values");
        assertArrayEquals(expectedIndices, indices.array(), "topK indices");
        FloatMatrix zf = floats(COLS);
        IntMatrix onlyIndices = IntMatrix.zeros(ROWS, k);
        int[] expectedOnly = new int[ROWS * k];
        ops.topK(ROWS, COLS, k, zf.array(), zf.offset(), null, 0, expectedOnly, 0);
        ops.topK(zf, k, null, onlyIndices);
        assertArrayEquals(expectedOnly, onlyIndices.array(), "topK indices alone, float32");

        DoubleMatrix row = p.row(2);
        DoubleMatrix jacobian = doubles(COLS, COLS);
        double[] expectedJacobian = jacobian.array().clone();
        ops.jacobian(COLS, row.array(), row.offset(), expectedJacobian, jacobian.offset());
        ops.jacobian(row, jacobian);
        assertArrayEquals(expectedJacobian, jacobian.array(), "jacobian");
    }

    @Test
    void productsOnViewsEqualTheArrayForm() {
        DoubleMatrix a = doubles(ROWS, 4);
        DoubleMatrix b = doubles(4, 6);
        DoubleMatrix c = doubles(ROWS, 6);
        double[] expected = c.array().clone();
        ops.matmul(ROWS, 4, 6, 1, a.array(), a.offset(), b.array(), b.offset(), 0, expected, c.offset());
        ops.matmul(a, b, c);
        assertArrayEquals(expected, c.array(), "matmul");
        ops.matmul(ROWS, 4, 6, 0.5, a.array(), a.offset(), b.array(), b.offset(), 2, expected, c.offset());
        ops.matmul(0.5, a, b, 2, c);
        assertArrayEquals(expected, c.array(), "matmul with alpha and beta");

        DoubleMatrix g = doubles(ROWS, 6);
        DoubleMatrix w = doubles(4, 6);
        double[] expectedW = w.array().clone();
        ops.matmulTransA(4, ROWS, 6, 1, a.array(), a.offset(), g.array(), g.offset(), 0, expectedW, w.offset());
        ops.matmulTransA(a, g, w);
        assertArrayEquals(expectedW, w.array(), "matmulTransA");
        ops.matmulTransA(4, ROWS, 6, -0.1, a.array(), a.offset(), g.array(), g.offset(), 1, expectedW, w.offset());
        ops.matmulTransA(-0.1, a, g, 1, w);
        assertArrayEquals(expectedW, w.array(), "matmulTransA with alpha and beta");

        DoubleMatrix dh = doubles(ROWS, 4);
        double[] expectedDh = dh.array().clone();
        ops.matmulTransB(ROWS, 6, 4, 1, g.array(), g.offset(), w.array(), w.offset(), 0, expectedDh, dh.offset());
        ops.matmulTransB(g, w, dh);
        assertArrayEquals(expectedDh, dh.array(), "matmulTransB");
        ops.matmulTransB(ROWS, 6, 4, 0.5, g.array(), g.offset(), w.array(), w.offset(), -1, expectedDh, dh.offset());
        ops.matmulTransB(0.5, g, w, -1, dh);
        assertArrayEquals(expectedDh, dh.array(), "matmulTransB with alpha and beta");
    }

    @Test
    void maskedOpsOnViewsEqualTheArrayForm() {
        FloatMatrix x = floats(COLS);
        FloatMatrix y = floats(COLS);
        boolean[] m = new boolean[ROWS * COLS];
        for (int i = 0; i < m.length; i++) {
            m[i] = i % 3 != 1;
        }
        BooleanMatrix legal = BooleanMatrix.of(ROWS, COLS, m);
        float[] expected = copy(y);
        ops.maskedLogSoftmax(ROWS, COLS, x.array(), x.offset(), m, 0, expected, y.offset());
        ops.maskedLogSoftmax(x, legal, y);
        assertArrayEquals(expected, y.array(), "maskedLogSoftmax");

        FloatMatrix lse = floats(1);
        float[] expectedLse = copy(lse);
        ops.maskedLogSumExp(ROWS, COLS, x.array(), x.offset(), m, 0, expectedLse, lse.offset());
        ops.maskedLogSumExp(x, legal, lse);
        assertArrayEquals(expectedLse, lse.array(), "maskedLogSumExp");

        int[] targets = {0, 2, 3, 5, 5};   // unmasked: (row * 7 + target) % 3 != 1
        ClassLabels classes = ClassLabels.of(ROWS, targets);
        FloatMatrix dz = floats(COLS);
        FloatMatrix loss = floats(1);
        float[] expectedDz = copy(dz);
        float[] expectedLoss = copy(loss);
        float value = ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, x.array(), x.offset(), m, 0, targets, 0,
                null, expectedLoss, loss.offset(), expectedDz, dz.offset());
        assertEquals(value, ops.sparseSoftmaxCrossEntropyWithLogits(x, legal, classes, null, loss, dz));
        assertArrayEquals(expectedDz, dz.array(), "masked sparse gradient");
        assertArrayEquals(expectedLoss, loss.array(), "masked sparse losses");

        FloatMatrix labels = FloatMatrix.zeros(ROWS, COLS);
        for (int r = 0; r < ROWS; r++) {
            labels.set(r, targets[r], 1f);
        }
        value = ops.softmaxCrossEntropyWithLogits(ROWS, COLS, x.array(), x.offset(), m, 0, labels.array(), 0,
                null, expectedLoss, loss.offset(), expectedDz, dz.offset());
        assertEquals(value, ops.softmaxCrossEntropyWithLogits(x, legal, labels, null, loss, dz));
        assertArrayEquals(expectedDz, dz.array(), "masked dense gradient");
        assertArrayEquals(expectedLoss, loss.array(), "masked dense losses");
        assertMessage("maskedLogSoftmax: x is 5x7, mask is 5x6: expected the same shape",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.maskedLogSoftmax(x, BooleanMatrix.of(ROWS, 6, m), y)));
    }

    private static void assertMessage(String expected, Throwable e) {
        assertEquals(expected, e.getMessage());
    }

    @Test
    void mismatchedShapesAreNamedTogether() {
        FloatMatrix a = FloatMatrix.zeros(3, 4);
        FloatMatrix b = FloatMatrix.zeros(5, 6);
        FloatMatrix c = FloatMatrix.zeros(3, 6);
        assertMessage("matmul: a is 3x4, b is 5x6: inner sizes differ (cols of a 4, rows of b 5)",
                assertThrows(IllegalArgumentException.class, () -> ops.matmul(a, b, c)));
        assertMessage("matmul: a is 3x4, b is 4x6, c is 3x5: expected c 3x6",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.matmul(a, FloatMatrix.zeros(4, 6), FloatMatrix.zeros(3, 5))));
        assertMessage("matmulTransA: a is 3x4, b is 5x6: inner sizes differ (rows of a 3, rows of b 5)",
                assertThrows(IllegalArgumentException.class, () -> ops.matmulTransA(a, b, c)));
        assertMessage("matmulTransB: a is 3x4, b is 5x6: inner sizes differ (cols of a 4, cols of b 6)",
                assertThrows(IllegalArgumentException.class, () -> ops.matmulTransB(a, b, c)));
        assertMessage("matmulTransB: a is 3x4, b is 6x4, c is 3x5: expected c 3x6",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.matmulTransB(a, FloatMatrix.zeros(6, 4), FloatMatrix.zeros(3, 5))));
        assertMessage("softmax: x is 3x4, y is 3x6: expected the same shape",
                assertThrows(IllegalArgumentException.class, () -> ops.softmax(a, c)));
        assertMessage("logSumExp: x is 3x4, out is 3x4: expected out 3x1 (one value per row)",
                assertThrows(IllegalArgumentException.class, () -> ops.logSumExp(a, a)));
        assertMessage("sparseSoftmaxCrossEntropyWithLogits: logits is 3x4, classes has 2 rows: expected 3 (one per row)",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.sparseSoftmaxCrossEntropyWithLogits(a, ClassLabels.zeros(2), null, a)));
        assertMessage("sparseSoftmaxCrossEntropyWithLogits: logits is 3x4, gradient is 3x6: expected the same shape",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.sparseSoftmaxCrossEntropyWithLogits(a, ClassLabels.zeros(3), null, c)));
        assertMessage("jacobian: y is 1x4, jacobian is 4x5: expected 4x4",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.jacobian(FloatMatrix.zeros(1, 4), FloatMatrix.zeros(4, 5))));
        assertMessage("b: expected length >= bOffset + count = 0 + 20 = 20, actual 12 (a is 3x4, b is 4x5, c is 3x5)",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.matmul(3, 4, 5, 1f, new float[12], 0, new float[12], 0, 0f, new float[15], 0)));
        assertMessage("c: expected length >= cOffset + count = 1 + 15 = 16, actual 15 (a is 4x3, b is 4x5, c is 3x5)",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.matmulTransA(3, 4, 5, 1f, new float[12], 0, new float[20], 0, 0f, new float[15], 1)));
        assertMessage("a: expected length >= aOffset + count = 0 + 12 = 12, actual 11 (a is 3x4, b is 5x4, c is 3x5)",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.matmulTransB(3, 4, 5, 1f, new float[11], 0, new float[20], 0, 0f, new float[15], 0)));
        assertMessage("topK: x is 3x4, values is 3x4: expected values 3x2 (k = 2 per row)",
                assertThrows(IllegalArgumentException.class, () -> ops.topK(a, 2, a, IntMatrix.zeros(3, 2))));
        assertMessage("topK: x is 3x4, indices is 2x2: expected indices 3x2 (k = 2 per row)",
                assertThrows(IllegalArgumentException.class,
                        () -> ops.topK(a, 2, FloatMatrix.zeros(3, 2), IntMatrix.zeros(2, 2))));
        assertThrows(IllegalArgumentException.class, () -> ops.topK(a, 5, null, IntMatrix.zeros(3, 5)),
                "k beyond cols");
        assertMessage("x must not be null", assertThrows(NullPointerException.class, () -> ops.softmax(null, a)));
        assertMessage("classes must not be null", assertThrows(NullPointerException.class,
                () -> ops.sparseSoftmaxCrossEntropyWithLogits(a, null, null, a)));
    }

    @Test
    void aShapeErrorWritesNothing() {
        FloatMatrix x = FloatMatrix.zeros(3, 4);
        FloatMatrix y = FloatMatrix.of(3, 5, new float[15]);
        Arrays.fill(y.array(), 42f);
        assertThrows(IllegalArgumentException.class, () -> ops.softmax(x, y));
        float[] untouched = new float[15];
        Arrays.fill(untouched, 42f);
        assertArrayEquals(untouched, y.array());
    }
}
