package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorFloatProducts} gives, bit for bit, what a scalar model of its documented summation order gives: for
 * {@code A B}, {@code L} lane sums (lane l a sequential fma over p = l mod L), added pairwise, then the last
 * {@code k mod L} products by fma (and {@code A B^T} the same, B read along its rows); for {@code A^T B}, one
 * sequential fma over p. The model uses only
 * {@link Math#fma} and float adds, which round the same in every JIT tier, so equality here is what makes the
 * products tier-independent. Elements whose result is not finite must be those of {@link MatrixProducts}. Every
 * block shape of the kernels is reached: m and n around the block sizes, k around multiples of L, offsets.
 */
class VectorFloatProductsTest {

    private static final boolean EXPECT_SIMD = Boolean.getBoolean("softmax4j.test.expectSimd");

    @Test
    void productsFollowTheirDocumentedOrderBitForBit() {
        if (!EXPECT_SIMD) {
            return; // VectorFloatProducts is SIMD-only code; without the module it cannot load
        }
        int lanes = VectorExp.L;
        SplittableRandom random = new SplittableRandom(20261121);
        int[] ms = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 70, 100};
        int[] ks = {1, 3, lanes - 1, lanes, lanes + 1, 2 * lanes + 5, 100};
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 24, 33, 64}) {
            for (int m : ms) {
                int k = ks[random.nextInt(ks.length)];
                float alpha = new float[] {1f, 0.5f, -3f}[random.nextInt(3)];
                float beta = new float[] {0f, 1f, -0.25f}[random.nextInt(3)];
                for (Form form : Form.values()) {
                    check(form, m, k, n, alpha, beta, Style.ORDINARY, random);
                }
            }
        }
    }

    @Test
    void softmaxRegressionShapes() {
        if (!EXPECT_SIMD) {
            return;
        }
        SplittableRandom random = new SplittableRandom(7);
        check(Form.AB, 100, 784, 10, 1f, 0f, Style.ORDINARY, random);
        check(Form.ATB, 784, 100, 10, 1f, 0f, Style.ORDINARY, random);
        check(Form.ATB, 784, 100, 10, -0.01f, 1f, Style.ORDINARY, random);
        check(Form.AB, 100, 784, 100, 1f, 0f, Style.ORDINARY, random);
        check(Form.ATB, 784, 100, 100, 1f, 0f, Style.ORDINARY, random);
        check(Form.ABT, 100, 10, 784, 1f, 0f, Style.ORDINARY, random); // dZ W^T of a hidden layer
        check(Form.ABT, 256, 1000, 128, 1f, 0f, Style.ORDINARY, random);
    }

    @Test
    void nonFiniteElementsAreThoseOfTheScalarKernel() {
        if (!EXPECT_SIMD) {
            return;
        }
        SplittableRandom random = new SplittableRandom(11);
        for (Style style : new Style[] {Style.HUGE, Style.SPECIAL}) {
            for (int[] shape : new int[][] {{9, 40, 10}, {70, 33, 7}, {5, 16, 16}, {33, 20, 23}}) {
                for (float beta : new float[] {0f, 1f, 0.5f}) {
                    for (Form form : Form.values()) {
                        check(form, shape[0], shape[1], shape[2], 1f, beta, style, random);
                        check(form, shape[0], shape[1], shape[2], 3f, beta, style, random);
                    }
                }
            }
        }
    }

    private enum Style { ORDINARY, HUGE, SPECIAL }

    /** {@code A B}, {@code A^T B}, {@code A B^T}. */
    private enum Form { AB, ATB, ABT }

    private static void check(Form form, int m, int k, int n, float alpha, float beta, Style style,
                              SplittableRandom random) {
        int aOffset = random.nextInt(3);
        int bOffset = random.nextInt(3);
        int cOffset = random.nextInt(3);
        float[] a = values(aOffset + m * k, style, random);
        float[] b = values(bOffset + k * n, style, random);
        float[] c = values(cOffset + m * n, Style.ORDINARY, random);
        float[] actual = c.clone();
        float[] scalar = c.clone();
        switch (form) {
            case ATB -> {
                VectorFloatProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, actual, cOffset);
                MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, scalar, cOffset);
            }
            case ABT -> {
                VectorFloatProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, actual, cOffset);
                MatrixProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, scalar, cOffset);
            }
            default -> {
                VectorFloatProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, actual, cOffset);
                MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, scalar, cOffset);
            }
        }
        boolean transA = form == Form.ATB;
        boolean simd = VectorExp.L >= 4 && VectorExp.L <= 16 && (transA ? m >= VectorExp.L : k >= VectorExp.L);
        String what = form + " m=" + m + " k=" + k + " n=" + n + " alpha=" + alpha + " beta="
                + beta + " " + style;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOffset + i * n + j;
                float want = scalar[at];
                if (simd) {
                    float dot = switch (form) {
                        case ATB -> sequentialDot(m, k, n, a, aOffset, b, bOffset, i, j);
                        case ABT -> laneDot(k, 1, a, aOffset + i * k, b, bOffset + j * k);
                        default -> laneDot(k, n, a, aOffset + i * k, b, bOffset + j);
                    };
                    float old = c[at];
                    float v = beta == 0 ? alpha * dot : alpha * dot + beta * old;
                    if (Math.abs(v) < Float.POSITIVE_INFINITY) {
                        want = v;
                    }
                }
                float expected = want;
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual[at]),
                        () -> what + " element (" + (at - cOffset) / n + ", " + (at - cOffset) % n + "): expected "
                                + expected + ", got " + actual[at]);
            }
        }
        for (int t = 0; t < cOffset; t++) {
            assertEquals(Float.floatToIntBits(c[t]), Float.floatToIntBits(actual[t]), what + ": wrote before C");
        }
    }

    /** Row {@code ai} of A times the column of B at {@code bj} (stride n) in the lane order of {@code matmul}. */
    private static float laneDot(int k, int n, float[] a, int ai, float[] b, int bj) {
        int lanes = VectorExp.L;
        int upper = k - k % lanes;
        float[] s = new float[lanes];
        for (int p = 0; p < upper; p++) {
            s[p % lanes] = Math.fma(a[ai + p], b[bj + p * n], s[p % lanes]);
        }
        for (int h = lanes / 2; h >= 1; h /= 2) {
            float[] next = new float[lanes];
            for (int l = 0; l < lanes; l++) {
                next[l] = s[l] + s[l ^ h];
            }
            s = next;
        }
        float dot = s[0];
        for (int p = upper; p < k; p++) {
            dot = Math.fma(a[ai + p], b[bj + p * n], dot);
        }
        return dot;
    }

    private static float sequentialDot(int m, int k, int n, float[] a, int aOffset, float[] b, int bOffset, int i,
                                       int j) {
        float s = 0;
        for (int p = 0; p < k; p++) {
            s = Math.fma(a[aOffset + p * m + i], b[bOffset + p * n + j], s);
        }
        return s;
    }

    private static float[] values(int size, Style style, SplittableRandom random) {
        float[] x = new float[size];
        for (int t = 0; t < size; t++) {
            x[t] = (float) random.nextDouble(-2, 2);
            if (style == Style.HUGE && random.nextInt(8) == 0) {
                x[t] = (random.nextBoolean() ? 1 : -1) * 0x1p126f * (float) random.nextDouble(1, 2);
            } else if (style == Style.SPECIAL && random.nextInt(20) == 0) {
                x[t] = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[random.nextInt(3)];
            }
        }
        return x;
    }
}
