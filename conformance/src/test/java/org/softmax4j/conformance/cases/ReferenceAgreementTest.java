package org.softmax4j.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.ExactReference;
import org.softmax4j.conformance.Op;

/**
 * The two independent references agree: every expected value of the shipped JSON cases (mpmath, 400 digits, in
 * tools/gen_reference_cases.py) equals what the Java {@link ExactReference} (BigDecimal, 45 digits) computes from the
 * same dtype-rounded inputs, to within one float64 ulp (both are the exact value rounded to float64, the JSON one via
 * its 25-digit text), plus the case's relative allowance for the 12-digit seed values, plus, for the ops that cancel,
 * {@value #ABSOLUTE} absolute: {@code ExactReference} rounds every intermediate to 45 digits, so a result that cancels to (near) zero
 * keeps an absolute error of about 1e-45 times its terms (it gives 3.3e-46 for {@code 1 * (dy - 1 * dy)}), which
 * the ops' bounds absorb in their {@code u * scale} term.
 */
class ReferenceAgreementTest {

    private static final double ABSOLUTE = 1e-40;
    /** The ops whose results can cancel: only there does the 45-digit rounding of intermediates show. */
    private static final Set<Op> CANCELLING = EnumSet.of(Op.SOFTMAX_BACKWARD, Op.LOG_SOFTMAX_BACKWARD,
            Op.SOFTMAX_CROSS_ENTROPY, Op.SPARSE_SOFTMAX_CROSS_ENTROPY, Op.MATMUL, Op.MATMUL_TRANS_A, Op.MATMUL_TRANS_B,
            Op.MASKED_SOFTMAX_CROSS_ENTROPY, Op.MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY);

    @TestFactory
    Stream<DynamicTest> everyShippedExpectedValueMatchesTheJavaReference() {
        return CaseFiles.shipped().stream()
                .filter(c -> c.expectError() == null)
                .flatMap(c -> c.dtypes().stream().map(dtype -> DynamicTest.dynamicTest(
                        c.id() + " " + c.op() + " " + dtype.jsonName(), () -> check(c, dtype))));
    }

    private static void check(ConformanceCase c, Dtype dtype) {
        Map<String, Object> exact = reference(c, dtype);
        for (Map.Entry<String, List<String>> e : c.expected().entrySet()) {
            Object ref = exact.get(e.getKey());
            List<String> texts = e.getValue();
            if (ref instanceof int[] ints) {
                int[] expected = texts.stream().mapToInt(t -> Values.toInt(t, e.getKey())).toArray();
                assertArrayEquals(expected, ints, c.id() + " " + e.getKey());
                continue;
            }
            double[] values = (double[]) ref;
            assertEquals(texts.size(), values.length, c.id() + " " + e.getKey() + " length");
            for (int i = 0; i < values.length; i++) {
                double json = Values.toDouble(texts.get(i), e.getKey());
                double java = values[i];
                if (e.getKey().equals("values")) { // top-k values are inputs: compare them in the dtype
                    json = dtype.round(json);
                }
                boolean same = Double.compare(json, java) == 0 || (json == 0 && java == 0)
                        || Math.abs(json - java) <= Math.ulp(Math.max(Math.abs(json), Math.abs(java)))
                        + c.tolerance().relative() * Math.abs(java)
                        + (CANCELLING.contains(Op.named(c.op())) ? ABSOLUTE : 0);
                if (!same) {
                    fail(String.format(Locale.ROOT, "%s %s %s[%d]: JSON %s, ExactReference %s", c.id(),
                            dtype.jsonName(), e.getKey(), i, texts.get(i), java));
                }
            }
        }
    }

    private static double[] in(ConformanceCase c, String name, Dtype dtype) {
        List<String> texts = c.inputs().getOrDefault(name, List.of());
        double[] a = new double[texts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = dtype == Dtype.FLOAT64 ? Values.toDouble(texts.get(i), name) : Values.toFloat(texts.get(i), name);
        }
        return a;
    }

    private static double option(ConformanceCase c, String name, String fallback, Dtype dtype) {
        String t = c.option(name, fallback);
        return dtype == Dtype.FLOAT64 ? Values.toDouble(t, name) : Values.toFloat(t, name);
    }

    private static boolean[] mask(ConformanceCase c) {
        List<String> m = c.inputs().getOrDefault("mask", List.of());
        boolean[] mask = new boolean[m.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = Values.toBoolean(m.get(i), "mask");
        }
        return mask;
    }

    /** The case's cross-entropy options (the defaults for those it does not set). */
    private static CrossEntropyOptions options(ConformanceCase c) {
        CrossEntropyOptions o = CrossEntropyOptions.DEFAULT;
        if (c.options().containsKey("reduction")) {
            o = o.withReduction(Reduction.valueOf(c.options().get("reduction").toUpperCase(Locale.ROOT)));
        }
        if (c.classWeights() != null) {
            o = o.withClassWeights(Values.doubles(c.classWeights(), "classWeights"));
        }
        if (c.options().containsKey("labelSmoothing")) {
            o = o.withLabelSmoothing(Values.toDouble(c.options().get("labelSmoothing"), "labelSmoothing"));
        }
        if (c.options().containsKey("ignoreIndex")) {
            o = o.withIgnoreIndex(Values.toInt(c.options().get("ignoreIndex"), "ignoreIndex"));
        }
        return o;
    }

    private static Map<String, Object> reference(ConformanceCase c, Dtype dtype) {
        int rows = c.rows();
        int cols = c.cols();
        Map<String, Object> out = new LinkedHashMap<>();
        double[] x = in(c, "x", dtype);
        Op op = Op.named(c.op());
        switch (op) {
            case SOFTMAX -> out.put("y", ExactReference.softmax(rows, cols, x).values());
            case SOFTMAX_TEMPERATURE -> out.put("y",
                    ExactReference.softmax(rows, cols, option(c, "temperature", null, dtype), x).values());
            case MASKED_SOFTMAX -> out.put("y", ExactReference.maskedSoftmax(rows, cols, x, mask(c)).values());
            case MASKED_LOG_SOFTMAX -> out.put("y", ExactReference.maskedLogSoftmax(rows, cols, x, mask(c)).values());
            case MASKED_LOG_SUM_EXP -> out.put("out",
                    ExactReference.maskedLogSumExp(rows, cols, x, mask(c)).values());
            case CROSS_ENTROPY_REDUCED -> {
                double eps = Values.toDouble(c.option("eps", Double.toString(SoftmaxOps.DEFAULT_EPSILON)), "eps");
                double[] p = in(c, "probabilities", dtype);
                double[] t = in(c, "labels", dtype);
                out.put("loss", ExactReference.crossEntropy(dtype, rows, cols, p, t, eps).values());
                out.put("value", ExactReference.crossEntropyReduced(dtype, rows, cols, p, t, eps,
                        options(c).reduction()).values());
            }
            case LOG_SOFTMAX -> out.put("y", ExactReference.logSoftmax(rows, cols, x).values());
            case LOG_SUM_EXP -> out.put("out", ExactReference.logSumExp(rows, cols, x).values());
            case SOFTMAX_BACKWARD -> out.put("dx",
                    ExactReference.softmaxBackward(rows, cols, in(c, "y", dtype), in(c, "dy", dtype)).values());
            case LOG_SOFTMAX_BACKWARD -> out.put("dx", ExactReference.logSoftmaxBackward(rows, cols,
                    in(c, "logp", dtype), in(c, "dlogp", dtype)).values());
            case JACOBIAN -> out.put("jacobian", ExactReference.jacobian(cols, in(c, "y", dtype)).values());
            case CROSS_ENTROPY -> out.put("loss", ExactReference.crossEntropy(dtype, rows, cols,
                    in(c, "probabilities", dtype), in(c, "labels", dtype),
                    Values.toDouble(c.option("eps", Double.toString(SoftmaxOps.DEFAULT_EPSILON)), "eps")).values());
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY, MASKED_SOFTMAX_CROSS_ENTROPY,
                 MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                CrossEntropyOptions o = options(c);
                double[] logits = in(c, "logits", dtype);
                int[] classes = op == Op.SPARSE_SOFTMAX_CROSS_ENTROPY || op == Op.MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY
                        ? c.inputs().get("classes").stream().mapToInt(t -> Values.toInt(t, "classes")).toArray()
                        : null;
                ExactReference.Loss loss = switch (op) {
                    case SPARSE_SOFTMAX_CROSS_ENTROPY -> ExactReference.sparseSoftmaxCrossEntropy(rows, cols, logits,
                            classes, o);
                    case MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> ExactReference.maskedSparseSoftmaxCrossEntropy(rows,
                            cols, logits, mask(c), classes, o);
                    case MASKED_SOFTMAX_CROSS_ENTROPY -> ExactReference.maskedSoftmaxCrossEntropy(rows, cols, logits,
                            mask(c), in(c, "labels", dtype), o);
                    default -> ExactReference.softmaxCrossEntropy(rows, cols, logits, in(c, "labels", dtype), o);
                };
                out.put("loss", loss.loss());
                out.put("gradient", loss.gradient());
                out.put("value", new double[] {loss.reduced()});
            }
            case ARGMAX -> out.put("indices", ExactReference.argmax(rows, cols, x));
            case TOP_K -> {
                int k = Values.toInt(c.options().get("k"), "k");
                int[] idx = ExactReference.topK(rows, cols, k, x);
                double[] values = new double[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    values[i] = x[(i / k) * cols + idx[i]];
                }
                out.put("indices", idx);
                out.put("values", values);
            }
            case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B -> out.put("c", ExactReference.matmul(op,
                    c.m(), c.k(), c.n(), option(c, "alpha", "1", dtype), in(c, "a", dtype), in(c, "b", dtype),
                    option(c, "beta", "0", dtype), in(c, "c", dtype)).values());
        }
        return out;
    }
}
