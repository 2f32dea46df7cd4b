package org.softmax4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.plain.PlainSoftmaxOps;

/**
 * Every op, both dtypes, seeded random inputs: the ND4J backend agrees with the plain backend (the algorithmic
 * reference). Both are held by the conformance kit to its ErrorBounds of the exact result, {@code B(C) = 4 +
 * ceil(log2 C)} ulps (plus {@code B(C) u scale} for ops whose result can cancel; for the matrix products 2 ulps plus
 * {@code (k + 2) u scale}), so they may differ by twice that: {@code |nd4j - plain| <= 2 (ulps ulp(plain) + scaleUlps
 * u scale)}, with {@code scale} the magnitude of the terms the op combines, computed here from the inputs. Argmax and
 * top-k must be identical. (The bounds are restated here, not imported: the conformance module depends on this one.)
 */
class Nd4jAgreesWithPlainTest {

    enum Dtype {
        FLOAT32(0x1p-24), FLOAT64(0x1p-53);

        final double u;

        Dtype(double u) {
            this.u = u;
        }

        double ulp(double v) {
            return this == FLOAT32 ? Math.ulp((float) v) : Math.ulp(v);
        }
    }

    /** {@code ulps ulp(e) + scaleUlps u scale}, as the conformance kit's Tolerance. */
    record Tolerance(double ulps, double scaleUlps) {
    }

    static Tolerance bound(String op, int cols) {
        double b = 4 + Math.ceil(Math.log(Math.max(cols, 1)) / Math.log(2));
        return switch (op) {
            case "logSumExp", "softmaxBackward", "logSoftmaxBackward", "crossEntropyWithLogits" -> new Tolerance(b, b);
            case "matmul" -> new Tolerance(2, cols + 2);
            default -> new Tolerance(b, 0);
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(Dtype.values()).flatMap(d -> Stream.of(
                Arguments.of(d, 1, 1, 1.0), Arguments.of(d, 3, 7, 1.0), Arguments.of(d, 16, 100, 10.0),
                Arguments.of(d, 5, 33, 300.0), Arguments.of(d, 2, 2000, 3.0)));
    }

    private static double[] gaussian(Random r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * scale;
        }
        return a;
    }

    private static void agree(String what, Dtype dtype, Tolerance tol, double[] plain, double[] nd4j,
                              double[] scale) {
        for (int i = 0; i < plain.length; i++) {
            double e = plain[i];
            double a = nd4j[i];
            if (Double.isNaN(e) || Double.isInfinite(e) || Double.isNaN(a) || Double.isInfinite(a)) {
                if (Double.compare(e, a) != 0 && !(Double.isNaN(e) && Double.isNaN(a))) {
                    fail(what + " " + dtype + " [" + i + "]: plain " + e + ", nd4j " + a);
                }
                continue;
            }
            double s = scale == null ? 0 : scale[i];
            double allowed = 2 * (tol.ulps() * dtype.ulp(e) + tol.scaleUlps() * dtype.u * s);
            if (Math.abs(a - e) > allowed) {
                fail(what + " " + dtype + " [" + i + "]: plain " + e + ", nd4j " + a + ", difference "
                        + Math.abs(a - e) + " > " + allowed);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} scale {3}")
    @MethodSource("cases")
    void everyOpAgreesWithPlain(Dtype dtype, int rows, int cols, double spread) {
        Random r = new Random(rows * 31L + cols);
        boolean f32 = dtype == Dtype.FLOAT32;
        InDtype plain = new InDtype(new PlainSoftmaxOps(), f32);
        InDtype nd4j = new InDtype(new Nd4jSoftmaxOps(), f32);
        double[] x = plain.round(gaussian(r, rows * cols, spread));
        double[] y = plain.softmax(rows, cols, x);

        agree("softmax", dtype, bound("softmax", cols), y, nd4j.softmax(rows, cols, x), null);
        agree("softmaxTemperature", dtype, bound("softmaxTemperature", cols),
                plain.softmax(rows, cols, 0.37, x), nd4j.softmax(rows, cols, 0.37, x), null);
        boolean[] mask = new boolean[x.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = r.nextInt(4) != 0;
        }
        agree("maskedSoftmax", dtype, bound("maskedSoftmax", cols), plain.maskedSoftmax(rows, cols, x, mask),
                nd4j.maskedSoftmax(rows, cols, x, mask), null);
        double[] logp = plain.logSoftmax(rows, cols, x);
        agree("logSoftmax", dtype, bound("logSoftmax", cols), logp, nd4j.logSoftmax(rows, cols, x), null);

        double[] lse = plain.logSumExp(rows, cols, x);
        double[] lseScale = new double[rows];
        for (int row = 0; row < rows; row++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                m = Math.max(m, x[row * cols + c]);
            }
            lseScale[row] = Math.abs(m) + Math.abs(lse[row] - m);
        }
        agree("logSumExp", dtype, bound("logSumExp", cols), lse, nd4j.logSumExp(rows, cols, x), lseScale);

        double[] dy = plain.round(gaussian(r, x.length, 1));
        double[] backScale = new double[x.length];
        double[] logBackScale = new double[x.length];
        for (int row = 0; row < rows; row++) {
            double dot = 0;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                dot += Math.abs(dy[row * cols + c] * y[row * cols + c]);
                sum += Math.abs(dy[row * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                int i = row * cols + c;
                backScale[i] = Math.abs(y[i]) * (Math.abs(dy[i]) + dot);
                logBackScale[i] = Math.abs(dy[i]) + Math.exp(logp[i]) * sum;
            }
        }
        agree("softmaxBackward", dtype, bound("softmaxBackward", cols),
                plain.softmaxBackward(rows, cols, y, dy), nd4j.softmaxBackward(rows, cols, y, dy), backScale);
        agree("logSoftmaxBackward", dtype, bound("logSoftmaxBackward", cols),
                plain.logSoftmaxBackward(rows, cols, logp, dy), nd4j.logSoftmaxBackward(rows, cols, logp, dy),
                logBackScale);
        if (cols <= 200) {
            double[] row0 = java.util.Arrays.copyOf(y, cols);
            agree("jacobian", dtype, bound("jacobian", cols), plain.jacobian(row0),
                    nd4j.jacobian(row0), null);
        }
        double[] labels = plain.softmax(rows, cols, plain.round(gaussian(r, x.length, 1)));
        agree("crossEntropy", dtype, bound("crossEntropy", cols),
                plain.crossEntropy(rows, cols, y, labels, 1e-7), nd4j.crossEntropy(rows, cols, y, labels, 1e-7), null);

        double[] weights = new double[cols];
        for (int c = 0; c < cols; c++) {
            weights[c] = 0.5 + r.nextDouble();
        }
        int[] classes = new int[rows];
        for (int row = 0; row < rows; row++) {
            classes[row] = row % 5 == 4 ? -100 : r.nextInt(cols);
        }
        CrossEntropyOptions[] variants = {
            CrossEntropyOptions.DEFAULT,
            CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withLabelSmoothing(0.1),
            CrossEntropyOptions.DEFAULT.withClassWeights(weights).withLabelSmoothing(0.2),
            CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE).withClassWeights(weights)
                    .withIgnoreIndex(classes[0]),
        };
        // with the last variant, class classes[0] is ignored instead of -100
        int[] otherIgnored = classes.clone();
        for (int row = 0; row < rows; row++) {
            if (otherIgnored[row] == -100) {
                otherIgnored[row] = classes[0];
            }
        }
        Tolerance ce = bound("crossEntropyWithLogits", cols);
        for (CrossEntropyOptions o : variants) {
            InDtype.Loss pd = plain.dense(rows, cols, x, labels, o);
            InDtype.Loss nd = nd4j.dense(rows, cols, x, labels, o);
            agree("dense loss " + o, dtype, ce, pd.loss(), nd.loss(), lossScale(pd.loss(), 3));
            agree("dense gradient " + o, dtype, ce, pd.gradient(), nd.gradient(), lossScale(pd.gradient(), 3));
            agree("dense value " + o, dtype, ce, new double[] {pd.value()}, new double[] {nd.value()},
                    new double[] {sumAbs(pd.loss()) + 1});
            int[] cls = o.ignoreIndex() == -100 ? classes : otherIgnored;
            InDtype.Loss ps = plain.sparse(rows, cols, x, cls, o);
            InDtype.Loss ns = nd4j.sparse(rows, cols, x, cls, o);
            agree("sparse loss " + o, dtype, ce, ps.loss(), ns.loss(), lossScale(ps.loss(), 3));
            agree("sparse gradient " + o, dtype, ce, ps.gradient(), ns.gradient(), lossScale(ps.gradient(), 3));
            agree("sparse value " + o, dtype, ce, new double[] {ps.value()}, new double[] {ns.value()},
                    new double[] {sumAbs(ps.loss()) + 1});
        }

        assertArrayEquals(plain.argmax(rows, cols, x), nd4j.argmax(rows, cols, x), "argmax " + dtype);
        int k = Math.min(cols, 4);
        double[] rounded = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            rounded[i] = Math.rint(x[i]); // many ties: the composed path of top-k
        }
        for (double[] in : new double[][] {x, rounded}) {
            Object[] pt = plain.topK(rows, cols, k, in);
            Object[] nt = nd4j.topK(rows, cols, k, in);
            assertArrayEquals((int[]) pt[0], (int[]) nt[0], "topK indices " + dtype);
            assertArrayEquals((double[]) pt[1], (double[]) nt[1], "topK values " + dtype);
        }

        int n = 7;
        double[] b = plain.round(gaussian(r, cols * n, 1));
        double[] c0 = plain.round(gaussian(r, rows * n, 1));
        double[] at = plain.round(gaussian(r, cols * rows, 1));
        double[] prodScale = new double[rows * n];
        java.util.Arrays.fill(prodScale, 0);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.5 * Math.abs(c0[i * n + j]);
                for (int p = 0; p < cols; p++) {
                    s += Math.abs(x[i * cols + p] * b[p * n + j]) + Math.abs(at[p * rows + i] * b[p * n + j]);
                }
                prodScale[i * n + j] = s;
            }
        }
        Tolerance mm = bound("matmul", cols);
        agree("matmul", dtype, mm, plain.matmul(false, rows, cols, n, 1.0, x, b, 0.5, c0),
                nd4j.matmul(false, rows, cols, n, 1.0, x, b, 0.5, c0), prodScale);
        agree("matmulTransA", dtype, mm, plain.matmul(true, rows, cols, n, -2.0, at, b, 0.0, c0),
                nd4j.matmul(true, rows, cols, n, -2.0, at, b, 0.0, c0), scaled(prodScale, 2));
    }

    private static double[] lossScale(double[] v, double floor) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = Math.abs(v[i]) + floor;
        }
        return s;
    }

    private static double[] scaled(double[] v, double f) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i] * f;
        }
        return s;
    }

    private static double sumAbs(double[] v) {
        double s = 0;
        for (double d : v) {
            s += Math.abs(d);
        }
        return s;
    }
}
