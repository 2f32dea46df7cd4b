package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link VectorFloatKernels}' argmax and top-k give the scalar kernels' indices and values on rows built to catch a
 * selection that skips part of a row: widths around whole blocks of vectors, whole vectors and tails; the maximum,
 * a tie of it, {@code -0.0} against {@code 0.0} and a NaN at every position; many ties. In a class of its own so that
 * only the SIMD test run loads the Vector API.
 */
final class VectorFloatSelectionCheck {

    private VectorFloatSelectionCheck() {
    }

    static void assertIndicesMatchScalar() {
        int l = VectorExp.L;
        FloatKernels simd = new VectorFloatKernels();
        SplittableRandom random = new SplittableRandom(14);
        for (int cols : new int[] {l, l + 1, 2 * l - 1, 4 * l - 1, 4 * l, 4 * l + 1, 5 * l + 3, 8 * l, 9 * l - 1, 1000}) {
            float[][] rows = rows(cols, random);
            float[] x = new float[rows.length * cols];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, x, r * cols, cols);
            }
            String what = rows.length + " rows of " + cols;
            int[] expected = new int[rows.length];
            int[] actual = new int[rows.length];
            FloatKernels.SCALAR.argmax(rows.length, cols, x, 0, expected, 0);
            simd.argmax(rows.length, cols, x, 0, actual, 0);
            for (int r = 0; r < rows.length; r++) {
                assertArrayEquals(new int[] {expected[r]}, new int[] {actual[r]},
                        "argmax, " + what + ", row " + Arrays.toString(rows[r]));
            }
            for (int k : new int[] {1, 3, l, l + 1}) {
                if (k > cols) {
                    continue;
                }
                float[] ev = new float[rows.length * k];
                float[] av = new float[rows.length * k];
                int[] ei = new int[rows.length * k];
                int[] ai = new int[rows.length * k];
                FloatKernels.SCALAR.topK(rows.length, cols, k, x, 0, ev, 0, ei, 0);
                simd.topK(rows.length, cols, k, x, 0, av, 0, ai, 0);
                assertArrayEquals(ei, ai, "top-" + k + " indices, " + what);
                assertArrayEquals(ev, av, "top-" + k + " values, " + what);
            }
        }
    }

    /** For each position p: the maximum at p (and a tie after it), -0.0 at p before a 0.0, a NaN at p; ties; random. */
    private static float[][] rows(int cols, SplittableRandom random) {
        float nan = Float.NaN;
        float[][] rows = new float[5 * cols + 2][];
        int n = 0;
        for (int p = 0; p < cols; p++) {
            rows[n++] = planted(cols, random, p, 100, -1, 0);
            rows[n++] = planted(cols, random, p, 100, (p * 7 + 3) % cols, 100);
            rows[n++] = planted(cols, random, p, -0.0f, (p + cols / 2) % cols, 0.0f);
            rows[n++] = planted(cols, random, p, nan, (p * 5 + 1) % cols, 100);
            rows[n++] = planted(cols, random, p, Float.NEGATIVE_INFINITY, -1, 0);
        }
        float[] ties = new float[cols];
        for (int c = 0; c < cols; c++) {
            ties[c] = random.nextInt(3);
        }
        rows[n++] = ties;
        rows[n] = planted(cols, random, 0, -7, -1, 0);
        return rows;
    }

    /** Random entries in [-10, -1) (all below the planted ones but -inf), {@code a} at {@code p}, {@code b} at {@code q}. */
    private static float[] planted(int cols, SplittableRandom random, int p, float a, int q, float b) {
        float[] row = new float[cols];
        for (int c = 0; c < cols; c++) {
            row[c] = (float) random.nextDouble(-10, -1);
        }
        if (q >= 0) {
            row[q] = b;
        }
        row[p] = a;
        return row;
    }
}
