package org.softmax4j.nd4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.ReplaceNans;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.api.ops.impl.transforms.bool.MatchConditionTransform;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ops as compositions of libnd4j's native ops on float64 {@code rows x cols} arrays. Every method runs inside an
 * active workspace (its temporaries are allocated there) and returns new arrays in it; nothing loops over elements
 * in Java.
 *
 * <p>Why compositions and not libnd4j's one-call ops: measured against an exact reference, libnd4j's
 * {@code softmax}/{@code log_softmax} lose up to ~500 ulps in float64 (the rounding of {@code x - max} grows
 * relatively with {@code |x - max|}, and a row of 32000 terms is summed naively), and its softmax cross-entropy ops
 * (and {@code log_softmax}) compute {@code 1 - p_max} and {@code log(s)} directly, so logits {@code [37.43, 0]} give
 * a gradient and a loss of 0 instead of {@code -5.55e-17}. The compositions below mirror the plain backend's
 * algorithm with native ops:
 * <ul>
 * <li>{@code exact}: the shift {@code x - m} is corrected by its exact TwoSum error {@code lo} (float64 inputs; float32
 * inputs widened to float64 need no correction) and {@code exp(x - m) = exp(hi) (1 + lo)};
 * <li>row sums are pairwise ({@link #rowSum}: {@code ceil(log2 C)} strided native adds), error {@code <= ceil(log2 C) u};
 * <li>{@code s = 1 + others}, {@code others} being the sum over every entry but one maximum (whose term is exactly
 * 1), so {@code log p_max = -log1p(others)}, {@code logSumExp = m + log1p(others)} and {@code 1 - p_max} keep their
 * tails.
 * </ul>
 */
final class DoubleKernels {

    /** Veltkamp's splitter for float64: 2^27 + 1. */
    private static final double SPLITTER = 134217729.0;

    private DoubleKernels() {
    }

    // ---------------------------------------------------------------------------------------------- building blocks

    /**
     * Pairwise row sums: folds the upper half of the columns onto the lower half ({@code ceil(log2 C)} native adds on
     * strided views), so each term takes part in at most {@code ceil(log2 C)} roundings.
     *
     * @param a {@code rows x w}, c-ordered (destroyed)
     * @return {@code rows x 1}
     */
    static INDArray rowSum(INDArray a) {
        long w = a.size(1);
        while (w > 1) {
            long h = w / 2;
            long upper = w - h;
            a.get(all(), interval(0, h)).addi(a.get(all(), interval(upper, w)));
            w = upper;
        }
        return a.get(all(), interval(0, 1)).dup('c');
    }

    /**
     * @return {@code 1.0} where {@code a == v} exactly, else {@code 0.0} (NaN never matches). Not
     * {@code Conditions.equals}, which compares with a tolerance of 1e-5 (so 1e-7 "equals" 0).
     */
    static INDArray equal(INDArray a, double v) {
        return a.eq(v).castTo(DataType.DOUBLE);
    }

    /** @return {@code 1.0} where {@code condition(a)} holds (NaN and infinity tests), else {@code 0.0} */
    static INDArray indicator(INDArray a, org.nd4j.linalg.indexing.conditions.Condition condition) {
        INDArray b = Nd4j.exec(new MatchConditionTransform(a, condition));
        return b.castTo(DataType.DOUBLE);
    }

    /** @return {@code condition ? a : b} element-wise (libnd4j {@code select}); all arguments of one shape */
    static INDArray select(INDArray condition, INDArray a, INDArray b) {
        INDArray cond = condition.dataType() == DataType.BOOL ? condition : condition.castTo(DataType.BOOL);
        return Nd4j.exec(DynamicCustomOp.builder("select").addInputs(cond, a, b).build())[0];
    }

    /** @return a {@code rows x cols} array with every row equal to the column vector {@code col} */
    static INDArray spread(INDArray col, long cols) {
        return Nd4j.zeros(DataType.DOUBLE, col.size(0), cols).addi(col);
    }

    /**
     * An accurate {@code log1p}: libnd4j's {@code log1p} is {@code log(1 + x)} (0 for {@code x = 5.55e-17}, and
     * {@code 9.9999995e-8} for {@code 1e-7}), so it is composed from {@code log}: with {@code u = 1 + x},
     * {@code log1p(x) = log(u) x / (u - 1)} where {@code u != 1}, else {@code x} (a few ulps).
     */
    static INDArray log1p(INDArray x) {
        INDArray u = x.add(1.0);
        INDArray d = u.sub(1.0);
        INDArray r = Transforms.log(u, false).muli(x).divi(d);
        return select(d.eq(0.0), x, r);
    }

    /** The shared first pass over logits: shift by the row maximum, exponentials, and optionally {@code others}. */
    static final class Shift {
        /** {@code rows x 1}: the row maximum (NaN ignored, as libnd4j's max does) */
        INDArray max;
        /** {@code x - max}, rounded */
        INDArray hi;
        /** the exact error of {@code hi} (TwoSum), 0 where not finite; null when not {@code exact} */
        INDArray lo;
        /** {@code exp(hi) (1 + lo)} */
        INDArray e;
        /** 1.0 where {@code x == max} (every maximum entry), else 0.0 */
        INDArray maxMask;
        /** {@code rows x 1}: the sum of {@code e} over every entry but one maximum */
        INDArray others;
        /** {@code rows x 1}: {@code 1 + others} */
        INDArray s;
        /** {@code rows x 1}: {@code log1p(others) = log(s)} */
        INDArray log;
    }

    /**
     * @param exact       correct the shift by its TwoSum error (float64 inputs)
     * @param withOthers  also compute {@code maxMask, others, s, log}; else only {@code s} (pairwise sum of {@code e})
     */
    static Shift shift(INDArray x, boolean exact, boolean withOthers) {
        Shift r = new Shift();
        r.max = x.max(true, 1);
        r.hi = x.sub(r.max);
        if (exact) {
            r.lo = twoSumError(x, r.max, r.hi);
        }
        r.e = Transforms.exp(r.hi, true);
        if (exact) {
            r.e.addi(r.e.mul(r.lo));
        }
        if (withOthers) {
            r.maxMask = equal(r.hi, 0.0);
            INDArray k = r.maxMask.sum(true, 1);
            // every maximum's term is exactly 1 (hi = 0, lo = 0): e - maxMask drops them without rounding
            INDArray t = rowSum(r.e.sub(r.maxMask));
            // (k - 1) is exact; adding it last keeps the tail t when k = 1
            r.others = t.addi(k.sub(1.0));
            r.s = r.others.add(1.0);
            r.log = log1p(r.others);
        } else {
            r.s = rowSum(r.e.dup('c'));
        }
        return r;
    }

    /**
     * TwoSum of {@code x + (-m)}: {@code lo = (x - (hi - bb)) - (m + bb)}, {@code bb = hi - x}, the exact error of
     * {@code hi = x - m}; NaN (from infinite terms) is replaced by 0, the exponential there being 0 or NaN anyway.
     */
    private static INDArray twoSumError(INDArray x, INDArray m, INDArray hi) {
        INDArray bb = hi.sub(x);
        INDArray lo = x.sub(hi.sub(bb)).subi(bb.addi(m));
        return Nd4j.exec(new ReplaceNans(lo, 0.0));
    }

    // ------------------------------------------------------------------------------------------------- softmax

    /**
     * libnd4j's {@code softmax} op on rows already shifted so that their maximum is 0 (NaN rows restored). Shifting first is required, not
     * just cheaper: on a matrix of two or more rows, 1.0.0-M2.1's kernel returns NaN for a row whose entries all lie
     * below about -745 (e.g. {@code [[-760, -761], [-760, -761]]}), apparently starting its maximum at 0.
     */
    private static INDArray nativeSoftmax(INDArray shifted) {
        INDArray y = Nd4j.exec(new SoftMax(shifted, Nd4j.createUninitialized(DataType.DOUBLE, shifted.shape()), 1))[0];
        // a row with NaN after the shift (NaN, +inf, or all -inf) is NaN; the op gives 1 for a single column
        INDArray nanRow = indicator(shifted, Conditions.isNan()).max(true, 1);
        if (nanRow.sumNumber().doubleValue() == 0) {
            return y;
        }
        return select(spread(nanRow, shifted.size(1)),
                Nd4j.valueArrayOf(shifted.shape(), Double.NaN, DataType.DOUBLE), y);
    }

    /**
     * Float64 ({@code exact}): the corrected composition. Float32 inputs widened to float64: libnd4j's own
     * {@code softmax} op, whose float64 rounding (at most a few hundred float64 ulps) is far below a float32 ulp.
     */
    static INDArray softmax(INDArray x, boolean exact) {
        if (!exact) {
            return nativeSoftmax(x.sub(x.max(true, 1)));
        }
        Shift s = shift(x, true, false);
        return normalise(s.e, s.s);
    }

    /**
     * {@code e * (1 / s)}: libnd4j's broadcast divide gives 0 for {@code 0 / NaN}, so the reciprocal is taken first
     * (as the plain backend does) and NaN rows stay NaN.
     */
    private static INDArray normalise(INDArray e, INDArray s) {
        return e.muli(s.rdiv(1.0));
    }

    /**
     * {@code exp((x - m) / T)} normalised. Float64: {@code (hi + lo) / T = q + ((hi - q T) + lo) / T} exactly, with
     * {@code hi - q T} formed by Dekker's TwoProduct ({@code q} split natively, {@code T} in Java), so the rounding
     * of the division does not become a relative error {@code |q| u} of the exponential.
     */
    static INDArray softmax(INDArray x, double temperature, boolean exact) {
        INDArray m = x.max(true, 1);
        INDArray hi = x.sub(m);
        INDArray q = hi.div(temperature);
        if (!exact) {
            return nativeSoftmax(q);
        }
        INDArray e = Transforms.exp(q, true);
        INDArray lo = twoSumError(x, m, hi);
        double c = SPLITTER * temperature;
        double th = c - (c - temperature);
        double tl = temperature - th;
        INDArray qc = q.mul(SPLITTER);
        INDArray qh = qc.sub(qc.sub(q));
        INDArray ql = q.sub(qh);
        INDArray p = q.mul(temperature);
        // err = ((qh th - p) + qh tl + ql th) + ql tl: q T = p + err exactly
        INDArray err = qh.mul(th).subi(p).addi(qh.mul(tl)).addi(ql.mul(th)).addi(ql.mul(tl));
        // hi - p is exact (Sterbenz: p is within a few ulps of hi)
        INDArray corr = hi.sub(p).subi(err).addi(lo).divi(temperature);
        Nd4j.exec(new ReplaceNans(corr, 0.0));
        e.addi(e.mul(corr));
        return normalise(e, rowSum(e.dup('c')));
    }

    /** Masked entries become {@code -inf} for the softmax and exactly 0 after it; a fully masked row gives zeros. */
    static INDArray maskedSoftmax(INDArray x, INDArray mask, boolean exact) {
        INDArray masked = select(mask, x, Nd4j.valueArrayOf(x.shape(), Double.NEGATIVE_INFINITY, DataType.DOUBLE));
        INDArray y = softmax(masked, exact);
        return select(mask, y, Nd4j.zeros(DataType.DOUBLE, x.shape()));
    }

    /** {@code (hi - log1p(others)) + lo}: both terms {@code <= 0}, no cancellation. */
    static INDArray logSoftmax(INDArray x, boolean exact) {
        Shift s = shift(x, exact, true);
        INDArray y = s.hi.sub(s.log);
        return exact ? y.addi(s.lo) : y;
    }

    /**
     * {@code m + log1p(others)}; rows whose maximum is infinite give that infinity unless they hold a NaN.
     *
     * @return {@code rows x 1}
     */
    static INDArray logSumExp(INDArray x, boolean exact) {
        Shift s = shift(x, exact, true);
        INDArray out = s.max.add(s.log);
        INDArray nanCount = indicator(x, Conditions.isNan()).sum(true, 1);
        INDArray infiniteMax = indicator(s.max, Conditions.isInfinite());
        INDArray keepMax = infiniteMax.muli(equal(nanCount, 0.0));
        return select(keepMax, s.max, out);
    }

    // ----------------------------------------------------------------------------------------------- gradients

    /** {@code y (dy - sum(dy y))}, the dot product summed pairwise. */
    static INDArray softmaxBackward(INDArray y, INDArray dy) {
        INDArray dot = rowSum(dy.mul(y));
        return dy.sub(dot).muli(y);
    }

    /** {@code dlogp - exp(logp) sum(dlogp)}. */
    static INDArray logSoftmaxBackward(INDArray logp, INDArray dlogp) {
        INDArray sum = rowSum(dlogp.dup('c'));
        return dlogp.sub(Transforms.exp(logp, true).muli(sum));
    }

    /**
     * {@code diag(y) - y y^T}: the outer product by BLAS gemm ({@code k = 1}: one rounding per entry), the diagonal
     * as {@code y (1 - y)} ({@code 1 - y} is exact above one half), put in place by {@code select} with the identity.
     *
     * @param y {@code 1 x C}
     * @return {@code C x C}
     */
    static INDArray jacobian(INDArray y) {
        long c = y.length();
        INDArray col = y.reshape(c, 1);
        INDArray row = y.reshape(1, c);
        INDArray jac = Nd4j.createUninitialized(DataType.DOUBLE, c, c);
        Nd4j.gemm(col, row, jac, false, false, -1.0, 0.0);
        INDArray diagonal = Nd4j.diag(row.rsub(1.0).muli(row).reshape(c));
        return select(Nd4j.eye(c).castTo(DataType.BOOL), diagonal, jac);
    }

    // -------------------------------------------------------------------------------------------- cross-entropy

    /**
     * Keras' cross-entropy from probabilities: {@code p = prob / s} clipped to {@code [eps, 1 - eps]}, then
     * {@code -sum(labels log p)}. Above one half, {@code 1 - p} is formed from the sum of the other entries
     * ({@code rest / s}) and the log taken with {@code log1p}, as the plain backend does; a zero label contributes 0
     * ({@code 0 log 0 = NaN} when {@code eps = 0}); a row summing to 0 or NaN gives NaN.
     *
     * @param tail {@code 1 - (1 - eps)} with {@code 1 - eps} rounded to the caller's dtype
     * @return {@code rows x 1}
     */
    static INDArray crossEntropy(INDArray prob, INDArray labels, double eps, double tail) {
        INDArray s = rowSum(prob.dup('c'));
        INDArray p = prob.div(s);
        // the entry above one half (at most one per row) is the row maximum; rest = the sum of all the others
        INDArray maxMask = equal(prob.sub(prob.max(true, 1)), 0.0);
        INDArray rest = rowSum(prob.sub(prob.mul(maxMask)));
        INDArray complement = Transforms.max(rest.divi(s), tail, false);
        INDArray logHigh = spread(log1p(complement.negi()), prob.size(1));
        INDArray logLow = Transforms.log(Transforms.max(p, eps, true), false);
        // a subnormal quotient has lost relative precision: there log(prob) - log(s) (no cancellation), as plain
        INDArray subnormal = p.lt(Double.MIN_NORMAL).castTo(DataType.DOUBLE).muli(p.gte(eps).castTo(DataType.DOUBLE));
        if (subnormal.sumNumber().doubleValue() > 0) {
            INDArray apart = Transforms.log(prob, true).subi(Transforms.log(s, true));
            logLow = select(subnormal, apart, logLow);
        }
        INDArray log = select(p.gt(0.5), logHigh, logLow);
        INDArray terms = labels.mul(log).negi();
        INDArray zeroLabel = equal(labels, 0.0);
        INDArray zeroTerm = eps == 0
                ? select(equal(prob, 0.0),
                        Nd4j.valueArrayOf(prob.shape(), Double.NaN, DataType.DOUBLE),
                        Nd4j.zeros(DataType.DOUBLE, prob.shape()))
                : Nd4j.zeros(DataType.DOUBLE, prob.shape());
        INDArray loss = rowSum(select(zeroLabel, zeroTerm, terms));
        INDArray badRow = equal(s, 0.0).addi(indicator(s, Conditions.isNan()));
        return select(badRow, Nd4j.valueArrayOf(loss.shape(), Double.NaN, DataType.DOUBLE), loss);
    }

    /** The loss per row ({@code rows x 1}) and the scaled gradient of the fused softmax cross-entropy. */
    static final class LossAndGradient {
        INDArray loss;
        INDArray gradient;
    }

    /**
     * With the effective target {@code q} ({@code rows x cols}): {@code loss = Q log1p(others) - sum(q (x - m))} (two
     * non-negative terms, formed at half scale; a zero target contributes nothing, even on a {@code -inf} logit) and
     * {@code gradient = (p Q - q) scale}, except at the single maximum of a row with {@code others < 1}
     * ({@code p_max > 1/2}) where {@code p_max Q - q_max = Q' - Q others / s} ({@code Q'} the target mass of the other
     * entries) keeps the tail that {@code Q / s - q_max} would round away.
     */
    static LossAndGradient softmaxCrossEntropy(INDArray x, INDArray q, boolean exact, double scale,
                                               boolean wantGradient) {
        Shift s = shift(x, exact, true);
        long cols = x.size(1);
        INDArray total = rowSum(q.dup('c'));
        INDArray zeroTarget = equal(q, 0.0);
        // q (x - m) / 2: halved so that x - m cannot overflow for finite logits (a span beyond MAX_VALUE); halving is
        // exact outside the subnormal range, and subnormal terms are negligible next to Q log1p(others)
        INDArray halfShift = x.mul(0.5).subi(s.max.mul(0.5));
        INDArray dot = rowSum(select(zeroTarget, Nd4j.zeros(DataType.DOUBLE, x.shape()), q.mul(halfShift)));
        LossAndGradient r = new LossAndGradient();
        r.loss = total.mul(s.log).muli(0.5).subi(dot).muli(2.0);
        if (wantGradient) {
            INDArray inv = s.s.rdiv(1.0);
            INDArray pq = total.mul(inv);
            INDArray direct = s.e.mul(pq).subi(q);
            INDArray rest = rowSum(q.sub(q.mul(s.maxMask)));
            INDArray atMax = rest.subi(total.mul(s.others.mul(inv)));
            INDArray tailRow = s.others.lt(1.0).castTo(DataType.DOUBLE);
            INDArray useTail = s.maxMask.mul(tailRow);
            r.gradient = select(useTail, spread(atMax, cols), direct);
            if (Double.isInfinite(scale)) {
                // the mean over a zero denominator: a zero gradient entry stays 0, not 0 * inf = NaN (as plain)
                r.gradient = select(equal(r.gradient, 0.0), Nd4j.zeros(DataType.DOUBLE, x.shape()),
                        r.gradient.mul(scale));
            } else if (scale != 1) {
                r.gradient.muli(scale);
            }
        }
        return r;
    }

    /** Dense target {@code q_c = w_c ((1 - e) l_c + e / C)} ({@code labels} itself with the defaults). */
    static INDArray denseTarget(INDArray labels, double smoothing, INDArray weights) {
        INDArray q = labels;
        if (smoothing != 0) {
            q = labels.mul(1 - smoothing).addi(smoothing / labels.size(1));
        }
        if (weights != null) {
            q = q.mul(weights);
        }
        return q;
    }

    /**
     * Class-index target {@code q_c = (1 - e) w_t [c == t] + (e / C) w_c} (libnd4j {@code onehot}; an out-of-range
     * index, such as the default ignore index -100, gives a zero row), zeroed on ignored rows.
     *
     * @param classes {@code rows} integers
     * @param keep    {@code rows x 1}: 1.0 for rows not ignored, 0.0 for ignored ones
     */
    static INDArray sparseTarget(INDArray classes, long cols, double smoothing, INDArray weights, INDArray keep) {
        INDArray oneHot = Nd4j.exec(new OneHot(classes, (int) cols, 1, 1.0 - smoothing, 0.0, DataType.DOUBLE))[0];
        INDArray q = smoothing != 0 ? oneHot.addi(smoothing / cols) : oneHot;
        if (weights != null) {
            q = q.mul(weights);
        }
        return q.mul(keep);
    }

    /** Rows not ignored: 1.0, ignored: 0.0 ({@code rows x 1}). */
    static INDArray notIgnored(INDArray classes, int ignoreIndex) {
        INDArray c = classes.castTo(DataType.DOUBLE).reshape(classes.length(), 1);
        return c.neq(ignoreIndex).castTo(DataType.DOUBLE);
    }

    // ------------------------------------------------------------------------------------------ matrix products

    /**
     * {@code c = alpha op(a) b + beta c} by BLAS gemm, in the dtype of the arrays. When the result is not finite
     * although every input is, the product overflowed before {@code alpha} could bring it back (BLAS forms
     * {@code alpha (a b)}): it is recomputed with {@code a} and {@code c} scaled by {@code 2^-64} and the result
     * scaled back (powers of two: exact outside the subnormal range).
     */
    static void gemm(INDArray a, boolean transA, INDArray b, INDArray c, double alpha, double beta) {
        INDArray c0 = beta == 0 ? null : c.dup('c');
        Nd4j.gemm(a, b, c, transA, false, alpha, beta);
        if (!hasNonFinite(c) || hasNonFinite(a) || hasNonFinite(b) || (c0 != null && hasNonFinite(c0))
                || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
            return;
        }
        INDArray as = a.mul(0x1p-64);
        if (c0 != null) {
            c.assign(c0.muli(0x1p-64));
        }
        Nd4j.gemm(as, b, c, transA, false, alpha, beta);
        c.muli(0x1p64);
    }

    private static boolean hasNonFinite(INDArray a) {
        return Nd4j.exec(new MatchConditionTransform(a, Conditions.isInfinite())).castTo(DataType.DOUBLE)
                .sumNumber().doubleValue() > 0 || indicator(a, Conditions.isNan()).sumNumber().doubleValue() > 0;
    }

    // --------------------------------------------------------------------------------------- argmax and top-k

    /**
     * libnd4j {@code argmax} (ties to the lowest index) with NaN made the maximum: a row holding NaN gets the index
     * of its first NaN (libnd4j's argmax skips NaN).
     *
     * @return {@code rows} LONG indices
     */
    static INDArray argmax(INDArray x) {
        INDArray index = Nd4j.exec(DynamicCustomOp.builder("argmax").addInputs(x).addIntegerArguments(1).build())[0];
        INDArray nan = indicator(x, Conditions.isNan());
        INDArray hasNaN = nan.max(1);
        if (hasNaN.maxNumber().doubleValue() == 0) {
            return index;
        }
        INDArray firstNaN = Nd4j.exec(DynamicCustomOp.builder("argmax").addInputs(nan).addIntegerArguments(1).build())[0];
        return select(hasNaN, firstNaN.castTo(index.dataType()), index);
    }

    /**
     * Top-k: libnd4j {@code top_k} (sorted) with {@code k + 1} entries; when no row has a NaN, those entries have no
     * ties and they are verifiably the largest, their first {@code k} are the answer. libnd4j defines no order for
     * ties and skips NaN, so otherwise {@link #stableTopK} composes the selection from native sorts.
     *
     * @return {@code [indices (rows x k, LONG), values (rows x k, DOUBLE)]}
     */
    static INDArray[] topK(INDArray x, int k) {
        long rows = x.size(0);
        long cols = x.size(1);
        int probe = (int) Math.min(k + 1L, cols);
        INDArray[] top = Nd4j.exec(DynamicCustomOp.builder("top_k").addInputs(x)
                .addBooleanArguments(true).addIntegerArguments(probe).build());
        // libnd4j's top_k can also miss entries: for [0.2, 0.1, 0.05, 0.1, 0.2, 0.02, 0.08, 0.01, 0.01, 0.23] and
        // k = 3 it returns [0.23, 0.2, 0.1]. Its answer is used only if exactly `probe` entries are >= its smallest
        // value (then, with distinct values, it is the top set); infinities make the test fail safe (inf - inf = NaN).
        INDArray smallest = top[0].get(all(), interval(probe - 1, probe)).dup('c');
        INDArray atLeast = x.sub(smallest).gte(0.0).castTo(DataType.DOUBLE).sum(1);
        boolean tie = atLeast.sub((double) probe).amaxNumber().doubleValue() != 0;
        if (probe > 1 && !tie) {
            INDArray adjacentEqual = top[0].get(all(), interval(0, probe - 1)).dup('c')
                    .eq(top[0].get(all(), interval(1, probe)).dup('c'));
            tie = adjacentEqual.castTo(DataType.DOUBLE).sumNumber().doubleValue() > 0;
        }
        boolean nan = indicator(x, Conditions.isNan()).sumNumber().doubleValue() > 0;
        if (!tie && !nan) {
            INDArray idx = top[1].get(all(), interval(0, k)).castTo(DataType.LONG);
            return new INDArray[] {idx, top[0].get(all(), interval(0, k)).dup('c')};
        }
        return stableTopK(x, k);
    }

    /**
     * Exact top-k from libnd4j sorts: each entry gets the unique key {@code rank * C + index}, {@code rank} being the
     * dense rank of its value in the row (0 = largest; from libnd4j {@code unique} over the row's descending sort
     * followed by the row, one call per row) with NaN before everything, so an ascending sort of the keys
     * ({@code sortTad}) orders by value descending, ties by index ascending. Keys stay below {@code C^2 < 2^53}, exact
     * in float64.
     */
    private static INDArray[] stableTopK(INDArray x, int k) {
        long rows = x.size(0);
        long cols = x.size(1);
        INDArray nan = indicator(x, Conditions.isNan());
        // NaN counts as +inf for the ranks (then goes first, see below); +0.0 absorbs -0.0 (they tie)
        INDArray finite = select(nan, Nd4j.valueArrayOf(x.shape(), Double.POSITIVE_INFINITY, DataType.DOUBLE), x)
                .addi(0.0);
        INDArray sorted = Nd4j.sort(finite.dup('c'), 1, false);
        INDArray rank = Nd4j.createUninitialized(DataType.DOUBLE, rows, cols);
        for (long r = 0; r < rows; r++) {
            INDArray both = Nd4j.concat(0, sorted.getRow(r).reshape(cols), finite.getRow(r).reshape(cols));
            INDArray[] u = Nd4j.exec(DynamicCustomOp.builder("unique").addInputs(both).build());
            rank.getRow(r).assign(u[1].get(interval(cols, 2 * cols)).castTo(DataType.DOUBLE));
        }
        INDArray iota = Nd4j.linspace(0, cols - 1, cols, DataType.DOUBLE).reshape(1, cols);
        // NaN entries: key = index (first, in index order); others: (rank + 1) * C + index
        INDArray key = rank.addi(1.0).muli(select(nan, Nd4j.zeros(DataType.DOUBLE, x.shape()),
                Nd4j.ones(DataType.DOUBLE, x.shape()))).muli((double) cols).addi(iota);
        INDArray first = Nd4j.sort(key, 1, true).get(all(), interval(0, k)).dup('c');
        INDArray indices = first.sub(Transforms.floor(first.div((double) cols), false).muli((double) cols));
        // the values are gathered from x (not read off the sort, which holds +0.0 for -0.0 and +inf for NaN)
        INDArray longIndices = indices.castTo(DataType.LONG);
        INDArray values = Nd4j.createUninitialized(DataType.DOUBLE, rows, k);
        for (long r = 0; r < rows; r++) {
            values.getRow(r).assign(Nd4j.exec(DynamicCustomOp.builder("gather")
                    .addInputs(x.getRow(r).reshape(cols).dup('c'), longIndices.getRow(r).reshape(k).dup('c'))
                    .build())[0]);
        }
        return new INDArray[] {longIndices, values};
    }
}
