package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.ErrorBounds;

/**
 * The plain backend's own quick checks: the seed cases S1-S12, one test per row of the edge-case table of the
 * package documentation, and finite-difference checks of the fused cross-entropy gradient. The full accuracy sweep
 * is the conformance kit's job.
 *
 * <p>Expected values marked "mpmath" were computed with mpmath 1.3 at {@code mp.dps = 50}
 * ({@code softmax = [exp(x - max) / sum(exp(x - max))]}, {@code loss = -log(p[t])}) and printed with 20 significant
 * digits, far more than a double holds. Accuracy is checked against the kit's bound {@code 4 + ceil(log2 C)} ulps.
 */
class PlainSoftmaxOpsTest {

    private static final SoftmaxOps OPS = new PlainSoftmaxOps();

    /** The conformance bound for a row op over {@code cols} classes, in ulps: the kit's, not a copy of it. */
    private static double bound(int cols) {
        return ErrorBounds.rowUlps(cols);
    }

    private static void assertUlps(double expected, double actual, double ulps, String what) {
        double err = Math.abs(actual - expected) / Math.ulp(expected);
        assertTrue(err <= ulps, () -> what + ": expected " + expected + ", actual " + actual + " (" + err
                + " ulps > " + ulps + ")");
    }

    private static void assertUlps(double expected, float actual, double ulps, String what) {
        double err = Math.abs(actual - expected) / Math.ulp((float) expected);
        assertTrue(err <= ulps, () -> what + " (float32): expected " + expected + ", actual " + actual + " (" + err
                + " ulps > " + ulps + ")");
    }

    /**
     * A class weight beyond float's range (1e39) on a class labelled 0, with label smoothing, on a row wide enough for
     * the SIMD dense kernel: its target {@code 1e39 * 0.1 / 40} is a float, though {@code 1e39 * 0.9} is not, so the
     * float32 loss is finite and within the row bound of the loss computed in double (the SIMD kernel's per-class
     * float coefficients would make that target {@code fma(0, inf, b)}, NaN; it takes its double path there).
     */
    @Test
    void denseCrossEntropyWithAClassWeightBeyondFloatRangeIsFinite() {
        int cols = 40;
        double e = 0.1;
        float[] x = new float[cols];
        float[] labels = new float[cols];
        double[] w = new double[cols];
        Random random = new Random(40);
        for (int c = 0; c < cols; c++) {
            x[c] = (float) (random.nextDouble() * 8 - 4);
            w[c] = 1;
        }
        labels[3] = 1;
        w[7] = 1e39;
        double m = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (float v : x) {
            s += Math.exp(v - m);
        }
        double lse = m + Math.log(s);
        double expected = 0;
        for (int c = 0; c < cols; c++) {
            expected += w[c] * ((1 - e) * labels[c] + e / cols) * (lse - x[c]);
        }
        float[] gradient = new float[cols];
        CrossEntropyOptions options = CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withClassWeights(w)
                .withLabelSmoothing(e);
        double loss = OPS.softmaxCrossEntropyWithLogits(1, cols, x, 0, labels, 0, options, null, 0, gradient, 0);
        assertUlps(expected, (float) loss, bound(cols), "loss");
        for (int c = 0; c < cols; c++) {
            assertTrue(Float.isFinite(gradient[c]), "gradient[" + c + "] = " + gradient[c]);
        }
    }

    /**
     * A soft-label row whose terms a float sum would lose: uniform probabilities over 4096 classes, the first 16
     * classes labelled 1 (terms {@code log 4096 = 8.3}), the other 4080 labelled {@code 4e-8} (terms {@code 3.3e-7},
     * under half a float ulp of 8.3). Added one after the other in float, per lane, each small term would round away
     * (the loss 89 ulps low, measured with the errors dropped); the SIMD kernel adds the products in double lanes, so
     * the loss is within the row bound of the double sum.
     */
    @Test
    void crossEntropyFromProbabilitiesKeepsTermsBelowHalfAnUlpOfTheSum() {
        int cols = 4096;
        float[] prob = new float[cols];
        float[] labels = new float[cols];
        Arrays.fill(prob, 1f / cols);
        Arrays.fill(labels, 4e-8f);
        Arrays.fill(labels, 0, 16, 1f);
        double expected = 0;
        for (int c = 0; c < cols; c++) {
            expected -= labels[c] * Math.log(1.0 / cols);
        }
        float[] loss = new float[1];
        OPS.crossEntropy(1, cols, prob, 0, labels, 0, SoftmaxOps.DEFAULT_EPSILON, loss, 0);
        assertUlps(expected, loss[0], bound(cols), "loss");
    }

    /**
     * The masked dense cross-entropy's gradient is +0 (the bits) on every masked class, with no pass that sets it: on
     * rows of 40 and 1000 classes (the SIMD kernel's), labels {@code -0} on the masked classes, labels of both signs
     * (a negative target sum makes the gradient's factor negative), with and without label smoothing and class
     * weights, under the mean (scale {@code 1 / rows}) and the sum; and on a row the SIMD kernel leaves to the scalar
     * one (labels summing to 1e30: a factor beyond its range). The kept classes' gradients are finite (their values
     * are the kit's to check).
     */
    @Test
    void maskedDenseCrossEntropyGivesPositiveZeroOnMaskedClasses() {
        Random random = new Random(41);
        for (int cols : new int[] {40, 1000}) {
            int rows = 4;
            float[] x = new float[rows * cols];
            float[] labels = new float[rows * cols];
            boolean[] mask = new boolean[rows * cols];
            for (int i = 0; i < rows * cols; i++) {
                x[i] = (float) (random.nextDouble() * 8 - 4);
                mask[i] = random.nextInt(4) != 0;
                labels[i] = mask[i] ? (float) (random.nextDouble() * 2 - 1.5) : -0f;
            }
            labels[3 * cols] = 1e30f; // row 3: the scalar kernel's
            mask[3 * cols] = true;
            double[] w = new double[cols];
            Arrays.fill(w, 1.5);
            for (CrossEntropyOptions options : new CrossEntropyOptions[] {CrossEntropyOptions.DEFAULT,
                    CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM),
                    CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1).withClassWeights(w)}) {
                float[] gradient = new float[rows * cols];
                Arrays.fill(gradient, Float.NaN);
                OPS.softmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, labels, 0, options, null, 0, gradient, 0);
                for (int i = 0; i < rows * cols; i++) {
                    if (!mask[i]) {
                        int at = i;
                        assertEquals(0, Float.floatToRawIntBits(gradient[i]),
                                () -> cols + " classes, " + options + ": gradient[" + at + "] = " + gradient[at]);
                    } else {
                        assertTrue(Float.isFinite(gradient[i]), "gradient[" + i + "] = " + gradient[i]);
                    }
                }
            }
        }
    }

    /**
     * The dense cross-entropy with class weights keeps the per-class coefficients of the options it last saw, per
     * thread: a call with other options of the same width (other weights, other smoothing) must not use them. The
     * loss with options B right after a call with options A has the bits of the loss with B on a fresh thread (whose
     * kernels have seen no options).
     */
    @Test
    void denseCrossEntropyWithClassWeightsFollowsTheOptionsOfEachCall() throws InterruptedException {
        int rows = 3;
        int cols = 64;
        Random random = new Random(42);
        float[] x = new float[rows * cols];
        float[] labels = new float[rows * cols];
        double[] wa = new double[cols];
        double[] wb = new double[cols];
        for (int i = 0; i < rows * cols; i++) {
            x[i] = (float) (random.nextDouble() * 8 - 4);
            labels[i] = (float) random.nextDouble();
        }
        for (int c = 0; c < cols; c++) {
            wa[c] = 0.5 + random.nextDouble();
            wb[c] = 0.5 + random.nextDouble();
        }
        CrossEntropyOptions a = CrossEntropyOptions.DEFAULT.withClassWeights(wa).withLabelSmoothing(0.1);
        for (CrossEntropyOptions b : new CrossEntropyOptions[] {CrossEntropyOptions.DEFAULT.withClassWeights(wb)
                .withLabelSmoothing(0.1), a.withLabelSmoothing(0.2), CrossEntropyOptions.DEFAULT.withClassWeights(wa)
                .withLabelSmoothing(0.1)}) {
            float[] fresh = new float[1];
            Thread thread = new Thread(() -> fresh[0] = OPS.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0,
                    b, null, 0, new float[rows * cols], 0));
            thread.start();
            thread.join();
            float[] gradient = new float[rows * cols];
            OPS.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, a, null, 0, gradient, 0);
            float afterA = OPS.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, b, null, 0, gradient, 0);
            assertEquals(fresh[0], afterA, 0f, b.toString());
        }
    }

    private static void assertAllUlps(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertUlps(expected[i], actual[i], bound(expected.length), what + "[" + i + "]");
        }
    }

    private static void assertAllUlps(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertUlps(expected[i], actual[i], bound(expected.length), what + "[" + i + "]");
        }
    }

    private static float[] f(double... x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    private static CrossEntropyOptions opts(Reduction r) {
        return CrossEntropyOptions.DEFAULT.withReduction(r);
    }

    @Test
    void isFoundByServiceLoaderWithItsNameAndPriority() {
        SoftmaxOps found = ServiceLoader.load(SoftmaxOps.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(o -> o.name().equals("plain"))
                .findFirst().orElseThrow();
        assertEquals(PlainSoftmaxOps.class, found.getClass());
        assertEquals(100, found.priority());
        assertTrue(found.description().startsWith("pure Java; float32: "), found.description());
    }

    // ================================================================================================ seed cases

    @Nested
    class SeedCases {

        // mpmath: softmax([1, 2, 3, 4, 5])
        private final double[] s1 = {0.011656230956039607395, 0.031684920796124268912, 0.086128544436268704938,
                0.23412165725273662271, 0.63640864655883079604};
        // mpmath: softmax([4, -4, 3])
        private final double[] s5 = {0.73087933571191000186, 0.00024518270263755949764, 0.26887548158545243865};
        // mpmath: softmax([2, 3, 4])
        private final double[] s7 = {0.090030573170380457998, 0.24472847105479765247, 0.66524095577482188953};

        @Test
        void s1SoftmaxOfOneToFive() {
            assertAllUlps(s1, OPS.softmax(1.0, 2, 3, 4, 5), "S1");
            assertAllUlps(s1, OPS.softmax(1f, 2f, 3f, 4f, 5f), "S1");
        }

        @Test
        void s2LargeLogitsGiveExactZerosAndOne() {
            assertArrayEquals(new double[] {0, 0, 0, 0, 1}, OPS.softmax(1000.0, 2000, 3000, 4000, 5000));
            assertArrayEquals(new float[] {0, 0, 0, 0, 1}, OPS.softmax(1000f, 2000f, 3000f, 4000f, 5000f));
        }

        @Test
        void s3TinyProbabilitiesSurviveInFloat64() {
            // mpmath: softmax([123, 456, 789]); the last is 1 - 2.4e-145, i.e. 1.0 in double
            double[] y = OPS.softmax(123.0, 456, 789);
            assertUlps(5.7527440569791496556e-290, y[0], bound(3), "S3[0]");
            assertUlps(2.398487868841355982e-145, y[1], bound(3), "S3[1]");
            assertEquals(1.0, y[2]);
        }

        @Test
        void s4SoftmaxOfTwoThreeFive() {
            // mpmath: softmax([2, 3, 5]); the reference float32 library prints [0.04201007 0.11419519 0.8437947]
            double[] exact = {0.042010066134066051018, 0.11419519938459447893, 0.84379473448133947005};
            assertAllUlps(exact, OPS.softmax(2f, 3f, 5f), "S4");
            assertAllUlps(exact, OPS.softmax(2.0, 3, 5), "S4");
            // here every value is the correctly rounded float (0.042010065, 0.1141952, 0.84379476); the printout
            // of the reference library is 1 float ulp off in each entry, inside the bound as well
            float[] y = OPS.softmax(2f, 3f, 5f);
            assertArrayEquals(new float[] {(float) exact[0], (float) exact[1], (float) exact[2]}, y);
            float[] printed = {0.04201007f, 0.11419519f, 0.8437947f};
            for (int i = 0; i < 3; i++) {
                assertEquals(Math.ulp(printed[i]), Math.abs(printed[i] - y[i]), "S4 printout vs exact rounding " + i);
            }
        }

        @Test
        void s5SoftmaxWithANegativeLogit() {
            assertAllUlps(s5, OPS.softmax(4.0, -4, 3), "S5");
            assertAllUlps(s5, OPS.softmax(4f, -4f, 3f), "S5");
        }

        @Test
        void s6CrossEntropyWithLogitsPushesAllPullsOne() {
            // mpmath: loss -log(p[2]), gradient softmax - onehot(2)
            double loss = 1.3135069002830531501;
            double[] grad = {0.73087933571191000186, 0.00024518270263755949764, -0.73112451841454756135};
            double[] g = new double[3];
            assertUlps(loss, OPS.sparseSoftmaxCrossEntropyWithLogits(new double[] {4, -4, 3}, 2, g), bound(3), "S6");
            assertAllUlps(grad, g, "S6 sparse gradient");
            double[] gd = new double[3];
            assertUlps(loss, OPS.softmaxCrossEntropyWithLogits(new double[] {4, -4, 3}, new double[] {0, 0, 1}, gd),
                    bound(3), "S6 dense");
            assertAllUlps(grad, gd, "S6 dense gradient");
            float[] gf = new float[3];
            assertUlps(loss, OPS.sparseSoftmaxCrossEntropyWithLogits(f(4, -4, 3), 2, gf), bound(3), "S6");
            assertAllUlps(grad, gf, "S6 sparse gradient");
            float[] gdf = new float[3];
            assertUlps(loss, OPS.softmaxCrossEntropyWithLogits(f(4, -4, 3), f(0, 0, 1), gdf), bound(3), "S6 dense");
            assertAllUlps(grad, gdf, "S6 dense gradient");
        }

        @Test
        void s7GradientForTrueClassOne() {
            double[] grad = {s7[0], -0.75527152894520234753, s7[2]}; // mpmath: p - onehot(1)
            assertAllUlps(s7, OPS.softmax(2.0, 3, 4), "S7 softmax");
            assertAllUlps(s7, OPS.softmax(2f, 3f, 4f), "S7 softmax");
            double[] g = new double[3];
            OPS.sparseSoftmaxCrossEntropyWithLogits(new double[] {2, 3, 4}, 1, g);
            assertAllUlps(grad, g, "S7 gradient");
            float[] gf = new float[3];
            OPS.sparseSoftmaxCrossEntropyWithLogits(f(2, 3, 4), 1, gf);
            assertAllUlps(grad, gf, "S7 gradient");
        }

        @Test
        void s8BatchOfThreePerRowSumAndMean() {
            double rowLoss = 0.40760596444438030448; // mpmath: -log(softmax([1, 2, 3])[2])
            double sum = 1.2228178933331409134;      // mpmath: 3 * rowLoss
            double[] x = {1, 2, 3, 1, 2, 3, 1, 2, 3};
            double[] labels = {0, 0, 1, 0, 0, 1, 0, 0, 1};
            double[] loss = new double[3];
            double[] y = OPS.softmax(3, 3, x);
            for (int r = 0; r < 3; r++) {
                assertAllUlps(s7, Arrays.copyOfRange(y, 3 * r, 3 * r + 3), "S8 softmax row " + r);
            }
            assertUlps(sum, OPS.softmaxCrossEntropyWithLogits(3, 3, x, 0, labels, 0, opts(Reduction.NONE), loss, 0,
                    null, 0), bound(3), "S8 none");
            for (double l : loss) {
                assertUlps(rowLoss, l, bound(3), "S8 per-row");
            }
            assertUlps(sum, OPS.softmaxCrossEntropyWithLogits(3, 3, x, labels, opts(Reduction.SUM), null), bound(3),
                    "S8 sum");
            assertUlps(rowLoss, OPS.softmaxCrossEntropyWithLogits(3, 3, x, labels, opts(Reduction.MEAN), null),
                    bound(3), "S8 mean");
            float[] lossF = new float[3];
            float sumF = OPS.sparseSoftmaxCrossEntropyWithLogits(3, 3, f(x), 0, new int[] {2, 2, 2}, 0,
                    opts(Reduction.SUM), lossF, 0, null, 0);
            assertUlps(sum, sumF, bound(3), "S8 sum");
            for (float l : lossF) {
                assertUlps(rowLoss, l, bound(3), "S8 per-row");
            }
            assertUlps(rowLoss, OPS.sparseSoftmaxCrossEntropyWithLogits(3, 3, f(x), new int[] {2, 2, 2},
                    opts(Reduction.MEAN), null), bound(3), "S8 mean");
        }

        @Test
        void s9ArgmaxAndTopTwoBreakTiesByLowestIndex() {
            double[] x = {0.2, 0.1, 0.05, 0.1, 0.2, 0.02, 0.08, 0.01, 0.01, 0.23};
            assertEquals(9, OPS.argmax(x));
            assertEquals(9, OPS.argmax(f(x)));
            assertArrayEquals(new int[] {9, 0}, OPS.topK(x, 2));
            assertArrayEquals(new int[] {9, 0}, OPS.topK(f(x), 2));
            assertArrayEquals(new int[] {9, 0, 4, 1, 3}, OPS.topK(x, 5));
        }

        @Test
        void s10JacobianIsDiagMinusOuterProductSymmetricWithZeroRowSums() {
            double[] y = OPS.softmax(0.5, -1.25, 2, 0.75);
            double[] jac = OPS.jacobian(y);
            float[] yf = f(y);
            float[] jacF = OPS.jacobian(yf);
            for (int i = 0; i < 4; i++) {
                double rowSum = 0;
                for (int j = 0; j < 4; j++) {
                    // exact: y_i * ([i == j] - y_j) of the given doubles, in BigDecimal
                    BigDecimal d = BigDecimal.valueOf(i == j ? 1 : 0).subtract(new BigDecimal(y[j]));
                    double exact = new BigDecimal(y[i]).multiply(d).doubleValue();
                    assertUlps(exact, jac[4 * i + j], 1, "S10 J[" + i + "," + j + "]");
                    assertEquals(jac[4 * i + j], jac[4 * j + i], "S10 symmetric");
                    BigDecimal df = BigDecimal.valueOf(i == j ? 1 : 0).subtract(new BigDecimal(yf[j]));
                    assertUlps(new BigDecimal(yf[i]).multiply(df).doubleValue(), jacF[4 * i + j], 1, "S10 J");
                    rowSum += jac[4 * i + j];
                }
                assertEquals(0, rowSum, 1e-16, "S10 row sum");
            }
        }

        @Test
        void s11FusedLossMatchesUnfusedOnModerateLogitsAndStaysFiniteOnLargeOnes() {
            double[] z = {0.3, -1.2, 2.5, 0.9};
            double[] onehot = {0, 0, 0, 1};
            double[] ce = new double[1];
            OPS.crossEntropy(1, 4, OPS.softmax(z), 0, onehot, 0, 1e-7, ce, 0);
            double fused = OPS.softmaxCrossEntropyWithLogits(z, onehot, null);
            assertUlps(fused, ce[0], 8, "S11 fused vs unfused");
            double[] far = {1000, -1000};
            assertEquals(Double.NEGATIVE_INFINITY, Math.log(OPS.softmax(far)[1]), "S11 unfused log(softmax)");
            assertEquals(2000.0, OPS.softmaxCrossEntropyWithLogits(far, new double[] {0, 1}, null));
            assertEquals(2000f, OPS.softmaxCrossEntropyWithLogits(f(far), f(0, 1), null));
        }

        @Test
        void s12TwoClassSoftmaxIsTheSigmoid() {
            // mpmath: 1 / (1 + exp(-z))
            double[] z = {-30, -1, 0.5, 2, 20};
            double[] sigmoid = {9.3576229688392989538e-14, 0.26894142136999512075, 0.62245933120185456464,
                    0.88079707797788244406, 0.99999999793884638181};
            for (int i = 0; i < z.length; i++) {
                assertUlps(sigmoid[i], OPS.softmax(z[i], 0)[0], bound(2), "S12 z=" + z[i]);
                assertUlps(sigmoid[i], OPS.softmax((float) z[i], 0f)[0], bound(2), "S12 z=" + z[i]);
            }
        }
    }

    // ============================================================================== edge-case table, one per row

    @Nested
    class EdgeCases {

        @Test
        void largeFiniteLogitsAreExactToRoundingAlsoWithTemperature() {
            // mpmath: softmax([10000, 9999] / 0.5) = [1/(1+e^-2), e^-2/(1+e^-2)]
            double[] exact = {0.88079707797788244406, 0.11920292202211755594};
            double[] y = new double[2];
            OPS.softmax(1, 2, 0.5, new double[] {1e4, 1e4 - 1}, 0, y, 0);
            assertAllUlps(exact, y, "temperature, large logits");
            float[] yf = new float[2];
            OPS.softmax(1, 2, 0.5f, f(1e4, 1e4 - 1), 0, yf, 0);
            assertAllUlps(exact, yf, "temperature, large logits");
            assertArrayEquals(new float[] {0.5f, 0.5f}, OPS.softmax(Float.MAX_VALUE, Float.MAX_VALUE));
            assertArrayEquals(new float[] {1, 0}, OPS.softmax(Float.MAX_VALUE, -Float.MAX_VALUE));
            assertArrayEquals(new double[] {0.5, 0.5}, OPS.softmax(Double.MAX_VALUE, Double.MAX_VALUE));
            assertArrayEquals(new double[] {1, 0}, OPS.softmax(Double.MAX_VALUE, -Double.MAX_VALUE));
        }

        @Test
        void shiftRoundingIsCorrectedInFloat64() {
            // x = [700 + 2^-43, 0.1]: 0.1 - x0 = -699.9 rounds by 2.27e-14 (mpmath), which uncorrected would be a
            // relative error of 2.27e-14 = ~100 ulps of exp. mpmath (dps 50): p1 = e^d / (1 + e^d) with the exact d
            double x0 = 700 + 0x1p-43;
            double exact = 1.0896627777794675498e-304;
            assertUlps(exact, OPS.softmax(x0, 0.1)[1], bound(2), "corrected shift");
            double[] y = new double[2];
            // the temperature kernel (T = 1, so the same exact value) corrects the shift as well
            OPS.softmax(1, 2, 1.0, new double[] {x0, 0.1}, 0, y, 0);
            assertUlps(exact, y[1], bound(2), "corrected shift, T = 1");
            // the division rounds too: -7.3 / 0.0123 = -593.5 is off by 2.6e-14 (mpmath), ~120 ulps of exp
            // uncorrected; mpmath (dps 50): q = -7.3 / 0.0123 exactly, p1 = e^q / (1 + e^q)
            OPS.softmax(1, 2, 0.0123, new double[] {0, -7.3}, 0, y, 0);
            assertUlps(1.7700698925353034496e-258, y[1], bound(2), "corrected division by T");
        }

        @Test
        void minusInfinityEntriesGiveZeroProbabilityMinusInfinityLogAndZeroGradient() {
            double ni = Double.NEGATIVE_INFINITY;
            assertArrayEquals(new double[] {0.5, 0, 0.5}, OPS.softmax(1, ni, 1));
            assertArrayEquals(new float[] {0.5f, 0, 0.5f}, OPS.softmax(1, Float.NEGATIVE_INFINITY, 1));
            double[] logp = OPS.logSoftmax(1, ni, 1);
            assertEquals(ni, logp[1]);
            assertUlps(-Math.log(2), logp[0], 2, "log 1/2");
            assertEquals(Float.NEGATIVE_INFINITY, OPS.logSoftmax(1f, Float.NEGATIVE_INFINITY, 1f)[1]);
            double[] g = new double[3];
            OPS.sparseSoftmaxCrossEntropyWithLogits(new double[] {1, ni, 1}, 0, g);
            assertEquals(0.0, g[1]);
            float[] gf = new float[3];
            OPS.sparseSoftmaxCrossEntropyWithLogits(new float[] {1, Float.NEGATIVE_INFINITY, 1}, 0, gf);
            assertEquals(0f, gf[1]);
        }

        @Test
        void rowOfAllMinusInfinity() {
            double ni = Double.NEGATIVE_INFINITY;
            double[] x = {ni, ni, 0, 1};
            double[] y = OPS.softmax(2, 2, x);
            assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[1]), "softmax NaN");
            assertUlps(1 / (1 + Math.E), y[2], 4, "other row untouched");
            double[] lp = OPS.logSoftmax(2, 2, x);
            assertTrue(Double.isNaN(lp[0]) && Double.isNaN(lp[1]), "log-softmax NaN");
            assertEquals(ni, OPS.logSumExp(ni, ni));
            assertEquals(Float.NEGATIVE_INFINITY, OPS.logSumExp(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY));
            assertTrue(Float.isNaN(OPS.softmax(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY)[0]));
            double[] masked = OPS.maskedSoftmax(new double[] {ni, Double.NaN, 3}, new boolean[3]);
            assertArrayEquals(new double[] {0, 0, 0}, masked);
            assertArrayEquals(new double[] {0, 0, 0}, OPS.softmaxBackward(masked, new double[] {1, 2, 3}));
            float[] maskedF = OPS.maskedSoftmax(new float[] {1, Float.NaN, 3}, new boolean[3]);
            assertArrayEquals(new float[] {0, 0, 0}, maskedF);
            assertArrayEquals(new float[] {0, 0, 0}, OPS.softmaxBackward(maskedF, f(1, 2, 3)));
        }

        @Test
        void maskedEntriesGetExactlyZeroWhateverTheirValue() {
            boolean[] mask = {true, false, true, false};
            double[] y = OPS.maskedSoftmax(new double[] {1, Double.NaN, 1, Double.POSITIVE_INFINITY}, mask);
            assertArrayEquals(new double[] {0.5, 0, 0.5, 0}, y);
            float[] yf = OPS.maskedSoftmax(new float[] {1, Float.NaN, 1, Float.POSITIVE_INFINITY}, mask);
            assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0}, yf);
            // the unmasked part equals the softmax of the unmasked entries
            double[] x = {0.3, 9, -2, 1.7};
            double[] ref = OPS.softmax(0.3, -2);
            double[] ym = OPS.maskedSoftmax(x, new boolean[] {true, false, true, false});
            assertEquals(ref[0], ym[0]);
            assertEquals(ref[1], ym[2]);
        }

        @Test
        void nanInARowMakesThatRowNaNOnlyAndArgmaxPicksTheFirstNaN() {
            double nan = Double.NaN;
            double[] x = {1, nan, 2, 1, 2, 3};
            double[] y = OPS.softmax(2, 3, x);
            for (int c = 0; c < 3; c++) {
                assertTrue(Double.isNaN(y[c]), "row 0 NaN at " + c);
            }
            assertArrayEquals(OPS.softmax(1.0, 2, 3), Arrays.copyOfRange(y, 3, 6));
            float[] yf = OPS.softmax(2, 3, f(x));
            assertTrue(Float.isNaN(yf[0]) && Float.isNaN(yf[2]), "float row 0 NaN");
            assertTrue(Double.isNaN(OPS.logSumExp(1, nan, Double.POSITIVE_INFINITY)));
            assertTrue(Double.isNaN(OPS.logSumExp(Double.NEGATIVE_INFINITY, nan)));
            assertTrue(Double.isNaN(OPS.logSoftmax(1, nan)[0]));
            assertEquals(1, OPS.argmax(5, nan, 7, nan));
            assertEquals(1, OPS.argmax(5f, Float.NaN, 7f, Float.NaN));
            assertEquals(0, OPS.argmax(nan, 9));
            double[] loss = new double[2];
            double[] g = new double[6];
            OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, x, 0, new int[] {0, 0}, 0, opts(Reduction.NONE), loss, 0,
                    g, 0);
            assertTrue(Double.isNaN(loss[0]) && Double.isNaN(g[0]), "CE NaN row");
            assertTrue(Double.isFinite(loss[1]) && Double.isFinite(g[3]), "CE other row finite");
        }

        @Test
        void plusInfinityGivesNaNSoftmaxAndInfiniteLogSumExp() {
            double pi = Double.POSITIVE_INFINITY;
            assertTrue(Double.isNaN(OPS.softmax(1, pi, 2)[0]));
            assertTrue(Double.isNaN(OPS.softmax(1, pi, 2)[1]));
            assertTrue(Double.isNaN(OPS.logSoftmax(1, pi)[0]));
            assertTrue(Float.isNaN(OPS.softmax(1f, Float.POSITIVE_INFINITY)[1]));
            assertEquals(pi, OPS.logSumExp(1, pi, Double.NEGATIVE_INFINITY));
            assertEquals(Float.POSITIVE_INFINITY, OPS.logSumExp(1f, Float.POSITIVE_INFINITY));
        }

        @Test
        void zeroRowsWriteNothingAndReduceToZeroOrNaN() {
            double[] y = {7};
            OPS.softmax(0, 3, new double[0], 0, y, 0);
            assertEquals(7, y[0]);
            double[] none = new double[0];
            assertEquals(0.0, OPS.softmaxCrossEntropyWithLogits(0, 3, none, none, opts(Reduction.SUM), null));
            assertEquals(0.0, OPS.softmaxCrossEntropyWithLogits(0, 3, none, none, opts(Reduction.NONE), null));
            assertTrue(Double.isNaN(OPS.softmaxCrossEntropyWithLogits(0, 3, none, none, opts(Reduction.MEAN), null)));
            assertTrue(Float.isNaN(OPS.sparseSoftmaxCrossEntropyWithLogits(0, 3, new float[0], new int[0],
                    opts(Reduction.MEAN), null)));
        }

        @Test
        void zeroColumns() {
            double[] out = {7, 7};
            OPS.logSumExp(2, 0, new double[0], 0, out, 0);
            assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, out);
            assertEquals(0, OPS.softmax(new double[0]).length);
            assertThrows(IllegalArgumentException.class, () -> OPS.argmax(1, 0, new double[0], 0, new int[1], 0));
            assertThrows(IllegalArgumentException.class, () -> OPS.sparseSoftmaxCrossEntropyWithLogits(1, 0,
                    new double[0], new int[] {0}, CrossEntropyOptions.DEFAULT, null));
        }

        @Test
        void oneColumn() {
            assertArrayEquals(new double[] {1, 1}, OPS.softmax(2, 1, new double[] {-3, 1e300}));
            assertArrayEquals(new float[] {1}, OPS.softmax(42f));
            assertArrayEquals(new double[] {0}, OPS.logSoftmax(-5.5));
            assertArrayEquals(new float[] {0}, OPS.logSoftmax(-5.5f));
            double[] g = {9};
            assertEquals(0.0, OPS.softmaxCrossEntropyWithLogits(new double[] {3.7}, new double[] {1}, g));
            assertEquals(0.0, g[0]);
            assertEquals(0f, OPS.sparseSoftmaxCrossEntropyWithLogits(new float[] {3.7f}, 0, null));
        }

        @Test
        void denseLabelsNotSummingToOneAreNotRenormalised() {
            double[] z = {0.5, -1, 2};
            double[] l = {0.5, 0.25, 1.0};
            double[] logp = OPS.logSoftmax(z);
            double[] p = OPS.softmax(z);
            double expected = -(l[0] * logp[0] + l[1] * logp[1] + l[2] * logp[2]);
            double[] g = new double[3];
            double loss = OPS.softmaxCrossEntropyWithLogits(z, l, g);
            assertUlps(expected, loss, 8, "loss");
            for (int c = 0; c < 3; c++) {
                assertEquals(1.75 * p[c] - l[c], g[c], 4e-16, "gradient " + c);
            }
            float[] gf = new float[3];
            assertUlps(expected, OPS.softmaxCrossEntropyWithLogits(f(z), f(l), gf), 8, "loss");
            for (int c = 0; c < 3; c++) {
                assertEquals(1.75 * p[c] - l[c], gf[c], 2e-7, "gradient " + c);
            }
        }

        @Test
        void zeroLabelOnMinusInfinityContributesZeroPositiveLabelGivesInfinity() {
            double ni = Double.NEGATIVE_INFINITY;
            double[] g = new double[3];
            double loss = OPS.softmaxCrossEntropyWithLogits(new double[] {0, ni, 0}, new double[] {1, 0, 0}, g);
            assertUlps(Math.log(2), loss, 2, "zero label on -inf");
            assertArrayEquals(new double[] {-0.5, 0, 0.5}, g);
            assertEquals(Double.POSITIVE_INFINITY,
                    OPS.softmaxCrossEntropyWithLogits(new double[] {0, ni, 0}, new double[] {0.5, 0.5, 0}, null));
            assertEquals(Float.POSITIVE_INFINITY, OPS.softmaxCrossEntropyWithLogits(
                    new float[] {0, Float.NEGATIVE_INFINITY}, f(0.5, 0.5), null));
            // smoothing puts a positive target on every class: +inf as well
            assertEquals(Double.POSITIVE_INFINITY, OPS.sparseSoftmaxCrossEntropyWithLogits(2, 2,
                    new double[] {0, ni, 0, 1}, new int[] {0, 0},
                    CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1), null));
        }

        @Test
        void classIndexOutOfRangeIsAnErrorNamingTheRowAndValue() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, new double[6], new int[] {1, 3},
                            CrossEntropyOptions.DEFAULT, null));
            assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("3"), e.getMessage());
            double[] g = {5, 5, 5};
            assertThrows(IllegalArgumentException.class, () -> OPS.sparseSoftmaxCrossEntropyWithLogits(
                    new double[] {1, 2, 3}, -1, g));
            assertArrayEquals(new double[] {5, 5, 5}, g, "nothing written");
        }

        @Test
        void ignoredRowsAddNothingGetZeroGradientAndAreNotCounted() {
            double[] x = {1, 2, 3, 4, 0.5, -1};
            int[] classes = {2, -100};
            double[] g = {9, 9, 9, 9, 9, 9};
            double[] loss = {9, 9};
            double mean = OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, x, 0, classes, 0, CrossEntropyOptions.DEFAULT,
                    loss, 0, g, 0);
            assertUlps(0.40760596444438030448, mean, bound(3), "mean over the one row counted"); // mpmath, S8
            assertEquals(0.0, loss[1]);
            assertArrayEquals(new double[] {0, 0, 0}, Arrays.copyOfRange(g, 3, 6));
            assertTrue(Double.isNaN(OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, x, new int[] {-100, -100},
                    CrossEntropyOptions.DEFAULT, g)), "all ignored: mean NaN");
            assertArrayEquals(new double[6], g, "all ignored: zero gradient");
            float[] gf = new float[6];
            assertTrue(Float.isNaN(OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, f(x), new int[] {-100, -100},
                    CrossEntropyOptions.DEFAULT, gf)));
            assertArrayEquals(new float[6], gf);
            // a valid class may be the ignore index
            assertEquals(0.0, OPS.sparseSoftmaxCrossEntropyWithLogits(1, 3, x, new int[] {1},
                    CrossEntropyOptions.DEFAULT.withIgnoreIndex(1).withReduction(Reduction.SUM), null));
        }

        @Test
        void classWeightsWithMean() {
            double[] x = {1, 2, 3, 0.5, -1, 2};
            double[] w = {0.5, 2, 1.5};
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withClassWeights(w);
            double[] l0 = OPS.logSoftmax(1.0, 2, 3);
            double[] l1 = OPS.logSoftmax(0.5, -1, 2);
            // sparse: sum(w[t] * nll) / sum(w[t]) (PyTorch)
            double sparse = OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, x, new int[] {1, 0}, o, null);
            assertUlps((-2 * l0[1] - 0.5 * l1[0]) / 2.5, sparse, 8, "sparse weighted mean");
            // dense: each term weighted, divided by the number of rows
            double dense = OPS.softmaxCrossEntropyWithLogits(2, 3, x, new double[] {0, 1, 0, 1, 0, 0}, o, null);
            assertUlps((-2 * l0[1] - 0.5 * l1[0]) / 2, dense, 8, "dense weighted mean");
            float sparseF = OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, f(x), new int[] {1, 0}, o, null);
            assertUlps((-2 * l0[1] - 0.5 * l1[0]) / 2.5, sparseF, 8, "sparse weighted mean");
        }

        @Test
        void labelSmoothingFollowsPyTorch() {
            double e = 0.2;
            double[] x = {1, 2, 3};
            double[] lp = OPS.logSoftmax(x);
            double[] w = {0.5, 2, 1.5};
            // (1 - e) * w_t * nll + e / C * sum_c w_c * (-logp_c)
            double expected = (1 - e) * w[0] * -lp[0] + e / 3 * (-w[0] * lp[0] - w[1] * lp[1] - w[2] * lp[2]);
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withLabelSmoothing(e)
                    .withClassWeights(w);
            assertUlps(expected, OPS.sparseSoftmaxCrossEntropyWithLogits(1, 3, x, new int[] {0}, o, null), 8,
                    "sparse smoothing");
            assertUlps(expected, OPS.softmaxCrossEntropyWithLogits(1, 3, x, new double[] {1, 0, 0}, o, null), 8,
                    "dense smoothing");
            assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.DEFAULT.withLabelSmoothing(1.5));
            assertThrows(IllegalArgumentException.class,
                    () -> CrossEntropyOptions.DEFAULT.withLabelSmoothing(Double.NaN));
        }

        @Test
        void crossEntropyFromProbabilitiesIsKeras() {
            // row 0 normalised by its sum 2; row 1 all zeros -> NaN; row 2 clipped at eps; row 3 clipped at 1 - eps
            double[] p = {0.5, 1.5, 0, 0, 0.7, 0, 1, 0};
            double[] t = {0, 1, 1, 0, 0, 1, 1, 0};
            double[] loss = new double[4];
            OPS.crossEntropy(4, 2, p, 0, t, 0, 1e-7, loss, 0);
            assertUlps(-Math.log(0.75), loss[0], 4, "normalised");
            assertTrue(Double.isNaN(loss[1]), "all-zero row");
            assertUlps(-Math.log(1e-7), loss[2], 4, "clipped at eps");
            // Keras clips at 1 - eps rounded to float64; 1 - (1 - eps) is that bound's exact distance to 1
            assertUlps(-Math.log1p(-(1 - (1 - 1e-7))), loss[3], 4, "clipped at 1 - eps");
            float[] lossF = new float[4];
            OPS.crossEntropy(4, 2, f(p), 0, f(t), 0, 1e-7, lossF, 0);
            assertUlps(-Math.log(0.75), lossF[0], 4, "normalised");
            assertTrue(Float.isNaN(lossF[1]), "all-zero row");
            assertUlps(-Math.log(1e-7f), lossF[2], 4, "clipped at eps rounded to float");
            // Keras float32: 1 - eps is rounded to float, 1 - 2^-23 * 1 = 0.99999988
            assertUlps(-Math.log(1f - 1e-7f), lossF[3], 4, "clipped at 1 - eps rounded to float");
            // near 1: log p from the compensated 1 - p, not from the rounded p
            double[] near = {1, 3e-6};
            double[] l = new double[1];
            OPS.crossEntropy(1, 2, near, 0, new double[] {1, 0}, 0, 1e-7, l, 0);
            // -log(1 / (1 + 3e-6)) = log1p(3e-6), far from the clip 1 - 1e-7
            assertUlps(Math.log1p(near[1]), l[0], 4, "p close to 1");
        }

        @Test
        void argmaxAndTopKOrder() {
            assertEquals(1, OPS.argmax(-0.0, 0.0 + 1, 1));
            assertEquals(0, OPS.argmax(-0.0, 0.0));
            assertEquals(0, OPS.argmax(0.0, -0.0));
            double[] x = {3, Double.NaN, 3, 5, -0.0, 0.0, Double.NaN};
            assertArrayEquals(new int[] {1, 6, 3, 0, 2, 4, 5}, OPS.topK(x, 7));
            assertArrayEquals(new int[] {1, 6, 3, 0, 2, 4, 5}, OPS.topK(f(x), 7));
            assertEquals(0, OPS.topK(x, 0).length);
            assertThrows(IllegalArgumentException.class, () -> OPS.topK(x, 8));
            double[] values = new double[3];
            int[] idx = new int[3];
            OPS.topK(1, 7, 3, x, 0, values, 0, idx, 0);
            assertArrayEquals(new int[] {1, 6, 3}, idx);
            assertTrue(Double.isNaN(values[0]) && Double.isNaN(values[1]) && values[2] == 5);
        }

        @Test
        void topKMatchesAStableSortForSmallAndLargeK() {
            Random rnd = new Random(11);
            for (int trial = 0; trial < 200; trial++) {
                int cols = 1 + rnd.nextInt(80);
                double[] x = new double[cols];
                for (int c = 0; c < cols; c++) {
                    int kind = rnd.nextInt(10);
                    x[c] = kind == 0 ? Double.NaN : kind == 1 ? -0.0 : kind == 2 ? 0.0 : rnd.nextInt(7) - 3;
                }
                Integer[] order = new Integer[cols];
                for (int c = 0; c < cols; c++) {
                    order[c] = c;
                }
                // NaN first, then descending, ties by index (Arrays.sort is stable); -0.0 ties 0.0
                Arrays.sort(order, Comparator.comparingInt((Integer c) -> Double.isNaN(x[c]) ? 0 : 1)
                        .thenComparing(c -> Double.isNaN(x[c]) ? 0 : -(x[c] + 0.0)));
                int k = rnd.nextInt(cols + 1);
                int[] expected = new int[k];
                for (int j = 0; j < k; j++) {
                    expected[j] = order[j];
                }
                int kk = k;
                assertArrayEquals(expected, OPS.topK(x, k), () -> "topK k=" + kk + " x=" + Arrays.toString(x));
                assertArrayEquals(expected, OPS.topK(f(x), k), () -> "topK f32 k=" + kk);
            }
        }

        @Test
        void subnormalResultsAreKept() {
            // mpmath: softmax([-745, 0])[0] = 2.82e-324, which rounds to the smallest subnormal 4.9e-324
            assertEquals(Double.MIN_VALUE, OPS.softmax(-745.0, 0)[0]);
            // float32: exp(-103) = 1.44e-45 rounds to the smallest float subnormal 1.4e-45
            assertEquals(Float.MIN_VALUE, OPS.softmax(-103f, 0f)[0]);
            assertEquals(-745.0, OPS.logSoftmax(-745.0, 0)[0]);
        }

        @Test
        void extremeMagnitudesNeitherOverflowNorLosePrecision() {
            double max = Double.MAX_VALUE;
            // x - m = -1.5 * MAX overflows, the loss q_1 * 1.5 * MAX (q_1 = 1e-6 / 2 by smoothing) does not
            double[] x = {max, -max / 2};
            double exact = new BigDecimal(1e-6).divide(BigDecimal.valueOf(2))
                    .multiply(new BigDecimal(max).add(new BigDecimal(max / 2))).doubleValue();
            assertUlps(exact, OPS.sparseSoftmaxCrossEntropyWithLogits(1, 2, x, new int[] {0},
                    opts(Reduction.SUM).withLabelSmoothing(1e-6), null), bound(2), "overflowing shift");
            // alpha * a overflows, alpha * (a * b) does not
            double[] c = {0};
            OPS.matmul(1, 1, 1, -1.1577012714378634, new double[] {max}, 0, new double[] {0.2739999685480947}, 0,
                    0.0, c, 0);
            double product = new BigDecimal(-1.1577012714378634).multiply(new BigDecimal(max))
                    .multiply(new BigDecimal(0.2739999685480947)).doubleValue();
            assertUlps(product, c[0], 3, "matmul with |alpha| > 1");
            // Keras with eps = 0: p = 4.8e-322 / 0.4057 is subnormal; mpmath (dps 60): -log(p) = 738.96319840438511547
            double[] loss = new double[1];
            OPS.crossEntropy(1, 2, new double[] {4.8e-322, 0.4056913871927914}, 0, new double[] {1, 0}, 0, 0.0, loss,
                    0);
            assertUlps(738.96319840438511547, loss[0], bound(2), "subnormal probability");
            // float32: p_1 Q = 20 e^-101 / (1 + e^-101) is a float subnormal; mpmath: 2.7370789423477060005e-43
            float[] g = new float[2];
            OPS.softmaxCrossEntropyWithLogits(new float[] {0, -101}, new float[] {20, 0}, g);
            assertUlps(2.7370789423477060005e-43, g[1], bound(2), "subnormal float gradient");
        }

        @Test
        void meanOverZeroWeightsGivesNaNLossAndZeroGradientForRowsWithoutTarget() {
            double[] g = {7, 7};
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withClassWeights(0, 1);
            assertTrue(Double.isNaN(OPS.sparseSoftmaxCrossEntropyWithLogits(1, 2, new double[] {0.5, 1}, new int[] {0},
                    o, g)));
            assertArrayEquals(new double[] {0, 0}, g);
        }

        @Test
        void tinyGradientTailsAreKept() {
            // mpmath: logits [37.43, 0] (the double 37.43): p1 = 5.550825086253719109e-17,
            // log p0 = -5.550825086253719263e-17
            double[] g = new double[2];
            double loss = OPS.sparseSoftmaxCrossEntropyWithLogits(new double[] {37.43, 0}, 0, g);
            assertUlps(5.550825086253719263e-17, loss, bound(2), "loss");
            assertUlps(-5.550825086253719109e-17, g[0], bound(2), "gradient[0]");
            assertUlps(5.550825086253719109e-17, g[1], bound(2), "gradient[1]");
            assertUlps(-5.550825086253719263e-17, OPS.logSoftmax(37.43, 0)[0], bound(2), "log p0");
            double[] gd = new double[2];
            OPS.softmaxCrossEntropyWithLogits(new double[] {37.43, 0}, new double[] {1, 0}, gd);
            assertUlps(-5.550825086253719109e-17, gd[0], bound(2), "dense gradient[0]");
            // mpmath with the float 37.43000030517578: p1 = 5.5508233922765937322e-17,
            // log p0 = -5.5508233922765938862e-17
            float[] gf = new float[2];
            float lossF = OPS.sparseSoftmaxCrossEntropyWithLogits(new float[] {37.43f, 0}, 0, gf);
            assertUlps(5.5508233922765938862e-17, lossF, bound(2), "loss");
            assertUlps(-5.5508233922765937322e-17, gf[0], bound(2), "gradient[0]");
            assertUlps(-5.5508233922765938862e-17, OPS.logSoftmax(37.43f, 0f)[0], bound(2), "log p0");
        }
    }

    // ================================================================================ gradients, aliasing, products

    @Nested
    class GradientsAndProducts {

        /** Dense and sparse fused gradients with weights, smoothing and an ignored row, vs central differences. */
        @ParameterizedTest
        @EnumSource(Reduction.class)
        void fusedGradientMatchesCentralDifferences(Reduction reduction) {
            int rows = 4;
            int cols = 5;
            Random rnd = new Random(7 + reduction.ordinal());
            double[] x = new double[rows * cols];
            double[] labels = new double[rows * cols];
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rnd.nextGaussian();
                labels[i] = rnd.nextDouble();
            }
            int[] classes = {3, -7, 0, 4};
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(reduction).withLabelSmoothing(0.15)
                    .withClassWeights(0.5, 1.25, 2, 0.75, 1.5).withIgnoreIndex(-7);
            for (boolean sparse : new boolean[] {false, true}) {
                double[] g = new double[x.length];
                loss(sparse, x, labels, classes, o, g);
                double h = 1e-5;
                for (int i = 0; i < x.length; i++) {
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    xp[i] += h;
                    xm[i] -= h;
                    double fd = (loss(sparse, xp, labels, classes, o, null) - loss(sparse, xm, labels, classes, o,
                            null)) / (2 * h);
                    int ii = i;
                    assertEquals(fd, g[i], 1e-8, () -> (sparse ? "sparse " : "dense ") + reduction + " d/dx[" + ii
                            + "]");
                }
                if (sparse) {
                    for (int c = 5; c < 10; c++) {
                        assertEquals(0.0, g[c], "ignored row gradient");
                    }
                }
                // float32 gradient on the same (float-exact) inputs agrees with float64 to float accuracy
                double[] xr = new double[x.length];
                float[] xf = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    xf[i] = (float) x[i];
                    xr[i] = xf[i];
                }
                float[] lf = f(labels);
                double[] lr = new double[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    lr[i] = lf[i];
                }
                double[] gd = new double[x.length];
                double ld = loss(sparse, xr, lr, classes, o, gd);
                float[] gf = new float[x.length];
                float lossF = sparse
                        ? OPS.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xf, classes, o, gf)
                        : OPS.softmaxCrossEntropyWithLogits(rows, cols, xf, lf, o, gf);
                assertUlps(ld, lossF, 4, "float32 reduced loss");
                for (int i = 0; i < x.length; i++) {
                    // |gradient| <= Q + q <= 10 here: a few float ulps of 10
                    assertEquals(gd[i], gf[i], 2e-6, "float32 gradient " + i);
                }
            }
        }

        private double loss(boolean sparse, double[] x, double[] labels, int[] classes, CrossEntropyOptions o,
                            double[] g) {
            return sparse
                    ? OPS.sparseSoftmaxCrossEntropyWithLogits(4, 5, x, classes, o, g)
                    : OPS.softmaxCrossEntropyWithLogits(4, 5, x, labels, o, g);
        }

        @Test
        void outputsMayAliasTheirInputs() {
            double[] x = {0.3, -1, 2.2, 4, 0, -3};
            double[] y = OPS.softmax(2, 3, x);
            double[] inPlace = x.clone();
            OPS.softmax(2, 3, inPlace, 0, inPlace, 0);
            assertArrayEquals(y, inPlace);
            double[] ls = OPS.logSoftmax(2, 3, x);
            inPlace = x.clone();
            OPS.logSoftmax(2, 3, inPlace, 0, inPlace, 0);
            assertArrayEquals(ls, inPlace);
            double[] g = new double[6];
            double loss = OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, x, new int[] {1, 2},
                    CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1), g);
            inPlace = x.clone();
            assertEquals(loss, OPS.sparseSoftmaxCrossEntropyWithLogits(2, 3, inPlace, new int[] {1, 2},
                    CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1), inPlace));
            assertArrayEquals(g, inPlace);
            double[] dy = {1, -2, 0.5, 0.25, 3, -1};
            double[] dx = new double[6];
            OPS.softmaxBackward(2, 3, y, 0, dy, 0, dx, 0);
            double[] yy = y.clone();
            OPS.softmaxBackward(2, 3, yy, 0, dy, 0, yy, 0);
            assertArrayEquals(dx, yy);
            double[] dd = dy.clone();
            OPS.softmaxBackward(2, 3, y, 0, dd, 0, dd, 0);
            assertArrayEquals(dx, dd);
            OPS.logSoftmaxBackward(2, 3, ls, 0, dy, 0, dx, 0);
            double[] ll = ls.clone();
            OPS.logSoftmaxBackward(2, 3, ll, 0, dy, 0, ll, 0);
            assertArrayEquals(dx, ll);
        }

        @Test
        void backwardPassesAgreeWithTheJacobianAndEachOther() {
            double[] z = {0.4, -0.7, 1.9, 0.1};
            double[] y = OPS.softmax(z);
            double[] dy = {0.3, -1.1, 0.8, 2.0};
            double[] jac = OPS.jacobian(y);
            double[] dx = OPS.softmaxBackward(y, dy);
            for (int j = 0; j < 4; j++) {
                double jtdy = 0;
                for (int i = 0; i < 4; i++) {
                    jtdy += jac[4 * i + j] * dy[i];
                }
                assertEquals(jtdy, dx[j], 1e-15, "J^T dy at " + j);
            }
            // log-softmax backward of dlogp = y * dy equals the softmax backward of dy
            double[] dlogp = new double[4];
            for (int i = 0; i < 4; i++) {
                dlogp[i] = dy[i] * y[i];
            }
            // dlogp = y * dy: dlogp - y sum(dlogp) = y (dy - sum(y dy)), the softmax backward
            double[] viaLog = OPS.logSoftmaxBackward(OPS.logSoftmax(z), dlogp);
            for (int i = 0; i < 4; i++) {
                assertEquals(dx[i], viaLog[i], 1e-15, "log-softmax backward " + i);
            }
            // [1 - 1 * 3, 2 - 0 * 3]
            assertArrayEquals(new double[] {-2, 2},
                    OPS.logSoftmaxBackward(new double[] {0, Double.NEGATIVE_INFINITY}, new double[] {1, 2}),
                    "exp(-inf) = 0 passes dlogp through");
            float[] dxf = OPS.softmaxBackward(f(y), f(dy));
            for (int i = 0; i < 4; i++) {
                assertEquals(dx[i], dxf[i], 4e-7, "float32 backward " + i);
            }
        }

        @Test
        void matrixProductsWithAlphaBetaAndNoReadOfCWhenBetaIsZero() {
            // A 2x3, B 3x2: small integers, so every product is exact
            double[] a = {1, 2, 3, 4, 5, 6};
            double[] b = {7, 8, 9, 10, 11, 12};
            double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            OPS.matmul(2, 3, 2, 1.0, a, 0, b, 0, 0.0, c, 0);
            assertArrayEquals(new double[] {58, 64, 139, 154}, c);
            OPS.matmul(2, 3, 2, 2.0, a, 0, b, 0, -1.0, c, 0);
            assertArrayEquals(new double[] {58, 64, 139, 154}, c);
            // A^T with A stored 3x2 (the transpose of the A above)
            double[] at = {1, 4, 2, 5, 3, 6};
            double[] ct = {Double.NaN, 0, 0, 0};
            OPS.matmulTransA(2, 3, 2, 1.0, at, 0, b, 0, 0.0, ct, 0);
            assertArrayEquals(new double[] {58, 64, 139, 154}, ct);
            float[] cf = {Float.NaN, 1, 1, 1};
            OPS.matmul(2, 3, 2, 0.5f, f(a), 0, f(b), 0, 0f, cf, 0);
            assertArrayEquals(new float[] {29, 32, 69.5f, 77}, cf);
            float[] ctf = {1, 1, 1, 1};
            OPS.matmulTransA(2, 3, 2, 1f, f(at), 0, f(b), 0, 1f, ctf, 0);
            assertArrayEquals(new float[] {59, 65, 140, 155}, ctf);
        }

        @Test
        void offsetsAreHonoured() {
            double[] x = {99, 1, 2, 3, 99};
            double[] y = {-1, -1, -1, -1, -1, -1};
            OPS.softmax(1, 3, x, 1, y, 2);
            assertArrayEquals(new double[] {-1, -1}, Arrays.copyOfRange(y, 0, 2));
            assertArrayEquals(OPS.softmax(1.0, 2, 3), Arrays.copyOfRange(y, 2, 5));
            assertEquals(-1, y[5]);
            int[] out = {-1, -1, -1};
            OPS.argmax(1, 3, x, 1, out, 1);
            assertArrayEquals(new int[] {-1, 2, -1}, out);
        }
    }
}
