package org.softmax4j.kernels;

/**
 * Scalar argmax and top-k. The order is total: a NaN ranks above every number (NaNs among themselves by index), equal
 * values ({@code -0.0 == 0.0} included) rank by ascending index.
 *
 * <p>Top-k keeps its working set in the caller's {@code indices} row, so it allocates nothing: for
 * {@code k <= }{@value #INSERTION_MAX_K} a sorted window filled by insertion, above that a binary heap whose root is
 * the lowest-ranked kept entry ({@code O(C log k)}), sorted in place at the end (heapsort).
 *
 * <p>Internal: shared by the backends of this repository, not an API.
 */
public final class Selection {

    /** Up to this k, insertion into a sorted window beats the heap. */
    static final int INSERTION_MAX_K = 16;

    private Selection() {
    }

    // ------------------------------------------------------------------------------------------------ float64

    public static void argmax(int rows, int cols, double[] x, int xOffset, int[] out, int outOffset) {
        for (int r = 0, o = xOffset; r < rows; r++, o += cols) {
            double best = x[o];
            int bi = 0;
            if (best == best) {
                for (int c = 1; c < cols; c++) {
                    double v = x[o + c];
                    if (v != v) {
                        bi = c; // the first NaN wins
                        break;
                    }
                    if (v > best) {
                        best = v;
                        bi = c;
                    }
                }
            }
            out[outOffset + r] = bi;
        }
    }

    /** @return true if entry {@code (va, ia)} ranks before {@code (vb, ib)} */
    private static boolean before(double va, int ia, double vb, int ib) {
        if (va != va) {
            return vb == vb || ia < ib;
        }
        return va > vb || (va == vb && ia < ib);
    }

    public static void topK(int rows, int cols, int k, double[] x, int xOffset, double[] values, int valuesOffset,
                            int[] indices, int indicesOffset) {
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * cols;
            int io = indicesOffset + r * k;
            startTopK(k, x, xo, indices, io);
            offer(k, cols, k, x, xo, indices, io);
            finishTopK(k, x, xo, indices, io);
            if (values != null) {
                topKValues(k, x, xo, indices, io, values, valuesOffset + r * k);
            }
        }
    }

    /**
     * Top-k of a row in steps (a SIMD kernel offers only the stretches of the row that can enter): this keeps
     * entries {@code [0, k)}, {@link #offer} offers later entries in ascending index order, {@link #lastKept} is the
     * kept entry a new one must rank before to enter, {@link #finishTopK} sorts. Needs {@code 1 <= k <= cols}.
     */
    public static void startTopK(int k, double[] x, int xo, int[] idx, int io) {
        if (k <= INSERTION_MAX_K) {
            insert(0, k, k, 0, x, xo, idx, io);
            return;
        }
        // heap of the kept entries, root = the one ranked last
        for (int c = 0; c < k; c++) {
            idx[io + c] = c;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(x, xo, idx, io, i, k);
        }
    }

    /** Offers entries {@code [from, to)} (each after every entry offered so far) to the kept {@code k}. */
    public static void offer(int from, int to, int k, double[] x, int xo, int[] idx, int io) {
        if (k <= INSERTION_MAX_K) {
            insert(from, to, k, k, x, xo, idx, io);
            return;
        }
        for (int c = from; c < to; c++) {
            int root = idx[io];
            if (before(x[xo + c], c, x[xo + root], root)) {
                idx[io] = c;
                siftDown(x, xo, idx, io, 0, k);
            }
        }
    }

    /** @return the index of the lowest-ranked kept entry: a later entry enters only if it ranks before it */
    public static int lastKept(int k, int[] idx, int io) {
        return idx[io + (k <= INSERTION_MAX_K ? k - 1 : 0)];
    }

    /** Leaves the kept entries sorted best first. */
    public static void finishTopK(int k, double[] x, int xo, int[] idx, int io) {
        if (k <= INSERTION_MAX_K) {
            return;
        }
        // heapsort: the last-ranked goes to the end, leaving the row sorted best first
        for (int n = k - 1; n > 0; n--) {
            int tmp = idx[io];
            idx[io] = idx[io + n];
            idx[io + n] = tmp;
            siftDown(x, xo, idx, io, 0, n);
        }
    }

    /** {@code values_j = x[idx_j]} for the k kept entries. */
    public static void topKValues(int k, double[] x, int xo, int[] idx, int io, double[] values, int vo) {
        for (int j = 0; j < k; j++) {
            values[vo + j] = x[xo + idx[io + j]];
        }
    }

    /** Insertion of entries {@code [from, to)} into the window {@code idx[io, io + size)}, sorted best first, of at most k. */
    private static void insert(int from, int to, int k, int size, double[] x, int xo, int[] idx, int io) {
        for (int c = from; c < to; c++) {
            double v = x[xo + c];
            if (size == k) {
                int last = idx[io + k - 1];
                if (!before(v, c, x[xo + last], last)) {
                    continue;
                }
                size--;
            }
            int j = io + size;
            while (j > io && before(v, c, x[xo + idx[j - 1]], idx[j - 1])) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = c;
            size++;
        }
    }

    private static void siftDown(double[] x, int xo, int[] idx, int io, int i, int n) {
        int item = idx[io + i];
        double v = x[xo + item];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            int ci = idx[io + child];
            if (child + 1 < n) {
                int cj = idx[io + child + 1];
                if (before(x[xo + ci], ci, x[xo + cj], cj)) {
                    child++; // the later-ranked child moves up
                    ci = cj;
                }
            }
            if (!before(v, item, x[xo + ci], ci)) {
                break;
            }
            idx[io + i] = ci;
            i = child;
        }
        idx[io + i] = item;
    }

    // ------------------------------------------------------------------------------------------------ float32

    public static void argmax(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        for (int r = 0, o = xOffset; r < rows; r++, o += cols) {
            float best = x[o];
            int bi = 0;
            if (best == best) {
                for (int c = 1; c < cols; c++) {
                    float v = x[o + c];
                    if (v != v) {
                        bi = c;
                        break;
                    }
                    if (v > best) {
                        best = v;
                        bi = c;
                    }
                }
            }
            out[outOffset + r] = bi;
        }
    }

    private static boolean before(float va, int ia, float vb, int ib) {
        if (va != va) {
            return vb == vb || ia < ib;
        }
        return va > vb || (va == vb && ia < ib);
    }

    public static void topK(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
                            int[] indices, int indicesOffset) {
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * cols;
            int io = indicesOffset + r * k;
            startTopK(k, x, xo, indices, io);
            offer(k, cols, k, x, xo, indices, io);
            finishTopK(k, x, xo, indices, io);
            if (values != null) {
                topKValues(k, x, xo, indices, io, values, valuesOffset + r * k);
            }
        }
    }

    /**
     * Top-k of a row in steps (a SIMD kernel offers only the stretches of the row that can enter): this keeps
     * entries {@code [0, k)}, {@link #offer} offers later entries in ascending index order, {@link #lastKept} is the
     * kept entry a new one must rank before to enter, {@link #finishTopK} sorts. Needs {@code 1 <= k <= cols}.
     */
    public static void startTopK(int k, float[] x, int xo, int[] idx, int io) {
        if (k <= INSERTION_MAX_K) {
            insert(0, k, k, 0, x, xo, idx, io);
            return;
        }
        // heap of the kept entries, root = the one ranked last
        for (int c = 0; c < k; c++) {
            idx[io + c] = c;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(x, xo, idx, io, i, k);
        }
    }

    /** Offers entries {@code [from, to)} (each after every entry offered so far) to the kept {@code k}. */
    public static void offer(int from, int to, int k, float[] x, int xo, int[] idx, int io) {
        if (k <= INSERTION_MAX_K) {
            insert(from, to, k, k, x, xo, idx, io);
            return;
        }
        for (int c = from; c < to; c++) {
            int root = idx[io];
            if (before(x[xo + c], c, x[xo + root], root)) {
                idx[io] = c;
                siftDown(x, xo, idx, io, 0, k);
            }
        }
    }

    /** Leaves the kept entries sorted best first. */
    public static void finishTopK(int k, float[] x, int xo, int[] idx, int io) {
        if (k <= INSERTION_MAX_K) {
            return;
        }
        // heapsort: the last-ranked goes to the end, leaving the row sorted best first
        for (int n = k - 1; n > 0; n--) {
            int tmp = idx[io];
            idx[io] = idx[io + n];
            idx[io + n] = tmp;
            siftDown(x, xo, idx, io, 0, n);
        }
    }

    /** {@code values_j = x[idx_j]} for the k kept entries. */
    public static void topKValues(int k, float[] x, int xo, int[] idx, int io, float[] values, int vo) {
        for (int j = 0; j < k; j++) {
            values[vo + j] = x[xo + idx[io + j]];
        }
    }

    /** Insertion of entries {@code [from, to)} into the window {@code idx[io, io + size)}, sorted best first, of at most k. */
    private static void insert(int from, int to, int k, int size, float[] x, int xo, int[] idx, int io) {
        for (int c = from; c < to; c++) {
            float v = x[xo + c];
            if (size == k) {
                int last = idx[io + k - 1];
                if (!before(v, c, x[xo + last], last)) {
                    continue;
                }
                size--;
            }
            int j = io + size;
            while (j > io && before(v, c, x[xo + idx[j - 1]], idx[j - 1])) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = c;
            size++;
        }
    }

    private static void siftDown(float[] x, int xo, int[] idx, int io, int i, int n) {
        int item = idx[io + i];
        float v = x[xo + item];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            int ci = idx[io + child];
            if (child + 1 < n) {
                int cj = idx[io + child + 1];
                if (before(x[xo + ci], ci, x[xo + cj], cj)) {
                    child++;
                    ci = cj;
                }
            }
            if (!before(v, item, x[xo + ci], ci)) {
                break;
            }
            idx[io + i] = ci;
            i = child;
        }
        idx[io + i] = item;
    }
}
