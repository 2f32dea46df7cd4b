package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.RandomInputs.Range;

/**
 * Mathematical properties of a backend's ops on seeded random inputs, each with a stated bound. {@code B(C)} is
 * {@link ErrorBounds#rowUlps}, {@code u} the dtype's unit roundoff; an op value within {@code B} ulp of its exact value
 * is within {@code 2 B u} of it relatively (an ulp is at most {@code 2u} times a normal value). The finite-difference
 * checks run in float64 with the step {@code h = cbrt(u) max(1, |x_j|)} (the exact step taken is
 * {@code (x_j + h) - x_j}); their bound is the truncation error {@code h^2/6 M3} ({@code M3} a bound of the third
 * derivative) plus the rounding error of the two function values divided by {@code 2h}.
 */
public abstract class PropertyTests {

    /** @return the backend under test */
    protected abstract SoftmaxOps ops();

    private static final int[][] SHAPES = {{1, 1}, {1, 3}, {3, 5}, {7, 33}, {2, 1000}};

    private static long seed(String what) {
        return what.hashCode() * 0x9E3779B97F4A7C15L;
    }

    /**
     * The row bound {@code B(C)} of the exact class; under the {@link org.softmax4j.Accuracy#STANDARD} class the
     * properties take the class's worst case, {@code B(C) + C + 2 R} with {@code R} the dtype's whole underflow span
     * (the reference group holds each call to its own span).
     */
    private double b(Dtype dtype, int cols) {
        double b = ErrorBounds.rowUlps(cols);
        if (dtype.accuracyOf(ops()) == org.softmax4j.Accuracy.EXACT) {
            return b;
        }
        return b + cols + 2 * (dtype == Dtype.FLOAT64 ? 745.2 : 104);
    }

    /** The smallest positive value of the dtype: the absolute error floor of a value that underflows. */
    private static double tiny(Dtype dtype) {
        return dtype == Dtype.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE;
    }

    /** Asserts {@code |actual - expected| <= bound} with a message naming backend, property, dtype, case, index. */
    private void near(String property, Dtype dtype, String what, int index, double expected, double actual,
                      double bound) {
        double err = Math.abs(actual - expected);
        assertTrue(err <= bound || (Double.isNaN(expected) && Double.isNaN(actual)) || expected == actual,
                () -> String.format("%s %s %s %s: index %d: expected %s, actual %s, error %.3g (%.3g ulp), bound %.3g",
                        ops().name(), property, dtype.jsonName(), what, index, expected, actual, err,
                        err / dtype.ulp(expected), bound));
    }

    private Stream<DynamicTest> perDtypeAndShape(String property, List<Range> ranges, Case body) {
        return perDtypeAndShape(property, ranges, 1, Integer.MAX_VALUE, body);
    }

    /** One test per dtype, shape (with {@code minCols <= cols <= maxCols}) and range. */
    private Stream<DynamicTest> perDtypeAndShape(String property, List<Range> ranges, int minCols, int maxCols,
                                                 Case body) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dtype dtype : Dtype.values()) {
            for (int[] s : SHAPES) {
                if (s[1] < minCols || s[1] > maxCols) {
                    continue;
                }
                for (Range range : ranges) {
                    String what = dtype.jsonName() + " " + s[0] + "x" + s[1] + " " + range;
                    tests.add(dynamicTest(property + " " + what, () -> body.run(dtype, s[0], s[1],
                            new RandomInputs(seed(property + what), dtype), range, what)));
                }
            }
        }
        return tests.stream();
    }

    @FunctionalInterface
    private interface Case {
        void run(Dtype dtype, int rows, int cols, RandomInputs random, Range range, String what);
    }

    private OpsInDtype in(Dtype dtype) {
        return new OpsInDtype(ops(), dtype);
    }

    // ------------------------------------------------------------------------------------------------- softmax

    /**
     * Each softmax row sums to 1: {@code |sum_c y_c - 1| <= 2 B(C) u + C tiny}, since each value is within
     * {@code B} ulp {@code <= 2 B u y_c} of the exact value (which sums to 1) or within {@code B} subnormal spacings.
     * The sum is taken exactly.
     */
    @TestFactory
    Stream<DynamicTest> rowsSumToOne() {
        return perDtypeAndShape("rowsSumToOne", List.of(Range.ORDINARY, Range.LARGE, Range.HUGE, Range.TIES,
                Range.NEG_INF, Range.SUBNORMAL_RESULTS), (dtype, rows, cols, r, range, what) -> {
            double[] y = in(dtype).softmax(rows, cols, r.logits(range, rows, cols));
            for (int row = 0; row < rows; row++) {
                BigDecimal sum = BigDecimal.ZERO;
                for (int c = 0; c < cols; c++) {
                    sum = sum.add(new BigDecimal(y[row * cols + c]));
                }
                near("rowsSumToOne", dtype, what, row, 1, sum.doubleValue(),
                        2 * b(dtype, cols) * dtype.unitRoundoff() + cols * tiny(dtype));
            }
        });
    }

    /**
     * Shift invariance: {@code softmax(x + c) = softmax(x)}. Inputs are multiples of 2^-10 below 2^10 and {@code c} an
     * integer below 2^10, so {@code x + c} is exact in both dtypes (21 significant bits) and both results approximate
     * the same exact value: {@code |a - b| <= 2 B(C) ulp + 2 B tiny}.
     */
    @TestFactory
    Stream<DynamicTest> shiftInvariance() {
        return perDtypeAndShape("shiftInvariance", List.of(Range.ORDINARY), (dtype, rows, cols, r, range, what) -> {
            double[] x = r.uniform(rows * cols, -1000, 1000);
            double[] shifted = new double[x.length];
            double c = r.nextInt(2048) - 1024;
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.rint(x[i] * 1024) / 1024;
                shifted[i] = dtype.round(x[i] + c);
                assertEquals(x[i], dtype.round(shifted[i] - c), "x + c must be exact");
            }
            double[] a = in(dtype).softmax(rows, cols, x);
            double[] s = in(dtype).softmax(rows, cols, shifted);
            for (int i = 0; i < a.length; i++) {
                near("shiftInvariance c=" + c, dtype, what, i, a[i], s[i],
                        2 * b(dtype, cols) * dtype.ulp(Math.max(Math.abs(a[i]), Math.abs(s[i]))) + 2 * b(dtype, cols) * tiny(dtype));
            }
        });
    }

    /** {@code softmax([z, 0])[0] = sigmoid(z)}: the softmax bound {@code B(2)} ulp of the 45-digit sigmoid. */
    @TestFactory
    Stream<DynamicTest> twoClassSoftmaxIsSigmoid() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dtype dtype : Dtype.values()) {
            tests.add(dynamicTest("twoClassSoftmaxIsSigmoid " + dtype.jsonName() + " 1x2", () -> {
                RandomInputs r = new RandomInputs(seed("sigmoid" + dtype), dtype);
                double range = dtype == Dtype.FLOAT32 ? 110 : 750;
                double[] zs = r.uniform(500, -range, range);
                for (int i = 0; i < zs.length; i++) {
                    double y = in(dtype).softmax(1, 2, new double[] {zs[i], 0})[0];
                    double exact = ErrorTally.inDtype(dtype, ExactReference.sigmoid(zs[i]));
                    assertTrue(Tolerance.ulps(b(dtype, 2)).accepts(dtype, exact, y, 0),
                            msg("twoClassSoftmaxIsSigmoid z=" + zs[i], dtype, "1x2", 0, exact, y));
                }
            }));
        }
        return tests.stream();
    }

    private java.util.function.Supplier<String> msg(String property, Dtype dtype, String what, int index,
                                                    double expected, double actual) {
        return () -> String.format("%s %s %s %s: index %d: expected %s, actual %s, error %.3g ulp", ops().name(),
                property, dtype.jsonName(), what, index, expected, actual,
                Tolerance.ulpError(dtype, expected, actual));
    }

    /**
     * {@code T -> 0} tends to the one-hot of the argmax: with a gap {@code g >= 0.25} between the largest and the
     * second largest logit and {@code T = 1e-3}, the top probability is exactly 1 ({@code 1/(1 + C e^(-g/T))} rounds to
     * 1) and every other is at most {@code e^(-g/T) (1 + 2 B u) + B tiny}.
     */
    @TestFactory
    Stream<DynamicTest> smallTemperatureGivesOneHot() {
        return perDtypeAndShape("smallTemperatureGivesOneHot", List.of(Range.ORDINARY),
                (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.logits(range, rows, cols);
                    int[] top = ExactReference.argmax(rows, cols, x);
                    for (int row = 0; row < rows; row++) {
                        x[row * cols + top[row]] = dtype.round(x[row * cols + top[row]] + 0.25 + r.nextInt(4));
                    }
                    double t = dtype.round(1e-3);
                    double[] y = in(dtype).softmax(rows, cols, t, x);
                    for (int row = 0; row < rows; row++) {
                        int off = row * cols;
                        double max = x[off + top[row]];
                        for (int c = 0; c < cols; c++) {
                            if (c == top[row]) {
                                near("smallTemperatureGivesOneHot", dtype, what, off + c, 1, y[off + c], 0);
                            } else {
                                double bound = Math.exp((x[off + c] - max) / t) * (1 + 2 * b(dtype, cols) * dtype.unitRoundoff())
                                        + b(dtype, cols) * tiny(dtype);
                                near("smallTemperatureGivesOneHot", dtype, what, off + c, 0, y[off + c], bound);
                            }
                        }
                    }
                });
    }

    /**
     * Masked softmax equals the softmax of the entries taking part: both within {@code B(C)} ulp of the same exact
     * value, so {@code |a - b| <= 2 B ulp + 2 B tiny}; masked-out entries exactly 0.
     */
    @TestFactory
    Stream<DynamicTest> maskedEqualsSoftmaxOfUnmasked() {
        return perDtypeAndShape("maskedEqualsSoftmaxOfUnmasked", List.of(Range.ORDINARY, Range.NEG_INF),
                (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.logits(range, rows, cols);
                    boolean[] mask = r.mask(rows, cols);
                    for (int row = 0; row < rows; row++) {
                        // a row of only -inf taking part is NaN: keep one finite entry in
                        int keep = -1;
                        for (int c = 0; c < cols; c++) {
                            if (x[row * cols + c] != Double.NEGATIVE_INFINITY) {
                                keep = c;
                            }
                        }
                        mask[row * cols + keep] = true;
                    }
                    double[] y = in(dtype).maskedSoftmax(rows, cols, x, mask);
                    for (int row = 0; row < rows; row++) {
                        int off = row * cols;
                        List<Double> kept = new ArrayList<>();
                        for (int c = 0; c < cols; c++) {
                            if (mask[off + c]) {
                                kept.add(x[off + c]);
                            }
                        }
                        double[] sub = kept.stream().mapToDouble(Double::doubleValue).toArray();
                        double[] s = in(dtype).softmax(1, sub.length, sub);
                        for (int c = 0, i = 0; c < cols; c++) {
                            if (mask[off + c]) {
                                double bound = 2 * b(dtype, cols) * dtype.ulp(Math.max(s[i], y[off + c])) + 2 * b(dtype, cols) * tiny(dtype);
                                near("maskedEqualsSoftmaxOfUnmasked", dtype, what, off + c, s[i++], y[off + c], bound);
                            } else {
                                near("maskedEqualsSoftmaxOfUnmasked (masked out)", dtype, what, off + c, 0, y[off + c], 0);
                            }
                        }
                    }
                });
    }

    /**
     * The masked log-softmax, log-sum-exp and sparse cross-entropy (no label smoothing) equal the unmasked ops with
     * the masked logits set to {@code -inf}, on rows whose kept entries have a finite maximum (where that is defined):
     * both within the op's bound of the same exact value, so within twice it of each other
     * ({@code 2 B (ulp + u scale) + 2 B tiny}, the scale of {@link ErrorBounds#cancelling}); masked log-softmax
     * entries exactly {@code -inf} in both, masked gradients exactly 0 in both.
     */
    @TestFactory
    Stream<DynamicTest> maskedEqualsUnmaskedWithNegInfLogits() {
        String property = "maskedEqualsUnmaskedWithNegInfLogits";
        return perDtypeAndShape(property, List.of(Range.ORDINARY, Range.NEG_INF),
                (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.logits(range, rows, cols);
                    boolean[] mask = r.mask(rows, cols);
                    int[] classes = new int[rows];
                    for (int row = 0; row < rows; row++) {
                        for (int c = 0; c < cols; c++) {
                            if (x[row * cols + c] != Double.NEGATIVE_INFINITY) {
                                classes[row] = c; // kept below: a finite kept maximum, and a kept target
                            }
                        }
                        mask[row * cols + classes[row]] = true;
                    }
                    double[] xm = x.clone();
                    for (int i = 0; i < xm.length; i++) {
                        xm[i] = mask[i] ? xm[i] : Double.NEGATIVE_INFINITY;
                    }
                    double b = b(dtype, cols);
                    double u = dtype.unitRoundoff();
                    double[] masked = in(dtype).maskedLogSoftmax(rows, cols, x, mask);
                    double[] plain = in(dtype).logSoftmax(rows, cols, xm);
                    for (int i = 0; i < masked.length; i++) {
                        double bound = 2 * b * dtype.ulp(Math.max(Math.abs(masked[i]), Math.abs(plain[i])))
                                + 2 * b * tiny(dtype);
                        near(property + " logSoftmax", dtype, what, i, plain[i], masked[i], mask[i] ? bound : 0);
                    }
                    double[] lse = in(dtype).maskedLogSumExp(rows, cols, x, mask);
                    double[] lsePlain = in(dtype).logSumExp(rows, cols, xm);
                    for (int row = 0; row < rows; row++) {
                        double scale = Math.abs(lsePlain[row]) + Math.log(cols) + 1;
                        double bound = 2 * b * (dtype.ulp(lsePlain[row]) + u * scale);
                        near(property + " logSumExp", dtype, what, row, lsePlain[row], lse[row], bound);
                    }
                    CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE);
                    OpsInDtype.LossOut m = in(dtype).maskedSparseSoftmaxCrossEntropy(rows, cols, x, mask, classes, o);
                    OpsInDtype.LossOut p = in(dtype).sparseSoftmaxCrossEntropy(rows, cols, xm, classes, o);
                    for (int row = 0; row < rows; row++) {
                        double l = Math.abs(p.loss()[row]);
                        near(property + " loss", dtype, what, row, p.loss()[row], m.loss()[row],
                                2 * b * (dtype.ulp(l) + u * l) + 2 * b * tiny(dtype));
                    }
                    for (int i = 0; i < rows * cols; i++) {
                        double g = Math.abs(p.gradient()[i]);
                        near(property + " gradient", dtype, what, i, p.gradient()[i], m.gradient()[i],
                                mask[i] ? 2 * b * (dtype.ulp(g) + u * 2) + 2 * b * tiny(dtype) : 0);
                    }
                });
    }

    /**
     * {@code logSoftmax = log(softmax)} where the softmax is a normal number: the log-softmax is within {@code B}
     * ulp of exact, the softmax within {@code 2 B u} relatively, which the (45-digit) log turns into an absolute
     * {@code 2 B u (1 + 2 B u)}: bound {@code B ulp(l) + 2.01 B u}.
     */
    @TestFactory
    Stream<DynamicTest> logSoftmaxIsLogOfSoftmax() {
        return perDtypeAndShape("logSoftmaxIsLogOfSoftmax", List.of(Range.ORDINARY, Range.LARGE, Range.NEG_INF),
                (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.logits(range, rows, cols);
                    double[] y = in(dtype).softmax(rows, cols, x);
                    double[] l = in(dtype).logSoftmax(rows, cols, x);
                    double minNormal = dtype == Dtype.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
                    for (int i = 0; i < y.length; i++) {
                        if (y[i] >= minNormal) {
                            near("logSoftmaxIsLogOfSoftmax", dtype, what, i, ExactReference.ln(y[i]), l[i],
                                    b(dtype, cols) * dtype.ulp(l[i]) + 2.01 * b(dtype, cols) * dtype.unitRoundoff());
                        } else if (x[i] == Double.NEGATIVE_INFINITY) {
                            near("logSoftmaxIsLogOfSoftmax (-inf entry)", dtype, what, i, Double.NEGATIVE_INFINITY,
                                    l[i], 0);
                        }
                    }
                });
    }

    // ------------------------------------------------------------------------------------------------ jacobian

    /**
     * The Jacobian is symmetric bitwise ({@code J_ij = -y_i y_j} is one correctly rounded product either way) and its
     * rows sum to {@code y_i (1 - sum_j y_j)} exactly for the given {@code y}: bound
     * {@code |sum_j J_ij - y_i (1 - sum y)| <= 2 B u sum_j |J_ij| + C B tiny}.
     */
    @TestFactory
    Stream<DynamicTest> jacobianSymmetricWithZeroRowSums() {
        // C^2 entries: the long rows are left to the row ops
        return perDtypeAndShape("jacobianSymmetricWithZeroRowSums", List.of(Range.ORDINARY, Range.TIES), 1, 100,
                (dtype, rows, cols, r, range, what) -> {
                    double[] y = in(dtype).softmax(1, cols, r.logits(range, 1, cols));
                    double[] j = in(dtype).jacobian(cols, y);
                    BigDecimal oneMinusSum = BigDecimal.ONE;
                    for (double v : y) {
                        oneMinusSum = oneMinusSum.subtract(new BigDecimal(v));
                    }
                    for (int i = 0; i < cols; i++) {
                        BigDecimal sum = BigDecimal.ZERO;
                        double abs = 0;
                        for (int k = 0; k < cols; k++) {
                            int ik = i * cols + k;
                            int ki = k * cols + i;
                            assertEquals(Double.doubleToRawLongBits(j[ik]), Double.doubleToRawLongBits(j[ki]),
                                    msg("jacobian symmetric J[" + i + "," + k + "] vs J[" + k + "," + i + "]",
                                            dtype, what, ik, j[ki], j[ik]));
                            sum = sum.add(new BigDecimal(j[ik]));
                            abs += Math.abs(j[ik]);
                        }
                        double expected = new BigDecimal(y[i]).multiply(oneMinusSum).doubleValue();
                        near("jacobian row sum", dtype, what, i, expected, sum.doubleValue(),
                                2 * b(dtype, cols) * dtype.unitRoundoff() * abs + cols * b(dtype, cols) * tiny(dtype));
                    }
                });
    }

    /** The exact step {@code (x + h) - x} for {@code h = cbrt(u64) max(1, |x|)}, and {@code x + step}. */
    private static double step(double x) {
        double h = Math.cbrt(0x1p-53) * Math.max(1, Math.abs(x));
        return (x + h) - x;
    }

    /**
     * The Jacobian matches central differences of the softmax (float64): {@code |J_ij - (y_i(x + h e_j) - y_i(x - h
     * e_j)) / 2h| <= h^2/6 + 2 B u / h + 2 B u |J_ij|} (third derivatives of softmax are below 1; each value within
     * {@code 2 B u} relatively of values at most 1).
     */
    @TestFactory
    Stream<DynamicTest> jacobianMatchesFiniteDifferences() {
        return fdTests("jacobianMatchesFiniteDifferences", (r, rows, cols, what) -> {
            OpsInDtype o = in(Dtype.FLOAT64);
            double[] x = r.logits(Range.ORDINARY, 1, cols);
            double[] jac = o.jacobian(cols, o.softmax(1, cols, x));
            for (int j = 0; j < cols; j++) {
                double h = step(x[j]);
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[j] = x[j] + h;
                xm[j] = x[j] - h;
                double[] yp = o.softmax(1, cols, xp);
                double[] ym = o.softmax(1, cols, xm);
                for (int i = 0; i < cols; i++) {
                    double fd = (yp[i] - ym[i]) / (2 * h);
                    double u = Dtype.FLOAT64.unitRoundoff();
                    near("jacobian vs finite differences, column " + j, Dtype.FLOAT64, what, i * cols + j, fd,
                            jac[i * cols + j], h * h / 6 + 2 * b(Dtype.FLOAT64, cols) * u / h + 2 * b(Dtype.FLOAT64, cols) * u * Math.abs(fd));
                }
            }
        });
    }

    /**
     * Softmax backward equals {@code J^T dy} with the backend's own Jacobian (sum taken exactly): bound
     * {@code 2 B u (|y_c|(|dy_c| + sum_j |dy_j y_j|) + sum_i |J_ic dy_i|) + 2 C B tiny}, the backward's own bound
     * plus the Jacobian entries' errors carried through.
     */
    @TestFactory
    Stream<DynamicTest> backwardIsJacobianTransposeTimesDy() {
        return perDtypeAndShape("backwardIsJacobianTransposeTimesDy", List.of(Range.ORDINARY, Range.NEG_INF), 1, 100,
                (dtype, rows, cols, r, range, what) -> {
                    double[] y = in(dtype).softmax(1, cols, r.logits(range, 1, cols));
                    double[] dy = r.gaussian(cols);
                    double[] jac = in(dtype).jacobian(cols, y);
                    double[] dx = in(dtype).softmaxBackward(1, cols, y, dy);
                    double dot = 0;
                    for (int k = 0; k < cols; k++) {
                        dot += Math.abs(dy[k] * y[k]);
                    }
                    for (int c = 0; c < cols; c++) {
                        BigDecimal sum = BigDecimal.ZERO;
                        double abs = 0;
                        for (int i = 0; i < cols; i++) {
                            sum = sum.add(new BigDecimal(jac[i * cols + c]).multiply(new BigDecimal(dy[i])));
                            abs += Math.abs(jac[i * cols + c] * dy[i]);
                        }
                        double scale = Math.abs(y[c]) * (Math.abs(dy[c]) + dot) + abs;
                        near("backward vs J^T dy", dtype, what, c, sum.doubleValue(), dx[c],
                                2 * b(dtype, cols) * dtype.unitRoundoff() * scale + 2 * cols * b(dtype, cols) * tiny(dtype));
                    }
                });
    }

    /**
     * Log-softmax backward matches central differences of {@code f(x) = sum_c g_c logSoftmax(x)_c} (float64, the sum
     * exact): {@code |dx_j - fd| <= h^2/6 sum|g| + 2 B u sum_c |g_c l_c| / h + B u scale_j} (third derivatives of
     * log-softmax below 1; each log-softmax value within {@code 2 B u |l_c|}).
     */
    @TestFactory
    Stream<DynamicTest> logSoftmaxBackwardMatchesFiniteDifferences() {
        return fdTests("logSoftmaxBackwardMatchesFiniteDifferences", (r, rows, cols, what) -> {
            OpsInDtype o = in(Dtype.FLOAT64);
            double[] x = r.logits(Range.ORDINARY, rows, cols);
            double[] g = r.gaussian(rows * cols);
            double[] l = o.logSoftmax(rows, cols, x);
            double[] dx = o.logSoftmaxBackward(rows, cols, l, g);
            ExactReference.Exact exact = ExactReference.logSoftmaxBackward(rows, cols, l, g);
            double absG = 0;
            for (double v : g) {
                absG += Math.abs(v);
            }
            double u = Dtype.FLOAT64.unitRoundoff();
            for (int j = 0; j < x.length; j++) {
                double h = step(x[j]);
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[j] = x[j] + h;
                xm[j] = x[j] - h;
                double[] lp = o.logSoftmax(rows, cols, xp);
                double[] lm = o.logSoftmax(rows, cols, xm);
                BigDecimal fp = BigDecimal.ZERO;
                BigDecimal fm = BigDecimal.ZERO;
                double gl = 0;
                for (int i = 0; i < x.length; i++) {
                    fp = fp.add(new BigDecimal(g[i]).multiply(new BigDecimal(lp[i])));
                    fm = fm.add(new BigDecimal(g[i]).multiply(new BigDecimal(lm[i])));
                    gl += Math.abs(g[i] * lp[i]) + Math.abs(g[i] * lm[i]);
                }
                double fd = fp.subtract(fm).doubleValue() / (2 * h);
                near("logSoftmaxBackward vs finite differences", Dtype.FLOAT64, what, j, fd, dx[j],
                        h * h / 6 * absG + b(Dtype.FLOAT64, cols) * u * gl / h + b(Dtype.FLOAT64, cols) * u * exact.scale(j));
            }
        });
    }

    @FunctionalInterface
    private interface FdCase {
        void run(RandomInputs r, int rows, int cols, String what);
    }

    private Stream<DynamicTest> fdTests(String property, FdCase body) {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : new int[][] {{1, 2}, {1, 3}, {3, 5}, {2, 9}}) {
            String what = "float64 " + s[0] + "x" + s[1];
            tests.add(dynamicTest(property + " " + what, () -> body.run(
                    new RandomInputs(seed(property + what), Dtype.FLOAT64), s[0], s[1], what)));
        }
        return tests.stream();
    }

    // ------------------------------------------------------------------------------------------- cross-entropy

    /** The option sets of the gradient checks: every reduction with weights, smoothing and an ignored row. */
    private static List<CrossEntropyOptions> lossOptions(RandomInputs r, int cols) {
        List<CrossEntropyOptions> list = new ArrayList<>();
        for (Reduction reduction : Reduction.values()) {
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(reduction);
            list.add(o);
            list.add(o.withClassWeights(r.classWeights(cols)));
            list.add(o.withLabelSmoothing(0.15));
            list.add(o.withClassWeights(r.classWeights(cols)).withLabelSmoothing(0.3).withIgnoreIndex(1));
        }
        return list;
    }

    /**
     * The fused gradient matches central differences of the returned (reduced) loss, dense and sparse, for every
     * reduction, with class weights, smoothing and ignored rows (float64):
     * {@code |g_j - fd| <= h^2/6 Q s + (2 B u |L| + B u scale_L) / h + B u scale_j}, with {@code Q} the largest row
     * total of the targets and {@code s} the reduction's factor (third derivatives of {@code -sum q log p} are below
     * {@code Q/10}), {@code scale_L} and {@code scale_j} the reference's scales.
     */
    @TestFactory
    Stream<DynamicTest> lossGradientMatchesFiniteDifferences() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : new int[][] {{1, 3}, {3, 5}, {4, 2}}) {
            int rows = s[0];
            int cols = s[1];
            for (boolean sparse : new boolean[] {false, true}) {
                String base = (sparse ? "sparse" : "dense") + " float64 " + rows + "x" + cols;
                RandomInputs r0 = new RandomInputs(seed(base), Dtype.FLOAT64);
                for (CrossEntropyOptions options : lossOptions(r0, cols)) {
                    String what = base + " " + options;
                    tests.add(dynamicTest("lossGradientMatchesFiniteDifferences " + what, () -> {
                        RandomInputs r = new RandomInputs(seed(what), Dtype.FLOAT64);
                        double[] x = r.logits(Range.ORDINARY, rows, cols);
                        double[] labels = r.softLabels(rows, cols);
                        int[] classes = r.classes(rows, cols);
                        if (rows >= 3) {
                            classes[0] = options.ignoreIndex() == 1 ? 1 : classes[0];
                        }
                        OpsInDtype o = in(Dtype.FLOAT64);
                        ToDoubleFunction<double[]> loss = sparse
                                ? z -> o.sparseSoftmaxCrossEntropyValue(rows, cols, z, classes, options)
                                : z -> o.softmaxCrossEntropyValue(rows, cols, z, labels, options);
                        double[] grad = sparse
                                ? o.sparseSoftmaxCrossEntropy(rows, cols, x, classes, options).gradient()
                                : o.softmaxCrossEntropy(rows, cols, x, labels, options).gradient();
                        ExactReference.Loss exact = sparse
                                ? ExactReference.sparseSoftmaxCrossEntropy(rows, cols, x, classes, options)
                                : ExactReference.softmaxCrossEntropy(rows, cols, x, labels, options);
                        double q = 0;
                        for (int c = 0; c < cols; c++) {
                            q += 2 * options.classWeight(c); // a row's targets total at most 2 max(w): generous Q
                        }
                        double factor = options.reduction() == Reduction.MEAN
                                ? 1 / denominator(options, rows, classes, sparse) : 1;
                        double u = Dtype.FLOAT64.unitRoundoff();
                        for (int j = 0; j < x.length; j++) {
                            double h = step(x[j]);
                            double[] xp = x.clone();
                            double[] xm = x.clone();
                            xp[j] = x[j] + h;
                            xm[j] = x[j] - h;
                            double lp = loss.applyAsDouble(xp);
                            double lm = loss.applyAsDouble(xm);
                            double fd = (lp - lm) / (2 * h);
                            double bound = h * h / 6 * q * factor
                                    + (2 * b(Dtype.FLOAT64, cols) * u * Math.max(Math.abs(lp), Math.abs(lm))
                                    + b(Dtype.FLOAT64, cols) * u * exact.reducedScale()) / h
                                    + b(Dtype.FLOAT64, cols) * u * exact.gradientScales()[j];
                            near("loss gradient vs finite differences", Dtype.FLOAT64, what, j, fd, grad[j], bound);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static double denominator(CrossEntropyOptions options, int rows, int[] classes, boolean sparse) {
        if (!sparse) {
            return rows;
        }
        double d = 0;
        for (int t : classes) {
            d += t == options.ignoreIndex() ? 0 : options.classWeight(t);
        }
        return d;
    }

    /**
     * The loss from logits equals the Keras cross-entropy of the softmax on moderate logits (no clipping happens: every
     * probability is far from {@code eps} and {@code 1 - eps}): {@code |a - b| <= B (ulp(a) + ulp(b)) + 4 B u}, the
     * two ops' bounds plus the softmax's relative error {@code 2 B u} through the log, twice.
     */
    @TestFactory
    Stream<DynamicTest> lossFromLogitsEqualsCrossEntropyOfSoftmax() {
        // one class is left out: p = 1 is clipped to 1 - eps by Keras
        return perDtypeAndShape("lossFromLogitsEqualsCrossEntropyOfSoftmax", List.of(Range.ORDINARY), 2,
                Integer.MAX_VALUE, (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.uniform(rows * cols, -3, 3);
                    int[] classes = r.classes(rows, cols);
                    double[] p = in(dtype).softmax(rows, cols, x);
                    double[] keras = in(dtype).crossEntropy(rows, cols, p, RandomInputs.oneHot(cols, classes),
                            SoftmaxOps.DEFAULT_EPSILON);
                    double[] fused = in(dtype).sparseSoftmaxCrossEntropy(rows, cols, x, classes,
                            CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE)).loss();
                    for (int row = 0; row < rows; row++) {
                        near("lossFromLogitsEqualsCrossEntropyOfSoftmax", dtype, what, row, keras[row], fused[row],
                                b(dtype, cols) * (dtype.ulp(keras[row]) + dtype.ulp(fused[row]))
                                        + 4 * b(dtype, cols) * dtype.unitRoundoff());
                    }
                });
    }

    /**
     * S11: for {@code z = [1000, -1000]} and class 1, {@code log(softmax(z))[1]} is {@code -inf} while the fused loss
     * is finite, within {@code B(2)} ulp of 2000 (exactly {@code 2000 + log1p(e^-2000)}), dense and sparse, both dtypes.
     */
    @TestFactory
    Stream<DynamicTest> fusedLossStaysFiniteWhereLogOfSoftmaxIsInfinite() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dtype dtype : Dtype.values()) {
            tests.add(dynamicTest("S11 fusedLossStaysFinite " + dtype.jsonName() + " 1x2", () -> {
                double[] z = {1000, -1000};
                OpsInDtype o = in(dtype);
                assertEquals(0.0, o.softmax(1, 2, z)[1], "the unfused softmax underflows to 0, so its log is -inf");
                double sparse = o.sparseSoftmaxCrossEntropy(1, 2, z, new int[] {1}, CrossEntropyOptions.DEFAULT)
                        .reduced();
                double dense = o.softmaxCrossEntropy(1, 2, z, new double[] {0, 1}, CrossEntropyOptions.DEFAULT)
                        .reduced();
                assertTrue(Tolerance.ulps(b(dtype, 2)).accepts(dtype, 2000, sparse, 0),
                        msg("S11 sparse", dtype, "1x2", -1, 2000, sparse));
                assertTrue(Tolerance.ulps(b(dtype, 2)).accepts(dtype, 2000, dense, 0),
                        msg("S11 dense", dtype, "1x2", -1, 2000, dense));
            }));
        }
        return tests.stream();
    }

    /**
     * Reductions: {@code SUM} and {@code NONE} return {@code sum_r loss_r} and {@code MEAN} returns it divided by the
     * (weighted) count, where {@code loss_r} are the per-row losses of {@code NONE}: bound
     * {@code (rows + 3) u sum_r |loss_r| / D} (each row value rounded to the dtype once, the sum in float64, the
     * division and the result rounded once each).
     */
    @TestFactory
    Stream<DynamicTest> reductionsAgreeWithPerRowLosses() {
        return perDtypeAndShape("reductionsAgreeWithPerRowLosses", List.of(Range.ORDINARY),
                (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.logits(range, rows, cols);
                    double[] labels = r.softLabels(rows, cols);
                    int[] classes = r.classes(rows, cols);
                    CrossEntropyOptions base = CrossEntropyOptions.DEFAULT.withClassWeights(r.classWeights(cols))
                            .withLabelSmoothing(0.1);
                    if (rows >= 3) {
                        classes[2] = base.ignoreIndex();
                    }
                    for (boolean sparse : new boolean[] {false, true}) {
                        OpsInDtype o = in(dtype);
                        java.util.function.Function<CrossEntropyOptions, OpsInDtype.LossOut> run = opt -> sparse
                                ? o.sparseSoftmaxCrossEntropy(rows, cols, x, classes, opt)
                                : o.softmaxCrossEntropy(rows, cols, x, labels, opt);
                        OpsInDtype.LossOut none = run.apply(base.withReduction(Reduction.NONE));
                        BigDecimal sum = BigDecimal.ZERO;
                        double abs = 0;
                        for (double l : none.loss()) {
                            sum = sum.add(new BigDecimal(l));
                            abs += Math.abs(l);
                        }
                        double d = denominator(base, rows, classes, sparse);
                        double u = dtype.unitRoundoff();
                        String kind = (sparse ? "sparse " : "dense ") + what;
                        near("reduction none returns the sum", dtype, kind, -1, sum.doubleValue(), none.reduced(),
                                (rows + 3) * u * abs);
                        near("reduction sum", dtype, kind, -1, sum.doubleValue(),
                                run.apply(base.withReduction(Reduction.SUM)).reduced(), (rows + 3) * u * abs);
                        near("reduction mean (weighted)", dtype, kind, -1,
                                sum.divide(new BigDecimal(d), ExactReference.MC).doubleValue(),
                                run.apply(base.withReduction(Reduction.MEAN)).reduced(), (rows + 3) * u * abs / d);
                    }
                });
    }
    /**
     * A null options argument means {@link CrossEntropyOptions#DEFAULT}: the losses, the reduced value and the
     * gradient are bitwise those of the defaults, dense and sparse.
     */
    @TestFactory
    Stream<DynamicTest> nullOptionsMeanTheDefaults() {
        return perDtypeAndShape("nullOptionsMeanTheDefaults", List.of(Range.ORDINARY),
                (dtype, rows, cols, r, range, what) -> {
                    double[] x = r.logits(range, rows, cols);
                    double[] labels = r.softLabels(rows, cols);
                    int[] classes = r.classes(rows, cols);
                    OpsInDtype o = in(dtype);
                    assertSameLoss("dense " + what, o.softmaxCrossEntropy(rows, cols, x, labels,
                            CrossEntropyOptions.DEFAULT), o.softmaxCrossEntropy(rows, cols, x, labels, null));
                    assertSameLoss("sparse " + what, o.sparseSoftmaxCrossEntropy(rows, cols, x, classes,
                            CrossEntropyOptions.DEFAULT), o.sparseSoftmaxCrossEntropy(rows, cols, x, classes, null));
                });
    }

    private void assertSameLoss(String what, OpsInDtype.LossOut defaults, OpsInDtype.LossOut nullOptions) {
        assertEquals(defaults.reduced(), nullOptions.reduced(), () -> ops().name() + " " + what + ": reduced loss");
        org.junit.jupiter.api.Assertions.assertArrayEquals(defaults.loss(), nullOptions.loss(),
                () -> ops().name() + " " + what + ": per-row losses");
        org.junit.jupiter.api.Assertions.assertArrayEquals(defaults.gradient(), nullOptions.gradient(),
                () -> ops().name() + " " + what + ": gradient");
    }
}
