package org.softmax4j.plain;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Validate;
import org.softmax4j.kernels.CrossEntropyKernels;
import org.softmax4j.kernels.RowSoftmax;
import org.softmax4j.kernels.SoftmaxGradients;

/**
 * The SIMD float64 kernels (Java Vector API, {@link VectorExpDouble#L} double lanes): softmax, log-softmax,
 * logsumexp, both backward ops and the fused cross-entropies with logits (sparse and dense labels, with their
 * gradients); the masked ops run them on a copy of each row with its masked entries at {@code -inf}
 * ({@link #keptMax}). Loaded only when the JVM has {@code jdk.incubator.vector} ({@link PlainSoftmaxOps} checks
 * before naming this class), so the backend still runs without the flag.
 *
 * <p>The same passes as the float32 kernels ({@link VectorFloatKernels}), written again for {@code DoubleVector}: the
 * Vector API has no vector type generic over the element type, so float and double code cannot be shared; the
 * helpers below ({@code rowMax}, {@code expRow}, {@code scaleRow}, {@code logRow}, {@code shiftSum},
 * {@code targetTerm}) keep the float32 ones' names, order and comments, and must stay in step with them. Per row:
 * the maximum (vector max), {@code exp(x - m)} ({@link VectorExpDouble}, the rounding of {@code x - m} corrected by
 * its TwoSum error) while each lane keeps a compensated (TwoSum) sum of the non-maximal terms and a count of the
 * maxima, then one element-wise pass. Lane sums are added with TwoSum in lane order: never
 * {@code reduceLanes(ADD)}, whose order may differ between the interpreter and compiled code. Masked vector ops are
 * not used (slow on JDK 17): tails use {@link VectorExpDouble#scalarShifted}, which gives the bits of a lane.
 *
 * <p>Accuracy: the exp is within 0.75 ulp (about 0.65 measured), against about 1 for {@link Math#exp} with the scalar
 * kernels' first-order correction; the rest is the scalar kernels' formulas with the same or fewer roundings (a
 * product folded into an fma, the {@code 2^-64} scale exact), so every result stays within the kit's unchanged
 * bounds. Rows narrower than {@link #MIN_COLS}, rows with NaN or infinities, and the cases listed at each op take the
 * exact scalar kernels.
 */
final class VectorDoubleKernels extends DoubleKernels {

    private static final VectorSpecies<Double> D = VectorExpDouble.D;
    private static final int L = VectorExpDouble.L;
    /**
     * Rows narrower than this (under two full vectors) take the scalar kernels: at 100x10 on AVX-512 (one vector and
     * a scalar tail of 2) the scalar kernels were faster in every op (softmax 6.3 against 9.4 µs, dense cross-entropy
     * 11.8 against 17.8), at 100x16 the SIMD ones (softmax 6.7 against 10.1; backward on par).
     */
    static final int MIN_COLS = 2 * L;

    /**
     * Per-thread scratch arrays, by slot: lane sums; a row (the terms of log-softmax and logsumexp, or a copy of an
     * input row for in-place cross-entropies, so they give the bits of out-of-place ones); the gradient of a
     * cross-entropy called for its loss alone; with class weights, the weights and a row of targets
     * ({@link #weightedTargets}); the kept copy of a masked op's row ({@link #keptMax}); a masked cross-entropy's
     * row losses. Kept up to {@link ScratchArrays#KEPT_BYTES} each.
     */
    private static final ThreadLocal<ScratchArrays> SCRATCH = ThreadLocal.withInitial(() -> new ScratchArrays(7));
    private static final int LANES = 0;
    private static final int ROW = 1;
    private static final int GRADIENT = 2;
    private static final int WEIGHTS = 3;
    private static final int TARGETS = 4;
    private static final int KEPT = 5;
    private static final int ROW_LOSSES = 6;
    /*
     * The lane scratch (slot LANES): up to 5 L lane values of vectors, then a row's loss (sparseRow, denseRow) and
     * three compensated sums {sum, error}: of a row, another of a row, and of the rows' losses.
     */
    private static final int RESULT = 5 * L;
    private static final int ACC = 5 * L + 1;
    private static final int ACC2 = ACC + 2;
    private static final int TOTAL = ACC + 4;
    private static final int LANE_SCRATCH = TOTAL + 2;

    /** Worth using with at least 4 double lanes (AVX2 and up). */
    @Override
    boolean useful() {
        return L >= 4;
    }

    @Override
    String describe() {
        return "SIMD float64 kernels (" + L + " double lanes, jdk.incubator.vector)";
    }

    private static double[] scratch(int slot, int size) {
        return SCRATCH.get().doubles(slot, Math.max(size, 4 * L));
    }

    /** Adds {@code v} to the compensated sum {@code acc[at] + acc[at + 1]} (TwoSum, the error into the second). */
    private static void add(double[] acc, int at, double v) {
        double sum = acc[at];
        double t = sum + v;
        acc[at + 1] += twoSumError(sum, v, t);
        acc[at] = t;
    }

    /** The exact error of {@code t = sum + v} (TwoSum): {@code sum + v - t}. */
    private static double twoSumError(double sum, double v, double t) {
        double bp = t - sum;
        return (sum - (t - bp)) + (v - bp);
    }

    /**
     * Sets the compensated sum at {@code acc} to the lanes' sums {@code lanes[from .. from + L)} added in lane order
     * plus their errors {@code lanes[from + L .. from + 2L)}.
     */
    private static void addLanes(double[] lanes, int from, int acc) {
        // add's steps in locals (a round trip through the array per lane lengthened every row's dependency chain)
        double sum = 0;
        double err = 0;
        for (int j = 0; j < L; j++) {
            double v = lanes[from + j];
            double t = sum + v;
            err += twoSumError(sum, v, t);
            sum = t;
        }
        for (int j = 0; j < L; j++) {
            err += lanes[from + L + j];
        }
        lanes[acc] = sum;
        lanes[acc + 1] = err;
    }

    /** The compensated sum at {@code at}; a non-finite sum (inf, NaN) as it is. */
    private static double total(double[] acc, int at) {
        double sum = acc[at];
        return Double.isFinite(sum) ? sum + acc[at + 1] : sum;
    }

    // ------------------------------------------------------------------------------------------------- softmax

    @Override
    void softmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        if (cols < MIN_COLS) {
            super.softmax(rows, cols, x, xOffset, y, yOffset);
            return;
        }
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            double m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Double.POSITIVE_INFINITY)) {
                RowSoftmax.softmax(1, cols, x, xo, y, yo);
                continue;
            }
            softmaxRow(cols, x, xo, m, y, yo, lanes);
        }
    }

    /** One row of the softmax, its maximum {@code m} finite: {@link #expRow}, {@link #scaleRow}. */
    private static void softmaxRow(int cols, double[] x, int xo, double m, double[] y, int yo, double[] lanes) {
        double others = expRow(cols, x, xo, m, y, yo, lanes);
        scaleRow(cols, y, yo, VectorExpDouble.TWO_M64 / (1 + others), 0);
    }

    /**
     * The row maximum (NaN if the row holds one; compiled or not, {@code max} follows {@link Math#max}). Two running
     * maxima halve the dependency chain (a lane max that follows {@link Math#max} is several instructions long); max
     * is exact, so the order does not change the result.
     */
    private static double rowMax(int cols, double[] x, int xo) {
        int upper = D.loopBound(cols);
        double m = Double.NEGATIVE_INFINITY;
        if (upper > 0) {
            DoubleVector mv = DoubleVector.fromArray(D, x, xo);
            DoubleVector mw = mv;
            int i = L;
            for (; i + L < upper; i += 2 * L) {
                mv = mv.max(DoubleVector.fromArray(D, x, xo + i));
                mw = mw.max(DoubleVector.fromArray(D, x, xo + i + L));
            }
            if (i < upper) {
                mv = mv.max(DoubleVector.fromArray(D, x, xo + i));
            }
            m = mv.max(mw).reduceLanes(VectorOperators.MAX);
        }
        for (int i = upper; i < cols; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    /**
     * Stores {@code exp(x_c - m) * 2^64} in {@code out} and returns {@code others = sum_c exp(x_c - m) - 1}: the row's
     * sum without one maximum's term, free of cancellation, so {@code log1p(others)} and {@code p_max - 1} stay
     * accurate when the maximum dominates. Terms with {@code x_c == m} are counted, not summed; the others are summed
     * per lane with TwoSum, then the lanes and the tail with TwoSum in a fixed order. Needs a finite {@code m}.
     */
    private static double expRow(int cols, double[] x, int xo, double m, double[] out, int oo, double[] lanes) {
        int upper = D.loopBound(cols);
        DoubleVector mb = DoubleVector.broadcast(D, m);
        DoubleVector zero = DoubleVector.zero(D);
        DoubleVector one = DoubleVector.broadcast(D, 1);
        DoubleVector s = zero;
        DoubleVector comp = zero;
        DoubleVector ties = zero;
        for (int i = 0; i < upper; i += L) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector hi = xv.sub(mb);
            DoubleVector e = VectorExpDouble.exp64(hi, VectorExpDouble.shiftError(xv, mb, hi));
            e.intoArray(out, oo + i);
            VectorMask<Double> tie = xv.compare(VectorOperators.EQ, mb);
            ties = ties.add(zero.blend(one, tie));
            e = e.blend(zero, tie);
            DoubleVector t = s.add(e);
            DoubleVector bp = t.sub(s);
            comp = comp.add(s.sub(t.sub(bp)).add(e.sub(bp)));
            s = t;
        }
        s.intoArray(lanes, 0);
        comp.intoArray(lanes, L);
        ties.intoArray(lanes, 2 * L);
        addLanes(lanes, 0, ACC);
        long tieCount = 0;
        for (int i = upper; i < cols; i++) {
            double v = x[xo + i];
            double e = VectorExpDouble.scalarShifted(v, m);
            out[oo + i] = e;
            if (v == m) {
                tieCount++;
            } else {
                add(lanes, ACC, e);
            }
        }
        for (int j = 2 * L; j < 3 * L; j++) {
            tieCount += (long) lanes[j];
        }
        return total(lanes, ACC) * VectorExpDouble.TWO_M64 + (tieCount - 1);
    }

    /** {@code y_c = fma(y_c, factor, -offset)}: the scaled term, one rounding. */
    private static void scaleRow(int cols, double[] y, int yo, double factor, double offset) {
        int upper = D.loopBound(cols);
        DoubleVector fv = DoubleVector.broadcast(D, factor);
        DoubleVector ov = DoubleVector.broadcast(D, -offset);
        for (int i = 0; i < upper; i += L) {
            DoubleVector.fromArray(D, y, yo + i).fma(fv, ov).intoArray(y, yo + i);
        }
        for (int i = upper; i < cols; i++) {
            y[yo + i] = Math.fma(y[yo + i], factor, -offset);
        }
    }

    // --------------------------------------------------------------------------------- log-softmax, logsumexp

    /**
     * {@code y_c = x_c - (m + l)} with {@code l = log1p(others)} ({@link #expRow}, its terms, only summed, written
     * to {@code y}, or to a scratch row when {@code y} is {@code x}; one {@link Math#log1p} per row), the shift
     * {@code m + l} kept exactly as a TwoSum pair ({@link #logRow}): within two roundings, as the scalar kernel's
     * {@code ((x_c - m) - l) + lo_c}, nothing cancelling, without that formula's shift error per entry (two
     * subtractions per entry, like the softmax's scaling).
     */
    @Override
    void logSoftmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        if (cols < MIN_COLS) {
            super.logSoftmax(rows, cols, x, xOffset, y, yOffset);
            return;
        }
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        double[] terms = scratch(ROW, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            double m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Double.POSITIVE_INFINITY)) {
                RowSoftmax.logSoftmax(1, cols, x, xo, y, yo);
                continue;
            }
            logSoftmaxRow(cols, x, xo, m, y, yo, lanes, terms);
        }
    }

    /** One row of the log-softmax, its maximum {@code m} finite (the terms go to {@code terms}). */
    private static void logSoftmaxRow(int cols, double[] x, int xo, double m, double[] y, int yo, double[] lanes,
                                      double[] terms) {
        // the terms are only summed: into y unless y is x (then the scratch row)
        double[] t = y == x ? terms : y;
        double l = Math.log1p(expRow(cols, x, xo, m, t, t == y ? yo : 0, lanes));
        double hi = m + l;
        double bb = hi - m;
        logRow(cols, x, xo, hi, (m - (hi - bb)) + (l - bb), y, yo);
    }

    /**
     * {@code y_c = (x_c - hi) - lo}, with {@code hi + lo = m + l} exactly (TwoSum). Where {@code x_c - hi} is not
     * exact (Sterbenz), {@code |x_c - hi| > |hi| / 2}, so {@code |lo| <= 2u |x_c - hi|}: two roundings relative to
     * {@code y_c}, nothing cancels; near the maximum it is exact and {@code y_c = -(hi - m) - lo} is rounded once;
     * {@code -inf} stays {@code -inf}.
     */
    private static void logRow(int cols, double[] x, int xo, double hi, double lo, double[] y, int yo) {
        int upper = D.loopBound(cols);
        DoubleVector hb = DoubleVector.broadcast(D, hi);
        DoubleVector lb = DoubleVector.broadcast(D, lo);
        for (int i = 0; i < upper; i += L) {
            DoubleVector.fromArray(D, x, xo + i).sub(hb).sub(lb).intoArray(y, yo + i);
        }
        for (int i = upper; i < cols; i++) {
            y[yo + i] = (x[xo + i] - hi) - lo;
        }
    }

    /** {@code m + log1p(others)}, the scalar kernel's formula ({@link #expRow}'s terms go to a scratch row). */
    @Override
    void logSumExp(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        if (cols < MIN_COLS) {
            super.logSumExp(rows, cols, x, xOffset, out, outOffset);
            return;
        }
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        double[] terms = scratch(ROW, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            double m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Double.POSITIVE_INFINITY)) {
                RowSoftmax.logSumExp(1, cols, x, xo, out, outOffset + r);
                continue;
            }
            out[outOffset + r] = logSumExpRow(cols, x, xo, m, lanes, terms);
        }
    }

    /** One row's logsumexp, its maximum {@code m} finite: {@code m + log1p(others)}. */
    private static double logSumExpRow(int cols, double[] x, int xo, double m, double[] lanes, double[] terms) {
        return m + Math.log1p(expRow(cols, x, xo, m, terms, 0, lanes));
    }

    // --------------------------------------------------------------------------------------- softmax backward

    /** Rows whose largest {@code |dy|} is below this (and not 0) take the scalar kernel (it rescales them). */
    private static final double TINY_DY = 0x1p-600;

    /**
     * {@code dx = y * (dy - s)}, {@code s = sum_c dy_c y_c}: each product split exactly ({@code p} and
     * {@code fma(dy, y, -p)}) and summed per lane with TwoSum, so {@code s} is at least as good as the scalar
     * kernel's; the element-wise part is the scalar kernel's. Rows whose {@code dy} is all below 2^-600 (the scalar
     * kernel rescales them) or whose {@code s} is not finite take the scalar kernel. {@code dx} may be {@code y} or
     * {@code dy}.
     */
    @Override
    void softmaxBackward(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset, double[] dx,
                         int dxOffset) {
        if (cols < MIN_COLS) {
            super.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
            return;
        }
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        int upper = D.loopBound(cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int yo = yOffset + o;
            int go = dyOffset + o;
            int xo = dxOffset + o;
            DoubleVector s = DoubleVector.zero(D);
            DoubleVector comp = DoubleVector.zero(D);
            DoubleVector big = DoubleVector.zero(D);
            for (int i = 0; i < upper; i += L) {
                DoubleVector yv = DoubleVector.fromArray(D, y, yo + i);
                DoubleVector gv = DoubleVector.fromArray(D, dy, go + i);
                DoubleVector p = gv.mul(yv);
                DoubleVector err = gv.fma(yv, p.neg());
                DoubleVector t = s.add(p);
                DoubleVector bp = t.sub(s);
                comp = comp.add(s.sub(t.sub(bp)).add(p.sub(bp)).add(err));
                big = big.max(gv.abs());
                s = t;
            }
            s.intoArray(lanes, 0);
            comp.intoArray(lanes, L);
            addLanes(lanes, 0, ACC);
            double dyMax = big.reduceLanes(VectorOperators.MAX);
            for (int i = upper; i < cols; i++) {
                double g = dy[go + i];
                double p = g * y[yo + i];
                add(lanes, ACC, p);
                lanes[ACC + 1] += Math.fma(g, y[yo + i], -p);
                dyMax = Math.max(dyMax, Math.abs(g));
            }
            double dot = total(lanes, ACC);
            if (!(Math.abs(dot) < Double.POSITIVE_INFINITY) || dyMax > 0 && dyMax < TINY_DY) {
                SoftmaxGradients.softmaxBackward(1, cols, y, yo, dy, go, dx, xo);
                continue;
            }
            DoubleVector sb = DoubleVector.broadcast(D, dot);
            for (int i = 0; i < upper; i += L) {
                DoubleVector yv = DoubleVector.fromArray(D, y, yo + i);
                yv.mul(DoubleVector.fromArray(D, dy, go + i).sub(sb)).intoArray(dx, xo + i);
            }
            for (int i = upper; i < cols; i++) {
                dx[xo + i] = y[yo + i] * (dy[go + i] - dot);
            }
        }
    }

    /**
     * Log-probabilities below this (finite) have an exp below what {@link VectorExpDouble} covers: such rows take the
     * scalar kernel. {@code -inf} is fine (its exp is exactly 0, as in the scalar kernel).
     */
    private static final double LOWEST_LOGP = VectorExpDouble.CUTOFF;
    /** A sum {@code s} at least this large (or 0) keeps {@code s * 2^-64} exact (a normal double). */
    private static final double SMALLEST_SUM = 0x1p-958;

    /**
     * {@code dx = dlogp - exp(logp) s}, {@code s = sum_c dlogp_c} (per lane with TwoSum): {@code exp(logp) * 2^64} by
     * {@link VectorExpDouble} (a normal double down to {@code logp = -746}) and one fma per element,
     * {@code fma(-exp(logp) 2^64, s 2^-64, dlogp)}: one rounding, where the scalar kernel has three (its subnormal
     * products need a rescue that is not needed here). Rows with a finite log-probability below -746 or above 0, a
     * NaN, a non-finite {@code s} or one below 2^-958 take the scalar kernel. {@code dx} may be either input.
     */
    @Override
    void logSoftmaxBackward(int rows, int cols, double[] logp, int logpOffset, double[] dlogp, int dlogpOffset,
                            double[] dx, int dxOffset) {
        if (cols < MIN_COLS) {
            super.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
            return;
        }
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        int upper = D.loopBound(cols);
        DoubleVector zero = DoubleVector.zero(D);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int lo = logpOffset + o;
            int go = dlogpOffset + o;
            int xo = dxOffset + o;
            DoubleVector s = zero;
            DoubleVector comp = zero;
            DoubleVector low = zero;
            DoubleVector high = DoubleVector.broadcast(D, LOWEST_LOGP);
            for (int i = 0; i < upper; i += L) {
                DoubleVector g = DoubleVector.fromArray(D, dlogp, go + i);
                DoubleVector l = DoubleVector.fromArray(D, logp, lo + i);
                low = low.min(l.blend(zero, l.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY)));
                high = high.max(l);
                DoubleVector t = s.add(g);
                DoubleVector bp = t.sub(s);
                comp = comp.add(s.sub(t.sub(bp)).add(g.sub(bp)));
                s = t;
            }
            s.intoArray(lanes, 0);
            comp.intoArray(lanes, L);
            addLanes(lanes, 0, ACC);
            double least = low.reduceLanes(VectorOperators.MIN);
            double most = high.reduceLanes(VectorOperators.MAX);
            for (int i = upper; i < cols; i++) {
                add(lanes, ACC, dlogp[go + i]);
                double l = logp[lo + i];
                least = Math.min(least, l == Double.NEGATIVE_INFINITY ? 0 : l);
                most = Math.max(most, l);
            }
            double total = total(lanes, ACC);
            if (!(least >= LOWEST_LOGP && most <= 0) || !(Math.abs(total) < Double.POSITIVE_INFINITY)
                    || total != 0 && Math.abs(total) < SMALLEST_SUM) {
                SoftmaxGradients.logSoftmaxBackward(1, cols, logp, lo, dlogp, go, dx, xo);
                continue;
            }
            double sn = -total * VectorExpDouble.TWO_M64;
            DoubleVector sv = DoubleVector.broadcast(D, sn);
            for (int i = 0; i < upper; i += L) {
                DoubleVector e = VectorExpDouble.exp64(DoubleVector.fromArray(D, logp, lo + i), zero);
                e.fma(sv, DoubleVector.fromArray(D, dlogp, go + i)).intoArray(dx, xo + i);
            }
            for (int i = upper; i < cols; i++) {
                dx[xo + i] = Math.fma(VectorExpDouble.scalar(logp[lo + i], 0), sn, dlogp[go + i]);
            }
        }
    }

    // ------------------------------------------------------------------------------------- sparse cross-entropy

    /**
     * Rows as the scalar kernel computes them ({@code CrossEntropyKernels}), the exponentials and sums in lanes. Class
     * weights together with label smoothing, and narrow rows, take the scalar kernel.
     */
    @Override
    double sparse(int rows, int cols, double[] x, int xOffset, int[] classes, int classesOffset,
                  CrossEntropyOptions options, double scale, double[] loss, int lossOffset, double[] gradient,
                  int gOffset) {
        boolean weights = options.hasClassWeights();
        if (cols < MIN_COLS) {
            return super.sparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss, lossOffset,
                    gradient, gOffset);
        }
        // class weights with smoothing: the dense kernel on the row's one-hot targets (as the float32 kernels)
        boolean weightedSmoothing = weights && options.labelSmoothing() != 0;
        double[] q = weightedSmoothing ? weightedTargets(cols, null, 0, 0,
                options.labelSmoothing() / cols, classWeights(cols, options)) : null;
        // the loss alone: a scratch gradient; the gradient over the logits: each row from a copy (the same bits as
        // out of place)
        double[] g = gradient == null ? scratch(GRADIENT, cols) : gradient;
        double[] row = gradient == x && gOffset == xOffset ? scratch(ROW, cols) : null;
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        int ignore = options.ignoreIndex();
        lanes[TOTAL] = 0;
        lanes[TOTAL + 1] = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double[] xr = x;
            int xo = xOffset + o;
            int go = gradient == null ? 0 : gOffset + o;
            if (row != null) {
                System.arraycopy(x, xo, row, 0, cols);
                xr = row;
                xo = 0;
            }
            int t = classes[classesOffset + r];
            double v;
            if (t == ignore) {
                v = 0;
                java.util.Arrays.fill(g, go, go + cols, 0.0);
            } else if (weightedSmoothing) {
                int c = t; // in range: the API checked it, and t is not the ignore index
                double spreadOnly = q[c];
                double w = options.classWeight(c);
                q[c] = (1 - options.labelSmoothing()) * w + options.labelSmoothing() / cols * w;
                v = denseRow(cols, xr, xo, q, 0, TARGETS_ONLY, scale, g, go, lanes) ? lanes[RESULT]
                        : CrossEntropyKernels.sparse(1, cols, xr, xo, classes, classesOffset + r, options, scale, null,
                        0, g, go);
                q[c] = spreadOnly;
            } else if (sparseRow(cols, xr, xo, rowMax(cols, xr, xo), t, scale,
                    weights ? options.classWeight(t) : 1, g, go, lanes, options)) {
                v = lanes[RESULT];
            } else {
                v = CrossEntropyKernels.sparse(1, cols, xr, xo, classes, classesOffset + r, options, scale, null, 0,
                        g, go);
            }
            if (loss != null) {
                loss[lossOffset + r] = v;
            }
            add(lanes, TOTAL, v);
        }
        return total(lanes, TOTAL);
    }



    /** Below this the gradient's factor {@code scale / s} could be subnormal: the scalar row keeps its bits. */
    private static final double SMALLEST_FACTOR = 0x1p-958;

    /**
     * A row with class {@code t} in lanes; leaves the loss at {@code lanes[RESULT]} and returns true, or returns false without writing
     * anything for the rows the scalar kernel takes (no finite maximum; with label smoothing, a {@code -inf} logit or
     * an overflowing sum of shifts; a subnormal gradient factor). Without label smoothing a class weight {@code w}
     * scales the whole row, loss and gradient; a weight of 0 gives a loss of 0 (the scalar kernel's {@code Q = 0}).
     */
    private static boolean sparseRow(int cols, double[] x, int xo, double m, int t, double scale, double w,
                                     double[] g, int go, double[] lanes, CrossEntropyOptions options) {
        if (!(Math.abs(m) < Double.POSITIVE_INFINITY)) {
            return false;
        }
        double epsilon = options.labelSmoothing();
        double spread = epsilon / cols;
        double shifts = epsilon == 0 ? 0 : shiftSum(cols, x, xo, m, lanes);
        double rowScale = scale * w;
        double factorScale = Math.abs(rowScale) / cols;
        if (!Double.isFinite(shifts) || rowScale != 0 && factorScale < SMALLEST_FACTOR) {
            return false;
        }
        double others = expRow(cols, x, xo, m, g, go, lanes);
        double et = g[go + t] * VectorExpDouble.TWO_M64;
        scaleRow(cols, g, go, VectorExpDouble.TWO_M64 / (1 + others) * rowScale, spread * rowScale);
        double value = targetTerm(x, xo, t, m, others, et, rowScale, g, go, epsilon, cols) - spread * shifts;
        lanes[RESULT] = w == 0 ? 0 : w * value;
        return true;
    }

    /**
     * {@code sum_c (x_c - m)}, each shift exact ({@code hi + lo}), summed per lane with TwoSum, then the lanes and the
     * tail with TwoSum: the label-smoothing part of the loss. Not finite if a logit is {@code -inf} or a shift
     * overflows.
     */
    private static double shiftSum(int cols, double[] x, int xo, double m, double[] lanes) {
        int upper = D.loopBound(cols);
        DoubleVector mb = DoubleVector.broadcast(D, m);
        DoubleVector s = DoubleVector.zero(D);
        DoubleVector comp = DoubleVector.zero(D);
        for (int i = 0; i < upper; i += L) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector hi = xv.sub(mb);
            DoubleVector lo = VectorExpDouble.shiftError(xv, mb, hi);
            DoubleVector t = s.add(hi);
            DoubleVector bp = t.sub(s);
            comp = comp.add(s.sub(t.sub(bp)).add(hi.sub(bp))).add(lo);
            s = t;
        }
        s.intoArray(lanes, 0);
        comp.intoArray(lanes, L);
        addLanes(lanes, 0, ACC);
        for (int i = upper; i < cols; i++) {
            double v = x[xo + i];
            double hi = v - m;
            add(lanes, ACC, hi);
            lanes[ACC + 1] += VectorExpDouble.shiftError(v, m, hi);
        }
        return total(lanes, ACC);
    }

    /**
     * Sets the target's gradient {@code (p_t - q_t) * scale}, {@code q_t = 1 - epsilon + epsilon / C}, and returns the
     * loss without its smoothing part, {@code log1p(others) - (1 - epsilon) (x_t - m)}, the shift exact (TwoSum). When
     * {@code x_t} is the only maximum ({@code others < 1}, {@code p_t > 1/2}) the gradient is formed as
     * {@code (1 - q_t) - others / (1 + others)}, as the scalar kernel forms it, which keeps the tail {@code 1 - p_t};
     * otherwise directly as {@code p_t - q_t} ({@code p_t <= 1/2}: nothing cancels beyond what the result itself
     * does, while the float32 kernel's {@code (p_t - 1) + (1 - q_t)} would lose {@code 2^-53} absolute, many double
     * ulps of a small gradient).
     *
     * @param et {@code exp(x_t - m)}
     */
    private static double targetTerm(double[] x, int xo, int t, double m, double others, double et, double scale,
                                     double[] g, int go, double epsilon, int cols) {
        double inv = 1 / (1 + others);
        double xt = x[xo + t];
        double keep = 1 - epsilon;
        double spread = epsilon / cols;
        double gt = xt == m && others < 1 ? (epsilon - spread) - others * inv
                : (xt == m ? inv : et * inv) - (keep + spread);
        g[go + t] = gt * scale;
        double hi = xt - m;
        double lo = hi == Double.NEGATIVE_INFINITY ? 0 : VectorExpDouble.shiftError(xt, m, hi);
        return (Math.log1p(others) - keep * hi) - keep * lo;
    }

    // -------------------------------------------------------------------------------------- dense cross-entropy

    /**
     * Rows as the scalar kernel computes them ({@code CrossEntropyKernels}): {@code q_c = (1 - e) l_c + e / C},
     * {@code loss = Q log1p(others) - sum_c q_c (x_c - m)} (the products halved, as there, so that no finite shift
     * overflows), {@code gradient_c = (p_c Q - q_c) * scale}, the first maximum's entry kept exact as there. Class
     * weights, narrow rows and rows whose sums are not finite take the scalar kernel.
     */
    @Override
    double dense(int rows, int cols, double[] x, int xOffset, double[] labels, int labelsOffset,
                 CrossEntropyOptions options, double scale, double[] loss, int lossOffset, double[] gradient,
                 int gOffset) {
        if (cols < MIN_COLS) {
            return super.dense(rows, cols, x, xOffset, labels, labelsOffset, options, scale, loss, lossOffset,
                    gradient, gOffset);
        }
        double[] w = options.hasClassWeights() ? classWeights(cols, options) : null;
        double[] g = gradient == null ? scratch(GRADIENT, cols) : gradient;
        double[] row = gradient == x && gOffset == xOffset ? scratch(ROW, cols) : null;
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        lanes[TOTAL] = 0;
        lanes[TOTAL + 1] = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double[] xr = x;
            int xo = xOffset + o;
            int go = gradient == null ? 0 : gOffset + o;
            if (row != null) {
                System.arraycopy(x, xo, row, 0, cols);
                xr = row;
                xo = 0;
            }
            // with class weights, the kernel on the row's targets q_c = w_c ((1 - e) l_c + e / C)
            double[] ql = w == null ? labels : weightedTargets(cols, labels, labelsOffset + o,
                    1 - options.labelSmoothing(), options.labelSmoothing() / cols, w);
            double v = denseRow(cols, xr, xo, ql, w == null ? labelsOffset + o : 0, w == null ? options : TARGETS_ONLY,
                    scale, g, go, lanes) ? lanes[RESULT] : CrossEntropyKernels.dense(1, cols, xr, xo, labels,
                    labelsOffset + o, options, scale, null, 0, g, go);
            if (loss != null) {
                loss[lossOffset + r] = v;
            }
            add(lanes, TOTAL, v);
        }
        return total(lanes, TOTAL);
    }

    /** Options under which {@link #denseRow}'s labels are the targets {@code q} themselves: no smoothing, no weights. */
    private static final CrossEntropyOptions TARGETS_ONLY = CrossEntropyOptions.DEFAULT;

    /** A vector of zero labels (never written; the spread part of the sparse targets). */
    private static final double[] NO_LABELS = new double[L];

    /** @return the class weights as this thread's row (read once per call, for vector loads) */
    private static double[] classWeights(int cols, CrossEntropyOptions options) {
        double[] w = SCRATCH.get().doubles(WEIGHTS, cols);
        for (int c = 0; c < cols; c++) {
            w[c] = options.classWeight(c);
        }
        return w;
    }

    /**
     * The targets with class weights {@code w}, {@code q_c = w_c (keep l_c + spread)} ({@code keep = 1 - e};
     * {@code spread = e / C}, or {@code e / K} over a masked row's {@code K} kept classes), into this thread's targets
     * row; {@code labels} null: the spread part {@code w_c spread} alone (a sparse row's target entry is set by the
     * caller). The float32 kernels' {@code weightedTargets} in double.
     */
    private static double[] weightedTargets(int cols, double[] labels, int lo, double keep, double spread,
                                            double[] w) {
        double[] q = SCRATCH.get().doubles(TARGETS, cols);
        double[] l = labels == null ? NO_LABELS : labels;
        int upper = D.loopBound(cols);
        for (int i = 0; i < upper; i += L) {
            DoubleVector.fromArray(D, l, labels == null ? 0 : lo + i).fma(keep, spread)
                    .mul(DoubleVector.fromArray(D, w, i)).intoArray(q, i);
        }
        for (int c = upper; c < cols; c++) {
            q[c] = Math.fma(labels == null ? 0 : labels[lo + c], keep, spread) * w[c];
        }
        return q;
    }

    /**
     * One dense row in lanes; leaves the loss at {@code lanes[RESULT]} and returns true, or returns false without writing anything for the
     * rows the scalar kernel takes (no finite maximum; a non-finite label sum or {@code sum q (x - m)}, e.g. a
     * positive label on a {@code -inf} logit).
     */
    private static boolean denseRow(int cols, double[] x, int xo, double[] labels, int lo,
                                    CrossEntropyOptions options, double scale, double[] g, int go, double[] lanes) {
        double m = rowMax(cols, x, xo);
        if (!(Math.abs(m) < Double.POSITIVE_INFINITY)) {
            return false;
        }
        double keep = 1 - options.labelSmoothing();
        double spread = options.labelSmoothing() / cols;
        int upper = D.loopBound(cols);
        DoubleVector mb = DoubleVector.broadcast(D, m);
        DoubleVector halfM = DoubleVector.broadcast(D, 0.5 * m);
        DoubleVector zero = DoubleVector.zero(D);
        DoubleVector rest = zero;
        DoubleVector restComp = zero;
        DoubleVector top = zero;
        DoubleVector dot = zero;
        DoubleVector dotComp = zero;
        for (int i = 0; i < upper; i += L) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector q = DoubleVector.fromArray(D, labels, lo + i).fma(keep, spread);
            VectorMask<Double> tie = xv.compare(VectorOperators.EQ, mb);
            top = top.add(q.blend(zero, tie.not()));
            DoubleVector qr = q.blend(zero, tie);
            DoubleVector t = rest.add(qr);
            DoubleVector bp = t.sub(rest);
            restComp = restComp.add(rest.sub(t.sub(bp)).add(qr.sub(bp)));
            rest = t;
            DoubleVector d = q.mul(xv.mul(0.5).sub(halfM)).blend(zero, q.compare(VectorOperators.EQ, 0));
            DoubleVector u = dot.add(d);
            DoubleVector bu = u.sub(dot);
            dotComp = dotComp.add(dot.sub(u.sub(bu)).add(d.sub(bu)));
            dot = u;
        }
        rest.intoArray(lanes, 0);
        restComp.intoArray(lanes, L);
        dot.intoArray(lanes, 2 * L);
        dotComp.intoArray(lanes, 3 * L);
        top.intoArray(lanes, 4 * L);
        addLanes(lanes, 0, ACC);
        addLanes(lanes, 2 * L, ACC2);
        double qTop = 0;
        for (int j = 4 * L; j < 5 * L; j++) {
            qTop += lanes[j];
        }
        for (int i = upper; i < cols; i++) {
            double v = x[xo + i];
            double q = keep * labels[lo + i] + spread;
            if (v == m) {
                qTop += q;
            } else {
                add(lanes, ACC, q);
                if (q != 0) {
                    add(lanes, ACC2, q * (0.5 * v - 0.5 * m));
                }
            }
        }
        double qRest = total(lanes, ACC);
        double dotSum = total(lanes, ACC2);
        if (!Double.isFinite(qRest) || !Double.isFinite(qTop) || !Double.isFinite(dotSum)) {
            return false;
        }
        double others = expRow(cols, x, xo, m, g, go, lanes);
        double qTotal = qTop + qRest;
        double inv = 1 / (1 + others);
        double pq = qTotal * inv;
        if (pq != 0 && Math.abs(pq) < SMALLEST_FACTOR) {
            return false; // pq * 2^-64 would be subnormal (the gradient written so far is rewritten by the caller)
        }
        DoubleVector pv = DoubleVector.broadcast(D, pq * VectorExpDouble.TWO_M64);
        for (int i = 0; i < upper; i += L) {
            DoubleVector q = DoubleVector.fromArray(D, labels, lo + i).fma(keep, spread);
            DoubleVector.fromArray(D, g, go + i).fma(pv, q.neg()).mul(scale).intoArray(g, go + i);
        }
        for (int i = upper; i < cols; i++) {
            double q = keep * labels[lo + i] + spread;
            g[go + i] = Math.fma(g[go + i], pq * VectorExpDouble.TWO_M64, -q) * scale;
        }
        if (others < 1) {
            // one maximum (a second would make others >= 1): its entry kept exact, Q' - Q others / s
            int im = firstIndexOf(cols, x, xo, m);
            g[go + im] = (qRest - qTotal * (others * inv)) * scale;
        }
        lanes[RESULT] = 2 * (0.5 * (qTotal * Math.log1p(others)) - dotSum);
        return true;
    }

    /** The first index of {@code m} in the row (present). */
    private static int firstIndexOf(int cols, double[] x, int xo, double m) {
        int c = 0;
        while (x[xo + c] != m) {
            c++;
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------------ masked ops

    /**
     * {@link Validate#labelsKept} at SIMD speed: the rows are one run of {@code rows * cols} entries in both arrays.
     * The bits of the labels where the mask is false are or-ed together a vector at a time, without a branch (bad
     * input is the rare case); shifted left by one (the sign dropped: {@code -0} is allowed) they are 0 unless some
     * such label is not {@code +-0} (NaN and subnormals included). Only then does the scalar check run, to name the
     * first such entry.
     */
    @Override
    void checkLabelsKept(int rows, int cols, double[] labels, int labelsOffset, boolean[] mask, int maskOffset) {
        int n = rows * cols;
        int upper = D.loopBound(n);
        DoubleVector zero = DoubleVector.zero(D);
        LongVector bits = zero.reinterpretAsLongs();
        for (int i = 0; i < upper; i += L) {
            bits = bits.or(DoubleVector.fromArray(D, labels, labelsOffset + i)
                    .blend(zero, VectorMask.fromArray(D, mask, maskOffset + i)).reinterpretAsLongs());
        }
        boolean found = bits.lanewise(VectorOperators.LSHL, 1).compare(VectorOperators.NE, 0).anyTrue();
        for (int i = upper; i < n && !found; i++) {
            found = !mask[maskOffset + i] && labels[labelsOffset + i] != 0;
        }
        if (found) {
            super.checkLabelsKept(rows, cols, labels, labelsOffset, mask, maskOffset);
        }
    }

    @Override
    void maskedSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] y,
                       int yOffset) {
        maskedRows(MASKED_SOFTMAX, rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    void maskedLogSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] y,
                          int yOffset) {
        maskedRows(MASKED_LOG_SOFTMAX, rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    void maskedLogSumExp(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] out,
                         int outOffset) {
        maskedRows(MASKED_LOG_SUM_EXP, rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    private static final int MASKED_SOFTMAX = 0;
    private static final int MASKED_LOG_SOFTMAX = 1;
    private static final int MASKED_LOG_SUM_EXP = 2;

    /**
     * The masked row maps, as the float32 kernels' {@code maskedRows}: each row is copied with its masked entries at
     * {@code -inf} ({@link #keptMax}); with a finite maximum of the kept entries the unmasked op's kernel runs on
     * the copy (the contract's definition), otherwise the scalar masked kernel does, on the copy (which holds the
     * row's kept entries, so the output may be {@code x}). Narrow rows take the scalar kernels.
     */
    private void maskedRows(int op, int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                            double[] out, int outOffset) {
        if (cols < MIN_COLS) {
            if (op == MASKED_SOFTMAX) {
                super.maskedSoftmax(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
            } else if (op == MASKED_LOG_SOFTMAX) {
                super.maskedLogSoftmax(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
            } else {
                super.maskedLogSumExp(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
            }
            return;
        }
        double[] kept = scratch(KEPT, cols);
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        double[] terms = op == MASKED_SOFTMAX ? null : scratch(ROW, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int mo = maskOffset + o;
            int oo = op == MASKED_LOG_SUM_EXP ? outOffset + r : outOffset + o;
            double m = keptMax(cols, x, xOffset + o, mask, mo, kept);
            boolean finite = Math.abs(m) < Double.POSITIVE_INFINITY;
            if (op == MASKED_SOFTMAX) {
                if (finite) {
                    softmaxRow(cols, kept, 0, m, out, oo, lanes);
                } else {
                    RowSoftmax.maskedSoftmax(1, cols, kept, 0, mask, mo, out, oo);
                }
            } else if (op == MASKED_LOG_SOFTMAX) {
                if (finite) {
                    logSoftmaxRow(cols, kept, 0, m, out, oo, lanes, terms);
                } else {
                    RowSoftmax.maskedLogSoftmax(1, cols, kept, 0, mask, mo, out, oo);
                }
            } else if (finite) {
                out[oo] = logSumExpRow(cols, kept, 0, m, lanes, terms);
            } else {
                RowSoftmax.maskedLogSumExp(1, cols, kept, 0, mask, mo, out, oo);
            }
        }
    }

    /**
     * {@code kept_i = mask_i ? x_i : -inf} for a row of {@code cols} entries, into {@code kept} from 0, in the same
     * pass as its maximum (NaN if a kept entry is NaN; {@code max} follows {@link Math#max}, compiled or not).
     */
    private static double keptMax(int cols, double[] x, int xo, boolean[] mask, int mo, double[] kept) {
        int upper = D.loopBound(cols);
        DoubleVector minusInf = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        DoubleVector mv = minusInf;
        DoubleVector mw = minusInf;
        int i = 0;
        for (; i + L < upper; i += 2 * L) { // two running maxima, as rowMax
            DoubleVector k = minusInf.blend(DoubleVector.fromArray(D, x, xo + i),
                    VectorMask.fromArray(D, mask, mo + i));
            DoubleVector kk = minusInf.blend(DoubleVector.fromArray(D, x, xo + i + L),
                    VectorMask.fromArray(D, mask, mo + i + L));
            k.intoArray(kept, i);
            kk.intoArray(kept, i + L);
            mv = mv.max(k);
            mw = mw.max(kk);
        }
        if (i < upper) {
            DoubleVector k = minusInf.blend(DoubleVector.fromArray(D, x, xo + i),
                    VectorMask.fromArray(D, mask, mo + i));
            k.intoArray(kept, i);
            mv = mv.max(k);
        }
        double m = mv.max(mw).reduceLanes(VectorOperators.MAX);
        for (i = upper; i < cols; i++) {
            double v = mask[mo + i] ? x[xo + i] : Double.NEGATIVE_INFINITY;
            kept[i] = v;
            m = Math.max(m, v);
        }
        return m;
    }

    /** {@code a_i = +0} where {@code mask_i} is false, for {@code n} entries. */
    private static void zeroMasked(int n, boolean[] mask, int mo, double[] a, int ao) {
        int upper = D.loopBound(n);
        DoubleVector zero = DoubleVector.zero(D);
        for (int i = 0; i < upper; i += L) {
            VectorMask<Double> k = VectorMask.fromArray(D, mask, mo + i);
            zero.blend(DoubleVector.fromArray(D, a, ao + i), k).intoArray(a, ao + i);
        }
        for (int i = upper; i < n; i++) {
            if (!mask[mo + i]) {
                a[ao + i] = 0;
            }
        }
    }

    /** @return the number of kept classes of the row at {@code mo} */
    private static int keptCount(int cols, boolean[] mask, int mo) {
        int upper = D.loopBound(cols);
        int k = 0;
        for (int i = 0; i < upper; i += L) {
            k += VectorMask.fromArray(D, mask, mo + i).trueCount();
        }
        for (int i = upper; i < cols; i++) {
            if (mask[mo + i]) {
                k++;
            }
        }
        return k;
    }

    @Override
    double maskedSparse(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, int[] classes,
                        int classesOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                        double[] gradient, int gOffset) {
        if (cols < MIN_COLS) {
            return super.maskedSparse(rows, cols, x, xOffset, mask, maskOffset, classes, classesOffset, options,
                    scale, loss, lossOffset, gradient, gOffset);
        }
        return maskedCrossEntropy(rows, cols, x, xOffset, mask, maskOffset, null, 0, classes, classesOffset, options,
                scale, loss, lossOffset, gradient, gOffset);
    }

    @Override
    double maskedDense(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] labels,
                       int labelsOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                       double[] gradient, int gOffset) {
        if (cols < MIN_COLS) {
            return super.maskedDense(rows, cols, x, xOffset, mask, maskOffset, labels, labelsOffset, options, scale,
                    loss, lossOffset, gradient, gOffset);
        }
        return maskedCrossEntropy(rows, cols, x, xOffset, mask, maskOffset, labels, labelsOffset, null, 0, options,
                scale, loss, lossOffset, gradient, gOffset);
    }

    /**
     * Masked cross-entropy rows, dense ({@code labels}) or sparse ({@code classes}, {@code labels} null), each on its
     * kept copy ({@link #keptMax}, which also gives the row's maximum): without label smoothing a sparse row is the
     * unmasked kernel's ({@link #sparseRow}, class weights included); otherwise the row's targets {@code q_c = w_c ((1 - e) l_c + e / K)}
     * on the {@code K} kept classes and 0 on the others ({@code l} the dense labels or the one-hot label of the row's
     * class; the labels themselves without weights and smoothing) go to {@link #denseRow}. The masked classes'
     * gradients are then set to +0. Rows without a finite kept maximum, and the rows {@link #denseRow} leaves to the
     * scalar kernel, take the scalar masked kernel on the copy. The rows' losses are added as
     * {@link DoubleKernels#sumRows} adds them, so a call split over threads gives the same bits.
     */
    private double maskedCrossEntropy(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                      double[] labels, int labelsOffset, int[] classes, int classesOffset,
                                      CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                                      double[] gradient, int gOffset) {
        double[] rowLoss = loss != null ? loss : SCRATCH.get().doubles(ROW_LOSSES, rows);
        int rlo = loss != null ? lossOffset : 0;
        double[] kept = scratch(KEPT, cols);
        double[] g = gradient == null ? scratch(GRADIENT, cols) : gradient;
        double[] lanes = scratch(LANES, LANE_SCRATCH);
        double e = options.labelSmoothing();
        boolean labelsAreTargets = e == 0 && (labels == null || !options.hasClassWeights());
        double[] w = labelsAreTargets ? null : classWeights(cols, options);
        int ignore = options.ignoreIndex();
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int go = gradient == null ? 0 : gOffset + o;
            int mo = maskOffset + o;
            int lo = labelsOffset + o;
            int ci = classesOffset + r;
            double v;
            if (classes != null && classes[ci] == ignore) {
                v = 0;
                java.util.Arrays.fill(g, go, go + cols, 0.0);
            } else {
                double m = keptMax(cols, x, xOffset + o, mask, mo, kept);
                boolean done;
                if (!(Math.abs(m) < Double.POSITIVE_INFINITY)) {
                    done = false;
                } else if (labelsAreTargets && classes != null) {
                    int t = classes[ci];
                    done = sparseRow(cols, kept, 0, m, t, scale, options.hasClassWeights() ? options.classWeight(t) : 1,
                            g, go, lanes, options);
                } else if (labelsAreTargets) {
                    done = denseRow(cols, kept, 0, labels, lo, TARGETS_ONLY, scale, g, go, lanes);
                } else {
                    double spread = e / keptCount(cols, mask, mo);
                    double[] q = weightedTargets(cols, labels, lo, labels == null ? 0 : 1 - e, spread, w);
                    if (labels == null) {
                        int t = classes[ci];
                        q[t] = (1 - e) * w[t] + spread * w[t];
                    }
                    zeroMasked(cols, mask, mo, q, 0);
                    done = denseRow(cols, kept, 0, q, 0, TARGETS_ONLY, scale, g, go, lanes);
                }
                if (done) {
                    v = lanes[RESULT];
                    zeroMasked(cols, mask, mo, g, go);
                } else if (labels != null) {
                    v = CrossEntropyKernels.dense(1, cols, kept, 0, mask, mo, labels, lo, options, scale, null, 0, g,
                            go);
                } else {
                    v = CrossEntropyKernels.sparse(1, cols, kept, 0, mask, mo, classes, ci, options, scale, null, 0,
                            g, go);
                }
            }
            rowLoss[rlo + r] = v;
        }
        return DoubleKernels.sumRows(rowLoss, rlo, rows);
    }
}
