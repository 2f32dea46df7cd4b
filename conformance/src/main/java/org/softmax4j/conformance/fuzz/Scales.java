package org.softmax4j.conformance.fuzz;

import org.softmax4j.conformance.Op;
import java.util.HashMap;
import java.util.Map;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * The {@link org.softmax4j.conformance.Tolerance} scale of each output element of a case, computed in double (the
 * same formulas as {@link org.softmax4j.conformance.ExactReference}; a magnitude, so double rounding is immaterial).
 * Used to compare two backends with each other when the high-precision reference is not run for the case, and by the
 * JSON evaluator for the default bound of a case. Outputs of well-conditioned ops have no entry (scale 0).
 */
public final class Scales {

    private Scales() {
    }

    /** @return per output name (as the op table names it), the scale of each element; no entry: scale 0 */
    public static Map<String, double[]> of(FuzzCase c) {
        Map<String, double[]> s = new HashMap<>();
        int rows = c.rows;
        int cols = c.cols;
        switch (c.op) {
            case LOG_SUM_EXP, MASKED_LOG_SUM_EXP -> {
                double[] a = logits(c);
                double[] out = new double[rows];
                for (int r = 0; r < rows; r++) {
                    double m = max(a, r * cols, cols);
                    out[r] = Math.abs(m) + Math.log(sumExp(a, r * cols, cols, m));
                }
                s.put("out", out);
            }
            case SOFTMAX_BACKWARD -> {
                double[] dx = new double[rows * cols];
                for (int r = 0; r < rows; r++) {
                    double dot = 0;
                    for (int i = r * cols; i < (r + 1) * cols; i++) {
                        dot += Math.abs(c.a[i] * c.b[i]);
                    }
                    for (int i = r * cols; i < (r + 1) * cols; i++) {
                        dx[i] = Math.abs(c.a[i]) * (Math.abs(c.b[i]) + dot);
                    }
                }
                s.put("dx", dx);
            }
            case LOG_SOFTMAX_BACKWARD -> {
                double[] dx = new double[rows * cols];
                for (int r = 0; r < rows; r++) {
                    double sum = 0;
                    for (int i = r * cols; i < (r + 1) * cols; i++) {
                        sum += Math.abs(c.b[i]);
                    }
                    for (int i = r * cols; i < (r + 1) * cols; i++) {
                        dx[i] = Math.abs(c.b[i]) + Math.exp(c.a[i]) * sum;
                    }
                }
                s.put("dx", dx);
            }
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY, MASKED_SOFTMAX_CROSS_ENTROPY,
                 MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> crossEntropy(c, s);
            case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B -> {
                double[] out = new double[rows * cols];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        double abs = 0;
                        for (int l = 0; l < c.k; l++) {
                            abs += Math.abs(c.a[c.op.aIndex(i, l, rows, c.k)] * c.b[c.op.bIndex(l, j, c.k, cols)]);
                        }
                        out[i * cols + j] = Math.abs(c.alpha) * abs + (c.beta == 0 ? 0 : Math.abs(c.beta * c.c[i * cols + j]));
                    }
                }
                s.put("c", out);
            }
            default -> {
            }
        }
        return s;
    }

    private static void crossEntropy(FuzzCase c, Map<String, double[]> s) {
        int rows = c.rows;
        int cols = c.cols;
        CrossEntropyOptions o = c.options;
        double e = o.labelSmoothing();
        boolean sparse = c.op == Op.SPARSE_SOFTMAX_CROSS_ENTROPY || c.op == Op.MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY;
        double[] a = logits(c);
        double denominator = rows;
        if (sparse) {
            denominator = 0;
            for (int t : c.classes) {
                denominator += t == o.ignoreIndex() ? 0 : o.classWeight(t);
            }
        }
        double gs = o.reduction() == Reduction.MEAN && denominator != 0 ? 1 / denominator : 1;
        double[] loss = new double[rows];
        double[] grad = new double[rows * cols];
        double[] q = new double[cols];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            int kept = cols;
            if (c.mask != null) {
                kept = 0;
                for (int j = 0; j < cols; j++) {
                    kept += c.mask[off + j] ? 1 : 0;
                }
                if (kept == 0) {
                    continue;
                }
            }
            double spread = e / kept;
            if (sparse) {
                int t = c.classes[r];
                if (t == o.ignoreIndex()) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    q[j] = o.classWeight(j) * (spread + (j == t ? 1 - e : 0));
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    q[j] = o.classWeight(j) * ((1 - e) * c.b[off + j] + spread);
                }
            }
            if (c.mask != null) {
                for (int j = 0; j < cols; j++) {
                    q[j] = c.mask[off + j] ? q[j] : 0;
                }
            }
            double m = max(a, off, cols);
            double lnS = Math.log(sumExp(a, off, cols, m));
            double sumQ = 0;
            for (double v : q) {
                sumQ += v;
            }
            double rowScale = 0;
            for (int j = 0; j < cols; j++) {
                double shifted = a[off + j] - m;
                if (q[j] != 0 && a[off + j] != Double.NEGATIVE_INFINITY) {
                    rowScale += Math.abs(q[j] * (shifted - lnS));
                }
                double p = Math.exp(shifted - lnS);
                grad[off + j] = (p * Math.abs(sumQ) + Math.abs(q[j])) * gs;
            }
            loss[r] = rowScale;
            total += rowScale;
        }
        s.put("loss", loss);
        s.put("gradient", grad);
        s.put("value", new double[] {o.reduction() == Reduction.MEAN && denominator != 0 ? total / denominator : total});
    }

    /** The logits ({@code a}) with the masked entries {@code -inf}: a masked entry adds no term to any scale. */
    private static double[] logits(FuzzCase c) {
        if (c.mask == null) {
            return c.a;
        }
        double[] a = c.a.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] = c.mask[i] ? a[i] : Double.NEGATIVE_INFINITY;
        }
        return a;
    }

    private static double max(double[] x, int off, int cols) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + cols; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    private static double sumExp(double[] x, int off, int cols, double m) {
        double s = 0;
        for (int i = off; i < off + cols; i++) {
            s += Math.exp(x[i] - m);
        }
        return s;
    }
}
