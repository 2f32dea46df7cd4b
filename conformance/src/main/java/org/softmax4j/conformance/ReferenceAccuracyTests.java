package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.RandomInputs.Range;

/**
 * Every op of a backend against {@link ExactReference} on seeded random inputs, in both dtypes, at the shapes
 * 1x1, 1x3, 3x5, 7x33, 4x1000 and 2x32000 and the ranges of {@link Range}, each value held to
 * {@link ErrorBounds#of}. Failure messages name the backend, op, dtype, case, index, expected and actual values, the
 * error in ulps and the worst error seen so far for that op and dtype. One container per input; the long rows run
 * fewer ranges and variants so that the group stays within about 30 s per backend.
 */
public abstract class ReferenceAccuracyTests {

    /** @return the backend under test */
    protected abstract SoftmaxOps ops();

    private ErrorTally tally;

    /** @return per op and dtype, the worst error of the passing values of the last run (empty before a run) */
    protected final String worstErrors() {
        return tally == null ? "" : tally.summary();
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 3}, {3, 5}, {7, 33}, {4, 1000}, {2, 32000}};
    private static final double[] TEMPERATURES = {1e-3, 0.7, 1e3};

    /** The ranges drawn at a shape: all for the short rows, the essential ones for the long rows. */
    private static List<Range> ranges(int rows, int cols) {
        if (cols <= 33) {
            return List.of(Range.values());
        }
        if (cols <= 1000) {
            return List.of(Range.ORDINARY, Range.HUGE, Range.NEG_INF);
        }
        return List.of(Range.ORDINARY);
    }

    private static boolean longRow(int cols) {
        return cols > 33;
    }

    /**
     * The 32000-class rows run the ops that share one set of exponentials (softmax, log-softmax, logsumexp, the sparse
     * loss) and the cheap ones; the others (each needing 64000 more high-precision exponentials or logarithms) run at
     * 4x1000, which exercises the same long-row code paths.
     */
    private static boolean veryLongRow(int cols) {
        return cols > 1000;
    }

    /**
     * Reference results by case name (the inputs follow from the name through the seeds), so that the second and later
     * backends run in one JVM do not recompute them; soft references let the collector drop them under pressure.
     */
    private static final Map<String, SoftReference<Object>> REFERENCES = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private static <T> T ref(String key, Supplier<T> compute) {
        SoftReference<Object> cached = REFERENCES.get(key);
        Object value = cached == null ? null : cached.get();
        if (value == null) {
            value = compute.get();
            REFERENCES.put(key, new SoftReference<>(value));
        }
        return (T) value;
    }

    /** A stable seed per case (String.hashCode is specified, so the same on every JVM). */
    private static long seed(String what) {
        return what.hashCode() * 0x9E3779B97F4A7C15L;
    }

    /** The matrix of cases: one container per dtype, shape and range; one test per op and variant. */
    @TestFactory
    Stream<DynamicNode> accuracy() {
        ErrorTally tally = new ErrorTally(ops().name());
        this.tally = tally;
        List<DynamicNode> containers = new ArrayList<>();
        for (Dtype dtype : Dtype.values()) {
            for (int[] shape : SHAPES) {
                for (Range range : ranges(shape[0], shape[1])) {
                    containers.add(cases(tally, dtype, shape[0], shape[1], range));
                }
            }
            containers.add(products(tally, dtype));
        }
        // last (dynamic nodes run in order): the worst passing error per op and dtype, for the build log
        containers.add(dynamicTest("worst errors seen", () -> {
            String summary = tally.summary();
            assertFalse(summary.isEmpty(), "no accuracy test measured an error");
            System.out.print("[accuracy] " + ops().name() + ": worst error per op and dtype\n" + summary);
        }));
        return containers.stream();
    }

    private DynamicNode cases(ErrorTally t, Dtype dtype, int rows, int cols, Range range) {
        String input = dtype.jsonName() + " " + rows + "x" + cols + " " + range;
        double[] x = new RandomInputs(seed(input), dtype).logits(range, rows, cols);
        OpsInDtype o = new OpsInDtype(ops(), dtype);
        // the edge rows (NaN, +inf, all -inf) run the ops whose table entry defines them; the backward ops, the
        // Jacobian and the losses from probabilities or dense labels take softmax outputs and labels, not such rows
        boolean specials = range == Range.SPECIALS;
        List<DynamicNode> tests = new ArrayList<>();
        // each test draws its other inputs from its own seed, so tests are independent of order and filtering
        class Adder {
            void add(Op op, String variant, Executable body) {
                tests.add(dynamicTest(op.jsonName() + (variant.isEmpty() ? "" : " " + variant) + " " + input, body));
            }

            void addUnless(boolean skip, Op op, String variant, Executable body) {
                if (!skip) {
                    add(op, variant, body);
                }
            }

            RandomInputs random(String op) {
                return new RandomInputs(seed(op + " " + input), dtype);
            }
        }
        Adder a = new Adder();

        a.add(Op.SOFTMAX, "", () -> t.check(Op.SOFTMAX, dtype, input, bound(Op.SOFTMAX, dtype, rows, cols, x, 1, null, "y"),
                ref(input + " softmax", () -> ExactReference.softmax(rows, cols, x)).values(), null,
                o.softmax(rows, cols, x)));

        for (double temperature : veryLongRow(cols) ? new double[0] : longRow(cols) ? new double[] {1e-3}
                : TEMPERATURES) {
            double tt = dtype.round(temperature);
            a.add(Op.SOFTMAX_TEMPERATURE, "T=" + temperature, () -> t.check(Op.SOFTMAX_TEMPERATURE, dtype,
                    input + " T=" + temperature, bound(Op.SOFTMAX_TEMPERATURE, dtype, rows, cols, x, tt, null, "y"),
                    ref(input + " T=" + temperature, () -> ExactReference.softmax(rows, cols, tt, x)).values(), null,
                    o.softmax(rows, cols, tt, x)));
        }

        a.addUnless(specials || veryLongRow(cols), Op.MASKED_SOFTMAX, "", () -> {
            RandomInputs r = a.random(Op.MASKED_SOFTMAX.jsonName());
            boolean[] mask = r.mask(rows, cols);
            if (rows >= 3) {
                java.util.Arrays.fill(mask, cols, 2 * cols, false); // a fully masked row: all zeros
            }
            double[] xm = x.clone();
            double[] junk = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30};
            for (int i = 0; i < xm.length; i++) {
                if (!mask[i] && i % 2 == 0) {
                    xm[i] = junk[(i / 2) % junk.length]; // masked-out values must not matter
                }
            }
            t.check(Op.MASKED_SOFTMAX, dtype, input, bound(Op.MASKED_SOFTMAX, dtype, rows, cols, xm, 1, mask, "y"),
                    ref(input + " masked", () -> ExactReference.maskedSoftmax(rows, cols, xm, mask)).values(), null,
                    o.maskedSoftmax(rows, cols, xm, mask));
        });

        a.add(Op.LOG_SOFTMAX, "", () -> t.check(Op.LOG_SOFTMAX, dtype, input, bound(Op.LOG_SOFTMAX, dtype, rows, cols, x, 1, null, "y"),
                ref(input + " logSoftmax", () -> ExactReference.logSoftmax(rows, cols, x)).values(), null,
                o.logSoftmax(rows, cols, x)));

        a.add(Op.LOG_SUM_EXP, "", () -> {
            ExactReference.Exact e = ref(input + " logSumExp", () -> ExactReference.logSumExp(rows, cols, x));
            t.check(Op.LOG_SUM_EXP, dtype, input, bound(Op.LOG_SUM_EXP, dtype, rows, cols, x, 1, null, "out"), e.values(), e.scales(),
                    o.logSumExp(rows, cols, x));
        });

        a.addUnless(specials, Op.SOFTMAX_BACKWARD, "", () -> {
            double[] y = rounded(dtype, ref(input + " softmax", () -> ExactReference.softmax(rows, cols, x)).values());
            double[] dy = a.random(Op.SOFTMAX_BACKWARD.jsonName()).gaussian(rows * cols);
            ExactReference.Exact e = ref(input + " softmaxBackward", () -> ExactReference.softmaxBackward(rows, cols, y, dy));
            t.check(Op.SOFTMAX_BACKWARD, dtype, input, bound(Op.SOFTMAX_BACKWARD, dtype, rows, cols, null, 1, null, "dx"), e.values(), e.scales(),
                    o.softmaxBackward(rows, cols, y, dy));
        });

        a.addUnless(specials || veryLongRow(cols), Op.LOG_SOFTMAX_BACKWARD, "", () -> {
            double[] logp = rounded(dtype, ref(input + " logSoftmax", () -> ExactReference.logSoftmax(rows, cols, x)).values());
            double[] dlogp = a.random(Op.LOG_SOFTMAX_BACKWARD.jsonName()).gaussian(rows * cols);
            ExactReference.Exact e = ref(input + " logSoftmaxBackward",
                    () -> ExactReference.logSoftmaxBackward(rows, cols, logp, dlogp));
            t.check(Op.LOG_SOFTMAX_BACKWARD, dtype, input, bound(Op.LOG_SOFTMAX_BACKWARD, dtype, rows, cols, null, 1, null, "dx"), e.values(),
                    e.scales(), o.logSoftmaxBackward(rows, cols, logp, dlogp));
        });

        if (!longRow(cols) && !specials) { // C x C values: the long rows would cost the reference a million products
            a.add(Op.JACOBIAN, "", () -> {
                double[] y = rounded(dtype, ExactReference.softmax(1, cols, x).values());
                t.check(Op.JACOBIAN, dtype, input, bound(Op.JACOBIAN, dtype, 1, cols, null, 1, null, "jacobian"),
                        ExactReference.jacobian(cols, y).values(), null, o.jacobian(cols, y));
            });
        }

        a.addUnless(specials || veryLongRow(cols), Op.CROSS_ENTROPY, "eps=1e-7 p=softmax", () -> {
            double[] p = rounded(dtype, ref(input + " softmax", () -> ExactReference.softmax(rows, cols, x)).values());
            double[] labels = a.random(Op.CROSS_ENTROPY.jsonName()).softLabels(rows, cols);
            t.check(Op.CROSS_ENTROPY, dtype, input + " eps=1e-7", bound(Op.CROSS_ENTROPY, dtype, rows, cols, null, 1, null, "loss"),
                    ref(input + " crossEntropy", () -> ExactReference.crossEntropy(dtype, rows, cols, p, labels, 1e-7)).values(),
                    null,
                    o.crossEntropy(rows, cols, p, labels, 1e-7));
        });
        if (range == Range.ORDINARY && !veryLongRow(cols)) {
            for (double eps : new double[] {0, 0.1}) {
                a.add(Op.CROSS_ENTROPY, "eps=" + eps + " p=unnormalised", () -> {
                    RandomInputs r = a.random(Op.CROSS_ENTROPY.jsonName() + " " + eps);
                    double[] p = r.uniform(rows * cols, 1e-3, 1);
                    double[] labels = RandomInputs.oneHot(cols, r.classes(rows, cols));
                    t.check(Op.CROSS_ENTROPY, dtype, input + " eps=" + eps, bound(Op.CROSS_ENTROPY, dtype, rows, cols, null, 1, null, "loss"),
                            ref(input + " crossEntropy " + eps, () -> ExactReference.crossEntropy(dtype, rows, cols, p, labels, eps))
                                    .values(), null,
                            o.crossEntropy(rows, cols, p, labels, eps));
                });
            }
        }

        for (Variant v : variants(cols)) {
            a.addUnless(specials || veryLongRow(cols), Op.SOFTMAX_CROSS_ENTROPY, v.name, () -> {
                RandomInputs r = a.random("dense " + v.name);
                double[] labels = r.softLabels(rows, cols);
                for (int i = 0; i < x.length; i++) {
                    if (x[i] == Double.NEGATIVE_INFINITY) {
                        labels[i] = 0; // a zero label on -inf contributes 0 (smoothing still makes it +inf)
                    }
                }
                CrossEntropyOptions options = v.options(r, cols, false);
                checkLoss(t, Op.SOFTMAX_CROSS_ENTROPY, dtype, input + " " + v.name, rows, cols, x,
                        ref(input + " dense " + v.name, () -> ExactReference.softmaxCrossEntropy(rows, cols, x, labels, options)),
                        o.softmaxCrossEntropy(rows, cols, x, labels, options));
            });
            a.add(Op.SPARSE_SOFTMAX_CROSS_ENTROPY, v.name, () -> {
                RandomInputs r = a.random("sparse " + v.name);
                int[] classes = finiteClasses(r, x, rows, cols);
                CrossEntropyOptions options = v.options(r, cols, true);
                if (rows >= 3) {
                    classes[1] = options.ignoreIndex();
                }
                checkLoss(t, Op.SPARSE_SOFTMAX_CROSS_ENTROPY, dtype, input + " " + v.name, rows, cols, x,
                        ref(input + " sparse " + v.name,
                                () -> ExactReference.sparseSoftmaxCrossEntropy(rows, cols, x, classes, options)),
                        o.sparseSoftmaxCrossEntropy(rows, cols, x, classes, options));
            });
        }

        a.add(Op.ARGMAX, "", () -> t.checkExact(Op.ARGMAX, dtype, input, ExactReference.argmax(rows, cols, x),
                o.argmax(rows, cols, x)));
        if (range == Range.TIES) {
            a.add(Op.ARGMAX, "with NaN and -0.0", () -> {
                double[] xn = x.clone();
                RandomInputs r = a.random("argmax nan");
                for (int i = 0; i < xn.length; i++) {
                    int k = r.nextInt(6);
                    xn[i] = k == 0 ? Double.NaN : k == 1 ? -0.0 : k == 2 ? 0.0 : xn[i];
                }
                t.checkExact(Op.ARGMAX, dtype, input + " with NaN", ExactReference.argmax(rows, cols, xn),
                        o.argmax(rows, cols, xn));
                OpsInDtype.TopK top = o.topK(rows, cols, cols, xn);
                t.checkExact(Op.TOP_K, dtype, input + " with NaN k=" + cols, ExactReference.topK(rows, cols, cols, xn),
                        top.indices());
            });
        }
        for (int k : new int[] {1, Math.min(3, cols), cols}) {
            a.add(Op.TOP_K, "k=" + k, () -> {
                int[] exact = ExactReference.topK(rows, cols, k, x);
                OpsInDtype.TopK top = o.topK(rows, cols, k, x);
                t.checkExact(Op.TOP_K, dtype, input + " k=" + k, exact, top.indices());
                double[] values = new double[rows * k];
                for (int i = 0; i < values.length; i++) {
                    values[i] = x[(i / k) * cols + exact[i]];
                }
                assertArrayEquals(values, top.values(),
                        () -> ops().name() + " topK values " + dtype.jsonName() + " " + input + " k=" + k);
            });
        }
        return dynamicContainer(input, tests);
    }

    /** Class indices whose logit is finite (a class on a -inf logit has an infinite loss: tested elsewhere). */
    private static int[] finiteClasses(RandomInputs r, double[] x, int rows, int cols) {
        int[] classes = r.classes(rows, cols);
        for (int row = 0; row < rows; row++) {
            boolean anyFinite = false;
            for (int c = 0; c < cols; c++) {
                anyFinite |= x[row * cols + c] > Double.NEGATIVE_INFINITY;
            }
            while (anyFinite && x[row * cols + classes[row]] == Double.NEGATIVE_INFINITY) {
                classes[row] = r.nextInt(cols);
            }
        }
        return classes;
    }

    private void checkLoss(ErrorTally t, Op op, Dtype dtype, String what, int rows, int cols, double[] x,
                           ExactReference.Loss e, OpsInDtype.LossOut a) {
        t.check(op, dtype, what + " per-row loss", bound(op, dtype, rows, cols, x, 1, null, "loss"), e.loss(),
                e.lossScales(), a.loss());
        t.check(op, dtype, what + " reduced value", bound(op, dtype, rows, cols, x, 1, null, "value"), -1,
                e.reduced(), e.reducedScale(), a.reduced());
        t.check(op, dtype, what + " gradient", bound(op, dtype, rows, cols, x, 1, null, "gradient"), e.gradient(),
                e.gradientScales(), a.gradient());
    }

    /** The bound of an output under the accuracy class the backend declares for the dtype ({@link ErrorBounds#of}). */
    private Tolerance bound(Op op, Dtype dtype, int rows, int cols, double[] logits, double temperature,
                            boolean[] mask, String output) {
        return ErrorBounds.of(op, cols, dtype.accuracyOf(ops()), dtype, rows, logits, temperature, mask, output);
    }

    /** A cross-entropy option set: reduction, class weights, label smoothing, ignore index. */
    private record Variant(String name, Reduction reduction, boolean weights, double smoothing, boolean ignoreClass0) {
        CrossEntropyOptions options(RandomInputs r, int cols, boolean sparse) {
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(reduction).withLabelSmoothing(smoothing);
            if (weights) {
                o = o.withClassWeights(r.classWeights(cols));
            }
            return ignoreClass0 && sparse ? o.withIgnoreIndex(0) : o;
        }
    }

    private static List<Variant> variants(int cols) {
        List<Variant> v = new ArrayList<>();
        for (Reduction reduction : Reduction.values()) {
            String n = reduction.name().toLowerCase(java.util.Locale.ROOT);
            if (longRow(cols)) {
                if (reduction == Reduction.MEAN) {
                    v.add(new Variant(n + " weights smoothing=0.2", reduction, true, 0.2, false));
                } else if (reduction == Reduction.SUM && cols > 1000) {
                    continue;
                } else if (reduction == Reduction.SUM) {
                    v.add(new Variant(n, reduction, false, 0, false));
                }
                continue;
            }
            v.add(new Variant(n, reduction, false, 0, false));
            v.add(new Variant(n + " weights", reduction, true, 0, false));
            v.add(new Variant(n + " smoothing=0.1", reduction, false, 0.1, false));
            v.add(new Variant(n + " weights smoothing=0.2", reduction, true, 0.2, false));
            v.add(new Variant(n + " ignoreIndex=0", reduction, false, 0, true));
        }
        return v;
    }

    private DynamicNode products(ErrorTally t, Dtype dtype) {
        List<DynamicNode> tests = new ArrayList<>();
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int k = shape[1];
            int n = 3;
            for (Op op : new Op[] {Op.MATMUL, Op.MATMUL_TRANS_A, Op.MATMUL_TRANS_B}) {
                for (double[] ab : new double[][] {{1, 0}, {0.5, -2}}) {
                    String what = dtype.jsonName() + " " + m + "x" + k + " by " + k + "x" + n + " alpha=" + ab[0]
                            + " beta=" + ab[1];
                    tests.add(dynamicTest(op.jsonName() + " " + what, () -> {
                        RandomInputs r = new RandomInputs(seed(op.jsonName() + what), dtype);
                        double[] a = r.gaussian(m * k);
                        double[] b = r.gaussian(k * n);
                        double[] c = ab[1] == 0 ? nan(m * n) : r.gaussian(m * n); // beta = 0: C must not be read
                        ExactReference.Exact e = ref(op.jsonName() + " " + what,
                                () -> ExactReference.matmul(op, m, k, n, ab[0], a, b, ab[1], c));
                        t.check(op, dtype, what, op.bound(k), e.values(), e.scales(),
                                new OpsInDtype(ops(), dtype).matmul(op, m, k, n, ab[0], a, b, ab[1], c));
                    }));
                }
            }
        }
        return dynamicContainer("matrix products " + dtype.jsonName(), tests);
    }

    private static double[] nan(int n) {
        double[] c = new double[n];
        java.util.Arrays.fill(c, Double.NaN);
        return c;
    }

    /** @return the values rounded to the dtype (what an op in that dtype would be given) */
    static double[] rounded(Dtype dtype, double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = dtype.round(v[i]);
        }
        return r;
    }
}
