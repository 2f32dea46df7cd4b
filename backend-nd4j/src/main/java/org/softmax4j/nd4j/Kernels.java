package org.softmax4j.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.softmax4j.CrossEntropyOptions;

/**
 * The row ops as short compositions of libnd4j's own kernels, on float64 arrays ({@code rows x cols}, dense, c-ordered;
 * float32 callers widen once and round once). Every pass over the {@code rows x cols} data is one native op, called
 * straight through libnd4j's JNI entry points ({@link LegacyOps}, {@link CustomOps}) rather than through ND4J's Java
 * executioner, whose per-op object building and lookups cost more than the op itself on small calls. Java only
 * touches per-row values ({@code rows} numbers, copied in one bulk JNI call) and, for the cross-entropies, one entry
 * per row (the target's gradient). Temporaries are this thread's {@link Scratch} buffers.
 *
 * <p>Where libnd4j is wrong for the contract, the composition corrects around it:
 * <ul>
 *   <li>its {@code softmax} starts its row maximum at 0 on matrices of two or more rows, so a row whose entries all
 *       lie below about -745 comes out NaN: such rows are shifted by their maximum first (a row maximum below
 *       {@value #SHIFT_BELOW} triggers the shift for the call);</li>
 *   <li>its {@code log_softmax} is {@code log(softmax)} ({@code -inf} where the probability underflows) and its
 *       {@code log1p} is {@code log(1 + x)}: log-softmax, logsumexp and the losses use {@code log s = log1p((k - 1) +
 *       others)}, with {@code k} the row's maxima and {@code others} the sum of the other exponentials, so the
 *       logarithm of {@code s} near 1 keeps its value near 0;</li>
 *   <li>its {@code max} skips NaN, its {@code softmax} gives 1 for a single column whatever the input, and
 *       {@code 0 * -inf} is NaN in its dot products: those rows are recognised from the per-row values and given the
 *       contract's result.</li>
 * </ul>
 *
 * <p>Accuracy: the shift {@code x - m}, the exponentials and the row sums are libnd4j's plain float64 operations, so a
 * float64 result is backward stable, not exact ({@link org.softmax4j.Accuracy#STANDARD}); a float32 result, computed
 * this way in float64 and rounded once, is within the exact bounds.
 */
final class Kernels {

    static {
        Nd4jRuntime.start();
    }

    /**
     * libnd4j's reductions give each row to one thread when a call has at least as many rows as libnd4j has threads,
     * but split a row across its threads when it has fewer, so that the order of a row's sum, and its last bits, would
     * depend on the machine. Calls of fewer rows than this take their row sums in Java instead (one pass, always the
     * same order), and so do those of fewer rows than libnd4j's threads: the results are the same bits for any thread
     * count up to this many.
     */
    static final int FEW_ROWS = Math.max(64, Nd4j.getEnvironment().maxThreads());

    /** A call with a row maximum below this shifts its rows before libnd4j's softmax (see the class comment). */
    static final double SHIFT_BELOW = -700;

    /** {@code exp(x)} is subnormal below this ({@code log(Double.MIN_NORMAL)}). */
    private static final double LOWEST_NORMAL_EXP = Math.log(Double.MIN_NORMAL);

    // scratch slots of the temporaries (the entry points use the slots below FIRST_TEMP for their operands)
    static final int FIRST_TEMP = 8;
    private static final int SHIFTED = FIRST_TEMP;
    private static final int EXPS = FIRST_TEMP + 1;
    private static final int TARGET = FIRST_TEMP + 2;
    private static final int PRODUCT_A = FIRST_TEMP + 3;
    private static final int PRODUCT_B = FIRST_TEMP + 4;
    private static final int PRODUCT_C = FIRST_TEMP + 5;
    private static final int MAX = 0;
    private static final int OTHERS = 1;
    private static final int COUNT = 2;
    private static final int LOG_S = 3;
    private static final int ROW_A = 4;
    private static final int ROW_B = 5;
    /** a Java array that stays all zeros (never written) */
    private static final int ZERO_ROW = 6;
    private static final int ROW_VALUES = 7;

    private Kernels() {
    }

    private static int rows(INDArray x) {
        return (int) x.size(0);
    }

    private static int cols(INDArray x) {
        return (int) x.size(1);
    }

    // ------------------------------------------------------------------------------------------------- softmax

    /**
     * {@code y = softmax(x)} by libnd4j's {@code softmax}: 2 native ops, the minimum of all of {@code x} and the
     * softmax, when no entry lies below {@value #SHIFT_BELOW} (so no row needs the shift); else the row maxima, the
     * shift and the softmax. y may be x.
     */
    static void softmax(INDArray x, INDArray y, Scratch s) {
        int rows = rows(x);
        if (cols(x) == 1) {
            single(x, y, s);
            return;
        }
        if (rows >= FEW_ROWS && LegacyOps.min(x, s.scalar()) >= SHIFT_BELOW) {
            // a full minimum costs a third to a quarter of the row maxima (0.05 against 0.14 ms at 256x1000)
            CustomOps.softmax(x, y);
            return;
        }
        INDArray m = s.column(0, rows);
        LegacyOps.reduceRows(LegacyOps.MAX, x, m);
        double[] max = s.doubles(MAX, rows);
        Buffers.out(m, max, 0, rows);
        if (rows < FEW_ROWS) {
            // libnd4j's softmax would split the row's sum across threads: exp(x - m) times 1 / (Java's row sum)
            LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, x, column(max, rows, s), y);
            LegacyOps.exp(y, y);
            double[] inverse = s.doubles(ROW_A, rows);
            rowSums(y, inverse, s);
            for (int r = 0; r < rows; r++) {
                inverse[r] = 1 / inverse[r];
            }
            LegacyOps.broadcastColumn(LegacyOps.BROADCAST_MULTIPLY, y, column(inverse, rows, s), y);
            return;
        }
        INDArray in = x;
        for (int r = 0; r < rows; r++) {
            if (!(max[r] >= SHIFT_BELOW)) {
                LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, x, column(max, rows, s), y);
                in = y;
                break;
            }
        }
        CustomOps.softmax(in, y);
    }

    /** One column: 1 for a finite entry, NaN otherwise ({@code (x - x) + 1}). */
    private static void single(INDArray x, INDArray y, Scratch s) {
        LegacyOps.pairwise(LegacyOps.PAIRWISE_SUBTRACT, x, x, y);
        LegacyOps.scalar(LegacyOps.SCALAR_ADD, y, 1.0, s.scalar(), y);
    }

    /** {@code softmax((x - m) / T)}: max, shift, scalar divide, softmax (4 native ops). */
    static void softmax(INDArray x, double temperature, INDArray y, Scratch s) {
        if (cols(x) == 1) {
            single(x, y, s);
            return;
        }
        int rows = rows(x);
        INDArray m = s.column(0, rows);
        LegacyOps.reduceRows(LegacyOps.MAX, x, m);
        double[] max = s.doubles(MAX, rows);
        Buffers.out(m, max, 0, rows);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, x, column(max, rows, s), y);
        LegacyOps.scalar(LegacyOps.SCALAR_DIVIDE, y, temperature, s.scalar(), y);
        softmax(y, y, s);
    }

    /**
     * Masked softmax: {@code select(mask, x, -inf)}, the softmax, {@code select(mask, y, 0)} (4-5 native ops); masked
     * entries, and so fully masked rows, come out exactly 0.
     */
    static void maskedSoftmax(INDArray x, INDArray mask, INDArray y, Scratch s) {
        long rows = x.size(0);
        long cols = x.size(1);
        CustomOps.select(mask, x, s.negativeInfinities(rows, cols), y);
        softmax(y, y, s);
        CustomOps.select(mask, y, s.zeros(rows, cols), y);
    }

    /**
     * Masked log-softmax (3 native ops more than {@link #logSoftmax}): masked entries set to {@code -inf}, the
     * log-softmax, then masked entries set to {@code -inf} again, which also turns a fully masked row (NaN after the
     * log-softmax of all {@code -inf}) into {@code -inf}; y may be x.
     */
    static void maskedLogSoftmax(INDArray x, INDArray mask, INDArray y, Scratch s) {
        long rows = x.size(0);
        long cols = x.size(1);
        CustomOps.select(mask, x, s.negativeInfinities(rows, cols), y);
        logSoftmax(y, y, s);
        CustomOps.select(mask, y, s.negativeInfinities(rows, cols), y);
    }

    /**
     * Masked log-sum-exp: masked entries set to {@code -inf} in {@code t} (NaN among them dropped), then
     * {@link #logSumExp}; a fully masked row is all {@code -inf} there and gives {@code -inf}.
     *
     * @return {@code rows} values in a scratch array
     */
    static double[] maskedLogSumExp(INDArray x, INDArray mask, INDArray t, Scratch s) {
        CustomOps.select(mask, x, s.negativeInfinities(x.size(0), x.size(1)), t);
        return logSumExp(t, s);
    }

    /** Row sums of {@code m} into {@code out}: libnd4j's reduction, or Java's for a call of few rows ({@link #FEW_ROWS}). */
    private static void rowSums(INDArray m, double[] out, Scratch s) {
        rowDots(m, null, out, s);
    }

    /** Row dot products of {@code a} and {@code b} (row sums of {@code a} when {@code b} is null) into {@code out}. */
    private static void rowDots(INDArray a, INDArray b, double[] out, Scratch s) {
        int rows = rows(a);
        int cols = cols(a);
        if (rows >= FEW_ROWS) {
            INDArray col = s.column(0, rows);
            if (b == null) {
                LegacyOps.reduceRows(LegacyOps.SUM, a, col);
            } else {
                LegacyOps.dotRows(a, b, col);
            }
            Buffers.out(col, out, 0, rows);
            return;
        }
        double[] x = s.doubles(ROW_VALUES, cols);
        double[] y = b == null ? null : s.doubles(ROW_VALUES + 1, cols);
        for (int r = 0; r < rows; r++) {
            Buffers.row(a, r, x);
            if (y != null) {
                Buffers.row(b, r, y);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += y == null ? x[c] : x[c] * y[c];
            }
            out[r] = sum;
        }
    }

    /** @return a float64 {@code rows x 1} column holding {@code values}, the operand of a broadcast along the columns */
    private static INDArray column(double[] values, int rows, Scratch s) {
        INDArray col = s.broadcastOperand(rows);
        Buffers.in(values, 0, col);
        return col;
    }

    // ---------------------------------------------------------------------------------------------- log domain

    /**
     * The shared first pass of the log-domain ops (6 native ops): {@code m} (row max), {@code d = x - m},
     * {@code e = exp(d)}, then the row sum of {@code e} before and after zeroing its entries equal to 1 (the maxima),
     * which gives {@code others} and the count {@code k} of maxima exactly. Per row, in {@code s.doubles}:
     * {@code MAX}, {@code OTHERS}, {@code COUNT} and {@code LOG_S = log1p((k - 1) + others)}, NaN for a row with no
     * finite maximum or a NaN.
     *
     * @param d receives {@code x - m} (may be {@code x})
     * @param e destroyed
     */
    private static void shift(INDArray x, INDArray d, INDArray e, Scratch s) {
        int rows = rows(x);
        INDArray col = s.column(0, rows);
        double[] max = s.doubles(MAX, rows);
        double[] others = s.doubles(OTHERS, rows);
        double[] count = s.doubles(COUNT, rows);
        double[] logS = s.doubles(LOG_S, rows);
        LegacyOps.reduceRows(LegacyOps.MAX, x, col);
        Buffers.out(col, max, 0, rows);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, x, column(max, rows, s), d);
        LegacyOps.exp(d, e);
        rowSums(e, count, s);
        // exact comparison (Conditions.equals has a tolerance); e <= 1 everywhere, so e >= 1 means e == 1
        LegacyOps.zeroWhereAtLeastOne(e);
        rowSums(e, others, s);
        for (int r = 0; r < rows; r++) {
            if (!Double.isFinite(max[r]) || Double.isNaN(others[r])) {
                logS[r] = Double.NaN;
                continue;
            }
            // the sum of all exponentials is k + others up to a rounding far below 1/2
            count[r] = Math.rint(count[r] - others[r]);
            logS[r] = Math.log1p((count[r] - 1) + others[r]);
        }
    }

    /** {@code y = (x - m) - log s} (7 native ops); y may be x. */
    static void logSoftmax(INDArray x, INDArray y, Scratch s) {
        int rows = rows(x);
        shift(x, y, s.matrix(EXPS, rows, cols(x)), s);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, y, column(s.doubles(LOG_S, rows), rows, s), y);
    }

    /**
     * {@code m + log s} per row (6 native ops); a row with an infinite maximum gives that infinity unless it holds a
     * NaN.
     *
     * @return {@code rows} values in a scratch array
     */
    static double[] logSumExp(INDArray x, Scratch s) {
        int rows = rows(x);
        shift(x, s.matrix(SHIFTED, rows, cols(x)), s.matrix(EXPS, rows, cols(x)), s);
        double[] max = s.doubles(MAX, rows);
        double[] logS = s.doubles(LOG_S, rows);
        double[] out = s.doubles(ROW_A, rows);
        for (int r = 0; r < rows; r++) {
            if (Double.isInfinite(max[r])) {
                // rare: is there a NaN in the row (libnd4j's max skips NaN)?
                double[] row = s.doubles(ROW_VALUES, cols(x));
                Buffers.row(x, r, row);
                boolean nan = false;
                for (int c = 0; c < cols(x); c++) {
                    nan |= Double.isNaN(row[c]);
                }
                out[r] = nan ? Double.NaN : max[r];
            } else {
                out[r] = max[r] + logS[r];
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------- gradients

    /** {@code dx = y (dy - sum(dy y))}: dot, broadcast subtract, multiply (3 native ops); dx may be y or dy. */
    static void softmaxBackward(INDArray y, INDArray dy, INDArray dx, Scratch s) {
        int rows = rows(y);
        INDArray t = s.matrix(SHIFTED, rows, cols(y));
        double[] dot = s.doubles(ROW_A, rows);
        rowDots(y, dy, dot, s);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, dy, column(dot, rows, s), t);
        LegacyOps.pairwise(LegacyOps.PAIRWISE_MULTIPLY, y, t, dx);
    }

    /**
     * {@code dx = dlogp - exp(logp) sum(dlogp)}: sum, exp, broadcast multiply, subtract, and the row minimum of
     * {@code logp} (5 native ops). A row whose {@code exp(logp)} falls below the normal range while the sum is large
     * would lose the subnormal's precision (libnd4j forms {@code exp(logp)} first): such rows are formed in Java, the
     * subnormal products as {@code S q q q q} with {@code q = exp(logp / 4)}.
     */
    static void logSoftmaxBackward(INDArray logp, INDArray dlogp, INDArray dx, Scratch s) {
        int rows = rows(logp);
        int cols = cols(logp);
        INDArray t = s.matrix(SHIFTED, rows, cols);
        double[] sum = s.doubles(ROW_A, rows);
        rowSums(dlogp, sum, s);
        INDArray col = s.column(0, rows);
        LegacyOps.reduceRows(LegacyOps.MIN, logp, col);
        double[] min = s.doubles(ROW_B, rows);
        Buffers.out(col, min, 0, rows);
        LegacyOps.exp(logp, t);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_MULTIPLY, t, column(sum, rows, s), t);
        // rows to form in Java: their inputs are read now (dx may be logp or dlogp)
        java.util.Map<Integer, double[][]> rowsInJava = null;
        for (int r = 0; r < rows; r++) {
            if (min[r] < LOWEST_NORMAL_EXP && Math.abs(sum[r]) > 1 && Double.isFinite(sum[r])) {
                if (rowsInJava == null) {
                    rowsInJava = new java.util.LinkedHashMap<>();
                }
                double[][] io = {new double[cols], new double[cols]};
                Buffers.row(logp, r, io[0]);
                Buffers.row(dlogp, r, io[1]);
                rowsInJava.put(r, io);
            }
        }
        LegacyOps.pairwise(LegacyOps.PAIRWISE_SUBTRACT, dlogp, t, dx);
        if (rowsInJava != null) {
            for (var e : rowsInJava.entrySet()) {
                double[] lp = e.getValue()[0];
                double[] d = e.getValue()[1];
                double sr = sum[e.getKey()];
                for (int c = 0; c < cols; c++) {
                    // where exp(logp) is subnormal: exp(logp) S = (((S q) q) q) q with q = exp(logp / 4), all normal
                    // (logp / 4 is exact; a few roundings, no loss of the subnormal's bits)
                    double q = lp[c] < LOWEST_NORMAL_EXP ? Math.exp(lp[c] / 4) : 0;
                    d[c] -= lp[c] < LOWEST_NORMAL_EXP ? sr * q * q * q * q : Math.exp(lp[c]) * sr;
                }
                Buffers.putRow(dx, e.getKey(), d);
            }
        }
    }

    /**
     * The Jacobian {@code diag(y) - y y^T}: the outer product by BLAS gemm ({@code k = 1}, one rounding per entry);
     * the diagonal {@code y (1 - y)} ({@code 1 - y} exact above one half) is returned for the caller to put in place.
     *
     * @param y {@code 1 x C}
     * @param j {@code C x C}, receives {@code -y y^T}
     * @return the {@code C} diagonal values, in a scratch array
     */
    static double[] jacobian(INDArray y, INDArray j, Scratch s) {
        int cols = cols(y);
        Nd4j.gemm(y, y, j, true, false, -1.0, 0.0);
        double[] diagonal = s.doubles(ROW_A, cols);
        Buffers.out(y, diagonal, 0, cols);
        for (int i = 0; i < cols; i++) {
            diagonal[i] = diagonal[i] * (1 - diagonal[i]);
        }
        return diagonal;
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c} ({@code op(x) = x^T} when its flag is set) by BLAS gemm, in the arrays'
     * dtype (all dense, of one dtype). A result that is
     * not finite may be an overflow before {@code alpha} could bring it back (BLAS forms {@code alpha (a b)}): float32
     * is then recomputed in float64 and rounded once; float64 with every input finite is recomputed with {@code a} and
     * {@code c} scaled by {@code 2^-64} and the result scaled back (powers of two: exact outside the subnormals). One
     * native op more than the gemm: the result's count of non-finite entries.
     *
     * @param load writes {@code a} and, when {@code beta != 0}, the initial {@code c} into their buffers; run before
     *             the product and again before the rescaled one
     */
    static void gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double alpha, double beta,
                     Runnable load, Scratch s) {
        load.run();
        Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
        if (allFinite(c, s) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
            return;
        }
        load.run();
        if (c.dataType() == DataType.FLOAT) {
            // float32 products cannot overflow float64: the whole product again in float64, rounded once
            INDArray a64 = s.matrix(PRODUCT_A, a.size(0), a.size(1));
            INDArray b64 = s.matrix(PRODUCT_B, b.size(0), b.size(1));
            INDArray c64 = s.matrix(PRODUCT_C, c.size(0), c.size(1));
            LegacyOps.assign(a, a64);
            LegacyOps.assign(b, b64);
            LegacyOps.assign(c, c64);
            Nd4j.gemm(a64, b64, c64, transA, transB, alpha, beta);
            LegacyOps.assign(c64, c);
            return;
        }
        if (!allFinite(a, s) || !allFinite(b, s) || beta != 0 && !allFinite(c, s)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        a.muli(0x1p-64);
        if (beta != 0) {
            c.muli(0x1p-64);
        }
        Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
        c.muli(0x1p64);
    }

    private static boolean allFinite(INDArray m, Scratch s) {
        return LegacyOps.countFinite(m, s.count()) == m.length();
    }

    // ------------------------------------------------------------------------------------------- cross-entropy

    /** The effective target of one class-index row: {@code q_c = (1 - e) w_t [c == t] + (e / C) w_c}. */
    private record SparseTarget(CrossEntropyOptions options, int cols, double sumWeights) {

        static SparseTarget of(CrossEntropyOptions options, int cols) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += options.classWeight(c);
            }
            return new SparseTarget(options, cols, sum);
        }

        double smooth() {
            return options.labelSmoothing() / cols;
        }

        /** @return the coefficient of the one-hot part, {@code (1 - e) w_t} */
        double hot(int t) {
            return (1 - options.labelSmoothing()) * options.classWeight(t);
        }

        /** @return {@code Q = sum_c q_c} */
        double mass(int t) {
            return hot(t) + smooth() * sumWeights;
        }

        /** @return {@code Q - q_t}, the target mass on the other classes, without cancellation */
        double rest(int t) {
            return smooth() * (sumWeights - options.classWeight(t));
        }

    }

    /**
     * Sparse softmax cross-entropy with logits, fused with its gradient: the {@link #shift} pass, then (with label
     * smoothing) the row sums {@code sum_c w_c d_c}, and for the gradient {@code exp(d - log s)} scaled by the row's
     * target mass minus the smoothing part, scaled by the reduction (3-6 native ops). The target's own entry is set
     * per row in Java: {@code p_t Q - q_t}, or, when the target is the single maximum with {@code p_t > 1/2},
     * {@code (Q - q_t) - Q others / s} (the tail {@code 1 - p_t} kept, not rounded away).
     *
     * @param loss     receives the {@code rows} per-row losses (ignored rows 0)
     * @param gradient dense float64 {@code rows x cols}, or null; may be {@code x}
     * @return the sum of the per-row losses
     */
    static double sparseCrossEntropy(INDArray x, int[] classes, int classesOffset, CrossEntropyOptions options,
                                     double scale, double[] loss, INDArray gradient, Scratch s) {
        int rows = rows(x);
        int cols = cols(x);
        INDArray d = s.matrix(SHIFTED, rows, cols);
        shift(x, d, s.matrix(EXPS, rows, cols), s);
        SparseTarget target = SparseTarget.of(options, cols);
        double smooth = target.smooth();
        double[] smoothDot = smooth == 0 ? null : weightedRowSums(d, options, s);
        double[] max = s.doubles(MAX, rows);
        double[] logS = s.doubles(LOG_S, rows);
        DoublePointer dp = Buffers.doubles(d);
        int ignore = options.ignoreIndex();
        double sum = 0;
        boolean unitMass = true;
        double[] mass = s.doubles(ROW_B, rows);
        for (int r = 0; r < rows; r++) {
            int t = classes[classesOffset + r];
            if (t == ignore) {
                loss[r] = 0;
                mass[r] = 0;
                continue;
            }
            mass[r] = target.mass(t);
            unitMass &= mass[r] == 1;
            if (Double.isNaN(logS[r])) {
                loss[r] = Double.NaN;
            } else {
                double hot = target.hot(t);
                double l = mass[r] * logS[r] - (hot == 0 ? 0 : hotTerm(x, dp, r, t, hot, max[r]));
                if (smooth != 0) {
                    double sd = smoothDot[r];
                    // not finite: formed at half scale (the factor applied before doubling, so no false overflow)
                    l -= Double.isFinite(sd) ? smooth * sd
                            : 2 * halfRowDot(x, r, max[r], c -> smooth * target.options().classWeight(c));
                }
                loss[r] = l;
            }
            sum += loss[r];
        }
        if (gradient != null) {
            probabilities(d, logS, unitMass ? null : mass, gradient, s);
            if (smooth != 0) {
                subtractSmoothing(gradient, options, smooth, s);
            }
            boolean scaled = scale(gradient, scale, s);
            double[] others = s.doubles(OTHERS, rows);
            double[] count = s.doubles(COUNT, rows);
            DoublePointer gp = Buffers.doubles(gradient);
            double f = scaled ? scale : 1;
            for (int r = 0; r < rows; r++) {
                int t = classes[classesOffset + r];
                long row = (long) r * cols;
                if (t == ignore) {
                    Buffers.putRow(gradient, r, s.doubles(ZERO_ROW, cols));
                } else if (!Double.isNaN(logS[r])) {
                    double v;
                    if (count[r] == 1 && others[r] < 1 && dp.get(row + t) == 0) {
                        v = (target.rest(t) - mass[r] * (others[r] / (1 + others[r]))) * f;
                    } else {
                        v = gp.get(row + t) - target.hot(t) * f;
                    }
                    gp.put(row + t, v);
                }
            }
        }
        return sum;
    }

    /**
     * Dense-label softmax cross-entropy with logits, fused with its gradient: the {@link #shift} pass, the target's
     * row sums {@code Q} and {@code sum_c q_c d_c}, and for the gradient {@code exp(d - log s) Q - q} scaled by the
     * reduction (9-13 native ops). Where a row has a single maximum with {@code p > 1/2}, its entry is set in Java to
     * {@code (Q - q_j) - Q others / s}, keeping the tail.
     *
     * @param labels dense float64 {@code rows x cols} (not modified)
     * @param loss   receives the {@code rows} per-row losses
     */
    static double denseCrossEntropy(INDArray x, INDArray labels, CrossEntropyOptions options, double scale,
                                    double[] loss, INDArray gradient, Scratch s) {
        int rows = rows(x);
        int cols = cols(x);
        INDArray q = target(labels, options, s);
        INDArray d = s.matrix(SHIFTED, rows, cols);
        shift(x, d, s.matrix(EXPS, rows, cols), s);
        double[] mass = s.doubles(ROW_A, rows);
        double[] dot = s.doubles(ROW_B, rows);
        rowSums(q, mass, s);
        rowDots(q, d, dot, s);
        double[] max = s.doubles(MAX, rows);
        double[] logS = s.doubles(LOG_S, rows);
        DoublePointer qp = Buffers.doubles(q);
        double sum = 0;
        boolean unitMass = true;
        for (int r = 0; r < rows; r++) {
            unitMass &= mass[r] == 1;
            if (Double.isNaN(logS[r])) {
                loss[r] = Double.NaN;
            } else {
                double qd = dot[r];
                if (!Double.isFinite(qd)) {
                    long row = (long) r * cols;
                    qd = 2 * halfRowDot(x, r, max[r], c -> qp.get(row + c));
                }
                loss[r] = mass[r] * logS[r] - qd;
            }
            sum += loss[r];
        }
        if (gradient != null) {
            probabilities(d, logS, unitMass ? null : mass, gradient, s);
            LegacyOps.pairwise(LegacyOps.PAIRWISE_SUBTRACT, gradient, q, gradient);
            boolean scaled = scale(gradient, scale, s);
            keepTails(d, q, mass, gradient, scaled ? scale : 1, s);
        }
        return sum;
    }

    /** @return the effective dense target {@code w_c ((1 - e) l_c + e / C)}: {@code labels} itself by default */
    private static INDArray target(INDArray labels, CrossEntropyOptions options, Scratch s) {
        if (options.labelSmoothing() == 0 && !options.hasClassWeights()) {
            return labels;
        }
        INDArray q = s.matrix(TARGET, labels.size(0), labels.size(1));
        double e = options.labelSmoothing();
        LegacyOps.scalar(LegacyOps.SCALAR_MULTIPLY, labels, 1 - e, s.scalar(), q);
        LegacyOps.scalar(LegacyOps.SCALAR_ADD, q, e / labels.size(1), s.scalar(), q);
        if (options.hasClassWeights()) {
            LegacyOps.broadcastRow(LegacyOps.BROADCAST_MULTIPLY, q, weights(options, s), q);
        }
        return q;
    }

    private static INDArray weights(CrossEntropyOptions options, Scratch s) {
        double[] w = options.classWeights();
        INDArray v = s.vector(1, w.length);
        Buffers.in(w, 0, v);
        return v;
    }

    /** @return per row {@code sum_c w_c d_c} ({@code w = 1} without class weights): 1-2 native ops */
    private static double[] weightedRowSums(INDArray d, CrossEntropyOptions options, Scratch s) {
        int rows = rows(d);
        INDArray terms = d;
        if (options.hasClassWeights()) {
            terms = s.matrix(TARGET, rows, cols(d));
            LegacyOps.broadcastRow(LegacyOps.BROADCAST_MULTIPLY, d, weights(options, s), terms);
        }
        double[] out = s.doubles(ROW_A, rows);
        rowSums(terms, out, s);
        return out;
    }

    /** {@code hot (x_t - m)}, at half scale where {@code x_t - m} overflowed (a float64 span beyond the largest double). */
    private static double hotTerm(INDArray x, DoublePointer dp, int r, int t, double hot, double max) {
        long at = (long) r * cols(x) + t;
        double dt = dp.get(at);
        if (dt != Double.NEGATIVE_INFINITY) {
            return hot * dt;
        }
        return 2 * (hot * (0.5 * Buffers.doubles(x).get(at) - 0.5 * max));
    }

    /**
     * Half of {@code sum_c q_c (x_c - m)} of one row in Java, over the entries with {@code q_c != 0} (a zero target on
     * a {@code -inf} logit adds nothing): at half scale, so that a float64 span {@code x_c - m} beyond the largest
     * double does not overflow; the fallback for rows whose native dot product is not finite.
     */
    private static double halfRowDot(INDArray x, int r, double max, java.util.function.IntToDoubleFunction q) {
        int cols = cols(x);
        DoublePointer xp = Buffers.doubles(x);
        long row = (long) r * cols;
        double half = 0;
        for (int c = 0; c < cols; c++) {
            double qc = q.applyAsDouble(c);
            if (qc != 0) {
                half += qc * (0.5 * xp.get(row + c) - 0.5 * max);
            }
        }
        return half;
    }

    /** {@code g = exp(d - log s)}, times the row's target mass unless {@code mass} is null (2-3 native ops). */
    private static void probabilities(INDArray d, double[] logS, double[] mass, INDArray g, Scratch s) {
        int rows = rows(d);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, d, column(logS, rows, s), g);
        LegacyOps.exp(g, g);
        if (mass != null) {
            LegacyOps.broadcastColumn(LegacyOps.BROADCAST_MULTIPLY, g, column(mass, rows, s), g);
        }
    }

    /** {@code g -= (e / C) w_c} on every row. */
    private static void subtractSmoothing(INDArray g, CrossEntropyOptions options, double smooth, Scratch s) {
        if (options.hasClassWeights()) {
            INDArray w = weights(options, s);
            LegacyOps.scalar(LegacyOps.SCALAR_MULTIPLY, w, smooth, s.scalar(), w);
            LegacyOps.broadcastRow(LegacyOps.BROADCAST_SUBTRACT, g, w, g);
        } else {
            LegacyOps.scalar(LegacyOps.SCALAR_ADD, g, -smooth, s.scalar(), g);
        }
    }

    /**
     * Scales the gradient by the reduction's factor. A mean over nothing has an infinite factor: every entry is then
     * 0 (no target mass) or NaN, which the factor must not turn into NaN, so it is skipped.
     *
     * @return whether the gradient was scaled
     */
    private static boolean scale(INDArray g, double scale, Scratch s) {
        if (scale == 1 || Double.isInfinite(scale)) {
            return false;
        }
        LegacyOps.scalar(LegacyOps.SCALAR_MULTIPLY, g, scale, s.scalar(), g);
        return true;
    }

    /**
     * At each row's single maximum with {@code p > 1/2}: {@code ((Q - q_j) - Q others / s) f}. The maximum is the
     * row's one entry of {@code d = x - max} that is 0, found in a bulk copy of the row (no native op: libnd4j's
     * argmax through ND4J's executioner cost more heap than the whole loss).
     */
    private static void keepTails(INDArray d, INDArray q, double[] mass, INDArray g, double f, Scratch s) {
        int rows = rows(d);
        int cols = cols(d);
        double[] others = s.doubles(OTHERS, rows);
        double[] count = s.doubles(COUNT, rows);
        double[] logS = s.doubles(LOG_S, rows);
        double[] row = s.doubles(ROW_VALUES, cols);
        DoublePointer dp = Buffers.doubles(d);
        DoublePointer gp = Buffers.doubles(g);
        DoublePointer qp = Buffers.doubles(q);
        for (int r = 0; r < rows; r++) {
            if (count[r] != 1 || !(others[r] < 1) || Double.isNaN(logS[r])) {
                continue;
            }
            dp.position((long) r * cols).get(row, 0, cols);
            int j = 0;
            while (j < cols && row[j] != 0) {
                j++;
            }
            if (j == cols) {
                continue;
            }
            long at = (long) r * cols + j;
            double rest = mass[r] - qp.get(at);
            gp.put(at, (rest - mass[r] * (others[r] / (1 + others[r]))) * f);
        }
    }
}
