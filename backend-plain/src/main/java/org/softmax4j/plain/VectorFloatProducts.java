package org.softmax4j.plain;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD float32 matrix products of {@link VectorFloatKernels} (Java Vector API). Each element of {@code C} is
 * accumulated in float32 with fma in an order that does not depend on the JIT tier; an element whose fast result is
 * not finite is recomputed in {@link MatrixProducts}' order.
 */
final class VectorFloatProducts {

    private static final VectorSpecies<Float> F = VectorExp.F;
    private static final int L = VectorExp.L;
    /** Largest n for which the products keep one accumulator vector per column of B. */
    static final int MAX_PRODUCT_COLS = 16;

    /** Per-thread scratch, by slot: lane sums, and B^T. They grow, never shrink: no allocation per call. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);
    private static final int LANES = 0;
    private static final int BT = 1;

    /** Shuffles of a fixed-order pairwise lane reduction (lane i += lane i ^ h). */
    private static final VectorShuffle<Float>[] HALVES = halves();

    private VectorFloatProducts() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halves() {
        int steps = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] shuffles = new VectorShuffle[steps];
        for (int s = 0, h = L / 2; h >= 1; s++, h /= 2) {
            int half = h;
            shuffles[s] = VectorShuffle.fromOp(F, i -> i ^ half);
        }
        return shuffles;
    }

    private static float[] scratch(int slot, int size) {
        float[][] holder = SCRATCH.get();
        float[] s = holder[slot];
        if (s == null || s.length < size) {
            s = new float[Math.max(size, 4 * L)];
            holder[slot] = s;
        }
        return s;
    }


    /**
     * {@code C = alpha A B + beta C} as dot products of rows of {@code A} with rows of {@code B^T} (transposed into
     * a per-thread scratch), four columns at a time, lanes added pairwise in a fixed order. An element whose fast
     * result is not finite is recomputed in the scalar kernel's order (which scales by alpha before overflowing).
     */
    static void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                float[] c, int cOffset) {
        if (alpha == 0 || n > MAX_PRODUCT_COLS || k < L) {
            MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        float[] bt = scratch(BT, k * n);
        for (int p = 0; p < k; p++) {
            int bp = bOffset + p * n;
            for (int j = 0; j < n; j++) {
                bt[j * k + p] = b[bp + j];
            }
        }
        int upper = F.loopBound(k);
        for (int i = 0; i < m; i++) {
            int ai = aOffset + i * k;
            int ci = cOffset + i * n;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = j * k;
                int b1 = b0 + k;
                int b2 = b1 + k;
                int b3 = b2 + k;
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                for (int p = 0; p < upper; p += L) {
                    FloatVector av = FloatVector.fromArray(F, a, ai + p);
                    s0 = av.fma(FloatVector.fromArray(F, bt, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(F, bt, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(F, bt, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(F, bt, b3 + p), s3);
                }
                store(i, j, dotTail(k, upper, a, ai, bt, b0, sumLanes(s0)), m, k, n, alpha, a, aOffset, b, bOffset,
                        beta, c, ci, false);
                store(i, j + 1, dotTail(k, upper, a, ai, bt, b1, sumLanes(s1)), m, k, n, alpha, a, aOffset, b,
                        bOffset, beta, c, ci, false);
                store(i, j + 2, dotTail(k, upper, a, ai, bt, b2, sumLanes(s2)), m, k, n, alpha, a, aOffset, b,
                        bOffset, beta, c, ci, false);
                store(i, j + 3, dotTail(k, upper, a, ai, bt, b3, sumLanes(s3)), m, k, n, alpha, a, aOffset, b,
                        bOffset, beta, c, ci, false);
            }
            for (; j < n; j++) {
                int b0 = j * k;
                FloatVector s0 = FloatVector.zero(F);
                for (int p = 0; p < upper; p += L) {
                    s0 = FloatVector.fromArray(F, a, ai + p).fma(FloatVector.fromArray(F, bt, b0 + p), s0);
                }
                store(i, j, dotTail(k, upper, a, ai, bt, b0, sumLanes(s0)), m, k, n, alpha, a, aOffset, b, bOffset,
                        beta, c, ci, false);
            }
        }
    }

    /**
     * {@code C = alpha A^T B + beta C}: {@code L} consecutive columns of {@code A} (rows of {@code C}) in the lanes,
     * each lane a sequential fma over {@code p}; the last {@code m mod L} rows by {@link Math#fma} in the same order
     * (same bits). Non-finite elements are recomputed in the scalar kernel's order.
     */
    static void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                      float[] c, int cOffset) {
        if (alpha == 0 || n > MAX_PRODUCT_COLS || m < L) {
            MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        float[] lanes = scratch(LANES, 4 * L);
        int upper = F.loopBound(m);
        for (int i = 0; i < upper; i += L) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                for (int p = 0, ap = aOffset + i, bp = bOffset + j; p < k; p++, ap += m, bp += n) {
                    FloatVector av = FloatVector.fromArray(F, a, ap);
                    s0 = av.fma(FloatVector.broadcast(F, b[bp]), s0);
                    s1 = av.fma(FloatVector.broadcast(F, b[bp + 1]), s1);
                    s2 = av.fma(FloatVector.broadcast(F, b[bp + 2]), s2);
                    s3 = av.fma(FloatVector.broadcast(F, b[bp + 3]), s3);
                }
                s0.intoArray(lanes, 0);
                s1.intoArray(lanes, L);
                s2.intoArray(lanes, 2 * L);
                s3.intoArray(lanes, 3 * L);
                storeColumns(i, j, 4, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            for (; j < n; j++) {
                FloatVector s0 = FloatVector.zero(F);
                for (int p = 0, ap = aOffset + i, bp = bOffset + j; p < k; p++, ap += m, bp += n) {
                    s0 = FloatVector.fromArray(F, a, ap).fma(FloatVector.broadcast(F, b[bp]), s0);
                }
                s0.intoArray(lanes, 0);
                storeColumns(i, j, 1, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
        }
        for (int i = upper; i < m; i++) {
            int ci = cOffset + i * n;
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0, ap = aOffset + i, bp = bOffset + j; p < k; p++, ap += m, bp += n) {
                    s = Math.fma(a[ap], b[bp], s);
                }
                store(i, j, s, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, ci, true);
            }
        }
    }

    /** Stores lanes {@code [q * L, q * L + L)} of {@code lanes} as rows {@code i..i+L} of column {@code j + q}. */
    private static void storeColumns(int i, int j, int width, float[] lanes, int m, int k, int n, float alpha,
                                     float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c,
                                     int cOffset) {
        for (int l = 0; l < L; l++) {
            int ci = cOffset + (i + l) * n;
            for (int q = 0; q < width; q++) {
                store(i + l, j + q, lanes[q * L + l], m, k, n, alpha, a, aOffset, b, bOffset, beta, c, ci, true);
            }
        }
    }

    /** The lanes of {@code v} added pairwise (lane i + lane i ^ h, h = L/2 .. 1): the same order in every tier. */
    private static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> h : HALVES) {
            v = v.add(v.rearrange(h));
        }
        return v.lane(0);
    }

    private static float dotTail(int k, int upper, float[] a, int ai, float[] bt, int bj, float s) {
        for (int p = upper; p < k; p++) {
            s = Math.fma(a[ai + p], bt[bj + p], s);
        }
        return s;
    }

    /**
     * {@code c[i, j] = alpha * dot + beta * c[i, j]}; if that is not finite (an overflow the scalar order avoids,
     * or a NaN or infinite input), the element is recomputed exactly as the scalar kernel computes it.
     */
    private static void store(int i, int j, float dot, int m, int k, int n, float alpha, float[] a, int aOffset,
                              float[] b, int bOffset, float beta, float[] c, int ci, boolean transA) {
        float old = c[ci + j];
        float v = beta == 0 ? alpha * dot : alpha * dot + beta * old;
        if (!(Math.abs(v) < Float.POSITIVE_INFINITY)) {
            v = beta == 0 ? 0f : beta == 1 ? old : old * beta;
            for (int p = 0; p < k; p++) {
                float ap = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                float bpj = b[bOffset + p * n + j];
                float s = alpha * ap;
                if (Math.abs(alpha) <= 1f && (Math.abs(s) >= Float.MIN_NORMAL || ap == 0)) {
                    v += s * bpj;
                } else {
                    v += alpha * (ap * bpj);
                }
            }
        }
        c[ci + j] = v;
    }
}
