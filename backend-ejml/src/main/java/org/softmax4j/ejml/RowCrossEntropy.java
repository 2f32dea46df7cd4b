package org.softmax4j.ejml;

import java.util.Arrays;
import org.softmax4j.CrossEntropyOptions;

/**
 * The cross-entropy ops as fused row loops over the data arrays: EJML has no kernel for a shifted exponential, a log
 * or a per-row gather (see {@link RowSoftmax}). Same formulas as the plain backend.
 *
 * <p>Softmax cross-entropy, per row with maximum {@code m} at its first index {@code j}, {@code d_c = x_c - m},
 * {@code e_c = exp(d_c)} (shift-corrected), {@code others = sum_{c != j} e_c}, {@code s = 1 + others} and the effective
 * target {@code q} of {@link CrossEntropyOptions}, {@code Q = q_j + Q'} with {@code Q' = sum_{c != j} q_c}:
 * <pre>
 *   loss  = Q log1p(others) - sum_{q_c != 0} q_c d_c     (both terms >= 0 for q >= 0: no cancellation; in float64
 *                                                        the sum runs at half scale so that d_c cannot overflow)
 *   g_c   = (e_c Q / s - q_c) * scale                     (c != j)
 *   g_j   = (Q' - Q others / s) * scale   if others < 1   (= p_j Q - q_j without rounding away 1 - p_j)
 *         = (Q / s - q_j) * scale         otherwise       (p_j <= 1/2: the first form would cancel)
 * </pre>
 * Float64 sums are compensated (TwoSum); float32 rows run in float64 and keep the exponentials in a per-thread
 * float64 row, so each gradient entry is rounded to float32 once. A zero target on a {@code -inf} logit adds nothing;
 * a row with NaN or {@code +inf}, or all {@code -inf}, gives a NaN loss and a NaN gradient row.
 */
final class RowCrossEntropy {

    private RowCrossEntropy() {
    }


    // ----------------------------------------------------------------------------------- from probabilities

    /**
     * {@code log(clip(prob / s, eps, 1 - tail))} with {@code s = sum + comp} the compensated row sum and
     * {@code 1 - tail} Keras' upper clip bound rounded to the dtype. Above one half, {@code 1 - p} is formed as
     * {@code (sum - prob + comp) / s} ({@code sum - prob} exact there) and the log taken with {@code log1p}, so a
     * probability close to 1 keeps its relative accuracy.
     */
    private static double clippedLog(double prob, double sum, double comp, double s, double eps, double tail) {
        double p = prob / s;
        if (!(p > 0.5)) {
            if (p >= eps) {
                // a subnormal quotient has lost relative precision: take the logs apart (no cancellation there)
                return p >= Double.MIN_NORMAL ? Math.log(p) : Math.log(prob) - Math.log(s);
            }
            return Double.isNaN(p) ? p : Math.log(eps);
        }
        return Math.log1p(-Math.max(((sum - prob) + comp) / s, tail));
    }

    /** Keras: {@code p / sum(p)} clipped to {@code [eps, 1 - eps]}, then {@code -sum(t log p)}. */
    static void crossEntropy(int rows, int cols, double[] p, int pOff, double[] t, int tOff, double eps,
                             double[] loss, int lossOff) {
        double tail = 1 - (1 - eps); // exact (Sterbenz)
        for (int r = 0; r < rows; r++) {
            int po = pOff + r * cols;
            int to = tOff + r * cols;
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double v = p[po + c];
                double s = sum + v;
                double bp = s - sum;
                comp += (sum - (s - bp)) + (v - bp);
                sum = s;
            }
            double s = RowMath.finish(sum, comp);
            if (s == 0 || Double.isNaN(s)) {
                loss[lossOff + r] = Double.NaN; // 0 / 0 (or a NaN probability), as Keras
                continue;
            }
            double acc = 0;
            double accComp = 0;
            for (int c = 0; c < cols; c++) {
                double label = t[to + c];
                if (label == 0) {
                    if (p[po + c] == 0 && eps == 0) {
                        acc = Double.NaN; // 0 * log(0), as Keras; unreachable for eps > 0
                    }
                    continue;
                }
                double v = -label * clippedLog(p[po + c], sum, comp, s, eps, tail);
                double a = acc + v;
                double bp = a - acc;
                accComp += (acc - (a - bp)) + (v - bp);
                acc = a;
            }
            loss[lossOff + r] = RowMath.finish(acc, accComp);
        }
    }

    static void crossEntropy(int rows, int cols, float[] p, int pOff, float[] t, int tOff, float eps,
                             float[] loss, int lossOff) {
        double e = eps;
        double tail = 1.0 - (1f - eps); // Keras' 1 - eps rounded to float32; exact in double
        for (int r = 0; r < rows; r++) {
            int po = pOff + r * cols;
            int to = tOff + r * cols;
            // compensated even for float32: 1 - p near 1 is recovered from the total
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double v = p[po + c];
                double s = sum + v;
                double bp = s - sum;
                comp += (sum - (s - bp)) + (v - bp);
                sum = s;
            }
            double s = RowMath.finish(sum, comp);
            if (s == 0 || Double.isNaN(s)) {
                loss[lossOff + r] = Float.NaN;
                continue;
            }
            double acc = 0;
            for (int c = 0; c < cols; c++) {
                double label = t[to + c];
                if (label != 0) {
                    acc -= label * clippedLog(p[po + c], sum, comp, s, e, tail);
                } else if (p[po + c] == 0 && eps == 0) {
                    acc = Double.NaN;
                }
            }
            loss[lossOff + r] = (float) acc;
        }
    }

    // ----------------------------------------------------------------------------------- with logits

    /** Dense labels: {@code q_c = w_c ((1 - e) l_c + e / C)}. */
    static double softmaxCrossEntropy(int rows, int cols, double[] x, int xOff, double[] labels, int lOff,
                                      CrossEntropyOptions options, double scale, double[] loss, int lossOff,
                                      double[] g, int gOff) {
        double total = 0;
        double comp = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double v = row(cols, x, xOff + o, labels, lOff + o, 0, options, scale, g, gOff + o);
            if (loss != null) {
                loss[lossOff + r] = v;
            }
            double t = total + v;
            double bp = t - total;
            comp += (total - (t - bp)) + (v - bp);
            total = t;
        }
        return RowMath.finish(total, comp);
    }

    /** Class indices: {@code q_c = (1 - e) w_t [c == t] + (e / C) w_c}; ignored rows: loss 0, gradient 0. */
    static double sparseSoftmaxCrossEntropy(int rows, int cols, double[] x, int xOff, int[] classes, int cOff,
                                            CrossEntropyOptions options, double scale, double[] loss, int lossOff,
                                            double[] g, int gOff) {
        int ignore = options.ignoreIndex();
        double total = 0;
        double comp = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int target = classes[cOff + r];
            double v;
            if (target == ignore) {
                v = 0;
                if (g != null) {
                    Arrays.fill(g, gOff + o, gOff + o + cols, 0.0);
                }
            } else {
                v = row(cols, x, xOff + o, null, 0, target, options, scale, g, gOff + o);
            }
            if (loss != null) {
                loss[lossOff + r] = v;
            }
            double t = total + v;
            double bp = t - total;
            comp += (total - (t - bp)) + (v - bp);
            total = t;
        }
        return RowMath.finish(total, comp);
    }

    /** The effective target of class {@code c}: dense when {@code labels != null}, else of class index {@code t}. */
    private static double target(CrossEntropyOptions options, double keep, double spread, double[] labels, int lo,
                                 int t, int c) {
        double w = options.classWeight(c);
        if (labels != null) {
            return w * (keep * labels[lo + c] + spread);
        }
        return (c == t ? keep * w : 0) + spread * w;
    }

    /** One row (dense when {@code labels != null}, else class {@code t}); writes the gradient, returns the loss. */
    private static double row(int cols, double[] x, int xo, double[] labels, int lo, int t,
                              CrossEntropyOptions options, double scale, double[] g, int go) {
        double keep = 1 - options.labelSmoothing();
        double spread = options.labelSmoothing() / cols;
        int j = RowMath.maxIndex(x, xo, cols);
        double m = x[xo + j];
        if (!RowMath.isFinite(m)) {
            if (g != null) {
                Arrays.fill(g, go, go + cols, Double.NaN);
            }
            return Double.NaN;
        }
        double qMax = 0;
        double rest = 0;
        double restComp = 0;
        double dot = 0;
        double dotComp = 0;
        double oth = 0;
        double othComp = 0;
        for (int c = 0; c < cols; c++) {
            double q = target(options, keep, spread, labels, lo, t, c);
            if (c == j) {
                qMax = q;
                continue;
            }
            double s1 = rest + q;
            double b1 = s1 - rest;
            restComp += (rest - (s1 - b1)) + (q - b1);
            rest = s1;
            double v = x[xo + c];
            double hi = v - m;
            double e = Math.exp(hi);
            if (e != 0) {
                e += e * RowMath.shiftError(v, m, hi);
            }
            if (q != 0) {
                // q (x - m) / 2: halved so that x - m (and the sum) cannot overflow for finite logits; halving is
                // exact outside the subnormal range, and subnormal terms are negligible next to Q log1p(others)
                double d = q * (0.5 * v - 0.5 * m);
                double s2 = dot + d;
                double b2 = s2 - dot;
                dotComp += (dot - (s2 - b2)) + (d - b2);
                dot = s2;
            }
            double s3 = oth + e;
            double b3 = s3 - oth;
            othComp += (oth - (s3 - b3)) + (e - b3);
            oth = s3;
            if (g != null) {
                g[go + c] = e; // may overwrite x[xo + c]: it has been read
            }
        }
        double others = RowMath.finish(oth, othComp);
        double qRest = RowMath.finish(rest, restComp);
        double qTotal = qMax + qRest;
        double loss = 2 * (0.5 * (qTotal * Math.log1p(others)) - RowMath.finish(dot, dotComp));
        if (g != null) {
            double inv = 1 / (1 + others);
            double pq = qTotal * inv;
            for (int c = 0; c < cols; c++) {
                if (c != j) {
                    g[go + c] = (g[go + c] * pq - target(options, keep, spread, labels, lo, t, c)) * scale;
                }
            }
            g[go + j] = maxEntry(others, inv, pq, qTotal, qMax, qRest) * scale;
        }
        return loss;
    }

    /** {@code p_j Q - q_j} at the first maximum; see the class comment for the two forms. */
    private static double maxEntry(double others, double inv, double pq, double qTotal, double qMax, double qRest) {
        return others < 1 ? qRest - qTotal * (others * inv) : pq - qMax;
    }

    static double softmaxCrossEntropy(int rows, int cols, float[] x, int xOff, float[] labels, int lOff,
                                      CrossEntropyOptions options, double scale, float[] loss, int lossOff,
                                      float[] g, int gOff) {
        double[] e = g == null ? null : Workspace.get().row64(cols);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double v = row(cols, x, xOff + o, labels, lOff + o, 0, options, scale, g, gOff + o, e);
            if (loss != null) {
                loss[lossOff + r] = (float) v;
            }
            total += v;
        }
        return total;
    }

    static double sparseSoftmaxCrossEntropy(int rows, int cols, float[] x, int xOff, int[] classes, int cOff,
                                            CrossEntropyOptions options, double scale, float[] loss, int lossOff,
                                            float[] g, int gOff) {
        int ignore = options.ignoreIndex();
        double[] e = g == null ? null : Workspace.get().row64(cols);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int target = classes[cOff + r];
            double v;
            if (target == ignore) {
                v = 0;
                if (g != null) {
                    Arrays.fill(g, gOff + o, gOff + o + cols, 0f);
                }
            } else {
                v = row(cols, x, xOff + o, null, 0, target, options, scale, g, gOff + o, e);
            }
            if (loss != null) {
                loss[lossOff + r] = (float) v;
            }
            total += v;
        }
        return total;
    }

    private static double target(CrossEntropyOptions options, double keep, double spread, float[] labels, int lo,
                                 int t, int c) {
        double w = options.classWeight(c);
        if (labels != null) {
            return w * (keep * labels[lo + c] + spread);
        }
        return (c == t ? keep * w : 0) + spread * w;
    }

    /** Float32 row: everything in float64, the exponentials kept in {@code e} (non-null iff {@code g} is). */
    private static double row(int cols, float[] x, int xo, float[] labels, int lo, int t,
                              CrossEntropyOptions options, double scale, float[] g, int go, double[] e) {
        double keep = 1 - options.labelSmoothing();
        double spread = options.labelSmoothing() / cols;
        int j = RowMath.maxIndex(x, xo, cols);
        float mf = x[xo + j];
        if (!RowMath.isFinite(mf)) {
            if (g != null) {
                Arrays.fill(g, go, go + cols, Float.NaN);
            }
            return Double.NaN;
        }
        double m = mf;
        double qMax = 0;
        double qRest = 0;
        double dot = 0;
        double others = 0;
        for (int c = 0; c < cols; c++) {
            double q = target(options, keep, spread, labels, lo, t, c);
            if (c == j) {
                qMax = q;
                continue;
            }
            qRest += q;
            double hi = x[xo + c] - m;
            double ec = Math.exp(hi);
            if (q != 0) {
                dot += q * hi;
            }
            others += ec;
            if (e != null) {
                e[c] = ec;
            }
        }
        double qTotal = qMax + qRest;
        double loss = qTotal * Math.log1p(others) - dot;
        if (g != null) {
            double inv = 1 / (1 + others);
            double pq = qTotal * inv;
            for (int c = 0; c < cols; c++) {
                if (c != j) {
                    g[go + c] = (float) ((e[c] * pq - target(options, keep, spread, labels, lo, t, c)) * scale);
                }
            }
            g[go + j] = (float) (maxEntry(others, inv, pq, qTotal, qMax, qRest) * scale);
        }
        return loss;
    }
}
