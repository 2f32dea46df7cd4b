package org.softmax4j.plain;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.CrossEntropyOptions;

/**
 * The SIMD float32 kernels (Java Vector API). Loaded only when the JVM has {@code jdk.incubator.vector}
 * ({@link PlainSoftmaxOps} checks before naming this class), so the backend still runs without the flag.
 *
 * <p>Softmax and the sparse cross-entropy take three passes per row: the maximum (vector max), {@code exp(x - m)}
 * ({@link VectorExp}, the rounding of {@code x - m} corrected) stored in the output while each lane keeps a
 * compensated (TwoSum) sum, then one multiply per element. Lane sums are added in double in lane order: never
 * {@code reduceLanes(ADD)}, whose order may differ between the interpreter and compiled code. Rows shorter than
 * {@link #FLAT_BELOW} are vectorised across the whole block instead (the flat-batch path): each row's maximum is
 * written into the output, one vector pass over the block computes every {@code exp(x - m)}, and the per-row sums
 * and scaling run in double. Masked vector ops are never used (they are slow on JDK 17): tails use
 * {@link VectorExp#scalarShifted}, which gives the bits of a lane, so a result does not depend on where a vector
 * starts. Rows with NaN or infinities, and rows whose tail {@code 1 - p_max} is tiny (where it must be exact),
 * take the scalar kernels; so does everything these kernels do not cover (class weights, label smoothing, a
 * missing gradient, a gradient written over the logits).
 */
final class VectorFloatKernels extends FloatKernels {

    private static final VectorSpecies<Float> F = VectorExp.F;
    private static final int L = VectorExp.L;
    /** Rows narrower than this use the flat-batch path (when the output is not the input). */
    static final int FLAT_BELOW = 2 * L;
    /** Rows this wide or wider take the scalar kernels (a lane counts the row's maxima in float, exact to 2^24). */
    static final int MAX_WIDE_COLS = 1 << 24;

    /**
     * Per-thread scratch arrays, by slot: lane sums, and a copy of an input row (in-place calls run on the copy, so they give the bits of out-of-place ones). They grow, never
     * shrink: no allocation per call once the largest shape has been seen.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);
    private static final int LANES = 0;
    private static final int ROW = 1;

    /** Worth using with at least 4 float lanes. */
    @Override
    boolean useful() {
        return L >= 4;
    }

    @Override
    String describe() {
        return "SIMD float32 kernels (" + L + " float lanes, jdk.incubator.vector)";
    }

    private static float[] scratch(int slot, int size) {
        float[][] holder = SCRATCH.get();
        float[] s = holder[slot];
        if (s == null || s.length < size) {
            s = new float[Math.max(size, 4 * L)];
            holder[slot] = s;
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------- softmax

    @Override
    void softmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        if (cols < FLAT_BELOW && x == y && xOffset == yOffset) {
            // in place: each row from a copy, through the flat path (same bits as out of place)
            float[] row = scratch(ROW, cols);
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                System.arraycopy(x, xOffset + o, row, 0, cols);
                softmax(1, cols, row, 0, y, yOffset + o);
            }
            return;
        }
        if (cols < FLAT_BELOW) {
            flatExp(rows, cols, x, xOffset, y, yOffset);
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                int yo = yOffset + o;
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += y[yo + c];
                }
                // NaN rows (NaN, +inf or all -inf inputs) have a NaN term, hence a NaN sum and a NaN row
                double inv = 1 / sum;
                for (int c = 0; c < cols; c++) {
                    y[yo + c] = (float) (y[yo + c] * inv);
                }
            }
            return;
        }
        float[] lanes = scratch(LANES, 3 * L);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            float m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
                RowSoftmax.softmax(1, cols, x, xo, y, yo);
                continue;
            }
            double others = expRow(cols, x, xo, m, y, yo, lanes);
            scaleRow(cols, y, yo, (float) (VectorExp.TWO_M64 / (1 + others)));
        }
    }

    /**
     * Flat-batch pass: every row's maximum is written over its output, then one vector loop over the whole block
     * turns each {@code (x, m)} into {@code exp(x - m) * 2^64}.
     */
    private static void flatExp(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            float m = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                float v = x[xo + c];
                if (v > m) {
                    m = v;
                }
            }
            java.util.Arrays.fill(y, yOffset + o, yOffset + o + cols, m);
        }
        int n = rows * cols;
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOffset + i);
            FloatVector mv = FloatVector.fromArray(F, y, yOffset + i);
            FloatVector hi = xv.sub(mv);
            VectorExp.exp64(hi, VectorExp.shiftError(xv, mv, hi)).intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] = VectorExp.scalarShifted(x[xOffset + i], y[yOffset + i]);
        }
    }

    /** The row maximum (NaN if the row holds one; compiled or not, {@code max} follows {@link Math#max}). */
    private static float rowMax(int cols, float[] x, int xo) {
        int upper = F.loopBound(cols);
        float m = Float.NEGATIVE_INFINITY;
        if (upper > 0) {
            FloatVector mv = FloatVector.fromArray(F, x, xo);
            for (int i = L; i < upper; i += L) {
                mv = mv.max(FloatVector.fromArray(F, x, xo + i));
            }
            m = mv.reduceLanes(VectorOperators.MAX);
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
     * per lane with TwoSum in float, then lanes, their errors and the count are added in double in a fixed order.
     * Needs a finite {@code m} and {@code cols <} {@link #MAX_WIDE_COLS} (the float count per lane stays exact).
     */
    private static double expRow(int cols, float[] x, int xo, float m, float[] out, int oo, float[] lanes) {
        int upper = F.loopBound(cols);
        FloatVector mb = FloatVector.broadcast(F, m);
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector s = zero;
        FloatVector comp = zero;
        FloatVector ties = zero;
        for (int i = 0; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector hi = xv.sub(mb);
            FloatVector e = VectorExp.exp64(hi, VectorExp.shiftError(xv, mb, hi));
            e.intoArray(out, oo + i);
            VectorMask<Float> tie = xv.compare(VectorOperators.EQ, mb);
            ties = ties.add(zero.blend(one, tie));
            e = e.blend(zero, tie);
            FloatVector t = s.add(e);
            FloatVector bp = t.sub(s);
            comp = comp.add(s.sub(t.sub(bp)).add(e.sub(bp)));
            s = t;
        }
        double sum = 0;
        long tieCount = 0;
        for (int i = upper; i < cols; i++) {
            float v = x[xo + i];
            float e = VectorExp.scalarShifted(v, m);
            out[oo + i] = e;
            if (v == m) {
                tieCount++;
            } else {
                sum += e;
            }
        }
        s.intoArray(lanes, 0);
        comp.intoArray(lanes, L);
        ties.intoArray(lanes, 2 * L);
        for (int j = 0; j < 2 * L; j++) {
            sum += lanes[j];
        }
        for (int j = 2 * L; j < 3 * L; j++) {
            tieCount += (long) lanes[j];
        }
        return sum * VectorExp.TWO_M64 + (tieCount - 1);
    }

    private static void scaleRow(int cols, float[] y, int yo, float f) {
        int upper = F.loopBound(cols);
        FloatVector fv = FloatVector.broadcast(F, f);
        for (int i = 0; i < upper; i += L) {
            FloatVector.fromArray(F, y, yo + i).mul(fv).intoArray(y, yo + i);
        }
        for (int i = upper; i < cols; i++) {
            y[yo + i] *= f;
        }
    }

    // --------------------------------------------------------------------------------- log-softmax, logsumexp

    /**
     * {@code y_c = ((x_c - m) - l) + lo_c} with {@code l = log1p(others)} ({@link #expRow}, its terms written to a
     * scratch row, so {@code y} may be {@code x}) and {@code lo_c} the exact error of {@code x_c - m}. Both parts are
     * {@code <= 0}, so nothing cancels: about 3 ulp from {@code l}'s rounding and two roundings.
     */
    @Override
    void logSoftmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        if (cols < FLAT_BELOW) {
            super.logSoftmax(rows, cols, x, xOffset, y, yOffset);
            return;
        }
        float[] lanes = scratch(LANES, 3 * L);
        float[] terms = scratch(ROW, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            float m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
                RowSoftmax.logSoftmax(1, cols, x, xo, y, yo);
                continue;
            }
            float l = (float) Math.log1p(expRow(cols, x, xo, m, terms, 0, lanes));
            logRow(cols, x, xo, m, l, y, yo);
        }
    }

    /** {@code y_c = ((x_c - m) - l) + lo_c}, {@code lo_c} taken as 0 where {@code x_c = -inf}; tails as lanes. */
    private static void logRow(int cols, float[] x, int xo, float m, float l, float[] y, int yo) {
        int upper = F.loopBound(cols);
        FloatVector mb = FloatVector.broadcast(F, m);
        FloatVector lb = FloatVector.broadcast(F, l);
        for (int i = 0; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector hi = xv.sub(mb);
            FloatVector lo = VectorExp.shiftError(xv, mb, hi)
                    .blend(0f, hi.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            hi.sub(lb).add(lo).intoArray(y, yo + i);
        }
        for (int i = upper; i < cols; i++) {
            float v = x[xo + i];
            float hi = v - m;
            float bb = hi - v;
            float lo = hi == Float.NEGATIVE_INFINITY ? 0f : (v - (hi - bb)) - (m + bb);
            y[yo + i] = (hi - l) + lo;
        }
    }

    /** {@code m + log1p(others)} in double, rounded once ({@link #expRow}'s terms go to a scratch row). */
    @Override
    void logSumExp(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        if (cols < FLAT_BELOW) {
            super.logSumExp(rows, cols, x, xOffset, out, outOffset);
            return;
        }
        float[] lanes = scratch(LANES, 3 * L);
        float[] terms = scratch(ROW, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            float m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
                RowSoftmax.logSumExp(1, cols, x, xo, out, outOffset + r);
                continue;
            }
            out[outOffset + r] = (float) (m + Math.log1p(expRow(cols, x, xo, m, terms, 0, lanes)));
        }
    }

    // --------------------------------------------------------------------------------------- softmax backward

    /** Below this sum of {@code |dy_c y_c|} (per column) a row may hold float-subnormal products: scalar row. */
    private static final float TINY_PRODUCTS = 0x1p-100f;
    /** Above this {@code |s|} the float {@code dy - s} could overflow where the scalar double one does not. */
    private static final double HUGE_DOT = 0x1p120;

    /**
     * {@code dx = y * (dy - s)}, {@code s = sum_c dy_c y_c}: each product is split exactly ({@code p} and
     * {@code fma(dy, y, -p)}) and summed per lane with TwoSum, so {@code s} is as good as a double sum; the rest in
     * float, within the contract's {@code B u |y| (|dy| + sum |dy y|)}. Rows whose products may be subnormal or
     * whose {@code s} is huge take the scalar kernel (double throughout). {@code dx} may be {@code y} or {@code dy}.
     */
    @Override
    void softmaxBackward(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset, float[] dx,
                         int dxOffset) {
        if (cols < FLAT_BELOW) {
            super.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
            return;
        }
        float[] lanes = scratch(LANES, 3 * L);
        int upper = F.loopBound(cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int yo = yOffset + o;
            int go = dyOffset + o;
            int xo = dxOffset + o;
            FloatVector s = FloatVector.zero(F);
            FloatVector comp = FloatVector.zero(F);
            FloatVector abs = FloatVector.zero(F);
            for (int i = 0; i < upper; i += L) {
                FloatVector yv = FloatVector.fromArray(F, y, yo + i);
                FloatVector gv = FloatVector.fromArray(F, dy, go + i);
                FloatVector p = gv.mul(yv);
                FloatVector err = gv.fma(yv, p.neg());
                FloatVector t = s.add(p);
                FloatVector bp = t.sub(s);
                comp = comp.add(s.sub(t.sub(bp)).add(p.sub(bp)).add(err));
                abs = abs.add(p.abs());
                s = t;
            }
            double dot = 0;
            for (int i = upper; i < cols; i++) {
                dot += (double) dy[go + i] * y[yo + i];
            }
            s.intoArray(lanes, 0);
            comp.intoArray(lanes, L);
            abs.intoArray(lanes, 2 * L);
            float absSum = 0;
            for (int j = 0; j < L; j++) {
                dot += lanes[j];
                dot += lanes[L + j];
                absSum += lanes[2 * L + j];
            }
            if (!(Math.abs(dot) < HUGE_DOT) || !(absSum >= TINY_PRODUCTS * cols)) {
                SoftmaxGradients.softmaxBackward(1, cols, y, yo, dy, go, dx, xo);
                continue;
            }
            float sf = (float) dot;
            FloatVector sb = FloatVector.broadcast(F, sf);
            for (int i = 0; i < upper; i += L) {
                FloatVector yv = FloatVector.fromArray(F, y, yo + i);
                yv.mul(FloatVector.fromArray(F, dy, go + i).sub(sb)).intoArray(dx, xo + i);
            }
            for (int i = upper; i < cols; i++) {
                dx[xo + i] = y[yo + i] * (dy[go + i] - sf);
            }
        }
    }

    // ------------------------------------------------------------------------------------- sparse cross-entropy

    @Override
    double sparse(int rows, int cols, float[] x, int xOffset, int[] classes, int classesOffset,
                  CrossEntropyOptions options, double scale, float[] loss, int lossOffset, float[] gradient,
                  int gOffset, double[] rowLoss, int rowLossOffset) {
        if (gradient == null || options.hasClassWeights() || options.labelSmoothing() != 0) {
            return super.sparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss, lossOffset,
                    gradient, gOffset, rowLoss, rowLossOffset);
        }
        if (gradient == x && gOffset == xOffset) {
            // gradient over the logits: each row from a copy (same bits as out of place; x stays readable)
            float[] row = scratch(ROW, cols);
            double total = 0;
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                System.arraycopy(x, xOffset + o, row, 0, cols);
                double v = sparse(1, cols, row, 0, classes, classesOffset + r, options, scale, loss,
                        loss == null ? 0 : lossOffset + r, gradient, gOffset + o, rowLoss,
                        rowLoss == null ? 0 : rowLossOffset + r);
                total += v;
            }
            return total;
        }
        boolean flat = cols < FLAT_BELOW;
        if (flat) {
            flatExp(rows, cols, x, xOffset, gradient, gOffset);
        }
        float[] lanes = flat ? null : scratch(LANES, 3 * L);
        int ignore = options.ignoreIndex();
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int go = gOffset + o;
            int t = classes[classesOffset + r];
            double v;
            if (t == ignore) {
                v = 0;
                java.util.Arrays.fill(gradient, go, go + cols, 0f);
            } else if (flat) {
                v = flatRow(cols, x, xo, classes, classesOffset + r, scale, gradient, go, options);
            } else {
                v = wideRow(cols, x, xo, classes, classesOffset + r, scale, gradient, go, lanes, options);
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

    /** The scalar kernel on row {@code r} (x intact, gradient not over x); returns its loss. */
    private static double scalarRow(int cols, float[] x, int xo, int[] classes, int ci, CrossEntropyOptions options,
                                    double scale, float[] g, int go) {
        return CrossEntropyKernels.sparse(1, cols, x, xo, classes, ci, options, scale, null, 0, g, go, null, 0);
    }

    /** A flat-path row: {@code g} holds {@code exp(x_c - m) * 2^64}; the scalar formulas in double from here. */
    private static double flatRow(int cols, float[] x, int xo, int[] classes, int ci, double scale, float[] g,
                                  int go, CrossEntropyOptions options) {
        float m = Float.NEGATIVE_INFINITY;
        int im = 0;
        for (int c = 0; c < cols; c++) {
            float v = x[xo + c];
            if (v > m) {
                m = v;
                im = c;
            }
        }
        if (m == Float.POSITIVE_INFINITY || m == Float.NEGATIVE_INFINITY) {
            return scalarRow(cols, x, xo, classes, ci, options, scale, g, go);
        }
        int t = classes[ci];
        double others = 0;
        for (int c = 0; c < cols; c++) {
            if (c != im) {
                others += g[go + c];
            }
        }
        others *= VectorExp.TWO_M64;
        double inv = 1 / (1 + others);
        double f = inv * VectorExp.TWO_M64;
        double et = g[go + t];
        for (int c = 0; c < cols; c++) {
            g[go + c] = (float) (g[go + c] * f * scale);
        }
        if (t == im) {
            g[go + im] = (float) ((others < 1 ? -(others * inv) : inv - 1) * scale);
            return Math.log1p(others);
        }
        g[go + t] = (float) ((et * f - 1) * scale);
        g[go + im] = (float) ((others < 1 ? 1 - others * inv : inv) * scale);
        return Math.log1p(others) - (x[xo + t] - (double) m);
    }

    /** A wide row (vector passes); returns the loss. */
    private static double wideRow(int cols, float[] x, int xo, int[] classes, int ci, double scale, float[] g, int go,
                                  float[] lanes, CrossEntropyOptions options) {
        float m = rowMax(cols, x, xo);
        if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
            return scalarRow(cols, x, xo, classes, ci, options, scale, g, go);
        }
        int t = classes[ci];
        float xt = x[xo + t];
        double others = expRow(cols, x, xo, m, g, go, lanes);
        double inv = 1 / (1 + others);
        double et = g[go + t] * VectorExp.TWO_M64;
        scaleRow(cols, g, go, (float) (inv * VectorExp.TWO_M64 * scale));
        if (xt == m && firstMax(x, xo, m) == t) {
            g[go + t] = (float) ((others < 1 ? -(others * inv) : inv - 1) * scale);
        } else {
            g[go + t] = (float) ((et * inv - 1) * scale);
        }
        return Math.log1p(others) - (xt - (double) m);
    }

    private static int firstMax(float[] x, int xo, float m) {
        int c = 0;
        while (x[xo + c] != m) {
            c++;
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------------ products

    @Override
    void matmul(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                float[] c, int cOffset) {
        VectorFloatProducts.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    void matmulTransA(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                      float[] c, int cOffset) {
        VectorFloatProducts.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
