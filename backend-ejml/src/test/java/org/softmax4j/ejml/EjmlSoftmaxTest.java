package org.softmax4j.ejml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.ejml.data.BMatrixRMaj;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.ejml.ops.ConvertMatrixData;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * The EJML facade: every op, both dtypes, gives the array SPI's bits on the matrices' own arrays (no copies), in
 * place as out of place; outputs are declared or reshaped as EJML's ops do; bad shapes name the argument, and every
 * other bad argument gets the SPI's own message.
 */
class EjmlSoftmaxTest {

    private static final int ROWS = 4;
    private static final int COLS = 20;
    private static final CrossEntropyOptions SMOOTHED = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1);

    private final SoftmaxOps ops = EjmlSoftmax.ops();
    private final Random rnd = new Random(11);

    private DMatrixRMaj gaussian(int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = 3 * rnd.nextGaussian();
        }
        return m;
    }

    private static FMatrixRMaj narrow(DMatrixRMaj d) {
        FMatrixRMaj f = new FMatrixRMaj(d.numRows, d.numCols);
        ConvertMatrixData.convert(d, f);
        return f;
    }

    private DMatrixRMaj softmaxOf(DMatrixRMaj x) {
        return EjmlSoftmax.softmax(x, null);
    }

    @Test
    void everyFloat64OpGivesTheArrayFormsBits() {
        DMatrixRMaj x = gaussian(ROWS, COLS);
        int n = ROWS * COLS;
        double[] expected = new double[n];
        double[] rowResult = new double[ROWS];

        ops.softmax(ROWS, COLS, x.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.softmax(x, null).data, "softmax");
        ops.softmax(ROWS, COLS, 0.5, x.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.softmax(x, 0.5, null).data, "softmax T");
        BMatrixRMaj mask = new BMatrixRMaj(ROWS, COLS);
        for (int i = 0; i < n; i++) {
            mask.data[i] = i % 3 != 0;
        }
        ops.maskedSoftmax(ROWS, COLS, x.data, 0, mask.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.maskedSoftmax(x, mask, null).data, "maskedSoftmax");
        ops.logSoftmax(ROWS, COLS, x.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.logSoftmax(x, null).data, "logSoftmax");
        ops.logSumExp(ROWS, COLS, x.data, 0, rowResult, 0);
        DMatrixRMaj lse = EjmlSoftmax.logSumExp(x, null);
        assertEquals(ROWS + "x1", lse.numRows + "x" + lse.numCols, "logSumExp shape");
        assertArrayEquals(rowResult, lse.data, "logSumExp");

        DMatrixRMaj y = softmaxOf(x);
        DMatrixRMaj dy = gaussian(ROWS, COLS);
        ops.softmaxBackward(ROWS, COLS, y.data, 0, dy.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.softmaxBackward(y, dy, null).data, "softmaxBackward");
        DMatrixRMaj logp = EjmlSoftmax.logSoftmax(x, null);
        ops.logSoftmaxBackward(ROWS, COLS, logp.data, 0, dy.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.logSoftmaxBackward(logp, dy, null).data, "logSoftmaxBackward");
        double[] jacobian = new double[COLS * COLS];
        ops.jacobian(COLS, y.data, 0, jacobian, 0);
        assertArrayEquals(jacobian, EjmlSoftmax.jacobian(new DMatrixRMaj(COLS, 1, true, java.util.Arrays.copyOf(
                y.data, COLS)), null).data, "jacobian of a column");

        DMatrixRMaj labels = softmaxOf(gaussian(ROWS, COLS));
        ops.crossEntropy(ROWS, COLS, y.data, 0, labels.data, 0, 1e-7, rowResult, 0);
        assertArrayEquals(rowResult, EjmlSoftmax.crossEntropy(y, labels, 1e-7, null).data, "crossEntropy");

        double[] gradient = new double[n];
        double sum = ops.softmaxCrossEntropyWithLogits(ROWS, COLS, x.data, 0, labels.data, 0, SMOOTHED, rowResult, 0,
                gradient, 0);
        DMatrixRMaj loss = new DMatrixRMaj(1, 1);
        DMatrixRMaj g = new DMatrixRMaj(1, 1);
        assertEquals(sum, EjmlSoftmax.softmaxCrossEntropyWithLogits(x, labels, SMOOTHED, loss, g), 0, "dense loss");
        assertArrayEquals(rowResult, loss.data, "dense per-row losses");
        assertArrayEquals(gradient, g.data, "dense gradient");
        int[] classes = {3, 0, 19, -100};
        sum = ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, x.data, 0, classes, 0, SMOOTHED, rowResult, 0,
                gradient, 0);
        assertEquals(sum, EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(x, classes, SMOOTHED, loss, g), 0,
                "sparse loss");
        assertArrayEquals(rowResult, loss.data, "sparse per-row losses");
        assertArrayEquals(gradient, g.data, "sparse gradient");

        int[] indices = new int[ROWS * 3];
        double[] values = new double[ROWS * 3];
        ops.argmax(ROWS, COLS, x.data, 0, indices, 0);
        assertArrayEquals(java.util.Arrays.copyOf(indices, ROWS), EjmlSoftmax.argmax(x, null), "argmax");
        ops.topK(ROWS, COLS, 3, x.data, 0, values, 0, indices, 0);
        DMatrixRMaj topValues = new DMatrixRMaj(1, 1);
        assertArrayEquals(indices, EjmlSoftmax.topK(x, 3, topValues, null), "topK indices");
        assertArrayEquals(values, topValues.data, "topK values");

        for (int cols : new int[] {10, 16}) { // the shared loop, then EJML's kernel
            DMatrixRMaj w = gaussian(COLS, cols);
            DMatrixRMaj c = gaussian(ROWS, cols);
            double[] product = c.data.clone();
            ops.matmul(ROWS, COLS, cols, 0.5, x.data, 0, w.data, 0, 0.25, product, 0);
            assertSame(c, EjmlSoftmax.matmul(0.5, x, w, 0.25, c), "matmul writes C");
            assertArrayEquals(product, c.data, "matmul " + cols);
            DMatrixRMaj b = gaussian(ROWS, cols);
            DMatrixRMaj ct = EjmlSoftmax.matmulTransA(1, x, b, 0, null);
            product = new double[COLS * cols];
            ops.matmulTransA(COLS, ROWS, cols, 1, x.data, 0, b.data, 0, 0, product, 0);
            assertEquals(COLS + "x" + cols, ct.numRows + "x" + ct.numCols, "matmulTransA shape");
            assertArrayEquals(product, ct.data, "matmulTransA " + cols);
        }
    }

    @Test
    void everyFloat32OpGivesTheArrayFormsBits() {
        FMatrixRMaj x = narrow(gaussian(ROWS, COLS));
        int n = ROWS * COLS;
        float[] expected = new float[n];
        float[] rowResult = new float[ROWS];

        ops.softmax(ROWS, COLS, x.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.softmax(x, null).data, "softmax");
        ops.softmax(ROWS, COLS, 0.5f, x.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.softmax(x, 0.5f, null).data, "softmax T");
        BMatrixRMaj mask = new BMatrixRMaj(ROWS, COLS);
        for (int i = 0; i < n; i++) {
            mask.data[i] = i % 3 != 0;
        }
        ops.maskedSoftmax(ROWS, COLS, x.data, 0, mask.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.maskedSoftmax(x, mask, null).data, "maskedSoftmax");
        ops.logSoftmax(ROWS, COLS, x.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.logSoftmax(x, null).data, "logSoftmax");
        ops.logSumExp(ROWS, COLS, x.data, 0, rowResult, 0);
        assertArrayEquals(rowResult, EjmlSoftmax.logSumExp(x, null).data, "logSumExp");

        FMatrixRMaj y = EjmlSoftmax.softmax(x, null);
        FMatrixRMaj dy = narrow(gaussian(ROWS, COLS));
        ops.softmaxBackward(ROWS, COLS, y.data, 0, dy.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.softmaxBackward(y, dy, null).data, "softmaxBackward");
        FMatrixRMaj logp = EjmlSoftmax.logSoftmax(x, null);
        ops.logSoftmaxBackward(ROWS, COLS, logp.data, 0, dy.data, 0, expected, 0);
        assertArrayEquals(expected, EjmlSoftmax.logSoftmaxBackward(logp, dy, null).data, "logSoftmaxBackward");
        float[] jacobian = new float[COLS * COLS];
        ops.jacobian(COLS, y.data, 0, jacobian, 0);
        FMatrixRMaj row = new FMatrixRMaj(1, COLS, true, java.util.Arrays.copyOf(y.data, COLS));
        assertArrayEquals(jacobian, EjmlSoftmax.jacobian(row, null).data, "jacobian of a row");

        FMatrixRMaj labels = EjmlSoftmax.softmax(narrow(gaussian(ROWS, COLS)), null);
        ops.crossEntropy(ROWS, COLS, y.data, 0, labels.data, 0, 1e-7f, rowResult, 0);
        assertArrayEquals(rowResult, EjmlSoftmax.crossEntropy(y, labels, 1e-7f, null).data, "crossEntropy");

        float[] gradient = new float[n];
        float sum = ops.softmaxCrossEntropyWithLogits(ROWS, COLS, x.data, 0, labels.data, 0, SMOOTHED, rowResult, 0,
                gradient, 0);
        FMatrixRMaj loss = new FMatrixRMaj(1, 1);
        FMatrixRMaj g = new FMatrixRMaj(1, 1);
        assertEquals(sum, EjmlSoftmax.softmaxCrossEntropyWithLogits(x, labels, SMOOTHED, loss, g), 0, "dense loss");
        assertArrayEquals(rowResult, loss.data, "dense per-row losses");
        assertArrayEquals(gradient, g.data, "dense gradient");
        int[] classes = {3, 0, 19, -100};
        sum = ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, x.data, 0, classes, 0, SMOOTHED, rowResult, 0,
                gradient, 0);
        assertEquals(sum, EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(x, classes, SMOOTHED, loss, g), 0,
                "sparse loss");
        assertArrayEquals(rowResult, loss.data, "sparse per-row losses");
        assertArrayEquals(gradient, g.data, "sparse gradient");

        int[] indices = new int[ROWS * 3];
        float[] values = new float[ROWS * 3];
        ops.argmax(ROWS, COLS, x.data, 0, indices, 0);
        assertArrayEquals(java.util.Arrays.copyOf(indices, ROWS), EjmlSoftmax.argmax(x, null), "argmax");
        ops.topK(ROWS, COLS, 3, x.data, 0, values, 0, indices, 0);
        FMatrixRMaj topValues = new FMatrixRMaj(1, 1);
        assertArrayEquals(indices, EjmlSoftmax.topK(x, 3, topValues, null), "topK indices");
        assertArrayEquals(values, topValues.data, "topK values");

        for (int cols : new int[] {10, 16}) {
            FMatrixRMaj w = narrow(gaussian(COLS, cols));
            FMatrixRMaj c = narrow(gaussian(ROWS, cols));
            float[] product = c.data.clone();
            ops.matmul(ROWS, COLS, cols, 0.5f, x.data, 0, w.data, 0, 0.25f, product, 0);
            assertSame(c, EjmlSoftmax.matmul(0.5f, x, w, 0.25f, c), "matmul writes C");
            assertArrayEquals(product, c.data, "matmul " + cols);
            FMatrixRMaj b = narrow(gaussian(ROWS, cols));
            product = new float[COLS * cols];
            ops.matmulTransA(COLS, ROWS, cols, 1f, x.data, 0, b.data, 0, 0f, product, 0);
            assertArrayEquals(product, EjmlSoftmax.matmulTransA(1f, x, b, 0f, null).data, "matmulTransA " + cols);
        }
    }

    @Test
    void inPlaceGivesTheOutOfPlaceResultOnTheSameArray() {
        DMatrixRMaj x = gaussian(ROWS, COLS);
        DMatrixRMaj inPlace = x.copy();
        double[] array = inPlace.data;
        assertSame(inPlace, EjmlSoftmax.softmax(inPlace, inPlace));
        assertSame(array, inPlace.data, "no copy");
        assertArrayEquals(EjmlSoftmax.softmax(x, null).data, inPlace.data, "softmax in place");

        DMatrixRMaj y = softmaxOf(x);
        DMatrixRMaj dy = gaussian(ROWS, COLS);
        DMatrixRMaj expected = EjmlSoftmax.softmaxBackward(y, dy, null);
        assertArrayEquals(expected.data, EjmlSoftmax.softmaxBackward(y, dy, dy).data, "softmaxBackward into dy");

        FMatrixRMaj xf = narrow(x);
        FMatrixRMaj logits = xf.copy();
        int[] classes = {1, 2, 3, 4};
        FMatrixRMaj gradient = new FMatrixRMaj(ROWS, COLS);
        float loss = EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(xf, classes, CrossEntropyOptions.DEFAULT, null,
                gradient);
        assertEquals(loss, EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(logits, classes,
                CrossEntropyOptions.DEFAULT, null, logits), 0, "loss with the gradient over the logits");
        assertArrayEquals(gradient.data, logits.data, "gradient over the logits");
        FMatrixRMaj lsm = xf.copy();
        assertArrayEquals(EjmlSoftmax.logSoftmax(xf, null).data, EjmlSoftmax.logSoftmax(lsm, lsm).data,
                "logSoftmax in place");
    }

    @Test
    void outputsAreReshapedKeepingTheirArray() {
        DMatrixRMaj x = gaussian(ROWS, COLS);
        DMatrixRMaj y = new DMatrixRMaj(COLS, ROWS + 1); // larger, other shape
        double[] array = y.data;
        assertSame(y, EjmlSoftmax.softmax(x, y));
        assertSame(array, y.data, "reshaped in place, no new array");
        assertEquals(ROWS + "x" + COLS, y.numRows + "x" + y.numCols);
        DMatrixRMaj c = new DMatrixRMaj(1, 1);
        EjmlSoftmax.matmul(1, x, gaussian(COLS, 3), 0, c);
        assertEquals(ROWS + "x3", c.numRows + "x" + c.numCols, "beta = 0: C reshaped");
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badShapesNameTheArgumentAndTheShapes() {
        DMatrixRMaj y = softmaxOf(gaussian(ROWS, COLS));
        assertMessage("dy: expected 4x20 (the shape of y), actual 20x4",
                () -> EjmlSoftmax.softmaxBackward(y, new DMatrixRMaj(COLS, ROWS), null));
        assertMessage("mask: expected 4x20 (the shape of x), actual 4x19",
                () -> EjmlSoftmax.maskedSoftmax(y, new BMatrixRMaj(ROWS, COLS - 1), null));
        assertMessage("labels: expected 4x20 (the shape of logits), actual 4x10",
                () -> EjmlSoftmax.softmaxCrossEntropyWithLogits(narrow(y), new FMatrixRMaj(ROWS, 10),
                        CrossEntropyOptions.DEFAULT, null, null));
        assertMessage("b: expected 20x10 (rows = the columns of a), actual 4x10",
                () -> EjmlSoftmax.matmul(1, y, new DMatrixRMaj(ROWS, 10), 0, null));
        assertMessage("c: expected 4x10 (rows of op(a) x columns of b, read since beta != 0), actual 10x4",
                () -> EjmlSoftmax.matmul(1, y, new DMatrixRMaj(COLS, 10), 1, new DMatrixRMaj(10, ROWS)));
        assertMessage("b: expected 4x10 (rows = the rows of a), actual 20x10",
                () -> EjmlSoftmax.matmulTransA(1f, narrow(y), new FMatrixRMaj(COLS, 10), 0f, null));
        assertMessage("y: expected a vector (1 x C or C x 1), actual 4x20", () -> EjmlSoftmax.jacobian(y, null));
        assertEquals("x must not be null", assertThrows(NullPointerException.class,
                () -> EjmlSoftmax.softmax((DMatrixRMaj) null, null)).getMessage());
        assertEquals("dlogp must not be null", assertThrows(NullPointerException.class,
                () -> EjmlSoftmax.logSoftmaxBackward(y, null, null)).getMessage());
    }

    /** The SPI's own checks run unchanged: the same message as the array form with the same arguments. */
    @Test
    void otherBadArgumentsGetTheSpisMessage() {
        DMatrixRMaj x = gaussian(ROWS, COLS);
        String temperature = assertThrows(IllegalArgumentException.class,
                () -> ops.softmax(ROWS, COLS, 0.0, x.data, 0, new double[ROWS * COLS], 0)).getMessage();
        assertMessage(temperature, () -> EjmlSoftmax.softmax(x, 0.0, null));
        int[] classes = {0, 1, COLS, 2};
        String badClass = assertThrows(IllegalArgumentException.class,
                () -> ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, x.data, 0, classes, 0,
                        CrossEntropyOptions.DEFAULT, null, 0, null, 0)).getMessage();
        assertMessage(badClass, () -> EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(x, classes,
                CrossEntropyOptions.DEFAULT, null, null));
        String shortClasses = assertThrows(IllegalArgumentException.class,
                () -> ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, x.data, 0, new int[2], 0,
                        CrossEntropyOptions.DEFAULT, null, 0, null, 0)).getMessage();
        assertMessage(shortClasses, () -> EjmlSoftmax.sparseSoftmaxCrossEntropyWithLogits(x, new int[2],
                CrossEntropyOptions.DEFAULT, null, null));
        String topK = assertThrows(IllegalArgumentException.class,
                () -> ops.topK(ROWS, COLS, COLS + 1, x.data, 0, null, 0, new int[100], 0)).getMessage();
        assertMessage(topK, () -> EjmlSoftmax.topK(x, COLS + 1, null, null));
        String eps = assertThrows(IllegalArgumentException.class,
                () -> ops.crossEntropy(ROWS, COLS, x.data, 0, x.data, 0, 0.5, new double[ROWS], 0)).getMessage();
        assertMessage(eps, () -> EjmlSoftmax.crossEntropy(x, x, 0.5, null));
        // an output sharing an input's array over another region: the SPI's overlap check
        DMatrixRMaj alias = DMatrixRMaj.wrap(ROWS, 1, x.data);
        String overlap = assertThrows(IllegalArgumentException.class,
                () -> ops.logSumExp(ROWS, COLS, x.data, 0, x.data, 0)).getMessage();
        assertMessage(overlap, () -> EjmlSoftmax.logSumExp(x, alias));
    }
}
