package org.softmax4j.plain;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD float32 matrix products of {@link VectorFloatKernels} (Java Vector API). Each element of {@code C} is
 * accumulated in float32 with fma in an order that does not depend on the JIT tier; an element whose fast result is
 * not finite is recomputed in {@link MatrixProducts}' order.
 *
 * <p>Both products are register-blocked: a kernel keeps a block of {@code C} in up to 20 accumulator vectors, so
 * that each vector it loads serves several fmas. Why it pays: Java arrays are only 8-byte aligned, so nearly every
 * 64-byte load straddles two cache lines and costs about twice an aligned one; the loops are bound by loads, not
 * by fmas. A kernel of r rows and w columns loads {@code r + w} vectors per {@code r w} fmas. Any n is handled
 * (columns in blocks of 5 or 10); only {@code k < L} ({@code A B}) and {@code m < L} ({@code A^T B}) are left to
 * {@link MatrixProducts}, where there is not one full vector to load.
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
    /** Columns of C per block of the dot kernels, and the row stride of their results (in vectors). */
    private static final int W = 5;
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

    /**
     * Shuffles of the fixed-order pairwise lane sums (lane i + lane i ^ h, h = L/2 .. 1; L at most 16, see
     * {@link #SIMD}). Written out in each kernel, step by step: a loop over them, or a method taking the vector,
     * would box it in JDK 17.
     */
    private static final VectorShuffle<Float> SWAP8 = L >= 16 ? swap(8) : null;
    private static final VectorShuffle<Float> SWAP4 = L >= 8 ? swap(4) : null;
    private static final VectorShuffle<Float> SWAP2 = L >= 4 ? swap(2) : null;
    private static final VectorShuffle<Float> SWAP1 = swap(1);

    private VectorFloatProducts() {
    }

    private static VectorShuffle<Float> swap(int h) {
        return VectorShuffle.fromOp(F, i -> i ^ h);
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
        Scratch scratch = SCRATCH.get();
        int btSize = Math.min(n, W) * k; // at most the size of b: no int overflow
        if (scratch.indexColumns != n) {
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
            transpose(k, n, j, width, b, bOffset, scratch.index, bt);
            int i = 0;
            for (; i + R <= m; i += R) {
                int ai = aOffset + i * k;
                switch (width) {
                    case W -> dots4x5(a, ai, k, bt, 0, upper, sums);
                    case 4 -> dots4x4(a, ai, k, bt, 0, upper, sums);
                    case 2 -> dots4x2(a, ai, k, bt, 0, upper, sums);
                    default -> dots4x1(a, ai, k, bt, 0, upper, sums);
                }
                storeDots(i, R, j, width, sums, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            for (; i < m; i++) {
                int ai = aOffset + i * k;
                int q = 0;
                if (width >= 4) {
                    dots1x4(a, ai, k, bt, 0, width * L, upper, sums);
                    storeDots(i, 1, j, 4, sums, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                    q = 4;
                }
                for (; q < width; q++) {
                    dots1x1(a, ai, k, bt, q * L, width * L, upper, sums);
                    storeDots(i, 1, j + q, 1, sums, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
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
     * The dots of rows {@code ai + r k} of A with the packed columns {@code q} of B^T (chunks of {@code W L} floats
     * from {@code bt[bj]}) over {@code p < upper}, {@code r < 4}, {@code q < 5}, into {@code out[r W + q]}: 20 accumulator vectors, then each one's lanes added pairwise (lane
     * 0 of a shuffle tree, lane i + lane i ^ h, h = L/2 .. 1), in registers.
     */
    private static void dots4x5(float[] a, int ai, int k, float[] bt, int bj, int upper, float[] out) {
        int a1 = ai + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s04 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s14 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s24 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        FloatVector s34 = s00;
        for (int p = 0, t = bj; p < upper; p += L, t += W * L) {
            FloatVector v0 = FloatVector.fromArray(F, bt, t);
            FloatVector v1 = FloatVector.fromArray(F, bt, t + L);
            FloatVector v2 = FloatVector.fromArray(F, bt, t + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, bt, t + 3 * L);
            FloatVector v4 = FloatVector.fromArray(F, bt, t + 4 * L);
            FloatVector u = FloatVector.fromArray(F, a, ai + p);
            s00 = u.fma(v0, s00);
            s01 = u.fma(v1, s01);
            s02 = u.fma(v2, s02);
            s03 = u.fma(v3, s03);
            s04 = u.fma(v4, s04);
            u = FloatVector.fromArray(F, a, a1 + p);
            s10 = u.fma(v0, s10);
            s11 = u.fma(v1, s11);
            s12 = u.fma(v2, s12);
            s13 = u.fma(v3, s13);
            s14 = u.fma(v4, s14);
            u = FloatVector.fromArray(F, a, a2 + p);
            s20 = u.fma(v0, s20);
            s21 = u.fma(v1, s21);
            s22 = u.fma(v2, s22);
            s23 = u.fma(v3, s23);
            s24 = u.fma(v4, s24);
            u = FloatVector.fromArray(F, a, a3 + p);
            s30 = u.fma(v0, s30);
            s31 = u.fma(v1, s31);
            s32 = u.fma(v2, s32);
            s33 = u.fma(v3, s33);
            s34 = u.fma(v4, s34);
        }
        s00 = L >= 16 ? s00.add(s00.rearrange(SWAP8)) : s00;
        s00 = L >= 8 ? s00.add(s00.rearrange(SWAP4)) : s00;
        s00 = L >= 4 ? s00.add(s00.rearrange(SWAP2)) : s00;
        out[0] = s00.add(s00.rearrange(SWAP1)).lane(0);
        s01 = L >= 16 ? s01.add(s01.rearrange(SWAP8)) : s01;
        s01 = L >= 8 ? s01.add(s01.rearrange(SWAP4)) : s01;
        s01 = L >= 4 ? s01.add(s01.rearrange(SWAP2)) : s01;
        out[1] = s01.add(s01.rearrange(SWAP1)).lane(0);
        s02 = L >= 16 ? s02.add(s02.rearrange(SWAP8)) : s02;
        s02 = L >= 8 ? s02.add(s02.rearrange(SWAP4)) : s02;
        s02 = L >= 4 ? s02.add(s02.rearrange(SWAP2)) : s02;
        out[2] = s02.add(s02.rearrange(SWAP1)).lane(0);
        s03 = L >= 16 ? s03.add(s03.rearrange(SWAP8)) : s03;
        s03 = L >= 8 ? s03.add(s03.rearrange(SWAP4)) : s03;
        s03 = L >= 4 ? s03.add(s03.rearrange(SWAP2)) : s03;
        out[3] = s03.add(s03.rearrange(SWAP1)).lane(0);
        s04 = L >= 16 ? s04.add(s04.rearrange(SWAP8)) : s04;
        s04 = L >= 8 ? s04.add(s04.rearrange(SWAP4)) : s04;
        s04 = L >= 4 ? s04.add(s04.rearrange(SWAP2)) : s04;
        out[4] = s04.add(s04.rearrange(SWAP1)).lane(0);
        s10 = L >= 16 ? s10.add(s10.rearrange(SWAP8)) : s10;
        s10 = L >= 8 ? s10.add(s10.rearrange(SWAP4)) : s10;
        s10 = L >= 4 ? s10.add(s10.rearrange(SWAP2)) : s10;
        out[5] = s10.add(s10.rearrange(SWAP1)).lane(0);
        s11 = L >= 16 ? s11.add(s11.rearrange(SWAP8)) : s11;
        s11 = L >= 8 ? s11.add(s11.rearrange(SWAP4)) : s11;
        s11 = L >= 4 ? s11.add(s11.rearrange(SWAP2)) : s11;
        out[6] = s11.add(s11.rearrange(SWAP1)).lane(0);
        s12 = L >= 16 ? s12.add(s12.rearrange(SWAP8)) : s12;
        s12 = L >= 8 ? s12.add(s12.rearrange(SWAP4)) : s12;
        s12 = L >= 4 ? s12.add(s12.rearrange(SWAP2)) : s12;
        out[7] = s12.add(s12.rearrange(SWAP1)).lane(0);
        s13 = L >= 16 ? s13.add(s13.rearrange(SWAP8)) : s13;
        s13 = L >= 8 ? s13.add(s13.rearrange(SWAP4)) : s13;
        s13 = L >= 4 ? s13.add(s13.rearrange(SWAP2)) : s13;
        out[8] = s13.add(s13.rearrange(SWAP1)).lane(0);
        s14 = L >= 16 ? s14.add(s14.rearrange(SWAP8)) : s14;
        s14 = L >= 8 ? s14.add(s14.rearrange(SWAP4)) : s14;
        s14 = L >= 4 ? s14.add(s14.rearrange(SWAP2)) : s14;
        out[9] = s14.add(s14.rearrange(SWAP1)).lane(0);
        s20 = L >= 16 ? s20.add(s20.rearrange(SWAP8)) : s20;
        s20 = L >= 8 ? s20.add(s20.rearrange(SWAP4)) : s20;
        s20 = L >= 4 ? s20.add(s20.rearrange(SWAP2)) : s20;
        out[10] = s20.add(s20.rearrange(SWAP1)).lane(0);
        s21 = L >= 16 ? s21.add(s21.rearrange(SWAP8)) : s21;
        s21 = L >= 8 ? s21.add(s21.rearrange(SWAP4)) : s21;
        s21 = L >= 4 ? s21.add(s21.rearrange(SWAP2)) : s21;
        out[11] = s21.add(s21.rearrange(SWAP1)).lane(0);
        s22 = L >= 16 ? s22.add(s22.rearrange(SWAP8)) : s22;
        s22 = L >= 8 ? s22.add(s22.rearrange(SWAP4)) : s22;
        s22 = L >= 4 ? s22.add(s22.rearrange(SWAP2)) : s22;
        out[12] = s22.add(s22.rearrange(SWAP1)).lane(0);
        s23 = L >= 16 ? s23.add(s23.rearrange(SWAP8)) : s23;
        s23 = L >= 8 ? s23.add(s23.rearrange(SWAP4)) : s23;
        s23 = L >= 4 ? s23.add(s23.rearrange(SWAP2)) : s23;
        out[13] = s23.add(s23.rearrange(SWAP1)).lane(0);
        s24 = L >= 16 ? s24.add(s24.rearrange(SWAP8)) : s24;
        s24 = L >= 8 ? s24.add(s24.rearrange(SWAP4)) : s24;
        s24 = L >= 4 ? s24.add(s24.rearrange(SWAP2)) : s24;
        out[14] = s24.add(s24.rearrange(SWAP1)).lane(0);
        s30 = L >= 16 ? s30.add(s30.rearrange(SWAP8)) : s30;
        s30 = L >= 8 ? s30.add(s30.rearrange(SWAP4)) : s30;
        s30 = L >= 4 ? s30.add(s30.rearrange(SWAP2)) : s30;
        out[15] = s30.add(s30.rearrange(SWAP1)).lane(0);
        s31 = L >= 16 ? s31.add(s31.rearrange(SWAP8)) : s31;
        s31 = L >= 8 ? s31.add(s31.rearrange(SWAP4)) : s31;
        s31 = L >= 4 ? s31.add(s31.rearrange(SWAP2)) : s31;
        out[16] = s31.add(s31.rearrange(SWAP1)).lane(0);
        s32 = L >= 16 ? s32.add(s32.rearrange(SWAP8)) : s32;
        s32 = L >= 8 ? s32.add(s32.rearrange(SWAP4)) : s32;
        s32 = L >= 4 ? s32.add(s32.rearrange(SWAP2)) : s32;
        out[17] = s32.add(s32.rearrange(SWAP1)).lane(0);
        s33 = L >= 16 ? s33.add(s33.rearrange(SWAP8)) : s33;
        s33 = L >= 8 ? s33.add(s33.rearrange(SWAP4)) : s33;
        s33 = L >= 4 ? s33.add(s33.rearrange(SWAP2)) : s33;
        out[18] = s33.add(s33.rearrange(SWAP1)).lane(0);
        s34 = L >= 16 ? s34.add(s34.rearrange(SWAP8)) : s34;
        s34 = L >= 8 ? s34.add(s34.rearrange(SWAP4)) : s34;
        s34 = L >= 4 ? s34.add(s34.rearrange(SWAP2)) : s34;
        out[19] = s34.add(s34.rearrange(SWAP1)).lane(0);
    }

    /** As {@link #dots4x5} for 4 x 4. */
    private static void dots4x4(float[] a, int ai, int k, float[] bt, int bj, int upper, float[] out) {
        int a1 = ai + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        for (int p = 0, t = bj; p < upper; p += L, t += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(F, bt, t);
            FloatVector v1 = FloatVector.fromArray(F, bt, t + L);
            FloatVector v2 = FloatVector.fromArray(F, bt, t + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, bt, t + 3 * L);
            FloatVector u = FloatVector.fromArray(F, a, ai + p);
            s00 = u.fma(v0, s00);
            s01 = u.fma(v1, s01);
            s02 = u.fma(v2, s02);
            s03 = u.fma(v3, s03);
            u = FloatVector.fromArray(F, a, a1 + p);
            s10 = u.fma(v0, s10);
            s11 = u.fma(v1, s11);
            s12 = u.fma(v2, s12);
            s13 = u.fma(v3, s13);
            u = FloatVector.fromArray(F, a, a2 + p);
            s20 = u.fma(v0, s20);
            s21 = u.fma(v1, s21);
            s22 = u.fma(v2, s22);
            s23 = u.fma(v3, s23);
            u = FloatVector.fromArray(F, a, a3 + p);
            s30 = u.fma(v0, s30);
            s31 = u.fma(v1, s31);
            s32 = u.fma(v2, s32);
            s33 = u.fma(v3, s33);
        }
        s00 = L >= 16 ? s00.add(s00.rearrange(SWAP8)) : s00;
        s00 = L >= 8 ? s00.add(s00.rearrange(SWAP4)) : s00;
        s00 = L >= 4 ? s00.add(s00.rearrange(SWAP2)) : s00;
        out[0] = s00.add(s00.rearrange(SWAP1)).lane(0);
        s01 = L >= 16 ? s01.add(s01.rearrange(SWAP8)) : s01;
        s01 = L >= 8 ? s01.add(s01.rearrange(SWAP4)) : s01;
        s01 = L >= 4 ? s01.add(s01.rearrange(SWAP2)) : s01;
        out[1] = s01.add(s01.rearrange(SWAP1)).lane(0);
        s02 = L >= 16 ? s02.add(s02.rearrange(SWAP8)) : s02;
        s02 = L >= 8 ? s02.add(s02.rearrange(SWAP4)) : s02;
        s02 = L >= 4 ? s02.add(s02.rearrange(SWAP2)) : s02;
        out[2] = s02.add(s02.rearrange(SWAP1)).lane(0);
        s03 = L >= 16 ? s03.add(s03.rearrange(SWAP8)) : s03;
        s03 = L >= 8 ? s03.add(s03.rearrange(SWAP4)) : s03;
        s03 = L >= 4 ? s03.add(s03.rearrange(SWAP2)) : s03;
        out[3] = s03.add(s03.rearrange(SWAP1)).lane(0);
        s10 = L >= 16 ? s10.add(s10.rearrange(SWAP8)) : s10;
        s10 = L >= 8 ? s10.add(s10.rearrange(SWAP4)) : s10;
        s10 = L >= 4 ? s10.add(s10.rearrange(SWAP2)) : s10;
        out[5] = s10.add(s10.rearrange(SWAP1)).lane(0);
        s11 = L >= 16 ? s11.add(s11.rearrange(SWAP8)) : s11;
        s11 = L >= 8 ? s11.add(s11.rearrange(SWAP4)) : s11;
        s11 = L >= 4 ? s11.add(s11.rearrange(SWAP2)) : s11;
        out[6] = s11.add(s11.rearrange(SWAP1)).lane(0);
        s12 = L >= 16 ? s12.add(s12.rearrange(SWAP8)) : s12;
        s12 = L >= 8 ? s12.add(s12.rearrange(SWAP4)) : s12;
        s12 = L >= 4 ? s12.add(s12.rearrange(SWAP2)) : s12;
        out[7] = s12.add(s12.rearrange(SWAP1)).lane(0);
        s13 = L >= 16 ? s13.add(s13.rearrange(SWAP8)) : s13;
        s13 = L >= 8 ? s13.add(s13.rearrange(SWAP4)) : s13;
        s13 = L >= 4 ? s13.add(s13.rearrange(SWAP2)) : s13;
        out[8] = s13.add(s13.rearrange(SWAP1)).lane(0);
        s20 = L >= 16 ? s20.add(s20.rearrange(SWAP8)) : s20;
        s20 = L >= 8 ? s20.add(s20.rearrange(SWAP4)) : s20;
        s20 = L >= 4 ? s20.add(s20.rearrange(SWAP2)) : s20;
        out[10] = s20.add(s20.rearrange(SWAP1)).lane(0);
        s21 = L >= 16 ? s21.add(s21.rearrange(SWAP8)) : s21;
        s21 = L >= 8 ? s21.add(s21.rearrange(SWAP4)) : s21;
        s21 = L >= 4 ? s21.add(s21.rearrange(SWAP2)) : s21;
        out[11] = s21.add(s21.rearrange(SWAP1)).lane(0);
        s22 = L >= 16 ? s22.add(s22.rearrange(SWAP8)) : s22;
        s22 = L >= 8 ? s22.add(s22.rearrange(SWAP4)) : s22;
        s22 = L >= 4 ? s22.add(s22.rearrange(SWAP2)) : s22;
        out[12] = s22.add(s22.rearrange(SWAP1)).lane(0);
        s23 = L >= 16 ? s23.add(s23.rearrange(SWAP8)) : s23;
        s23 = L >= 8 ? s23.add(s23.rearrange(SWAP4)) : s23;
        s23 = L >= 4 ? s23.add(s23.rearrange(SWAP2)) : s23;
        out[13] = s23.add(s23.rearrange(SWAP1)).lane(0);
        s30 = L >= 16 ? s30.add(s30.rearrange(SWAP8)) : s30;
        s30 = L >= 8 ? s30.add(s30.rearrange(SWAP4)) : s30;
        s30 = L >= 4 ? s30.add(s30.rearrange(SWAP2)) : s30;
        out[15] = s30.add(s30.rearrange(SWAP1)).lane(0);
        s31 = L >= 16 ? s31.add(s31.rearrange(SWAP8)) : s31;
        s31 = L >= 8 ? s31.add(s31.rearrange(SWAP4)) : s31;
        s31 = L >= 4 ? s31.add(s31.rearrange(SWAP2)) : s31;
        out[16] = s31.add(s31.rearrange(SWAP1)).lane(0);
        s32 = L >= 16 ? s32.add(s32.rearrange(SWAP8)) : s32;
        s32 = L >= 8 ? s32.add(s32.rearrange(SWAP4)) : s32;
        s32 = L >= 4 ? s32.add(s32.rearrange(SWAP2)) : s32;
        out[17] = s32.add(s32.rearrange(SWAP1)).lane(0);
        s33 = L >= 16 ? s33.add(s33.rearrange(SWAP8)) : s33;
        s33 = L >= 8 ? s33.add(s33.rearrange(SWAP4)) : s33;
        s33 = L >= 4 ? s33.add(s33.rearrange(SWAP2)) : s33;
        out[18] = s33.add(s33.rearrange(SWAP1)).lane(0);
    }

    /** As {@link #dots4x5} for 4 x 2. */
    private static void dots4x2(float[] a, int ai, int k, float[] bt, int bj, int upper, float[] out) {
        int a1 = ai + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        for (int p = 0, t = bj; p < upper; p += L, t += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(F, bt, t);
            FloatVector v1 = FloatVector.fromArray(F, bt, t + L);
            FloatVector u = FloatVector.fromArray(F, a, ai + p);
            s00 = u.fma(v0, s00);
            s01 = u.fma(v1, s01);
            u = FloatVector.fromArray(F, a, a1 + p);
            s10 = u.fma(v0, s10);
            s11 = u.fma(v1, s11);
            u = FloatVector.fromArray(F, a, a2 + p);
            s20 = u.fma(v0, s20);
            s21 = u.fma(v1, s21);
            u = FloatVector.fromArray(F, a, a3 + p);
            s30 = u.fma(v0, s30);
            s31 = u.fma(v1, s31);
        }
        s00 = L >= 16 ? s00.add(s00.rearrange(SWAP8)) : s00;
        s00 = L >= 8 ? s00.add(s00.rearrange(SWAP4)) : s00;
        s00 = L >= 4 ? s00.add(s00.rearrange(SWAP2)) : s00;
        out[0] = s00.add(s00.rearrange(SWAP1)).lane(0);
        s01 = L >= 16 ? s01.add(s01.rearrange(SWAP8)) : s01;
        s01 = L >= 8 ? s01.add(s01.rearrange(SWAP4)) : s01;
        s01 = L >= 4 ? s01.add(s01.rearrange(SWAP2)) : s01;
        out[1] = s01.add(s01.rearrange(SWAP1)).lane(0);
        s10 = L >= 16 ? s10.add(s10.rearrange(SWAP8)) : s10;
        s10 = L >= 8 ? s10.add(s10.rearrange(SWAP4)) : s10;
        s10 = L >= 4 ? s10.add(s10.rearrange(SWAP2)) : s10;
        out[5] = s10.add(s10.rearrange(SWAP1)).lane(0);
        s11 = L >= 16 ? s11.add(s11.rearrange(SWAP8)) : s11;
        s11 = L >= 8 ? s11.add(s11.rearrange(SWAP4)) : s11;
        s11 = L >= 4 ? s11.add(s11.rearrange(SWAP2)) : s11;
        out[6] = s11.add(s11.rearrange(SWAP1)).lane(0);
        s20 = L >= 16 ? s20.add(s20.rearrange(SWAP8)) : s20;
        s20 = L >= 8 ? s20.add(s20.rearrange(SWAP4)) : s20;
        s20 = L >= 4 ? s20.add(s20.rearrange(SWAP2)) : s20;
        out[10] = s20.add(s20.rearrange(SWAP1)).lane(0);
        s21 = L >= 16 ? s21.add(s21.rearrange(SWAP8)) : s21;
        s21 = L >= 8 ? s21.add(s21.rearrange(SWAP4)) : s21;
        s21 = L >= 4 ? s21.add(s21.rearrange(SWAP2)) : s21;
        out[11] = s21.add(s21.rearrange(SWAP1)).lane(0);
        s30 = L >= 16 ? s30.add(s30.rearrange(SWAP8)) : s30;
        s30 = L >= 8 ? s30.add(s30.rearrange(SWAP4)) : s30;
        s30 = L >= 4 ? s30.add(s30.rearrange(SWAP2)) : s30;
        out[15] = s30.add(s30.rearrange(SWAP1)).lane(0);
        s31 = L >= 16 ? s31.add(s31.rearrange(SWAP8)) : s31;
        s31 = L >= 8 ? s31.add(s31.rearrange(SWAP4)) : s31;
        s31 = L >= 4 ? s31.add(s31.rearrange(SWAP2)) : s31;
        out[16] = s31.add(s31.rearrange(SWAP1)).lane(0);
    }

    /** As {@link #dots4x5} for 4 x 1. */
    private static void dots4x1(float[] a, int ai, int k, float[] bt, int bj, int upper, float[] out) {
        int a1 = ai + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s10 = s00;
        FloatVector s20 = s00;
        FloatVector s30 = s00;
        for (int p = 0, t = bj; p < upper; p += L, t += L) {
            FloatVector v0 = FloatVector.fromArray(F, bt, t);
            FloatVector u = FloatVector.fromArray(F, a, ai + p);
            s00 = u.fma(v0, s00);
            u = FloatVector.fromArray(F, a, a1 + p);
            s10 = u.fma(v0, s10);
            u = FloatVector.fromArray(F, a, a2 + p);
            s20 = u.fma(v0, s20);
            u = FloatVector.fromArray(F, a, a3 + p);
            s30 = u.fma(v0, s30);
        }
        s00 = L >= 16 ? s00.add(s00.rearrange(SWAP8)) : s00;
        s00 = L >= 8 ? s00.add(s00.rearrange(SWAP4)) : s00;
        s00 = L >= 4 ? s00.add(s00.rearrange(SWAP2)) : s00;
        out[0] = s00.add(s00.rearrange(SWAP1)).lane(0);
        s10 = L >= 16 ? s10.add(s10.rearrange(SWAP8)) : s10;
        s10 = L >= 8 ? s10.add(s10.rearrange(SWAP4)) : s10;
        s10 = L >= 4 ? s10.add(s10.rearrange(SWAP2)) : s10;
        out[5] = s10.add(s10.rearrange(SWAP1)).lane(0);
        s20 = L >= 16 ? s20.add(s20.rearrange(SWAP8)) : s20;
        s20 = L >= 8 ? s20.add(s20.rearrange(SWAP4)) : s20;
        s20 = L >= 4 ? s20.add(s20.rearrange(SWAP2)) : s20;
        out[10] = s20.add(s20.rearrange(SWAP1)).lane(0);
        s30 = L >= 16 ? s30.add(s30.rearrange(SWAP8)) : s30;
        s30 = L >= 8 ? s30.add(s30.rearrange(SWAP4)) : s30;
        s30 = L >= 4 ? s30.add(s30.rearrange(SWAP2)) : s30;
        out[15] = s30.add(s30.rearrange(SWAP1)).lane(0);
    }

    /** As {@link #dots4x5} for 1 x 4, in a packed block of chunks of {@code step} floats. */
    private static void dots1x4(float[] a, int ai, int k, float[] bt, int bj, int step, int upper, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        for (int p = 0, t = bj; p < upper; p += L, t += step) {
            FloatVector v0 = FloatVector.fromArray(F, bt, t);
            FloatVector v1 = FloatVector.fromArray(F, bt, t + L);
            FloatVector v2 = FloatVector.fromArray(F, bt, t + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, bt, t + 3 * L);
            FloatVector u = FloatVector.fromArray(F, a, ai + p);
            s00 = u.fma(v0, s00);
            s01 = u.fma(v1, s01);
            s02 = u.fma(v2, s02);
            s03 = u.fma(v3, s03);
        }
        s00 = L >= 16 ? s00.add(s00.rearrange(SWAP8)) : s00;
        s00 = L >= 8 ? s00.add(s00.rearrange(SWAP4)) : s00;
        s00 = L >= 4 ? s00.add(s00.rearrange(SWAP2)) : s00;
        out[0] = s00.add(s00.rearrange(SWAP1)).lane(0);
        s01 = L >= 16 ? s01.add(s01.rearrange(SWAP8)) : s01;
        s01 = L >= 8 ? s01.add(s01.rearrange(SWAP4)) : s01;
        s01 = L >= 4 ? s01.add(s01.rearrange(SWAP2)) : s01;
        out[1] = s01.add(s01.rearrange(SWAP1)).lane(0);
        s02 = L >= 16 ? s02.add(s02.rearrange(SWAP8)) : s02;
        s02 = L >= 8 ? s02.add(s02.rearrange(SWAP4)) : s02;
        s02 = L >= 4 ? s02.add(s02.rearrange(SWAP2)) : s02;
        out[2] = s02.add(s02.rearrange(SWAP1)).lane(0);
        s03 = L >= 16 ? s03.add(s03.rearrange(SWAP8)) : s03;
        s03 = L >= 8 ? s03.add(s03.rearrange(SWAP4)) : s03;
        s03 = L >= 4 ? s03.add(s03.rearrange(SWAP2)) : s03;
        out[3] = s03.add(s03.rearrange(SWAP1)).lane(0);
    }

    /** As {@link #dots4x5} for 1 x 1, in a packed block of chunks of {@code step} floats. */
    private static void dots1x1(float[] a, int ai, int k, float[] bt, int bj, int step, int upper, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        for (int p = 0, t = bj; p < upper; p += L, t += step) {
            FloatVector v0 = FloatVector.fromArray(F, bt, t);
            FloatVector u = FloatVector.fromArray(F, a, ai + p);
            s00 = u.fma(v0, s00);
        }
        s00 = L >= 16 ? s00.add(s00.rearrange(SWAP8)) : s00;
        s00 = L >= 8 ? s00.add(s00.rearrange(SWAP4)) : s00;
        s00 = L >= 4 ? s00.add(s00.rearrange(SWAP2)) : s00;
        out[0] = s00.add(s00.rearrange(SWAP1)).lane(0);
    }

    /**
     * Adds the last {@code k mod L} products to the sums {@code sums[r W + q]} of rows {@code i..i+rows} and
     * columns {@code j..j+cols}, and stores them.
     */
    private static void storeDots(int i, int rows, int j, int cols, float[] sums, int k, int n, float alpha,
                                  float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
        int upper = F.loopBound(k);
        for (int r = 0; r < rows; r++) {
            int ai = aOffset + (i + r) * k;
            int ci = cOffset + (i + r) * n;
            for (int q = 0; q < cols; q++) {
                int bj = bOffset + j + q;
                float s = sums[r * W + q];
                for (int p = upper; p < k; p++) {
                    s = Math.fma(a[ai + p], b[bj + p * n], s);
                }
                store(j + q, s, k, alpha, a, ai, 1, b, bj, n, beta, c, ci);
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
                axpys2x10(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, 2 * L, j, WIDE, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                axpys2x10(a, aOffset + i + 2 * L, m, k, b, bOffset + j, n, lanes);
                storeColumns(i + 2 * L, 2 * L, j, WIDE, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c,
                        cOffset);
            }
            for (; j + W <= n; j += W) {
                axpys4x5(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, W, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            if (j + 4 == n) {
                axpys4x4(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, 4, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                j += 4;
            }
            if (j + 2 <= n) {
                axpys4x2(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, 2, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
                j += 2;
            }
            if (j < n) {
                axpys4x1(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, R * L, j, 1, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
        }
        for (; i + L <= m; i += L) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                axpys1x4(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
                storeColumns(i, L, j, 4, lanes, m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
            }
            for (; j < n; j++) {
                axpys1x1(a, aOffset + i, m, k, b, bOffset + j, n, lanes);
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
     * Rows {@code ai - aOffset .. + 4 L} and columns {@code bj - bOffset .. + 5} of {@code A^T B} (no alpha,
     * beta): lane {@code l} of row vector {@code r} and column {@code q} into {@code out[(q 4 + r) L + l]}, so
     * column q's {@code 4 L} rows are consecutive.
     */
    private static void axpys4x5(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s04 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s14 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s24 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        FloatVector s34 = s00;
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector u1 = FloatVector.fromArray(F, a, ap + L);
            FloatVector u2 = FloatVector.fromArray(F, a, ap + 2 * L);
            FloatVector u3 = FloatVector.fromArray(F, a, ap + 3 * L);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
            s10 = u1.fma(v, s10);
            s20 = u2.fma(v, s20);
            s30 = u3.fma(v, s30);
            v = FloatVector.broadcast(F, b[bp + 1]);
            s01 = u0.fma(v, s01);
            s11 = u1.fma(v, s11);
            s21 = u2.fma(v, s21);
            s31 = u3.fma(v, s31);
            v = FloatVector.broadcast(F, b[bp + 2]);
            s02 = u0.fma(v, s02);
            s12 = u1.fma(v, s12);
            s22 = u2.fma(v, s22);
            s32 = u3.fma(v, s32);
            v = FloatVector.broadcast(F, b[bp + 3]);
            s03 = u0.fma(v, s03);
            s13 = u1.fma(v, s13);
            s23 = u2.fma(v, s23);
            s33 = u3.fma(v, s33);
            v = FloatVector.broadcast(F, b[bp + 4]);
            s04 = u0.fma(v, s04);
            s14 = u1.fma(v, s14);
            s24 = u2.fma(v, s24);
            s34 = u3.fma(v, s34);
        }
        s00.intoArray(out, 0);
        s10.intoArray(out, L);
        s20.intoArray(out, 2 * L);
        s30.intoArray(out, 3 * L);
        s01.intoArray(out, 4 * L);
        s11.intoArray(out, 5 * L);
        s21.intoArray(out, 6 * L);
        s31.intoArray(out, 7 * L);
        s02.intoArray(out, 8 * L);
        s12.intoArray(out, 9 * L);
        s22.intoArray(out, 10 * L);
        s32.intoArray(out, 11 * L);
        s03.intoArray(out, 12 * L);
        s13.intoArray(out, 13 * L);
        s23.intoArray(out, 14 * L);
        s33.intoArray(out, 15 * L);
        s04.intoArray(out, 16 * L);
        s14.intoArray(out, 17 * L);
        s24.intoArray(out, 18 * L);
        s34.intoArray(out, 19 * L);
    }

    /** As {@link #axpys4x5} for 2 row vector(s) x 10 column(s): column q's rows at {@code out[q 2 L ..]}. */
    private static void axpys2x10(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s04 = s00;
        FloatVector s05 = s00;
        FloatVector s06 = s00;
        FloatVector s07 = s00;
        FloatVector s08 = s00;
        FloatVector s09 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s14 = s00;
        FloatVector s15 = s00;
        FloatVector s16 = s00;
        FloatVector s17 = s00;
        FloatVector s18 = s00;
        FloatVector s19 = s00;
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector u1 = FloatVector.fromArray(F, a, ap + L);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
            s10 = u1.fma(v, s10);
            v = FloatVector.broadcast(F, b[bp + 1]);
            s01 = u0.fma(v, s01);
            s11 = u1.fma(v, s11);
            v = FloatVector.broadcast(F, b[bp + 2]);
            s02 = u0.fma(v, s02);
            s12 = u1.fma(v, s12);
            v = FloatVector.broadcast(F, b[bp + 3]);
            s03 = u0.fma(v, s03);
            s13 = u1.fma(v, s13);
            v = FloatVector.broadcast(F, b[bp + 4]);
            s04 = u0.fma(v, s04);
            s14 = u1.fma(v, s14);
            v = FloatVector.broadcast(F, b[bp + 5]);
            s05 = u0.fma(v, s05);
            s15 = u1.fma(v, s15);
            v = FloatVector.broadcast(F, b[bp + 6]);
            s06 = u0.fma(v, s06);
            s16 = u1.fma(v, s16);
            v = FloatVector.broadcast(F, b[bp + 7]);
            s07 = u0.fma(v, s07);
            s17 = u1.fma(v, s17);
            v = FloatVector.broadcast(F, b[bp + 8]);
            s08 = u0.fma(v, s08);
            s18 = u1.fma(v, s18);
            v = FloatVector.broadcast(F, b[bp + 9]);
            s09 = u0.fma(v, s09);
            s19 = u1.fma(v, s19);
        }
        s00.intoArray(out, 0);
        s10.intoArray(out, L);
        s01.intoArray(out, 2 * L);
        s11.intoArray(out, 3 * L);
        s02.intoArray(out, 4 * L);
        s12.intoArray(out, 5 * L);
        s03.intoArray(out, 6 * L);
        s13.intoArray(out, 7 * L);
        s04.intoArray(out, 8 * L);
        s14.intoArray(out, 9 * L);
        s05.intoArray(out, 10 * L);
        s15.intoArray(out, 11 * L);
        s06.intoArray(out, 12 * L);
        s16.intoArray(out, 13 * L);
        s07.intoArray(out, 14 * L);
        s17.intoArray(out, 15 * L);
        s08.intoArray(out, 16 * L);
        s18.intoArray(out, 17 * L);
        s09.intoArray(out, 18 * L);
        s19.intoArray(out, 19 * L);
    }

    /** As {@link #axpys4x5} for 4 row vector(s) x 4 column(s): column q's rows at {@code out[q 4 L ..]}. */
    private static void axpys4x4(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector u1 = FloatVector.fromArray(F, a, ap + L);
            FloatVector u2 = FloatVector.fromArray(F, a, ap + 2 * L);
            FloatVector u3 = FloatVector.fromArray(F, a, ap + 3 * L);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
            s10 = u1.fma(v, s10);
            s20 = u2.fma(v, s20);
            s30 = u3.fma(v, s30);
            v = FloatVector.broadcast(F, b[bp + 1]);
            s01 = u0.fma(v, s01);
            s11 = u1.fma(v, s11);
            s21 = u2.fma(v, s21);
            s31 = u3.fma(v, s31);
            v = FloatVector.broadcast(F, b[bp + 2]);
            s02 = u0.fma(v, s02);
            s12 = u1.fma(v, s12);
            s22 = u2.fma(v, s22);
            s32 = u3.fma(v, s32);
            v = FloatVector.broadcast(F, b[bp + 3]);
            s03 = u0.fma(v, s03);
            s13 = u1.fma(v, s13);
            s23 = u2.fma(v, s23);
            s33 = u3.fma(v, s33);
        }
        s00.intoArray(out, 0);
        s10.intoArray(out, L);
        s20.intoArray(out, 2 * L);
        s30.intoArray(out, 3 * L);
        s01.intoArray(out, 4 * L);
        s11.intoArray(out, 5 * L);
        s21.intoArray(out, 6 * L);
        s31.intoArray(out, 7 * L);
        s02.intoArray(out, 8 * L);
        s12.intoArray(out, 9 * L);
        s22.intoArray(out, 10 * L);
        s32.intoArray(out, 11 * L);
        s03.intoArray(out, 12 * L);
        s13.intoArray(out, 13 * L);
        s23.intoArray(out, 14 * L);
        s33.intoArray(out, 15 * L);
    }

    /** As {@link #axpys4x5} for 4 row vector(s) x 2 column(s): column q's rows at {@code out[q 4 L ..]}. */
    private static void axpys4x2(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector u1 = FloatVector.fromArray(F, a, ap + L);
            FloatVector u2 = FloatVector.fromArray(F, a, ap + 2 * L);
            FloatVector u3 = FloatVector.fromArray(F, a, ap + 3 * L);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
            s10 = u1.fma(v, s10);
            s20 = u2.fma(v, s20);
            s30 = u3.fma(v, s30);
            v = FloatVector.broadcast(F, b[bp + 1]);
            s01 = u0.fma(v, s01);
            s11 = u1.fma(v, s11);
            s21 = u2.fma(v, s21);
            s31 = u3.fma(v, s31);
        }
        s00.intoArray(out, 0);
        s10.intoArray(out, L);
        s20.intoArray(out, 2 * L);
        s30.intoArray(out, 3 * L);
        s01.intoArray(out, 4 * L);
        s11.intoArray(out, 5 * L);
        s21.intoArray(out, 6 * L);
        s31.intoArray(out, 7 * L);
    }

    /** As {@link #axpys4x5} for 4 row vector(s) x 1 column(s): column q's rows at {@code out[q 4 L ..]}. */
    private static void axpys4x1(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s10 = s00;
        FloatVector s20 = s00;
        FloatVector s30 = s00;
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector u1 = FloatVector.fromArray(F, a, ap + L);
            FloatVector u2 = FloatVector.fromArray(F, a, ap + 2 * L);
            FloatVector u3 = FloatVector.fromArray(F, a, ap + 3 * L);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
            s10 = u1.fma(v, s10);
            s20 = u2.fma(v, s20);
            s30 = u3.fma(v, s30);
        }
        s00.intoArray(out, 0);
        s10.intoArray(out, L);
        s20.intoArray(out, 2 * L);
        s30.intoArray(out, 3 * L);
    }

    /** As {@link #axpys4x5} for 1 row vector(s) x 4 column(s): column q's rows at {@code out[q 1 L ..]}. */
    private static void axpys1x4(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
            v = FloatVector.broadcast(F, b[bp + 1]);
            s01 = u0.fma(v, s01);
            v = FloatVector.broadcast(F, b[bp + 2]);
            s02 = u0.fma(v, s02);
            v = FloatVector.broadcast(F, b[bp + 3]);
            s03 = u0.fma(v, s03);
        }
        s00.intoArray(out, 0);
        s01.intoArray(out, L);
        s02.intoArray(out, 2 * L);
        s03.intoArray(out, 3 * L);
    }

    /** As {@link #axpys4x5} for 1 row vector(s) x 1 column(s): column q's rows at {@code out[q 1 L ..]}. */
    private static void axpys1x1(float[] a, int ai, int m, int k, float[] b, int bj, int n, float[] out) {
        FloatVector s00 = FloatVector.zero(F);
        for (int p = 0, ap = ai, bp = bj; p < k; p++, ap += m, bp += n) {
            FloatVector u0 = FloatVector.fromArray(F, a, ap);
            FloatVector v = FloatVector.broadcast(F, b[bp]);
            s00 = u0.fma(v, s00);
        }
        s00.intoArray(out, 0);
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
            if (!Float.isNaN(laneSum(lanes, size))) {
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
     * The lanes {@code lanes[offset .. offset + L)} added pairwise as the dot kernels add theirs (lane 0 of a
     * shuffle tree, lane i + lane i ^ h for h = L/2 .. 1); here only to tell whether a block has a NaN. It takes an
     * array, not a vector: a vector argument of a call the JIT does not inline is boxed.
     */
    private static float laneSum(float[] lanes, int offset) {
        FloatVector v = FloatVector.fromArray(F, lanes, offset);
        if (L >= 16) {
            v = v.add(v.rearrange(SWAP8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(SWAP4));
        }
        if (L >= 4) {
            v = v.add(v.rearrange(SWAP2));
        }
        return v.add(v.rearrange(SWAP1)).lane(0);
    }

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
