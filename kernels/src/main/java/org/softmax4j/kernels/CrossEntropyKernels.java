package org.softmax4j.kernels;

import java.util.Arrays;
import org.softmax4j.CrossEntropyOptions;

/**
 * Scalar kernels of the cross-entropy ops: Keras' cross-entropy from probabilities and the softmax cross-entropy with
 * logits (dense and sparse labels) fused with its gradient.
 *
 * <p>With logits, one row takes two passes. Pass 1 finds the first maximum {@code m} (index {@code im}). Pass 2 reads
 * each logit once and accumulates {@code others = sum_{c != im} exp(x_c - m)}, {@code Q' = sum_{c != im} q_c} and
 * {@code sum_c q_c (x_c - m)} (at half scale, so that it cannot overflow), storing {@code exp(x_c - m)} in the
 * gradient (which may therefore be the logits). Then {@code loss = Q log1p(others) - sum_c q_c (x_c - m)} (two
 * non-negative terms for non-negative targets) and {@code gradient_c = (p_c Q - q_c) * scale} (a plain product: a
 * mean over nothing passes scale 0), except at {@code im} where (if {@code p_m > 1/2})
 * {@code p_m Q - q_m = Q' - Q others / s} keeps the tail that {@code Q / s - q_m} would round away. A zero target
 * contributes exactly 0 (even on a {@code -inf} logit); a positive target on a {@code -inf} logit gives
 * {@code +inf}.
 *
 * <p>Masks ({@code mask} true = the class takes part; a null mask keeps every class): a masked class takes no
 * probability (no term of {@code others}), has target 0 and gets gradient exactly 0; label smoothing spreads
 * {@code e / K} over the {@code K} kept classes (not {@code e / C}: a masked class has {@code log p = -inf}); a row
 * with no kept class has loss 0 and gradient 0 (its targets are all 0: the callers validate that no target mass is on
 * a masked class); a row whose kept maximum is not finite has loss NaN and NaN on its kept classes. With every class
 * kept the masked and unmasked kernels are the same code and the same bits.
 *
 * <p>Float32 rows run in float64 and keep the exponentials in a per-thread float64 row between the passes, so each
 * gradient entry is rounded once. Internal: shared by the backends of this repository, not an API.
 */
public final class CrossEntropyKernels {

    private CrossEntropyKernels() {
    }

    // ------------------------------------------------------------------------------- from probabilities (Keras)

    /**
     * {@code log(clip(prob / s, eps, 1 - tail))} where {@code s = sum + comp} is the compensated row sum and
     * {@code 1 - tail} the upper bound (Keras' {@code 1 - eps} rounded to the dtype, so {@code tail} is exact). Above
     * one half, {@code 1 - p} is formed as {@code (s - prob) / s} from the compensated sum ({@code sum - prob} is
     * exact there, Sterbenz) and the log taken with {@code log1p}, so {@code p} close to 1 keeps its relative
     * accuracy.
     */
    public static double clippedLog(double prob, double sum, double comp, double s, double eps, double tail) {
        double p = prob / s;
        if (!(p > 0.5)) {
            if (p >= eps) {
                // a subnormal quotient has lost relative precision: take the logs apart (no cancellation there)
                return p >= Double.MIN_NORMAL ? Math.log(p) : Math.log(prob) - Math.log(s);
            }
            return Double.isNaN(p) ? p : Math.log(eps);
        }
        double q = ((sum - prob) + comp) / s;
        return Math.log1p(-Math.max(q, tail));
    }

    /**
     * Keras' cross-entropy of each row into {@code loss} (null: not stored).
     *
     * @return the compensated sum of the row losses, for the reductions
     */
    public static double crossEntropy(int rows, int cols, double[] probabilities, int pOffset, double[] labels,
                                      int lOffset, double eps, double[] loss, int lossOffset) {
        // Keras clips to 1 - eps rounded to float64; tail = 1 - (1 - eps) is exact (Sterbenz)
        double tail = 1 - (1 - eps);
        double total = 0;
        double totalComp = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int po = pOffset + o;
            int lo = lOffset + o;
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double v = probabilities[po + c];
                double t = sum + v;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (v - bp);
                sum = t;
            }
            double s = RowSoftmax.finish(sum, comp);
            double v;
            if (s == 0 || Double.isNaN(s)) {
                v = Double.NaN; // 0 / 0 (or a NaN probability), as Keras
            } else {
                v = row(cols, probabilities, po, labels, lo, eps, tail, sum, comp, s);
            }
            if (loss != null) {
                loss[lossOffset + r] = v;
            }
            double t = total + v;
            double bp = t - total;
            totalComp += (total - (t - bp)) + (v - bp);
            total = t;
        }
        return RowSoftmax.finish(total, totalComp);
    }

    /** The loss of one row whose probabilities sum to {@code s = sum + comp} (positive). */
    private static double row(int cols, double[] probabilities, int po, double[] labels, int lo, double eps,
                              double tail, double sum, double comp, double s) {
        double acc = 0;
        double accComp = 0;
        for (int c = 0; c < cols; c++) {
            double label = labels[lo + c];
            if (label == 0) {
                // 0 * log(p) is 0, except 0 * log(0) = NaN as in Keras (reachable only with eps = 0)
                if (probabilities[po + c] == 0 && eps == 0) {
                    acc = Double.NaN;
                }
                continue;
            }
            double v = -label * clippedLog(probabilities[po + c], sum, comp, s, eps, tail);
            double t = acc + v;
            double bp = t - acc;
            accComp += (acc - (t - bp)) + (v - bp);
            acc = t;
        }
        return RowSoftmax.finish(acc, accComp);
    }

    /** Float32 twin of the float64 {@code crossEntropy}: returns the sum in double of the (unrounded) row losses. */
    public static double crossEntropy(int rows, int cols, float[] probabilities, int pOffset, float[] labels,
                                      int lOffset, float eps, float[] loss, int lossOffset) {
        double e = eps;
        // Keras clips to 1 - eps rounded to float32; tail = 1 - (1 - eps) is exact in double
        double tail = 1.0 - (1f - eps);
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int po = pOffset + o;
            int lo = lOffset + o;
            // compensated even for float: 1 - p is recovered from the total, and for p near 1 the total's rounding
            // would otherwise dominate 1 - p
            double sum = 0;
            double comp = 0;
            for (int c = 0; c < cols; c++) {
                double v = probabilities[po + c];
                double t = sum + v;
                double bp = t - sum;
                comp += (sum - (t - bp)) + (v - bp);
                sum = t;
            }
            double s = RowSoftmax.finish(sum, comp);
            double acc = 0;
            if (s == 0 || Double.isNaN(s)) {
                acc = Double.NaN;
            } else {
                for (int c = 0; c < cols; c++) {
                    double label = labels[lo + c];
                    if (label != 0) {
                        acc -= label * clippedLog(probabilities[po + c], sum, comp, s, e, tail);
                    } else if (probabilities[po + c] == 0 && eps == 0) {
                        acc = Double.NaN; // 0 * log(0), as in Keras
                    }
                }
            }
            if (loss != null) {
                loss[lossOffset + r] = (float) acc;
            }
            total += acc;
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------- with logits

    /** Dense labels: {@code q_c = w_c ((1 - e) l_c + e / C)}. */
    public static double dense(int rows, int cols, double[] logits, int xOffset, double[] labels, int lOffset,
                               CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                               double[] gradient, int gOffset) {
        return dense(rows, cols, logits, xOffset, null, 0, labels, lOffset, options, scale, loss, lossOffset, gradient,
                gOffset);
    }

    /** Dense labels over the kept classes ({@code mask} null: all). */
    public static double dense(int rows, int cols, double[] logits, int xOffset, boolean[] mask, int maskOffset,
                               double[] labels, int lOffset, CrossEntropyOptions options, double scale,
                               double[] loss, int lossOffset, double[] gradient, int gOffset) {
        double total = 0;
        double totalComp = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double v = row(cols, logits, xOffset + o, mask, maskOffset + o, labels, lOffset + o, 0, options, scale,
                    gradient, gOffset + o);
            if (loss != null) {
                loss[lossOffset + r] = v;
            }
            double t = total + v;
            double bp = t - total;
            totalComp += (total - (t - bp)) + (v - bp);
            total = t;
        }
        return RowSoftmax.finish(total, totalComp);
    }

    /** Class indices: {@code q_c = (1 - e) w_t [c == t] + (e / C) w_c}; ignored rows: loss 0, gradient 0. */
    public static double sparse(int rows, int cols, double[] logits, int xOffset, int[] classes, int classesOffset,
                                CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                                double[] gradient, int gOffset) {
        return sparse(rows, cols, logits, xOffset, null, 0, classes, classesOffset, options, scale, loss, lossOffset,
                gradient, gOffset);
    }

    /** Class indices over the kept classes ({@code mask} null: all); every target not ignored is kept. */
    public static double sparse(int rows, int cols, double[] logits, int xOffset, boolean[] mask, int maskOffset,
                                int[] classes, int classesOffset, CrossEntropyOptions options, double scale,
                                double[] loss, int lossOffset, double[] gradient, int gOffset) {
        int ignore = options.ignoreIndex();
        double total = 0;
        double totalComp = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int target = classes[classesOffset + r];
            double v;
            if (target == ignore) {
                v = 0;
                if (gradient != null) {
                    Arrays.fill(gradient, gOffset + o, gOffset + o + cols, 0.0);
                }
            } else {
                v = row(cols, logits, xOffset + o, mask, maskOffset + o, null, 0, target, options, scale, gradient,
                        gOffset + o);
            }
            if (loss != null) {
                loss[lossOffset + r] = v;
            }
            double t = total + v;
            double bp = t - total;
            totalComp += (total - (t - bp)) + (v - bp);
            total = t;
        }
        return RowSoftmax.finish(total, totalComp);
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

    /**
     * One row (dense when {@code labels != null}, else class {@code t}) over the kept classes ({@code mask} null:
     * all); writes the gradient, returns the loss.
     */
    private static double row(int cols, double[] x, int xo, boolean[] mask, int mo, double[] labels, int lo, int t,
                              CrossEntropyOptions options, double scale, double[] g, int go) {
        double m = Double.NEGATIVE_INFINITY;
        int im = 0;
        int kept = 0;
        for (int c = 0; c < cols; c++) {
            if (mask == null || mask[mo + c]) {
                kept++;
                double v = x[xo + c];
                if (v > m) {
                    m = v;
                    im = c;
                }
            }
        }
        if (kept == 0) {
            if (g != null) {
                Arrays.fill(g, go, go + cols, 0.0);
            }
            return 0;
        }
        if (m == Double.POSITIVE_INFINITY || m == Double.NEGATIVE_INFINITY) {
            if (g != null) {
                for (int c = 0; c < cols; c++) {
                    g[go + c] = mask == null || mask[mo + c] ? Double.NaN : 0.0;
                }
            }
            return Double.NaN;
        }
        double keep = 1 - options.labelSmoothing();
        double spread = options.labelSmoothing() / kept;
        double qMax = 0;
        double rest = 0;
        double restComp = 0;
        double dot = 0;
        double dotComp = 0;
        double oth = 0;
        double othComp = 0;
        for (int c = 0; c < cols; c++) {
            if (mask != null && !mask[mo + c]) {
                if (g != null) {
                    g[go + c] = 0; // x[xo + c] is not read again: g may be x
                }
                continue;
            }
            double q = target(options, keep, spread, labels, lo, t, c);
            if (c == im) {
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
                e += e * RowSoftmax.shiftError(v, m, hi);
            }
            if (q != 0) {
                // q (x - m) / 2, halved so that x - m (and the sum) cannot overflow for finite logits; halving is
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
                g[go + c] = e;
            }
        }
        double others = RowSoftmax.finish(oth, othComp);
        double qRest = RowSoftmax.finish(rest, restComp);
        double qTotal = qMax + qRest;
        double loss = 2 * (0.5 * (qTotal * Math.log1p(others)) - RowSoftmax.finish(dot, dotComp));
        if (g != null) {
            double inv = 1 / (1 + others);
            double pq = qTotal * inv;
            for (int c = 0; c < cols; c++) {
                if (c != im && (mask == null || mask[mo + c])) {
                    g[go + c] = (g[go + c] * pq - target(options, keep, spread, labels, lo, t, c)) * scale;
                }
            }
            g[go + im] = maxEntry(others, inv, pq, qTotal, qMax, qRest) * scale;
        }
        return loss;
    }

    /**
     * {@code p_m Q - q_m} at the first maximum. When {@code p_m > 1/2} it is formed as
     * {@code Q (1 - others / s) - q_m = Q' - Q others / s}, which keeps the tail that {@code Q / s - q_m} rounds away
     * (logits {@code [37.43, 0]}, class 0: {@code -5.55e-17}, not 0); for smaller {@code p_m} that form would cancel
     * by a factor {@code 1 / p_m}, so the direct {@code Q / s - q_m} is used.
     */
    private static double maxEntry(double others, double inv, double pq, double qTotal, double qMax, double qRest) {
        return others < 1 ? qRest - qTotal * (others * inv) : pq - qMax;
    }

    public static double dense(int rows, int cols, float[] logits, int xOffset, float[] labels, int lOffset,
                               CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                               float[] gradient, int gOffset) {
        return dense(rows, cols, logits, xOffset, null, 0, labels, lOffset, options, scale, loss, lossOffset, gradient,
                gOffset, null, 0);
    }

    /** As above; {@code rowLoss}, if not null, also receives each row's loss (see {@link #sparse}'s float twin). */
    public static double dense(int rows, int cols, float[] logits, int xOffset, float[] labels, int lOffset,
                               CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                               float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        return dense(rows, cols, logits, xOffset, null, 0, labels, lOffset, options, scale, loss, lossOffset, gradient,
                gOffset, rowLoss, rowLossOffset);
    }

    /** Float32 twin of the masked float64 {@code dense}. */
    public static double dense(int rows, int cols, float[] logits, int xOffset, boolean[] mask, int maskOffset,
                               float[] labels, int lOffset, CrossEntropyOptions options, double scale, float[] loss,
                               int lossOffset, float[] gradient, int gOffset) {
        return dense(rows, cols, logits, xOffset, mask, maskOffset, labels, lOffset, options, scale, loss, lossOffset,
                gradient, gOffset, null, 0);
    }

    /** The masked float32 {@code dense}, with the {@code rowLoss} of the unmasked float32 one. */
    public static double dense(int rows, int cols, float[] logits, int xOffset, boolean[] mask, int maskOffset,
                               float[] labels, int lOffset, CrossEntropyOptions options, double scale, float[] loss,
                               int lossOffset, float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        double[] e = gradient == null ? null : Scratch.row(cols);
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double v = row(cols, logits, xOffset + o, mask, maskOffset + o, labels, lOffset + o, 0, options, scale,
                    gradient, gOffset + o, e);
            if (loss != null) {
                loss[lossOffset + r] = (float) v;
            }
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = v;
            }
            total += v;
        }
        return total;
    }

    /**
     * As the float64 twin; {@code rowLoss}, if not null, also receives each row's loss, so that a caller that splits
     * the rows over threads (plain's {@code RowTeam}) can add them in row order.
     */
    public static double sparse(int rows, int cols, float[] logits, int xOffset, int[] classes, int classesOffset,
                                CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                                float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        return sparse(rows, cols, logits, xOffset, null, 0, classes, classesOffset, options, scale, loss, lossOffset,
                gradient, gOffset, rowLoss, rowLossOffset);
    }

    /** Float32 twin of the masked float64 {@code sparse}, with the {@code rowLoss} of the unmasked float32 one. */
    public static double sparse(int rows, int cols, float[] logits, int xOffset, boolean[] mask, int maskOffset,
                                int[] classes, int classesOffset, CrossEntropyOptions options, double scale,
                                float[] loss, int lossOffset, float[] gradient, int gOffset, double[] rowLoss,
                                int rowLossOffset) {
        int ignore = options.ignoreIndex();
        double[] e = gradient == null ? null : Scratch.row(cols);
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int target = classes[classesOffset + r];
            double v;
            if (target == ignore) {
                v = 0;
                if (gradient != null) {
                    Arrays.fill(gradient, gOffset + o, gOffset + o + cols, 0f);
                }
            } else {
                v = row(cols, logits, xOffset + o, mask, maskOffset + o, null, 0, target, options, scale, gradient,
                        gOffset + o, e);
            }
            if (loss != null) {
                loss[lossOffset + r] = (float) v;
            }
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = v;
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

    /**
     * Float32 twin of the float64 row: everything in double, the exponentials kept in {@code e} (a per-thread float64
     * row, non-null iff {@code g} is) between the passes, so each gradient entry is rounded to float32 once.
     */
    private static double row(int cols, float[] x, int xo, boolean[] mask, int mo, float[] labels, int lo, int t,
                              CrossEntropyOptions options, double scale, float[] g, int go, double[] e) {
        float m = Float.NEGATIVE_INFINITY;
        int im = 0;
        int kept = 0;
        for (int c = 0; c < cols; c++) {
            if (mask == null || mask[mo + c]) {
                kept++;
                float v = x[xo + c];
                if (v > m) {
                    m = v;
                    im = c;
                }
            }
        }
        if (kept == 0) {
            if (g != null) {
                Arrays.fill(g, go, go + cols, 0f);
            }
            return 0;
        }
        if (m == Float.POSITIVE_INFINITY || m == Float.NEGATIVE_INFINITY) {
            if (g != null) {
                for (int c = 0; c < cols; c++) {
                    g[go + c] = mask == null || mask[mo + c] ? Float.NaN : 0f;
                }
            }
            return Double.NaN;
        }
        double keep = 1 - options.labelSmoothing();
        double spread = options.labelSmoothing() / kept;
        double md = m;
        double qMax = 0;
        double qRest = 0;
        double dot = 0;
        double others = 0;
        for (int c = 0; c < cols; c++) {
            if (mask != null && !mask[mo + c]) {
                if (e != null) {
                    e[c] = 0;
                }
                continue;
            }
            double q = target(options, keep, spread, labels, lo, t, c);
            if (c == im) {
                qMax = q;
                continue;
            }
            qRest += q;
            double hi = x[xo + c] - md;
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
                if (c == im) {
                    continue;
                }
                g[go + c] = mask == null || mask[mo + c]
                        ? (float) ((e[c] * pq - target(options, keep, spread, labels, lo, t, c)) * scale) : 0f;
            }
            g[go + im] = (float) (maxEntry(others, inv, pq, qTotal, qMax, qRest) * scale);
        }
        return loss;
    }
}
