package org.softmax4j.conformance.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

import org.softmax4j.conformance.Op;
import org.softmax4j.conformance.ExactReference;
import org.softmax4j.conformance.Tolerance;

/**
 * The exact outputs of a {@link FuzzCase} from {@link ExactReference}, each with the {@link Tolerance} scale of
 * every element (0 for well-conditioned ops), under the same names as {@link Outcome}.
 *
 * <p>Where the contract leaves a result open (IEEE propagation of NaN and infinities through the backward passes,
 * the Jacobian, cross-entropy from probabilities and the products), the elements that depend on a non-finite input
 * are marked undefined and not compared; the others are computed from the finite inputs.
 */
public final class Expectation {

    final Map<String, double[]> values = new LinkedHashMap<>();
    final Map<String, double[]> scales = new LinkedHashMap<>();
    final Map<String, int[]> ints = new LinkedHashMap<>();
    /** Per output, the elements with no defined exact value (null: all defined). */
    final Map<String, boolean[]> undefined = new LinkedHashMap<>();

    private Expectation() {
    }

    /**
     * @return the exact outputs, or null where the reference does not define any (non-finite dense labels); elements
     * that depend on a non-finite input of an op whose contract leaves IEEE propagation open are marked undefined
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
            case MASKED_LOG_SOFTMAX -> e.put("y", ExactReference.maskedLogSoftmax(rows, cols, c.a, c.mask));
            case MASKED_LOG_SUM_EXP -> e.put("out", ExactReference.maskedLogSumExp(rows, cols, c.a, c.mask));
            case SOFTMAX_BACKWARD -> {
                boolean[] bad = badRows(rows, cols, c.a, c.b, false);
                e.put("dx", ExactReference.softmaxBackward(rows, cols, sanitized(c.a, false), sanitized(c.b, false)));
                e.undefined.put("dx", perElement(bad, cols));
            }
            case LOG_SOFTMAX_BACKWARD -> {
                boolean[] bad = badRows(rows, cols, c.a, c.b, true);
                e.put("dx", ExactReference.logSoftmaxBackward(rows, cols, sanitized(c.a, true),
                        sanitized(c.b, false)));
                e.undefined.put("dx", perElement(bad, cols));
            }
            case JACOBIAN -> {
                e.put("jacobian", ExactReference.jacobian(cols, sanitized(c.a, false)));
                boolean[] bad = new boolean[cols * cols];
                for (int i = 0; i < cols; i++) {
                    for (int j = 0; j < cols; j++) {
                        bad[i * cols + j] = !Double.isFinite(c.a[i]) || !Double.isFinite(c.a[j]);
                    }
                }
                e.undefined.put("jacobian", bad);
            }
            case CROSS_ENTROPY -> {
                boolean[] bad = badRows(rows, cols, c.a, c.b, false);
                e.put("loss", ExactReference.crossEntropy(c.dtype, rows, cols, sanitized(c.a, false),
                        sanitized(c.b, false), c.eps));
                e.undefined.put("loss", bad);
            }
            case CROSS_ENTROPY_REDUCED -> {
                boolean[] bad = badRows(rows, cols, c.a, c.b, false);
                double[] p = sanitized(c.a, false);
                double[] t = sanitized(c.b, false);
                if (c.withLoss) {
                    e.put("loss", ExactReference.crossEntropy(c.dtype, rows, cols, p, t, c.eps));
                    e.undefined.put("loss", bad);
                }
                e.put("value", ExactReference.crossEntropyReduced(c.dtype, rows, cols, p, t, c.eps,
                        c.options.reduction()));
                boolean anyBad = false;
                for (boolean b : bad) {
                    anyBad |= b;
                }
                e.undefined.put("value", new boolean[] {anyBad});
            }
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY, MASKED_SOFTMAX_CROSS_ENTROPY,
                 MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                boolean dense = c.op == Op.SOFTMAX_CROSS_ENTROPY || c.op == Op.MASKED_SOFTMAX_CROSS_ENTROPY;
                if (dense && !finite(c.b)) {
                    return null;
                }
                ExactReference.Loss l = switch (c.op) {
                    case SOFTMAX_CROSS_ENTROPY -> ExactReference.softmaxCrossEntropy(rows, cols, c.a, c.b, c.options);
                    case MASKED_SOFTMAX_CROSS_ENTROPY -> ExactReference.maskedSoftmaxCrossEntropy(rows, cols, c.a,
                            c.mask, c.b, c.options);
                    case MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> ExactReference.maskedSparseSoftmaxCrossEntropy(rows,
                            cols, c.a, c.mask, c.classes, c.options);
                    default -> ExactReference.sparseSoftmaxCrossEntropy(rows, cols, c.a, c.classes, c.options);
                };
                if (c.withLoss) {
                    e.put("loss", l.loss(), l.lossScales());
                }
                if (c.withGradient) {
                    e.put("gradient", l.gradient(), l.gradientScales());
                }
                e.put("value", new double[] {l.reduced()}, new double[] {l.reducedScale()});
            }
            case ARGMAX -> e.ints.put("indices", ExactReference.argmax(rows, cols, c.a));
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
            case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B -> {
                int m = c.rows;
                int k = c.k;
                int n = c.cols;
                e.put("c", ExactReference.matmul(c.op, m, k, n, c.alpha, sanitized(c.a, false), sanitized(c.b, false),
                        c.beta, c.beta == 0 ? c.c : sanitized(c.c, false)));
                boolean[] rowBad = new boolean[m];
                boolean[] colBad = new boolean[n];
                for (int l = 0; l < k; l++) {
                    for (int i = 0; i < m; i++) {
                        rowBad[i] |= !Double.isFinite(c.a[c.op.aIndex(i, l, m, k)]);
                    }
                    for (int j = 0; j < n; j++) {
                        colBad[j] |= !Double.isFinite(c.b[c.op.bIndex(l, j, k, n)]);
                    }
                }
                boolean[] bad = new boolean[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        bad[i * n + j] = rowBad[i] || colBad[j] || (c.beta != 0 && !Double.isFinite(c.c[i * n + j]));
                    }
                }
                e.undefined.put("c", bad);
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

    /** @return rows with a non-finite input ({@code -inf} allowed in {@code a} when {@code negInfOk}) */
    private static boolean[] badRows(int rows, int cols, double[] a, double[] b, boolean negInfOk) {
        boolean[] bad = new boolean[rows];
        for (int i = 0; i < rows * cols; i++) {
            boolean aBad = negInfOk ? Double.isNaN(a[i]) || a[i] == Double.POSITIVE_INFINITY : !Double.isFinite(a[i]);
            bad[i / cols] |= aBad || !Double.isFinite(b[i]);
        }
        return bad;
    }

    private static boolean[] perElement(boolean[] badRows, int cols) {
        boolean[] bad = new boolean[badRows.length * cols];
        for (int i = 0; i < bad.length; i++) {
            bad[i] = badRows[i / cols];
        }
        return bad;
    }

    /** @return a copy with the non-finite values (but {@code -inf} when {@code negInfOk}) replaced by 0 */
    private static double[] sanitized(double[] v, boolean negInfOk) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i]) && !(negInfOk && out[i] == Double.NEGATIVE_INFINITY)) {
                out[i] = 0;
            }
        }
        return out;
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
}
