package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/** Checks the reference itself: constants, exp/ln against Math within 1 ulp, the seed cases, the edge semantics. */
class ExactReferenceTest {

    private static final String LN2 = "0.693147180559945309417232121458176568075500134360255254120680009";
    private static final String LN10 = "2.30258509299404568401799145468436420760110148862877297603332790";
    private static final String E = "2.71828182845904523536028747135266249775724709369995957496696763";

    /** @return the number of agreeing leading digits-worth: |a - b| / |b| */
    private static double relErr(BigDecimal a, String b) {
        BigDecimal e = new BigDecimal(b);
        return a.subtract(e).abs().divide(e.abs(), ExactReference.MC).doubleValue();
    }

    @Test
    void constantsAgreeToFortyDigits() {
        assertTrue(relErr(ExactReference.LN2, LN2) < 1e-42, "ln2");
        assertTrue(relErr(ExactReference.LN10, LN10) < 1e-42, "ln10");
        assertTrue(relErr(ExactReference.exp(BigDecimal.ONE), E) < 1e-42, "e");
        assertTrue(relErr(ExactReference.ln(new BigDecimal(E)), "1") < 1e-42, "ln e");
        assertTrue(relErr(ExactReference.ln(BigDecimal.valueOf(2)), LN2) < 1e-42, "ln 2 via ln()");
        assertTrue(relErr(ExactReference.ln(BigDecimal.valueOf(1000)), "6.90775527898213705205397436405309262280330446588631892809998370")
                < 1e-42, "ln 1000");
        // e^-745 = 2.0595...e-324 (known); e^100 = 2.68811714181613544841e43
        assertTrue(relErr(ExactReference.exp(BigDecimal.valueOf(100)), "2.6881171418161354484126255515800135873611118773741922e43")
                < 1e-42, "e^100");
        assertTrue(relErr(ExactReference.exp(BigDecimal.valueOf(-1)), "0.367879441171442321595523770161460867445811131031767834507836802")
                < 1e-42, "e^-1");
    }

    @Test
    void expAndLnRoundTripToFortyDigits() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            BigDecimal x = new BigDecimal(rnd.nextDouble(-700, 700));
            BigDecimal back = ExactReference.ln(ExactReference.exp(x));
            assertTrue(back.subtract(x).abs().compareTo(new BigDecimal("1e-40").max(x.abs().multiply(new BigDecimal("1e-42")))) <= 0,
                    () -> "ln(exp(" + x + ")) = " + back);
        }
    }

    @Test
    void expAndLnWithinOneUlpOfMath() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 10000; i++) {
            double x = i % 2 == 0 ? rnd.nextDouble(-745, 709) : rnd.nextDouble(-1, 1) * Math.pow(2, -rnd.nextInt(60));
            double ref = ExactReference.exp(x);
            double lib = Math.exp(x);
            assertTrue(Math.abs(ref - lib) <= Math.ulp(ref), () -> "exp(" + x + "): " + ref + " vs Math " + lib);
            double p = Math.abs(x) * Math.pow(2, rnd.nextInt(-1070, 1000)) + Double.MIN_VALUE;
            double lr = ExactReference.ln(p);
            double ll = Math.log(p);
            assertTrue(Math.abs(lr - ll) <= Math.ulp(lr), () -> "ln(" + p + "): " + lr + " vs Math " + ll);
        }
        assertEquals(Double.MIN_VALUE, ExactReference.exp(-745.0));
        assertEquals(0.0, ExactReference.exp(-746.0));
        assertEquals(1.0, ExactReference.exp(0.0));
        assertEquals(0.0, ExactReference.ln(1.0));
    }

    @Test
    void sigmoidMatchesClosedForm() {
        assertEquals(0.5, ExactReference.sigmoid(0));
        assertEquals(0.7310585786300049, ExactReference.sigmoid(1), 0);
        assertEquals(Math.exp(-800.0), ExactReference.sigmoid(-800), 0);
        assertEquals(1.0, ExactReference.sigmoid(800));
    }

    private static void assertClose(double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], Math.abs(expected[i]) * rel, "index " + i);
        }
    }

    @Test
    void seedCases() {
        assertClose(new double[] {0.011656230956, 0.0316849207961, 0.0861285444363, 0.234121657253, 0.636408646559},
                ExactReference.softmax(1, 5, new double[] {1, 2, 3, 4, 5}).values(), 1e-11);
        assertArrayEquals(new double[] {0, 0, 0, 0, 1},
                ExactReference.softmax(1, 5, new double[] {1000, 2000, 3000, 4000, 5000}).values());
        assertClose(new double[] {5.75274405698e-290, 2.39848786884e-145, 1.0},
                ExactReference.softmax(1, 3, new double[] {123, 456, 789}).values(), 1e-11);
        assertClose(new double[] {0.730879335712, 0.000245182702638, 0.268875481585},
                ExactReference.softmax(1, 3, new double[] {4, -4, 3}).values(), 1e-11);
        ExactReference.Loss s6 = ExactReference.sparseSoftmaxCrossEntropy(1, 3, new double[] {4, -4, 3}, new int[] {2},
                CrossEntropyOptions.DEFAULT);
        assertEquals(1.31350690028, s6.reduced(), 1e-11);
        assertClose(new double[] {0.730879335712, 0.000245182702638, -0.731124518415}, s6.gradient(), 1e-11);
        ExactReference.Loss s8 = ExactReference.softmaxCrossEntropy(3, 3, new double[] {1, 2, 3, 1, 2, 3, 1, 2, 3},
                new double[] {0, 0, 1, 0, 0, 1, 0, 0, 1}, CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM));
        assertClose(new double[] {0.407605964444, 0.407605964444, 0.407605964444}, s8.loss(), 1e-11);
        assertEquals(1.22281789333, s8.reduced(), 1e-11);
        assertArrayEquals(new int[] {9, 0}, ExactReference.topK(1, 10, 2,
                new double[] {0.2, 0.1, 0.05, 0.1, 0.2, 0.02, 0.08, 0.01, 0.01, 0.23}));
        assertEquals(Double.MIN_VALUE, ExactReference.softmax(1, 2, new double[] {-745, 0}).values()[0]);
    }

    @Test
    void edgeSemantics() {
        double ni = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new double[] {0, 1}, ExactReference.softmax(1, 2, new double[] {ni, 3}).values());
        assertTrue(Double.isNaN(ExactReference.softmax(1, 2, new double[] {ni, ni}).values()[0]));
        assertTrue(Double.isNaN(ExactReference.softmax(1, 2, new double[] {Double.NaN, 1}).values()[1]));
        assertArrayEquals(new double[] {ni, 0}, ExactReference.logSoftmax(1, 2, new double[] {ni, 3}).values());
        assertArrayEquals(new double[] {ni, Double.POSITIVE_INFINITY, Double.NaN},
                ExactReference.logSumExp(3, 2, new double[] {ni, ni, 1, Double.POSITIVE_INFINITY, Double.NaN, 1}).values());
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5},
                ExactReference.maskedSoftmax(2, 2, new double[] {Double.NaN, 1, 7, 7},
                        new boolean[] {false, false, true, true}).values());
        // Keras clipping: float32 eps rounds, p = 0 clipped to eps
        double lossF = ExactReference.crossEntropy(Dtype.FLOAT32, 1, 2, new double[] {0, 1}, new double[] {1, 0}, 1e-7)
                .values()[0];
        assertEquals(-Math.log((float) 1e-7), lossF, 1e-14);
        // a dense zero label on -inf contributes 0; a positive one gives +inf
        assertEquals(0.0, ExactReference.softmaxCrossEntropy(1, 2, new double[] {ni, 0}, new double[] {0, 1},
                CrossEntropyOptions.DEFAULT).reduced());
        assertEquals(Double.POSITIVE_INFINITY, ExactReference.softmaxCrossEntropy(1, 2, new double[] {ni, 0},
                new double[] {1, 0}, CrossEntropyOptions.DEFAULT).reduced());
        // all rows ignored: mean NaN, zero gradient
        ExactReference.Loss ignored = ExactReference.sparseSoftmaxCrossEntropy(2, 2, new double[] {1, 2, 3, 4},
                new int[] {-100, -100}, CrossEntropyOptions.DEFAULT);
        assertTrue(Double.isNaN(ignored.reduced()));
        assertArrayEquals(new double[4], ignored.gradient());
        // tiny gradient tail kept: [37.43, 0], class 0
        double g = ExactReference.sparseSoftmaxCrossEntropy(1, 2, new double[] {37.43, 0}, new int[] {0},
                CrossEntropyOptions.DEFAULT).gradient()[0];
        assertEquals(-5.55e-17, g, 0.01e-17);
        assertArrayEquals(new int[] {1, 0}, ExactReference.argmax(2, 3, new double[] {1, Double.NaN, Double.NaN, -0.0, 0.0, -1}));
    }

    @Test
    void log1pKeepsTinyArgumentsAndTemperatureDividesTheShift() {
        BigDecimal t = new BigDecimal("1e-300");
        assertTrue(relErr(ExactReference.log1p(t), "9.99999999999999999999999999999999999999999999e-301") < 1e-42);
        assertTrue(relErr(ExactReference.log1p(new BigDecimal("0.5")), "0.405465108108164381978013115464349136571990423462494928")
                < 1e-42, "log1p(0.5)");
        // logSumExp([0, -700]) = log1p(e^-700), far below ulp(1): must not round to 0
        assertEquals(Math.exp(-700), ExactReference.logSumExp(1, 2, new double[] {0, -700}).values()[0],
                Math.ulp(Math.exp(-700)));
        // T = 1e-3 on logits 1e4 apart in float32 range: exp((x - m)/T) of the shifted value, never x/T first
        double[] y = ExactReference.softmax(1, 3, 1e-3, new double[] {3e38, 3e38 - 1e32, 0}).values();
        assertArrayEquals(new double[] {1, 0, 0}, y);
        double[] y2 = ExactReference.softmax(1, 2, 1e3, new double[] {1000, 0}).values();
        assertEquals(1 / (1 + Math.exp(-1)), y2[0], 1e-16);
        // top-k is stable and puts NaN first
        assertArrayEquals(new int[] {2, 0, 3, 1}, ExactReference.topK(1, 4, 4, new double[] {1, 0, Double.NaN, 1}));
        // matmul with transposed A: [[1, 2], [3, 4]]^T [5, 6]^T = [23, 34]; beta = 0 ignores C's NaN
        assertArrayEquals(new double[] {23, 34}, ExactReference.matmul(Op.MATMUL_TRANS_A, 2, 2, 1, 1,
                new double[] {1, 2, 3, 4}, new double[] {5, 6}, 0, new double[] {Double.NaN, Double.NaN}).values());
        // and with transposed B: [1, 2] ([[5, 6], [7, 8]])^T = [1*5 + 2*6, 1*7 + 2*8] = [17, 23]
        assertArrayEquals(new double[] {17, 23}, ExactReference.matmul(Op.MATMUL_TRANS_B, 1, 2, 2, 1,
                new double[] {1, 2}, new double[] {5, 6, 7, 8}, 0, new double[] {Double.NaN, Double.NaN}).values());
    }

    @Test
    void fastEnoughForTwoRowsOf32000() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[64000];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-20, 20);
        }
        // CPU time of this thread, not wall time: the build machine is shared
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        ExactReference.softmax(2, 32000, x);
        ExactReference.logSoftmax(2, 32000, x);
        double seconds = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        assertTrue(seconds < 10, () -> "softmax + logSoftmax of 2 x 32000 took " + seconds + " s of CPU");
    }
}
