package org.softmax4j.ejml;

import static org.softmax4j.ejml.Arrays2.SHAPES;
import static org.softmax4j.ejml.Arrays2.assertBitwise;
import static org.softmax4j.ejml.Arrays2.assertClose;
import static org.softmax4j.ejml.Arrays2.rowUlps;
import static org.softmax4j.ejml.Arrays2.toFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.plain.PlainSoftmaxOps;

/**
 * The ejml backend against the plain backend on seeded random inputs, every op, both dtypes: bit for bit where the
 * two run the same algorithm, and where they do not (float32 softmax, temperature and masked softmax, float32
 * cross-entropy gradients: ejml rounds once from float64, plain rounds the exponential to float32 first) within the
 * conformance bound of each, and ejml within one float32 ulp of its own float64 result.
 */
class EjmlAgreesWithPlainTest {

    private final SoftmaxOps ejml = new EjmlSoftmaxOps();
    private final SoftmaxOps plain = new PlainSoftmaxOps();

    private static String what(String op, String dtype, int rows, int cols) {
        return op + " " + dtype + " " + rows + "x" + cols;
    }

    @Test
    void softmaxFamilyFloat64IsBitIdentical() {
        Random rnd = new Random(1);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            double[] x = Arrays2.logits(rnd, n);
            boolean[] mask = mask(rnd, n);
            double[] a = new double[n];
            double[] b = new double[n];
            plain.softmax(rows, cols, x, 0, a, 0);
            ejml.softmax(rows, cols, x, 0, b, 0);
            assertBitwise(what("softmax", "f64", rows, cols), a, b);
            plain.softmax(rows, cols, 0.37, x, 0, a, 0);
            ejml.softmax(rows, cols, 0.37, x, 0, b, 0);
            assertBitwise(what("softmax T", "f64", rows, cols), a, b);
            plain.maskedSoftmax(rows, cols, x, 0, mask, 0, a, 0);
            ejml.maskedSoftmax(rows, cols, x, 0, mask, 0, b, 0);
            assertBitwise(what("maskedSoftmax", "f64", rows, cols), a, b);
            plain.logSoftmax(rows, cols, x, 0, a, 0);
            ejml.logSoftmax(rows, cols, x, 0, b, 0);
            assertBitwise(what("logSoftmax", "f64", rows, cols), a, b);
            double[] la = new double[rows];
            double[] lb = new double[rows];
            plain.logSumExp(rows, cols, x, 0, la, 0);
            ejml.logSumExp(rows, cols, x, 0, lb, 0);
            assertBitwise(what("logSumExp", "f64", rows, cols), la, lb);
        }
    }

    @Test
    void softmaxFamilyFloat32AgreesWithinBounds() {
        Random rnd = new Random(2);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            double[] xd = Arrays2.toDouble(toFloat(Arrays2.logits(rnd, n)));
            float[] x = toFloat(xd);
            boolean[] mask = mask(rnd, n);
            float[] a = new float[n];
            float[] b = new float[n];
            double[] ref = new double[n];
            double bound = rowUlps(cols);

            plain.softmax(rows, cols, x, 0, a, 0);
            ejml.softmax(rows, cols, x, 0, b, 0);
            ejml.softmax(rows, cols, xd, 0, ref, 0);
            assertClose(what("softmax", "f32 vs plain", rows, cols), a, b, 2 * bound, 0, null);
            assertClose(what("softmax", "f32 vs own f64", rows, cols), toFloat(ref), b, 1, 0, null);

            plain.softmax(rows, cols, 0.37f, x, 0, a, 0);
            ejml.softmax(rows, cols, 0.37f, x, 0, b, 0);
            ejml.softmax(rows, cols, (double) 0.37f, xd, 0, ref, 0);
            assertClose(what("softmax T", "f32 vs plain", rows, cols), a, b, 2 * bound, 0, null);
            assertClose(what("softmax T", "f32 vs own f64", rows, cols), toFloat(ref), b, 1, 0, null);

            plain.maskedSoftmax(rows, cols, x, 0, mask, 0, a, 0);
            ejml.maskedSoftmax(rows, cols, x, 0, mask, 0, b, 0);
            ejml.maskedSoftmax(rows, cols, xd, 0, mask, 0, ref, 0);
            assertClose(what("maskedSoftmax", "f32 vs plain", rows, cols), a, b, 2 * bound, 0, null);
            assertClose(what("maskedSoftmax", "f32 vs own f64", rows, cols), toFloat(ref), b, 1, 0, null);

            plain.logSoftmax(rows, cols, x, 0, a, 0);
            ejml.logSoftmax(rows, cols, x, 0, b, 0);
            assertBitwise(what("logSoftmax", "f32", rows, cols), a, b);
            float[] la = new float[rows];
            float[] lb = new float[rows];
            plain.logSumExp(rows, cols, x, 0, la, 0);
            ejml.logSumExp(rows, cols, x, 0, lb, 0);
            assertBitwise(what("logSumExp", "f32", rows, cols), la, lb);
        }
    }

    @Test
    void gradientsAndJacobianAreBitIdentical() {
        Random rnd = new Random(3);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            double[] y = new double[n];
            ejml.softmax(rows, cols, Arrays2.logits(rnd, n), 0, y, 0);
            double[] logp = new double[n];
            ejml.logSoftmax(rows, cols, Arrays2.logits(rnd, n), 0, logp, 0);
            double[] dy = Arrays2.gaussian(rnd, n);
            double[] a = new double[n];
            double[] b = new double[n];
            plain.softmaxBackward(rows, cols, y, 0, dy, 0, a, 0);
            ejml.softmaxBackward(rows, cols, y, 0, dy, 0, b, 0);
            assertBitwise(what("softmaxBackward", "f64", rows, cols), a, b);
            plain.logSoftmaxBackward(rows, cols, logp, 0, dy, 0, a, 0);
            ejml.logSoftmaxBackward(rows, cols, logp, 0, dy, 0, b, 0);
            assertBitwise(what("logSoftmaxBackward", "f64", rows, cols), a, b);

            float[] yf = toFloat(y);
            float[] lf = toFloat(logp);
            float[] dyf = toFloat(dy);
            float[] af = new float[n];
            float[] bf = new float[n];
            plain.softmaxBackward(rows, cols, yf, 0, dyf, 0, af, 0);
            ejml.softmaxBackward(rows, cols, yf, 0, dyf, 0, bf, 0);
            assertBitwise(what("softmaxBackward", "f32", rows, cols), af, bf);
            plain.logSoftmaxBackward(rows, cols, lf, 0, dyf, 0, af, 0);
            ejml.logSoftmaxBackward(rows, cols, lf, 0, dyf, 0, bf, 0);
            assertBitwise(what("logSoftmaxBackward", "f32", rows, cols), af, bf);

            if (cols <= 1000) {
                double[] ja = new double[cols * cols];
                double[] jb = new double[cols * cols];
                plain.jacobian(cols, y, 0, ja, 0);
                ejml.jacobian(cols, y, 0, jb, 0);
                assertBitwise(what("jacobian", "f64", 1, cols), ja, jb);
                float[] jaf = new float[cols * cols];
                float[] jbf = new float[cols * cols];
                plain.jacobian(cols, yf, 0, jaf, 0);
                ejml.jacobian(cols, yf, 0, jbf, 0);
                assertBitwise(what("jacobian", "f32", 1, cols), jaf, jbf);
            }
        }
    }

    @Test
    void logSoftmaxBackwardKeepsPrecisionWhereExpLogpIsSubnormal() {
        // found by the conformance fuzzer: exp(-742) is subnormal, the row sum about -1.8e308
        double[] logp = {0.0, -2.9017104018268967, -3.2154023455963343, -2.1569041802196662, -3.569747835785102, -742};
        double[] dlogp = {-Double.MAX_VALUE, -0.1867009733434318, 0.5381495100126843, 0.12806021750233,
            0.14158285992211045, Double.MIN_VALUE};
        double[] dx = new double[6];
        ejml.logSoftmaxBackward(1, 6, logp, 0, dlogp, 0, dx, 0);
        // exact (the conformance reference, 45 digits): 1.0190840109031158e-14
        assertEquals(1.0190840109031158E-14, dx[5], 4 * Math.ulp(1.0190840109031158E-14), "dx[5]");
    }

    @Test
    void softmaxBackwardKeepsPrecisionWhereYDyIsSubnormal() {
        // y dy subnormal and y large: scaled, dx = y dy (1 - y) is exact to rounding; a y that is not a softmax
        // output, as the fuzzer sends
        double y = 35.3;
        double dy = 3 * Double.MIN_VALUE;
        double[] dx = new double[1];
        ejml.softmaxBackward(1, 1, new double[] {y}, 0, new double[] {dy}, 0, dx, 0);
        double exact = new java.math.BigDecimal(y).multiply(new java.math.BigDecimal(dy))
                .multiply(java.math.BigDecimal.ONE.subtract(new java.math.BigDecimal(y))).doubleValue();
        assertEquals(exact, dx[0], Math.ulp(exact), "dx = y dy (1 - y), subnormal");
    }

    @Test
    void crossEntropyFromProbabilitiesIsBitIdentical() {
        Random rnd = new Random(4);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            double[] p = Arrays2.distribution(rnd, rows, cols);
            double[] t = Arrays2.distribution(rnd, rows, cols);
            for (double eps : new double[] {SoftmaxOps.DEFAULT_EPSILON, 0, 1e-3}) {
                double[] a = new double[rows];
                double[] b = new double[rows];
                plain.crossEntropy(rows, cols, p, 0, t, 0, eps, a, 0);
                ejml.crossEntropy(rows, cols, p, 0, t, 0, eps, b, 0);
                assertBitwise(what("crossEntropy eps=" + eps, "f64", rows, cols), a, b);
                float[] af = new float[rows];
                float[] bf = new float[rows];
                plain.crossEntropy(rows, cols, toFloat(p), 0, toFloat(t), 0, eps, af, 0);
                ejml.crossEntropy(rows, cols, toFloat(p), 0, toFloat(t), 0, eps, bf, 0);
                assertBitwise(what("crossEntropy eps=" + eps, "f32", rows, cols), af, bf);
            }
        }
    }

    private static final CrossEntropyOptions[] OPTIONS = {
        CrossEntropyOptions.DEFAULT,
        CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withLabelSmoothing(0.1),
        CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE).withIgnoreIndex(0),
    };

    private static CrossEntropyOptions withWeights(CrossEntropyOptions o, Random rnd, int cols) {
        double[] w = new double[cols];
        for (int c = 0; c < cols; c++) {
            w[c] = 0.5 + rnd.nextDouble();
        }
        return o.withClassWeights(w);
    }

    @Test
    void softmaxCrossEntropyWithLogitsFloat64IsBitIdentical() {
        Random rnd = new Random(5);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            double[] x = Arrays2.logits(rnd, n);
            double[] labels = Arrays2.distribution(rnd, rows, cols);
            int[] classes = classes(rnd, rows, cols);
            for (CrossEntropyOptions o0 : OPTIONS) {
                for (CrossEntropyOptions o : new CrossEntropyOptions[] {o0, withWeights(o0, rnd, cols)}) {
                    String w = what("dense CE " + o, "f64", rows, cols);
                    double[] la = new double[rows];
                    double[] lb = new double[rows];
                    double[] ga = new double[n];
                    double[] gb = new double[n];
                    double ra = plain.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, o, la, 0, ga, 0);
                    double rb = ejml.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, o, lb, 0, gb, 0);
                    assertEquals(ra, rb, 0, w + " reduced");
                    assertBitwise(w + " loss", la, lb);
                    assertBitwise(w + " gradient", ga, gb);
                    w = what("sparse CE " + o, "f64", rows, cols);
                    ra = plain.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, o, la, 0, ga, 0);
                    rb = ejml.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, o, lb, 0, gb, 0);
                    assertEquals(ra, rb, 0, w + " reduced");
                    assertBitwise(w + " loss", la, lb);
                    assertBitwise(w + " gradient", ga, gb);
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyWithLogitsFloat32AgreesWithinBounds() {
        Random rnd = new Random(6);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            float[] x = toFloat(Arrays2.logits(rnd, n));
            double[] xd = Arrays2.toDouble(x);
            float[] labels = toFloat(Arrays2.distribution(rnd, rows, cols));
            double[] labelsD = Arrays2.toDouble(labels);
            int[] classes = classes(rnd, rows, cols);
            double bound = rowUlps(cols);
            for (CrossEntropyOptions o : OPTIONS) {
                String w = what("dense CE " + o, "f32", rows, cols);
                float[] la = new float[rows];
                float[] lb = new float[rows];
                float[] ga = new float[n];
                float[] gb = new float[n];
                double[] gd = new double[n];
                float ra = plain.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, o, la, 0, ga, 0);
                float rb = ejml.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, o, lb, 0, gb, 0);
                ejml.softmaxCrossEntropyWithLogits(rows, cols, xd, 0, labelsD, 0, o, null, 0, gd, 0);
                assertEquals(ra, rb, 0, w + " reduced");
                assertBitwise(w + " loss", la, lb);
                double[] scale = gradientScale(rows, cols, xd, labelsD, null, o);
                assertClose(w + " gradient vs plain", ga, gb, 2 * bound, 2 * bound, scale);
                assertClose(w + " gradient vs own f64", toFloat(gd), gb, 1, 1e-6, scale);

                w = what("sparse CE " + o, "f32", rows, cols);
                ra = plain.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, o, la, 0, ga, 0);
                rb = ejml.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, o, lb, 0, gb, 0);
                ejml.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xd, 0, classes, 0, o, null, 0, gd, 0);
                assertEquals(ra, rb, 0, w + " reduced");
                assertBitwise(w + " loss", la, lb);
                scale = gradientScale(rows, cols, xd, null, classes, o);
                assertClose(w + " gradient vs plain", ga, gb, 2 * bound, 2 * bound, scale);
                assertClose(w + " gradient vs own f64", toFloat(gd), gb, 1, 1e-6, scale);
            }
        }
    }

    /** {@code p Q + |q|} per entry (no class weights), the conformance kit's scale of a cross-entropy gradient. */
    private double[] gradientScale(int rows, int cols, double[] x, double[] labels, int[] classes,
                                   CrossEntropyOptions o) {
        double[] p = new double[rows * cols];
        ejml.softmax(rows, cols, x, 0, p, 0);
        double e = o.labelSmoothing();
        double[] scale = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double qSum = 0;
            double[] q = new double[cols];
            for (int c = 0; c < cols; c++) {
                q[c] = labels != null ? (1 - e) * labels[r * cols + c] + e / cols
                        : (classes[r] == c ? 1 - e : 0) + e / cols;
                qSum += q[c];
            }
            for (int c = 0; c < cols; c++) {
                scale[r * cols + c] = Math.abs(p[r * cols + c] * qSum) + Math.abs(q[c]);
            }
        }
        return scale;
    }

    @Test
    void crossEntropyEdgesAgreeBitForBit() {
        // x - m overflows for these finite logits, the loss does not
        double[] x = {-1e308, 1e308, 0, -Double.MAX_VALUE, Double.MAX_VALUE, 1};
        double[] labels = {0.5, 0.5, 0, 0.25, 0.5, 0.25};
        double[] la = new double[2];
        double[] lb = new double[2];
        double[] ga = new double[6];
        double[] gb = new double[6];
        CrossEntropyOptions sum = CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM);
        double ra = plain.softmaxCrossEntropyWithLogits(2, 3, x, 0, labels, 0, sum, la, 0, ga, 0);
        double rb = ejml.softmaxCrossEntropyWithLogits(2, 3, x, 0, labels, 0, sum, lb, 0, gb, 0);
        assertEquals(ra, rb, 0, "dense CE, overflowing shifts: reduced");
        assertBitwise("dense CE, overflowing shifts: loss", la, lb);
        assertBitwise("dense CE, overflowing shifts: gradient", ga, gb);
        org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(lb[0]), "finite loss " + lb[0]);
        // every target weight 0 with the mean: the scale 1 / 0 is infinite, the gradient of such rows stays 0
        CrossEntropyOptions zeroWeights = CrossEntropyOptions.DEFAULT.withClassWeights(0, 0, 1);
        int[] classes = {0, 1};
        plain.sparseSoftmaxCrossEntropyWithLogits(2, 3, new double[] {1, 2, 3, 4, 5, 6}, 0, classes, 0, zeroWeights,
                null, 0, ga, 0);
        ejml.sparseSoftmaxCrossEntropyWithLogits(2, 3, new double[] {1, 2, 3, 4, 5, 6}, 0, classes, 0, zeroWeights,
                null, 0, gb, 0);
        assertBitwise("sparse CE, infinite mean scale: gradient", ga, gb);
        float[] gaf = new float[6];
        float[] gbf = new float[6];
        plain.sparseSoftmaxCrossEntropyWithLogits(2, 3, new float[] {1, 2, 3, 4, 5, 6}, 0, classes, 0, zeroWeights,
                null, 0, gaf, 0);
        ejml.sparseSoftmaxCrossEntropyWithLogits(2, 3, new float[] {1, 2, 3, 4, 5, 6}, 0, classes, 0, zeroWeights,
                null, 0, gbf, 0);
        assertBitwise("sparse CE f32, infinite mean scale: gradient", gaf, gbf);
        // Keras: a subnormal quotient p / s
        double[] p = {Double.MIN_VALUE * 7, 1, 0.5};
        double[] t = {1, 0, 1};
        plain.crossEntropy(1, 3, p, 0, t, 0, 0, la, 0);
        ejml.crossEntropy(1, 3, p, 0, t, 0, 0, lb, 0);
        assertBitwise("Keras cross-entropy, subnormal quotient", new double[] {la[0]}, new double[] {lb[0]});
    }

    @Test
    void argmaxAndTopKAreIdentical() {
        Random rnd = new Random(7);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            double[] x = Arrays2.logits(rnd, n);
            for (int i = 0; i < n; i += 7) {
                x[i] = Math.rint(x[i]); // ties
            }
            if (n > 20) {
                x[13] = Double.NaN;
                x[17] = -0.0;
            }
            int[] ia = new int[rows];
            int[] ib = new int[rows];
            plain.argmax(rows, cols, x, 0, ia, 0);
            ejml.argmax(rows, cols, x, 0, ib, 0);
            assertBitwise(what("argmax", "f64", rows, cols), ia, ib);
            plain.argmax(rows, cols, toFloat(x), 0, ia, 0);
            ejml.argmax(rows, cols, toFloat(x), 0, ib, 0);
            assertBitwise(what("argmax", "f32", rows, cols), ia, ib);
            for (int k : new int[] {1, Math.min(3, cols), Math.min(40, cols), cols}) {
                int[] ka = new int[rows * k];
                int[] kb = new int[rows * k];
                double[] va = new double[rows * k];
                double[] vb = new double[rows * k];
                plain.topK(rows, cols, k, x, 0, va, 0, ka, 0);
                ejml.topK(rows, cols, k, x, 0, vb, 0, kb, 0);
                assertBitwise(what("topK k=" + k, "f64", rows, cols), ka, kb);
                assertBitwise(what("topK values k=" + k, "f64", rows, cols), va, vb);
                float[] fa = new float[rows * k];
                float[] fb = new float[rows * k];
                plain.topK(rows, cols, k, toFloat(x), 0, fa, 0, ka, 0);
                ejml.topK(rows, cols, k, toFloat(x), 0, fb, 0, kb, 0);
                assertBitwise(what("topK k=" + k, "f32", rows, cols), ka, kb);
                assertBitwise(what("topK values k=" + k, "f32", rows, cols), fa, fb);
            }
        }
    }

    /** Narrow (own loops: by row, and k-outer for 600x500x3), wide (EJML), large (EJML concurrent) shapes. */
    static final int[][] PRODUCTS = {{1, 1, 1}, {100, 784, 10}, {784, 100, 10}, {600, 500, 3}, {7, 5, 16}, {33, 17, 40},
        {64, 64, 64}, {256, 256, 256}};

    @Test
    void matrixProductsAreBitIdentical() {
        Random rnd = new Random(8);
        // |alpha| <= 1, or a power of two with beta = 0: the same roundings as plain (for |alpha| > 1 the EJML
        // kernels run with alpha = 1 and scale the sum; plain scales each term); narrow shapes: any alpha
        double[][] alphaBeta = {{1, 0}, {1, 1}, {1, -0.25}, {2, 0}, {-0.5, 0}, {0, 0.5}, {0.3, 0.7}, {-1, -0.25}};
        for (int[] s : PRODUCTS) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = Arrays2.gaussian(rnd, m * k);
            double[] b = Arrays2.gaussian(rnd, k * n);
            double[] c0 = Arrays2.gaussian(rnd, m * n);
            for (double[] ab : alphaBeta) {
                String w = m + "x" + k + "x" + n + " alpha=" + ab[0] + " beta=" + ab[1];
                double[][] r = products(ab[0], ab[1], m, k, n, a, b, c0);
                for (int i = 0; i < 4; i++) {
                    assertSameValues(PRODUCT_NAMES[i] + " " + w, r[2 * i], r[2 * i + 1]);
                }
            }
        }
    }

    private static final String[] PRODUCT_NAMES = {"matmul f64", "matmulTransA f64", "matmul f32", "matmulTransA f32"};

    /** @return plain's and ejml's C for matmul, matmulTransA in f64 and f32 (f32 widened), in that order */
    private double[][] products(double alpha, double beta, int m, int k, int n, double[] a, double[] b, double[] c0) {
        double[][] r = new double[8][];
        for (int t = 0; t < 2; t++) {
            boolean transA = t == 1;
            double[] ca = c0.clone();
            double[] cb = c0.clone();
            if (transA) {
                plain.matmulTransA(m, k, n, alpha, a, 0, b, 0, beta, ca, 0);
                ejml.matmulTransA(m, k, n, alpha, a, 0, b, 0, beta, cb, 0);
            } else {
                plain.matmul(m, k, n, alpha, a, 0, b, 0, beta, ca, 0);
                ejml.matmul(m, k, n, alpha, a, 0, b, 0, beta, cb, 0);
            }
            r[2 * t] = ca;
            r[2 * t + 1] = cb;
            float[] af = toFloat(a);
            float[] bf = toFloat(b);
            float[] caf = toFloat(c0);
            float[] cbf = toFloat(c0);
            if (transA) {
                plain.matmulTransA(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, caf, 0);
                ejml.matmulTransA(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, cbf, 0);
            } else {
                plain.matmul(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, caf, 0);
                ejml.matmul(m, k, n, (float) alpha, af, 0, bf, 0, (float) beta, cbf, 0);
            }
            r[4 + 2 * t] = Arrays2.toDouble(caf);
            r[4 + 2 * t + 1] = Arrays2.toDouble(cbf);
        }
        return r;
    }

    /**
     * {@code alpha != 1}: EJML's kernels would form {@code alpha a_ik} first, which can overflow or go subnormal, so
     * the ejml backend scales the sum instead and plain scales each {@code a b}: narrow shapes (own loop) still agree
     * bit for bit, the EJML shapes within the product bound {@code (k + 2) u sum |alpha a b| + u |beta c|} of each
     * other (twice the conformance bound), and a product whose {@code alpha a_ik} overflows stays finite.
     */
    @Test
    void scaledProductsAgreeWithinTheProductBoundAndDoNotOverflow() {
        Random rnd = new Random(9);
        for (int[] s : PRODUCTS) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = Arrays2.gaussian(rnd, m * k);
            double[] b = Arrays2.gaussian(rnd, k * n);
            double[] c0 = Arrays2.gaussian(rnd, m * n);
            for (double[] ab : new double[][] {{-1.5, 0}, {3.7, 0.5}, {1.25, 1}, {2, -0.25}}) {
                String w = m + "x" + k + "x" + n + " alpha=" + ab[0] + " beta=" + ab[1];
                double[][] r = products(ab[0], ab[1], m, k, n, a, b, c0);
                for (int i = 0; i < 4; i++) {
                    boolean transA = i % 2 == 1;
                    double u = i < 2 ? 0x1p-53 : 0x1p-24;
                    for (int e = 0; e < m * n; e++) {
                        int row = e / n;
                        int col = e % n;
                        double scale = Math.abs(ab[1] * c0[e]);
                        for (int p = 0; p < k; p++) {
                            double av = transA ? a[p * m + row] : a[row * k + p];
                            scale += Math.abs(ab[0] * av * b[p * n + col]);
                        }
                        double bound = n < EjmlProducts.NARROW_COLS ? 0 : 2 * ((k + 2) * u * scale);
                        double diff = Math.abs(r[2 * i][e] - r[2 * i + 1][e]);
                        if (!(diff <= bound)) {
                            org.junit.jupiter.api.Assertions.fail(PRODUCT_NAMES[i] + " " + w + ": index " + e
                                    + ": plain " + r[2 * i][e] + ", ejml " + r[2 * i + 1][e] + ", bound " + bound);
                        }
                    }
                }
            }
        }
        for (int n : new int[] {3, 20}) {
            double[] a = {1e10, 2e10};
            double[] b = new double[2 * n];
            java.util.Arrays.fill(b, 1e-20);
            double[] c = new double[n];
            ejml.matmul(1, 2, n, 1e300, a, 0, b, 0, 0, c, 0);
            for (double v : c) {
                assertEquals(3e290, v, 1e277, "matmul 1x2x" + n + " alpha=1e300: alpha a overflows, the product not");
            }
        }
        // found by the conformance fuzzer (float32, n >= 16): per-term scaling overflows to inf - inf = NaN, the
        // exact results are 3.43e39 (rounds to +inf in float32) and -1.5579027904893329e38
        float max = Float.MAX_VALUE;
        float[] c = new float[16];
        ejml.matmul(1, 2, 16, 3f, new float[] {max, -max}, 0, bColumn(4.275282382965088f, 0.9197267293930054f), 0, 0f,
                c, 0);
        assertEquals(Float.POSITIVE_INFINITY, c[0], "3 (MAX 4.28 - MAX 0.92) overflows float32");
        ejml.matmul(1, 2, 16, -1.793434977531433f, new float[] {-max, max}, 0,
                bColumn(-0.9731761813163757f, -0.7178970575332642f), 0, 0f, c, 0);
        assertEquals(-1.5579027904893329e38, c[0], Math.ulp(1.5579028e38f), "-1.79 (MAX 0.97 - MAX 0.72) is finite");
        // |alpha| < 1: alpha a formed first (as plain), so a sum of a b beyond the float range does not overflow
        ejml.matmul(1, 2, 16, -0.5f, new float[] {max, max}, 0, bColumn(0.75f, 0.75f), 0, 0f, c, 0);
        assertEquals(-0.75 * max, c[0], Math.ulp(max), "-0.5 (MAX 0.75 + MAX 0.75) is finite");
        // alpha a subnormal (1e-10 * 1e-300): the own loop scales a b instead, keeping full precision
        double[] cd = new double[16];
        double[] bd = new double[32];
        java.util.Arrays.fill(bd, 0, 16, 3e300);
        java.util.Arrays.fill(bd, 16, 32, 1e300);
        ejml.matmul(1, 2, 16, 1e-10, new double[] {1e-300, 2e-300}, 0, bd, 0, 0, cd, 0);
        assertEquals(5e-10, cd[0], 4 * Math.ulp(5e-10), "1e-10 (1e-300 3e300 + 2e-300 1e300)");
    }

    /** @return a 2 x 16 B whose rows are {@code top} and {@code bottom} repeated */
    private static float[] bColumn(float top, float bottom) {
        float[] b = new float[32];
        java.util.Arrays.fill(b, 0, 16, top);
        java.util.Arrays.fill(b, 16, 32, bottom);
        return b;
    }

    /**
     * Equal values; {@code -0.0} and {@code 0.0} count as equal here: plain starts each sum from {@code +0.0} where
     * EJML's kernels start from the first product (same rounding, but {@code 0 + -0.0 = +0.0}).
     */
    private static void assertSameValues(String what, double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (!(expected[i] == actual[i] || (Double.isNaN(expected[i]) && Double.isNaN(actual[i])))) {
                org.junit.jupiter.api.Assertions.fail(what + ": index " + i + ": plain " + expected[i] + ", ejml "
                        + actual[i]);
            }
        }
    }

    private static boolean[] mask(Random rnd, int n) {
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rnd.nextInt(4) != 0;
        }
        return mask;
    }

    private static int[] classes(Random rnd, int rows, int cols) {
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = rnd.nextInt(cols);
        }
        return t;
    }
}
