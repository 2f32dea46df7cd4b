package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatrixViewsTest {

    private static void assertMessage(String expected, Throwable e) {
        assertEquals(expected, e.getMessage());
    }

    @Test
    void aViewIsItsArrayOffsetAndShape() {
        float[] a = new float[20];
        FloatMatrix m = FloatMatrix.of(3, 4, a, 5);
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertEquals(12, m.size());
        assertEquals(5, m.offset());
        assertSame(a, m.array());
        m.set(2, 3, 7f);
        assertEquals(7f, a[5 + 2 * 4 + 3]);
        assertEquals(7f, m.get(2, 3));
        assertEquals("3x4 float at offset 5 of float[20]", m.toString());
        assertEquals("3x4 double at offset 0 of double[12]", DoubleMatrix.of(3, 4, new double[12]).toString());
        IntMatrix indices = IntMatrix.of(2, 3, new int[8], 2);
        indices.set(1, 2, 5);
        assertEquals(5, indices.array()[2 + 1 * 3 + 2]);
        assertEquals(5, indices.row(1).get(0, 2));
        assertEquals("2x3 int at offset 2 of int[8]", indices.toString());
        assertEquals(2, IntMatrix.zeros(3, 2).batches(2).size());
        BooleanMatrix mask = BooleanMatrix.zeros(2, 3);
        assertFalse(mask.get(1, 2));
        mask.row(1).set(0, 2, true);
        assertTrue(mask.array()[5]);
        assertEquals("2x3 boolean at offset 0 of boolean[6]", mask.toString());
    }

    @Test
    void aRowRangeSharesTheArray() {
        double[] a = new double[4 * 3];
        DoubleMatrix m = DoubleMatrix.of(4, 3, a);
        DoubleMatrix batch = m.rows(1, 3);
        assertEquals(2, batch.rows());
        assertEquals(3, batch.cols());
        assertEquals(3, batch.offset());
        assertSame(a, batch.array());
        batch.set(1, 2, 9);
        assertEquals(9, m.get(2, 2));
        assertEquals(0, m.rows(4, 4).rows());
        assertEquals(6, m.row(2).offset());
        ClassLabels y = ClassLabels.of(5, new int[] {0, 1, 2, 3, 4, 5}, 1);
        assertEquals(2, y.rows(1, 4).get(0));
        assertEquals(3, y.rows(1, 4).rows());
        BooleanMatrix mask = BooleanMatrix.of(2, 2, new boolean[] {true, false, false, true});
        assertEquals(2, mask.rows(1, 2).offset());
    }

    @Test
    void batchesAreRowRangesMadeOnce() {
        FloatMatrix m = FloatMatrix.of(5, 2, new float[12], 2);
        java.util.List<FloatMatrix> b = m.batches(2);
        assertEquals(3, b.size());
        assertEquals("2x2 float at offset 2 of float[12]", b.get(0).toString());
        assertEquals("2x2 float at offset 6 of float[12]", b.get(1).toString());
        assertEquals("1x2 float at offset 10 of float[12]", b.get(2).toString());
        assertSame(b.get(1), b.get(1));
        assertEquals(0, DoubleMatrix.zeros(0, 3).batches(4).size());
        assertEquals(java.util.List.of(3, 3, 1),
                ClassLabels.zeros(7).batches(3).stream().map(ClassLabels::rows).toList());
        assertEquals(2, BooleanMatrix.of(4, 1, new boolean[4]).batches(2).size());
        assertMessage("size: expected >= 1 (rows per batch), actual 0",
                assertThrows(IllegalArgumentException.class, () -> m.batches(0)));
    }

    @Test
    void aBadViewIsRejectedWhenMade() {
        assertMessage("array must not be null",
                assertThrows(NullPointerException.class, () -> FloatMatrix.of(2, 2, null)));
        assertMessage("rows: expected >= 0, actual -1",
                assertThrows(IllegalArgumentException.class, () -> FloatMatrix.of(-1, 2, new float[4])));
        assertMessage("cols: expected >= 0, actual -2",
                assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.of(2, -2, new double[4])));
        assertMessage("rows * cols: expected <= 2147483647 (Java arrays are int-indexed), actual 65536 * 65536 = "
                        + "4294967296",
                assertThrows(IllegalArgumentException.class, () -> DoubleMatrix.of(65536, 65536, new double[4])));
        assertMessage("offset: expected >= 0, actual -1",
                assertThrows(IllegalArgumentException.class, () -> FloatMatrix.of(1, 2, new float[4], -1)));
        assertMessage("array: expected length >= offset + rows * cols = 3 + 2 * 2 = 7, actual 6",
                assertThrows(IllegalArgumentException.class, () -> FloatMatrix.of(2, 2, new float[6], 3)));
        assertMessage("array: expected length >= offset + rows * cols = 2147483647 + 1 * 1 = 2147483648, actual 6",
                assertThrows(IllegalArgumentException.class,
                        () -> FloatMatrix.of(1, 1, new float[6], Integer.MAX_VALUE)));
        assertMessage("array: expected length >= offset + rows * cols = 1 + 5 * 1 = 6, actual 5",
                assertThrows(IllegalArgumentException.class, () -> ClassLabels.of(5, new int[5], 1)));
        assertMessage("array: expected length >= offset + rows * cols = 0 + 2 * 3 = 6, actual 5",
                assertThrows(IllegalArgumentException.class, () -> BooleanMatrix.of(2, 3, new boolean[5])));
    }

    @Test
    void aBadRowRangeOrElementNamesTheBounds() {
        FloatMatrix m = FloatMatrix.zeros(4, 3);
        assertMessage("rows(from, to): expected 0 <= from <= to <= 4, actual from = 2, to = 5",
                assertThrows(IllegalArgumentException.class, () -> m.rows(2, 5)));
        assertMessage("rows(from, to): expected 0 <= from <= to <= 4, actual from = 3, to = 2",
                assertThrows(IllegalArgumentException.class, () -> m.rows(3, 2)));
        assertMessage("rows(from, to): expected 0 <= from <= to <= 2, actual from = -1, to = 1",
                assertThrows(IllegalArgumentException.class, () -> ClassLabels.zeros(2).rows(-1, 1)));
        assertMessage("(r, c): expected in [0, 4) x [0, 3), actual (4, 0)",
                assertThrows(IllegalArgumentException.class, () -> m.get(4, 0)));
    }
}
