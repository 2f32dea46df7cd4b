package org.softmax4j.plain;

/**
 * The float32 scalar products of {@link org.softmax4j.kernels.MatrixProducts}, under the name
 * {@link VectorFloatProducts} calls for its scalar fallback (shapes without one full vector, non-finite results);
 * nothing is computed here.
 */
final class MatrixProducts {

    private MatrixProducts() {
    }

    static void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                       float[] c, int cOffset) {
        org.softmax4j.kernels.MatrixProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    static void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                             float beta, float[] c, int cOffset) {
        org.softmax4j.kernels.MatrixProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    static void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                             float beta, float[] c, int cOffset) {
        org.softmax4j.kernels.MatrixProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
