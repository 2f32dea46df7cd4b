package org.softmax4j.conformance.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

import org.softmax4j.conformance.ExactReference;
import org.softmax4j.conformance.Tolerance;

/**
 * The exact outputs of a {@link FuzzCase} from {@link ExactReference}, each with the {@link Tolerance} scale of
 * every element (0 for well-conditioned ops), under the same names as {@link Outcome}.
 */
public final class Expectation {

    final Map<String, double[]> values = new LinkedHashMap<>();
    final Map<String, double[]> scales = new LinkedHashMap<>();
    final Map<String, int[]> ints = new LinkedHashMap<>();

    private Expectation() {
    }

    /**
     * @return the exact outputs, or null where the reference does not define the result: non-finite inputs of the
     * ops whose contract leaves IEEE propagation unspecified (backward passes, Jacobian, cross-entropy from
     * probabilities, matrix products); those cases are still compared backend against backend
     */
    public static Expectation of(FuzzCase c) {
        Expectation e = new Expectation();
        int rows = c.rows;
        int cols = c.cols;
        switch (c.op) {
            case SOFTMAX -> e.put("y", ExactReference.softmax(rows, cols, c.a));
            case SOFTMAX_TEMPERATURE -> e.put("y", ExactReference.softmax(rows, cols, c.temperature, c.a));
            case MASKED_SOFTMAX -> e.put("y", ExactReference.maskedSoftmax(rows, cols, c.a, c.mask));
            case LOG_SOFTMAX -> e.put("y", ExactReference.logSoftmax(rows, cols, c.a));
            case LOG_SUM_EXP -> e.put("out", ExactReference.logSumExp(rows, cols, c.a));
            case SOFTMAX_BACKWARD -> {
                if (!finite(c.a) || !finite(c.b)) {
                    return null;
                }
                e.put("dx", ExactReference.softmaxBackward(rows, cols, c.a, c.b));
            }
            case LOG_SOFTMAX_BACKWARD -> {
                if (!finite(c.b) || !finiteOrNegInf(c.a)) {
                    return null;
                }
                e.put("dx", ExactReference.logSoftmaxBackward(rows, cols, c.a, c.b));
            }
            case JACOBIAN -> {
                if (!finite(c.a)) {
                    return null;
                }
                e.put("jacobian", ExactReference.jacobian(cols, c.a));
            }
            case CROSS_ENTROPY -> {
                if (!finite(c.a) || !finite(c.b)) {
                    return null;
                }
                e.put("loss", ExactReference.crossEntropy(c.dtype, rows, cols, c.a, c.b, c.eps));
            }
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                if (c.op == Op.SOFTMAX_CROSS_ENTROPY && !finite(c.b)) {
                    return null;
                }
                ExactReference.Loss l = c.op == Op.SOFTMAX_CROSS_ENTROPY
                        ? ExactReference.softmaxCrossEntropy(rows, cols, c.a, c.b, c.options)
                        : ExactReference.sparseSoftmaxCrossEntropy(rows, cols, c.a, c.classes, c.options);
                if (c.withLoss) {
                    e.put("loss", l.loss(), l.lossScales());
                }
                if (c.withGradient) {
                    e.put("gradient", l.gradient(), l.gradientScales());
                }
                e.put("return", new double[] {l.reduced()}, new double[] {l.reducedScale()});
            }
            case ARGMAX -> e.ints.put("out", ExactReference.argmax(rows, cols, c.a));
            case TOP_K -> {
                int[] indices = ExactReference.topK(rows, cols, c.k, c.a);
                if (c.withValues) {
                    double[] v = new double[indices.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = c.a[(i / c.k) * cols + indices[i]];
                    }
                    e.put("values", v, null);
                }
                e.ints.put("indices", indices);
            }
            case MATMUL, MATMUL_TRANS_A -> {
                if (!finite(c.a) || !finite(c.b) || (c.beta != 0 && !finite(c.c))) {
                    return null;
                }
                e.put("c", ExactReference.matmul(c.op == Op.MATMUL_TRANS_A, c.rows, c.k, c.cols, c.alpha, c.a, c.b,
                        c.beta, c.c));
            }
            default -> throw new AssertionError(c.op);
        }
        return e;
    }

    private void put(String name, ExactReference.Exact exact) {
        put(name, exact.values(), exact.scales());
    }

    private void put(String name, double[] v, double[] scale) {
        values.put(name, v);
        scales.put(name, scale == null ? new double[v.length] : scale);
    }

    static boolean finite(double[] v) {
        if (v == null) {
            return true;
        }
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    private static boolean finiteOrNegInf(double[] v) {
        for (double d : v) {
            if (Double.isNaN(d) || d == Double.POSITIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }
}
