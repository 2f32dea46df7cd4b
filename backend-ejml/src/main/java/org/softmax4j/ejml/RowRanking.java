package org.softmax4j.ejml;

/**
 * Argmax and top-k as row loops over the data arrays: EJML has no arg-reduction or partial sort
 * ({@code CommonOps_DDRM.maxRows} gives the value only and skips NaN).
 *
 * <p>Order: NaN above everything (NaNs among themselves by index), then by value, equal values ({@code -0.0} and
 * {@code 0.0} included) by ascending index. Top-k works in the caller's {@code indices} row, allocating nothing: a
 * sorted window filled by insertion for {@code k <= }{@link #INSERTION_MAX_K} ({@code O(C k)}), else a binary heap of
 * the kept entries ({@code O(C log k)}) sorted in place at the end. The order is total, so the result is the same as
 * the plain backend's.
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

    /** @return true if {@code (va, ia)} ranks before {@code (vb, ib)}: a total order (NaN first, ties by index) */
    private static boolean before(double va, int ia, double vb, int ib) {
        if (va != va) {
            return vb == vb || ia < ib;
        }
        return va > vb || (va == vb && ia < ib);
    }

    static void topK(int rows, int cols, int k, double[] x, int xOff, double[] values, int vOff,
                     int[] indices, int iOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int io = iOff + r * k;
            if (k <= INSERTION_MAX_K) {
                insertionTopK(x, xo, cols, k, indices, io);
            } else {
                heapTopK(x, xo, cols, k, indices, io);
            }
            if (values != null) {
                int vo = vOff + r * k;
                for (int i = 0; i < k; i++) {
                    values[vo + i] = x[xo + indices[io + i]];
                }
            }
        }
    }

    /** Keeps {@code indices[io .. io + k)} sorted; a new entry goes after every entry that ranks before it. */
    private static void insertionTopK(double[] x, int xo, int cols, int k, int[] idx, int io) {
        int count = 0;
        for (int c = 0; c < cols; c++) {
            double v = x[xo + c];
            if (count == k) {
                int last = idx[io + k - 1];
                if (!before(v, c, x[xo + last], last)) {
                    continue;
                }
                count--;
            }
            int p = io + count++;
            while (p > io && before(v, c, x[xo + idx[p - 1]], idx[p - 1])) {
                idx[p] = idx[p - 1];
                p--;
            }
            idx[p] = c;
        }
    }

    /**
     * A binary heap in {@code idx[io .. io + k)} whose root is the kept entry ranked last; each later entry that
     * ranks before the root replaces it. Heapsort then moves the last-ranked to the end, leaving the row sorted.
     */
    private static void heapTopK(double[] x, int xo, int cols, int k, int[] idx, int io) {
        for (int i = 0; i < k; i++) {
            idx[io + i] = i;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(x, xo, idx, io, i, k);
        }
        for (int c = k; c < cols; c++) {
            int root = idx[io];
            if (before(x[xo + c], c, x[xo + root], root)) {
                idx[io] = c;
                siftDown(x, xo, idx, io, 0, k);
            }
        }
        for (int end = k - 1; end > 0; end--) {
            int t = idx[io];
            idx[io] = idx[io + end];
            idx[io + end] = t;
            siftDown(x, xo, idx, io, 0, end);
        }
    }

    /** Restores the heap below {@code i}: every parent ranks after its children. */
    private static void siftDown(double[] x, int xo, int[] idx, int io, int i, int size) {
        while (true) {
            int worst = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && before(x[xo + idx[io + worst]], idx[io + worst], x[xo + idx[io + l]], idx[io + l])) {
                worst = l;
            }
            if (r < size && before(x[xo + idx[io + worst]], idx[io + worst], x[xo + idx[io + r]], idx[io + r])) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            int t = idx[io + i];
            idx[io + i] = idx[io + worst];
            idx[io + worst] = t;
            i = worst;
        }
    }

    /** @return true if {@code (va, ia)} ranks before {@code (vb, ib)}: a total order (NaN first, ties by index) */
    private static boolean before(float va, int ia, float vb, int ib) {
        if (va != va) {
            return vb == vb || ia < ib;
        }
        return va > vb || (va == vb && ia < ib);
    }

    static void topK(int rows, int cols, int k, float[] x, int xOff, float[] values, int vOff,
                     int[] indices, int iOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int io = iOff + r * k;
            if (k <= INSERTION_MAX_K) {
                insertionTopK(x, xo, cols, k, indices, io);
            } else {
                heapTopK(x, xo, cols, k, indices, io);
            }
            if (values != null) {
                int vo = vOff + r * k;
                for (int i = 0; i < k; i++) {
                    values[vo + i] = x[xo + indices[io + i]];
                }
            }
        }
    }

    /** Keeps {@code indices[io .. io + k)} sorted; a new entry goes after every entry that ranks before it. */
    private static void insertionTopK(float[] x, int xo, int cols, int k, int[] idx, int io) {
        int count = 0;
        for (int c = 0; c < cols; c++) {
            float v = x[xo + c];
            if (count == k) {
                int last = idx[io + k - 1];
                if (!before(v, c, x[xo + last], last)) {
                    continue;
                }
                count--;
            }
            int p = io + count++;
            while (p > io && before(v, c, x[xo + idx[p - 1]], idx[p - 1])) {
                idx[p] = idx[p - 1];
                p--;
            }
            idx[p] = c;
        }
    }

    /**
     * A binary heap in {@code idx[io .. io + k)} whose root is the kept entry ranked last; each later entry that
     * ranks before the root replaces it. Heapsort then moves the last-ranked to the end, leaving the row sorted.
     */
    private static void heapTopK(float[] x, int xo, int cols, int k, int[] idx, int io) {
        for (int i = 0; i < k; i++) {
            idx[io + i] = i;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(x, xo, idx, io, i, k);
        }
        for (int c = k; c < cols; c++) {
            int root = idx[io];
            if (before(x[xo + c], c, x[xo + root], root)) {
                idx[io] = c;
                siftDown(x, xo, idx, io, 0, k);
            }
        }
        for (int end = k - 1; end > 0; end--) {
            int t = idx[io];
            idx[io] = idx[io + end];
            idx[io + end] = t;
            siftDown(x, xo, idx, io, 0, end);
        }
    }

    /** Restores the heap below {@code i}: every parent ranks after its children. */
    private static void siftDown(float[] x, int xo, int[] idx, int io, int i, int size) {
        while (true) {
            int worst = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && before(x[xo + idx[io + worst]], idx[io + worst], x[xo + idx[io + l]], idx[io + l])) {
                worst = l;
            }
            if (r < size && before(x[xo + idx[io + worst]], idx[io + worst], x[xo + idx[io + r]], idx[io + r])) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            int t = idx[io + i];
            idx[io + i] = idx[io + worst];
            idx[io + worst] = t;
            i = worst;
        }
    }
}
