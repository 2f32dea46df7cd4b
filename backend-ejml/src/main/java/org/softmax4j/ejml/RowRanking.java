package org.softmax4j.ejml;

/**
 * Argmax and top-k as row loops over the data arrays: EJML has no arg-reduction or partial sort
 * ({@code CommonOps_DDRM.maxRows} gives the value only and skips NaN).
 *
 * <p>Order: NaN above everything (NaNs among themselves by index), then by value, equal values ({@code -0.0} and
 * {@code 0.0} included) by ascending index. Top-k keeps a sorted prefix by insertion for {@code k <= }
 * {@link #INSERTION_MAX_K} ({@code O(C k)}), else merge-sorts the row's indices ({@code O(C log C)}, stable) in a
 * per-thread buffer.
 */
final class RowRanking {

    static final int INSERTION_MAX_K = 16;

    private RowRanking() {
    }

    static void argmax(int rows, int cols, double[] x, int xOff, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = RowMath.maxIndex(x, xOff + r * cols, cols);
        }
    }

    static void argmax(int rows, int cols, float[] x, int xOff, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = RowMath.maxIndex(x, xOff + r * cols, cols);
        }
    }

    /** @return true if {@code a} ranks strictly before {@code b} by value (NaN highest; ties are not before) */
    private static boolean above(double a, double b) {
        return a > b || (a != a && b == b);
    }

    static void topK(int rows, int cols, int k, double[] x, int xOff, double[] values, int vOff,
                     int[] indices, int iOff) {
        int[] buffer = k <= INSERTION_MAX_K ? null : Workspace.get().indices(2 * cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int io = iOff + r * k;
            if (buffer == null) {
                insertionTopK(x, xo, cols, k, indices, io);
            } else {
                for (int c = 0; c < cols; c++) {
                    buffer[c] = c;
                }
                mergeSort(x, xo, buffer, cols, 0, cols);
                System.arraycopy(buffer, 0, indices, io, k);
            }
            if (values != null) {
                int vo = vOff + r * k;
                for (int i = 0; i < k; i++) {
                    values[vo + i] = x[xo + indices[io + i]];
                }
            }
        }
    }

    /** Keeps {@code indices[io .. io + k)} sorted; a new entry goes after every entry it does not rank above. */
    private static void insertionTopK(double[] x, int xo, int cols, int k, int[] indices, int io) {
        int count = 0;
        for (int c = 0; c < cols; c++) {
            double v = x[xo + c];
            if (count == k && !above(v, x[xo + indices[io + k - 1]])) {
                continue;
            }
            int p = count < k ? count++ : k - 1;
            while (p > 0 && above(v, x[xo + indices[io + p - 1]])) {
                indices[io + p] = indices[io + p - 1];
                p--;
            }
            indices[io + p] = c;
        }
    }

    /** Stable top-down merge sort of {@code idx[lo, hi)} by rank; {@code idx[cols, 2 cols)} is the merge buffer. */
    private static void mergeSort(double[] x, int xo, int[] idx, int cols, int lo, int hi) {
        if (hi - lo < 2) {
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(x, xo, idx, cols, lo, mid);
        mergeSort(x, xo, idx, cols, mid, hi);
        if (!above(x[xo + idx[mid]], x[xo + idx[mid - 1]])) {
            return; // already in order
        }
        System.arraycopy(idx, lo, idx, cols + lo, hi - lo);
        int i = cols + lo;
        int iEnd = cols + mid;
        int j = cols + mid;
        int jEnd = cols + hi;
        for (int o = lo; o < hi; o++) {
            // take from the right run only if it ranks strictly above: equal entries keep their index order
            if (j < jEnd && (i >= iEnd || above(x[xo + idx[j]], x[xo + idx[i]]))) {
                idx[o] = idx[j++];
            } else {
                idx[o] = idx[i++];
            }
        }
    }

    private static boolean above(float a, float b) {
        return a > b || (a != a && b == b);
    }

    static void topK(int rows, int cols, int k, float[] x, int xOff, float[] values, int vOff,
                     int[] indices, int iOff) {
        int[] buffer = k <= INSERTION_MAX_K ? null : Workspace.get().indices(2 * cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int io = iOff + r * k;
            if (buffer == null) {
                insertionTopK(x, xo, cols, k, indices, io);
            } else {
                for (int c = 0; c < cols; c++) {
                    buffer[c] = c;
                }
                mergeSort(x, xo, buffer, cols, 0, cols);
                System.arraycopy(buffer, 0, indices, io, k);
            }
            if (values != null) {
                int vo = vOff + r * k;
                for (int i = 0; i < k; i++) {
                    values[vo + i] = x[xo + indices[io + i]];
                }
            }
        }
    }

    private static void insertionTopK(float[] x, int xo, int cols, int k, int[] indices, int io) {
        int count = 0;
        for (int c = 0; c < cols; c++) {
            float v = x[xo + c];
            if (count == k && !above(v, x[xo + indices[io + k - 1]])) {
                continue;
            }
            int p = count < k ? count++ : k - 1;
            while (p > 0 && above(v, x[xo + indices[io + p - 1]])) {
                indices[io + p] = indices[io + p - 1];
                p--;
            }
            indices[io + p] = c;
        }
    }

    private static void mergeSort(float[] x, int xo, int[] idx, int cols, int lo, int hi) {
        if (hi - lo < 2) {
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(x, xo, idx, cols, lo, mid);
        mergeSort(x, xo, idx, cols, mid, hi);
        if (!above(x[xo + idx[mid]], x[xo + idx[mid - 1]])) {
            return;
        }
        System.arraycopy(idx, lo, idx, cols + lo, hi - lo);
        int i = cols + lo;
        int iEnd = cols + mid;
        int j = cols + mid;
        int jEnd = cols + hi;
        for (int o = lo; o < hi; o++) {
            if (j < jEnd && (i >= iEnd || above(x[xo + idx[j]], x[xo + idx[i]]))) {
                idx[o] = idx[j++];
            } else {
                idx[o] = idx[i++];
            }
        }
    }
}
