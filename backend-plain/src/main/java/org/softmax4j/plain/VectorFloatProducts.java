package org.softmax4j.plain;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD float32 matrix products of {@link VectorFloatKernels} (Java Vector API). Each element of {@code C} is
 * accumulated in float32 with fma in an order that does not depend on the JIT tier; an element whose fast result is
 * not finite is recomputed in {@link MatrixProducts}' order.
 *
 * <p>Both products are register-blocked: a kernel keeps a block of {@code C} in up to 20 accumulator vectors, so
 * that each vector it loads serves several fmas. The kernels, one per block shape, are generated from one template
 * per product into {@link VectorProductKernels} ({@code tools/Generate.java}); this class holds the loops over the
 * blocks, the packing of B and the stores. Why it pays: Java arrays are only 8-byte aligned, so nearly every
 * 64-byte load straddles two cache lines and costs about twice an aligned one; the loops are bound by loads, not
 * by fmas. A kernel of r rows and w columns loads {@code r + w} vectors per {@code r w} fmas. Any n is handled
 * (columns in blocks of 5 or 10); only {@code k < L} ({@code A B}, {@code A B^T}) and {@code m < L}
 * ({@code A^T B}) are left to {@link MatrixProducts}, where there is not one full vector to load. {@code A B^T} runs
 * the dot kernels of {@code A B}: its B rows are already {@code B^T}'s columns, packed by plain copies.
 *
 * <p>Measured and rejected (JDK 17, AVX-512): a broadcast form of {@code A B} (rows of B as vectors, elements of A
 * broadcast; no transposition, no lane sums) was slower, as C2 boxed or spilled its accumulators; lane sums other
 * than {@code rearrange} in registers (scalar adds or shifted reloads through an array, 8- and 4-lane vectors) were
 * slower or not compiled to SIMD, although {@code rearrange} checks its shuffle on every call; a p loop unrolled
 * twice was slower; B transposed by scalar copies was no faster than by gathers.
 */
final class VectorFloatProducts {

    private static final VectorSpecies<Float> F = VectorExp.F;
    private static final int L = VectorExp.L;
    /** Rows of A per block of {@link #matmul}; row vectors ({@code L} rows of C) per block of {@link #matmulTransA}. */
    private static final int R = 4;
    /** Columns of C per block of the dot kernels, and the row stride of their results (in floats). */
    private static final int W = VectorProductKernels.W;
    /** Columns of C per wide block of {@link #matmulTransA} (two row vectors x 10 columns). */
    private static final int WIDE = 10;

    /** Floats of the per-thread block results (one vector more, for the non-finite check of a block). */
    private static final int BLOCK_SIZE = (Math.max(R * W, 2 * WIDE) + 1) * L;

    /** Per-thread scratch, so that no call allocates; {@code bt} kept up to {@link ScratchArrays#KEPT_BYTES}. */
    private static final class Scratch {
        /** Block results of the kernels. */
        final float[] block = new float[BLOCK_SIZE];
        /** Gather indexes {@code 0, n, 2n, ..} of a column of B, for {@code n = indexColumns}. */
        final int[] index = new int[L];
        int indexColumns;
        /** Up to 5 columns of B, transposed and packed ({@link #transpose}). */
        final ScratchArrays bt = new ScratchArrays(1);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** For tests: this thread's {@code B^T} scratch. */
    static ScratchArrays threadScratch() {
        return SCRATCH.get().bt;
    }

    /** Vectors of 4 to 16 floats (every SIMD unit the JDK supports for float but 1024- and 2048-bit SVE). */
    private static final boolean SIMD = L >= 4 && L <= 16;

    private VectorFloatProducts() {
    }

    // ------------------------------------------------------------------------------------------------ A B

    /**
     * {@code C = alpha A B + beta C} as dot products of rows of {@code A} with rows of {@code B^T}: element
     * {@code (i, j)} has {@code L} lane sums, lane {@code l} a sequential fma over {@code p = l (mod L)},
     * {@code p < k - k mod L}; the lanes are added pairwise in registers (lane 0 of a shuffle tree, lane i + lane
     * i ^ h for h = L/2 .. 1), then the last {@code k mod L} products by sequential fma. So an element's bits depend on k only, not on m, n or its block. Columns of B in blocks of
     * 5 (the last 4, 2, 1), each gathered into a per-thread scratch {@code B^T} block while it is used; rows of A in
     * blocks of 4 (the last ones one by one). An element whose fast result is not finite is recomputed in the scalar
     * kernel's order (which scales by alpha before overflowing).
     */
    static void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                float[] c, int cOffset) {
        if (alpha == 0 || k < L || !SIMD) {
            MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        dots(false, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    /**
     * {@code C = alpha A B^T + beta C}: the dots of {@link #matmul}, in its blocks and its summation order, with the
     * rows of B (already the columns of {@code B^T}) copied into the packed block by contiguous vector loads instead of
     * gathers. So {@code matmulTransB(A, B)} has the bits of {@code matmul(A, B^T)}.
     */
    static void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                             float beta, float[] c, int cOffset) {
        if (alpha == 0 || k < L || !SIMD) {
            MatrixProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        dots(true, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    /** The blocked dots of {@code A B} ({@code transB}: of {@code A B^T}, B stored n x k), {@code k >= L}. */
    private static void dots(boolean transB, int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                             int bOffset, float beta, float[] c, int cOffset) {
        Scratch scratch = SCRATCH.get();
        int btSize = Math.min(n, W) * k; // at most the size of b: no int overflow
        if (!transB && scratch.indexColumns != n) {
            for (int l = 0; l < L; l++) {
                scratch.index[l] = l * n;
            }
            scratch.indexColumns = n;
        }
        float[] bt = scratch.bt.floats(0, btSize);
        float[] sums = scratch.block;
        int upper = F.loopBound(k);
        for (int j = 0; j < n; ) {
            int width = n - j >= W ? W : n - j == 4 ? 4 : n - j >= 2 ? 2 : 1;
            if (transB) {
                pack(k, j, width, b, bOffset, bt);
            } else {
                transpose(k, n, j, width, b, bOffset, scratch.index, bt);
            }
            int i = 0;
            for (; i + R <= m; i += R) {
                int ai = aOffset + i * k;
                switch (width) {
                    case W -> VectorProductKernels.dots4x5(a, ai, k, bt, 0, upper, sums);
                    case 4 -> VectorProductKernels.dots4x4(a, ai, k, bt, 0, upper, sums);
                    case 2 -> VectorProductKernels.dots4x2(a, ai, k, bt, 0, upper, sums);
                    default -> VectorProductKernels.dots4x1(a, ai, k, bt, 0, upper, sums);
                }
                storeDots(transB, i, R, j, width, sums, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            for (; i < m; i++) {
                int ai = aOffset + i * k;
                int q = 0;
                if (width >= 4) {
                    VectorProductKernels.dots1x4(a, ai, k, bt, 0, width * L, upper, sums);
                    storeDots(transB, i, 1, j, 4, sums, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                    q = 4;
                }
                for (; q < width; q++) {
                    VectorProductKernels.dots1x1(a, ai, k, bt, q * L, width * L, upper, sums);
                    storeDots(transB, i, 1, j + q, 1, sums, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                }
            }
            j += width;
        }
    }

    /**
     * Columns {@code j .. j + width} of B, rows {@code p < k - k mod L}, transposed and packed by chunks of
     * {@code L} rows: column q of chunk c at {@code bt[(c width + q) L ..]}, so that a kernel finds the vectors of
     * one chunk side by side (one address register, constant displacements). One gather per vector (one instruction
     * where scalar copies would store to several streams). The last {@code k mod L} rows are read from B itself.
     * A block of columns at a time, so that it is still in the first-level cache when the kernels read it.
     */
    private static void transpose(int k, int n, int j, int width, float[] b, int bOffset, int[] index,
                                  float[] bt) {
        int upper = F.loopBound(k);
        for (int p = 0, t = 0; p < upper; p += L) {
            int bp = bOffset + p * n + j;
            for (int q = 0; q < width; q++, t += L) {
                FloatVector.fromArray(F, b, bp + q, index, 0).intoArray(bt, t);
            }
        }
    }

    /**
     * Rows {@code j .. j + width} of a B stored {@code n x k} (the columns of {@code B^T}), packed as
     * {@link #transpose} packs columns: row q's elements {@code p .. p + L} of chunk c at {@code bt[(c width + q) L ..]},
     * each one contiguous vector load.
     */
    private static void pack(int k, int j, int width, float[] b, int bOffset, float[] bt) {
        int upper = F.loopBound(k);
        for (int p = 0, t = 0; p < upper; p += L) {
            int bp = bOffset + j * k + p;
            for (int q = 0; q < width; q++, t += L) {
                FloatVector.fromArray(F, b, bp + q * k).intoArray(bt, t);
            }
        }
    }

    /**
     * Adds the last {@code k mod L} products to the sums {@code sums[r W + q]} of rows {@code i..i+rows} and
     * columns {@code j..j+cols}, and stores them. Column j of {@code B} (of {@code B^T} when {@code transB}) is read
     * with stride n from {@code b[bOffset + j]} (stride 1 from {@code b[bOffset + j k]}).
     */
    private static void storeDots(boolean transB, int i, int rows, int j, int cols, float[] sums, int k, int n,
                                  float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c,
                                  int cOffset) {
        int upper = F.loopBound(k);
        int bStride = transB ? 1 : n;
        for (int r = 0; r < rows; r++) {
            int ai = aOffset + (i + r) * k;
            int ci = cOffset + (i + r) * n;
            for (int q = 0; q < cols; q++) {
                int bj = transB ? bOffset + (j + q) * k : bOffset + j + q;
                float s = sums[r * W + q];
                for (int p = upper; p < k; p++) {
                    s = Math.fma(a[ai + p], b[bj + p * bStride], s);
                }
                store(j + q, s, k, alpha, a, ai, 1, b, bj, bStride, beta, c, ci);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ A^T B

    /**
     * {@code C = alpha A^T B + beta C}: {@code L} consecutive columns of {@code A} (rows of {@code C}) in the lanes,
     * each lane a sequential fma over {@code p}. Blocks of {@code 4 L} rows: 2 x {@code 2 L} rows x 10 columns, then
     * {@code 4 L} rows x 5 (x 4, x 2, x 1) columns; then blocks of {@code L} rows x 4 (x 1) columns; the last
     * {@code m mod L} rows by {@link Math#fma} in the same order (same bits). Non-finite elements are recomputed in
     * the scalar kernel's order.
     */
    static void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                      float[] c, int cOffset) {
        if (alpha == 0 || m < L || !SIMD) {
            MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            return;
        }
        float[] lanes = SCRATCH.get().block;
        int i = 0;
        for (; i + R * L <= m; i += R * L) {
            int j = 0;
            for (; j + WIDE <= n; j += WIDE) {
                VectorProductKernels.axpys2x10(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, 2 * L, j, WIDE, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                VectorProductKernels.axpys2x10(a, aOffset + i + 2 * L, m, k, b, bOffset + j, n, lanes);
                storeColumns(i + 2 * L, 2 * L, j, WIDE, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c,
                        cOffset);
            }
            for (; j + W <= n; j += W) {
                VectorProductKernels.axpys4x5(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, W, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            if (j + 4 == n) {
                VectorProductKernels.axpys4x4(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, 4, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                j += 4;
            }
            if (j + 2 <= n) {
                VectorProductKernels.axpys4x2(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, 2, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                j += 2;
            }
            if (j < n) {
                VectorProductKernels.axpys4x1(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, 1, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
        }
        for (; i + L <= m; i += L) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                VectorProductKernels.axpys1x4(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, L, j, 4, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            for (; j < n; j++) {
                VectorProductKernels.axpys1x1(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, L, j, 1, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
        }
        for (; i < m; i++) {
            int ci = cOffset + i * n;
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0, ap = aOffset + i, bp = bOffset + j; p < k; p++, ap += m, bp += n) {
                    s = Math.fma(a[ap], b[bp], s);
                }
                store(j, s, k, alpha, a, aOffset + i, m, b, bOffset + j, n, beta, c, ci);
            }
        }
    }

    /**
     * Stores {@code lanes[q rows + t]} as element {@code (i + t, j + q)}, {@code t < rows}, {@code q < width}. With
     * {@code beta = 0} a vector pass first checks that every {@code alpha * lane} is finite ({@code x * 0} is NaN
     * exactly when x is not finite); then the block is a plain scaled copy, with no per-element branch.
     */
    private static void storeColumns(int i, int rows, int j, int width, float[] lanes, int m, int k, int n,
                                     float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                                     float[] c, int cOffset) {
        int size = rows * width;
        if (beta == 0) {
            FloatVector nan = FloatVector.zero(F);
            for (int v = 0; v < size; v += L) {
                nan = nan.add(FloatVector.fromArray(F, lanes, v).mul(alpha).mul(0f));
            }
            nan.intoArray(lanes, size);
            if (!Float.isNaN(VectorProductKernels.laneSum(lanes, size))) {
                for (int q = 0; q < width; q++) {
                    int l = q * rows;
                    for (int t = 0, cq = cOffset + i * n + j + q; t < rows; t++, cq += n) {
                        c[cq] = alpha * lanes[l + t];
                    }
                }
                return;
            }
        }
        for (int t = 0; t < rows; t++) {
            int ci = cOffset + (i + t) * n;
            for (int q = 0; q < width; q++) {
                store(j + q, lanes[q * rows + t], k, alpha, a, aOffset + i + t, m, b, bOffset + j + q, n, beta, c,
                        ci);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ both

    /**
     * {@code c[ci + j] = alpha * dot + beta * c[ci + j]}; if that is not finite (an overflow the scalar order
     * avoids, or a NaN or infinite input), the element is recomputed exactly as the scalar kernel computes it, from
     * {@code a[ap + p aStride]} and {@code b[bp + p bStride]}, {@code p < k}.
     */
    private static void store(int j, float dot, int k, float alpha, float[] a, int ap, int aStride, float[] b,
                              int bp, int bStride, float beta, float[] c, int ci) {
        float old = c[ci + j];
        float v = beta == 0 ? alpha * dot : alpha * dot + beta * old;
        if (!(Math.abs(v) < Float.POSITIVE_INFINITY)) {
            v = scalarOrder(k, alpha, a, ap, aStride, b, bp, bStride, beta, old);
        }
        c[ci + j] = v;
    }

    /** One element as {@link MatrixProducts} computes it: {@code beta c} plus the scaled products in order. */
    private static float scalarOrder(int k, float alpha, float[] a, int ap, int aStride, float[] b, int bp,
                                     int bStride, float beta, float old) {
        float v = beta == 0 ? 0f : beta == 1 ? old : old * beta;
        for (int p = 0; p < k; p++, ap += aStride, bp += bStride) {
            float x = a[ap];
            float y = b[bp];
            float s = alpha * x;
            if (Math.abs(alpha) <= 1f && (Math.abs(s) >= Float.MIN_NORMAL || x == 0)) {
                v += s * y;
            } else {
                v += alpha * (x * y);
            }
        }
        return v;
    }
}
