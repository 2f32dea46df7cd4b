package org.softmax4j.plain;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Validate;
import org.softmax4j.kernels.CrossEntropyKernels;
import org.softmax4j.kernels.RowSoftmax;
import org.softmax4j.kernels.Selection;
import org.softmax4j.kernels.SoftmaxGradients;

/**
 * The SIMD float32 kernels (Java Vector API). Loaded only when the JVM has {@code jdk.incubator.vector}
 * ({@link PlainSoftmaxOps} checks before naming this class), so the backend still runs without the flag.
 *
 * <p>Softmax, log-softmax, logsumexp and the sparse cross-entropy take three passes per row: the maximum (vector
 * max), {@code exp(x - m)} ({@link VectorExp}, the rounding of {@code x - m} corrected) while each lane keeps a
 * compensated (TwoSum) sum of the non-maximal terms and a count of the maxima, then one element-wise pass. Lane sums
 * are added in double in lane order: never {@code reduceLanes(ADD)}, whose order may differ between the interpreter
 * and compiled code. Rows narrower than {@link #NARROW_BELOW} go {@code L} rows at a time with one row per lane
 * (transposed through a scratch array), so the classic 100x10 batch is vectorised too. Softmax backward splits each
 * product exactly (fma) and sums it with TwoSum. Masked vector ops are never used (they are slow on JDK 17): tails
 * use {@link VectorExp#scalarShifted}, which gives the bits of a lane, so a result does not depend on where a vector
 * starts. Rows with NaN or infinities take the scalar kernels; so does everything these kernels do not cover (class
 * weights together with label smoothing in the sparse cross-entropy of rows narrower than {@link #NARROW_BELOW},
 * where wider rows run the dense kernel on their targets; rows that narrow in the dense one, masked or not, and in
 * the masked sparse one with label smoothing; the cross-entropy from probabilities of rows narrower than
 * {@code 2 L}). A temperature divides each shift
 * inside the softmax's exp pass; the masked ops run the unmasked passes on a copy with the masked entries at
 * {@code -inf} ({@link #maskedRows}, {@link #maskedSparse}, {@link #maskedDense}); argmax, top-k and the Jacobian give
 * the scalar kernels' exact results.
 */
final class VectorFloatKernels extends FloatKernels {

    private static final VectorSpecies<Float> F = VectorExp.F;
    private static final int L = VectorExp.L;
    /**
     * Lane {@code i} takes lane {@code (i + L/2) mod L}: the halves swapped, so that
     * {@code v.rearrange(SWAP_HALVES).convertShape(F2D, D, 0)} gives the lanes of {@code convertShape(F2D, D, 1)}.
     * The Vector API does a part-1 conversion with a {@code slice} that makes its shuffle on every call; in about one
     * JVM in 20 to 50 C2 did not fold that shuffle into a constant, and each such conversion in
     * {@link #probabilitiesRow} allocated a 32-byte shuffle (16,384 B per 256x1000 call, at normal speed; JFR's
     * allocation samples pointed at {@code FloatVector.sliceTemplate}). Used there only: the same change at every
     * part-1 and part-(-1) conversion of this class made the 100x10 sparse cross-entropy allocate 5,152 B per call
     * after the other ops had run ({@code AllocationPerCall}), boxed vectors in the narrow kernels.
     */
    private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromOp(F, i -> (i + L / 2) % L);

    /** Rows narrower than this go {@code L} rows at a time, one row per lane (see narrowBlock). */
    static final int NARROW_BELOW = 2 * L;
    /** Rows this wide or wider take the scalar kernels (a lane counts the row's maxima in float, exact to 2^24). */
    static final int MAX_WIDE_COLS = 1 << 24;

    /**
     * Per-thread scratch arrays, by slot: lane sums; a row (the terms of log-softmax and logsumexp, or a copy of an
     * input row for in-place calls, so they give the bits of out-of-place ones); a narrow block; the gradient of a
     * cross-entropy called for its loss alone; with class weights, the weights as doubles and a row of targets
     * {@code q} (see {@link #weightedTargets}); the kept copy of a masked op's rows ({@link #maskedRows}); a masked
     * cross-entropy's row losses; a dense cross-entropy's per-class target coefficients ({@link #targetCoefficients});
     * the vectors of a row with a label other than {@code +-0} (the cross-entropy from probabilities).
     * Kept up to {@link ScratchArrays#KEPT_BYTES} each (no allocation per call below that); larger ones only until the
     * next garbage collection.
     */
    private static final ThreadLocal<ScratchArrays> SCRATCH = ThreadLocal.withInitial(() -> new ScratchArrays(10));
    private static final int LANES = 0;
    private static final int ROW = 1;
    private static final int NARROW = 2;
    private static final int GRADIENT = 3;
    private static final int WEIGHTS = 4;
    private static final int TARGETS = 5;
    private static final int KEPT = 6;
    private static final int ROW_LOSSES = 7;
    private static final int COEFFICIENTS = 8;
    private static final int LABELLED = 9;

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
        return SCRATCH.get().floats(slot, Math.max(size, 4 * L));
    }

    /** For tests: this thread's scratch. */
    static ScratchArrays threadScratch() {
        return SCRATCH.get();
    }

    // ------------------------------------------------------------------------------------------------- softmax

    @Override
    void softmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        softmax(rows, cols, 1f, x, xOffset, y, yOffset);
    }

    /**
     * Softmax with temperature {@code t} ({@code t = 1}: plain softmax) on the same passes: the temperature divides
     * each shift inside {@link #expRow} (and {@link #narrowBlock}), the rest is unchanged. A temperature whose
     * reciprocal is not a normal float takes the scalar kernel.
     */
    @Override
    void softmax(int rows, int cols, float t, float[] x, int xOffset, float[] y, int yOffset) {
        float invT = 1f / t;
        if (!VectorExp.lanesTake(t, invT)) {
            super.softmax(rows, cols, t, x, xOffset, y, yOffset);
            return;
        }
        if (cols < NARROW_BELOW) {
            narrowSoftmax(rows, cols, t, invT, x, xOffset, y, yOffset);
            return;
        }
        float[] lanes = scratch(LANES, 3 * L);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int yo = yOffset + o;
            float m = rowMax(cols, x, xo);
            if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
                scalarSoftmax(cols, t, x, xo, y, yo);
                continue;
            }
            softmaxRow(cols, x, xo, m, t, invT, y, yo, lanes);
        }
    }

    /** One wide row of the softmax with temperature, its maximum {@code m} finite: {@link #expRow}, {@link #scaleRow}. */
    private static void softmaxRow(int cols, float[] x, int xo, float m, float t, float invT, float[] y, int yo,
                                   float[] lanes) {
        double others = expRow(cols, x, xo, m, t, invT, y, yo, lanes);
        scaleRow(cols, y, yo, VectorExp.TWO_M64 / (1 + others), 0f);
    }

    /** The scalar kernel on one row, with or without a temperature. */
    private static void scalarSoftmax(int cols, float t, float[] x, int xo, float[] y, int yo) {
        if (t == 1f) {
            RowSoftmax.softmax(1, cols, x, xo, y, yo);
        } else {
            RowSoftmax.softmax(1, cols, t, x, xo, y, yo);
        }
    }

    // ------------------------------------------------------------------ masked softmax, log-softmax, logsumexp

    /**
     * Masked softmax: {@link #maskedRows} with the softmax passes. A masked entry is {@code -inf} in the kept copy,
     * so its probability is exactly 0.
     */
    @Override
    void maskedSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] y,
                       int yOffset) {
        maskedRows(MASKED_SOFTMAX, rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    /** Masked log-softmax: {@link #maskedRows} with the log-softmax passes (a masked entry gives exactly -inf). */
    @Override
    void maskedLogSoftmax(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] y,
                          int yOffset) {
        maskedRows(MASKED_LOG_SOFTMAX, rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    /** Masked logsumexp: {@link #maskedRows} with the logsumexp passes (a masked entry adds exactly 0). */
    @Override
    void maskedLogSumExp(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] out,
                         int outOffset) {
        maskedRows(MASKED_LOG_SUM_EXP, rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    private static final int MASKED_SOFTMAX = 0;
    private static final int MASKED_LOG_SOFTMAX = 1;
    private static final int MASKED_LOG_SUM_EXP = 2;

    /**
     * The masked row maps (wide rows: {@link #maskedWideRows}): a chunk of narrow rows ({@link #maskChunk}) is
     * copied to a scratch block with its masked entries
     * set to {@code -inf} ({@link #keptEntries}), and the unmasked op's kernels run on that block: with a finite
     * maximum of the kept entries, the masked op is exactly the unmasked one on those entries with the others at
     * {@code -inf} (the contract's definition). Rows whose kept entries have no finite maximum (none kept, all
     * {@code -inf}, {@code +inf}, NaN) are then redone by the scalar masked kernel on the copy, which holds the row's
     * kept entries: the same result as on {@code x}, so the output may be {@code x}.
     */
    private void maskedRows(int op, int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                            float[] out, int outOffset) {
        if (cols >= NARROW_BELOW) {
            maskedWideRows(op, rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
            return;
        }
        float[] kept = keptScratch(rows, cols);
        for (int r0 = 0; r0 < rows; ) {
            int n = maskChunk(rows - r0);
            int o = r0 * cols;
            int mo = maskOffset + o;
            keptEntries(n * cols, x, xOffset + o, mask, mo, kept, 0);
            int oo = op == MASKED_LOG_SUM_EXP ? outOffset + r0 : outOffset + o;
            if (op == MASKED_SOFTMAX) {
                softmax(n, cols, 1f, kept, 0, out, oo);
            } else if (op == MASKED_LOG_SOFTMAX) {
                logSoftmax(n, cols, kept, 0, out, oo);
            } else {
                logSumExp(n, cols, kept, 0, out, oo);
            }
            for (int r = 0, ko = 0; r < n; r++, ko += cols) {
                if (keptMaxIsFinite(cols, kept, ko)) {
                    continue;
                }
                if (op == MASKED_SOFTMAX) {
                    RowSoftmax.maskedSoftmax(1, cols, kept, ko, mask, mo + ko, out, oo + ko);
                } else if (op == MASKED_LOG_SOFTMAX) {
                    RowSoftmax.maskedLogSoftmax(1, cols, kept, ko, mask, mo + ko, out, oo + ko);
                } else {
                    RowSoftmax.maskedLogSumExp(1, cols, kept, ko, mask, mo + ko, out, oo + r);
                }
            }
            r0 += n;
        }
    }

    /**
     * {@link #maskedRows} of rows of at least {@link #NARROW_BELOW} entries, one at a time: the kept copy and its
     * maximum in one pass ({@link #keptMax}), then the unmasked op's row passes on the copy.
     */
    private static void maskedWideRows(int op, int rows, int cols, float[] x, int xOffset, boolean[] mask,
                                       int maskOffset, float[] out, int outOffset) {
        float[] kept = keptScratch(1, cols);
        float[] lanes = scratch(LANES, 3 * L);
        float[] terms = op == MASKED_SOFTMAX ? null : scratch(ROW, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int mo = maskOffset + o;
            float m = keptMax(cols, x, xOffset + o, mask, mo, kept);
            boolean lanesTake = Math.abs(m) < Float.POSITIVE_INFINITY && cols < MAX_WIDE_COLS;
            if (op == MASKED_SOFTMAX) {
                if (lanesTake) {
                    softmaxRow(cols, kept, 0, m, 1f, 1f, out, outOffset + o, lanes);
                } else {
                    RowSoftmax.maskedSoftmax(1, cols, kept, 0, mask, mo, out, outOffset + o);
                }
            } else if (op == MASKED_LOG_SOFTMAX) {
                if (lanesTake) {
                    logSoftmaxRow(cols, kept, 0, m, out, outOffset + o, lanes, terms);
                } else {
                    RowSoftmax.maskedLogSoftmax(1, cols, kept, 0, mask, mo, out, outOffset + o);
                }
            } else if (lanesTake) {
                out[outOffset + r] = logSumExpRow(cols, kept, 0, m, lanes, terms);
            } else {
                RowSoftmax.maskedLogSumExp(1, cols, kept, 0, mask, mo, out, outOffset + r);
            }
        }
    }

    /**
     * {@code kept_i = mask_i ? x_i : -inf} for a row, into {@code kept} from 0, in the same pass as its maximum
     * (NaN if a kept entry is NaN; {@code max} follows {@link Math#max}, compiled or not).
     */
    private static float keptMax(int cols, float[] x, int xo, boolean[] mask, int mo, float[] kept) {
        int upper = F.loopBound(cols);
        FloatVector minusInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector mv = minusInf;
        FloatVector mw = minusInf;
        int i = 0;
        for (; i + L < upper; i += 2 * L) { // two running maxima, as rowMax
            FloatVector k = minusInf.blend(FloatVector.fromArray(F, x, xo + i),
                    VectorMask.fromArray(F, mask, mo + i));
            FloatVector kk = minusInf.blend(FloatVector.fromArray(F, x, xo + i + L),
                    VectorMask.fromArray(F, mask, mo + i + L));
            k.intoArray(kept, i);
            kk.intoArray(kept, i + L);
            mv = mv.max(k);
            mw = mw.max(kk);
        }
        if (i < upper) {
            FloatVector k = minusInf.blend(FloatVector.fromArray(F, x, xo + i),
                    VectorMask.fromArray(F, mask, mo + i));
            k.intoArray(kept, i);
            mv = mv.max(k);
        }
        float m = mv.max(mw).reduceLanes(VectorOperators.MAX);
        for (i = upper; i < cols; i++) {
            float v = mask[mo + i] ? x[xo + i] : Float.NEGATIVE_INFINITY;
            kept[i] = v;
            m = Math.max(m, v);
        }
        return m;
    }

    /** Rows of a narrow masked op per chunk (a multiple of L, the remainder joined to the last chunk). */
    private static final int MASK_CHUNK = 4 * L;

    /**
     * @return the narrow rows of the next chunk of a masked op, {@code left} rows to go: up to {@link #MASK_CHUNK}
     *         ({@code MASK_CHUNK + L - 1} at the end)
     */
    private static int maskChunk(int left) {
        return left < MASK_CHUNK + L ? left : MASK_CHUNK;
    }

    /** @return this thread's scratch block for the kept copy of a masked op's chunks */
    private static float[] keptScratch(int rows, int cols) {
        return scratch(KEPT, cols >= NARROW_BELOW ? cols : Math.min(rows, MASK_CHUNK + L) * cols);
    }

    /** @return whether the kept copy's row at {@code ko} has a finite maximum (the vector passes can take it) */
    private static boolean keptMaxIsFinite(int cols, float[] kept, int ko) {
        return Math.abs(rowMax(cols, kept, ko)) < Float.POSITIVE_INFINITY;
    }

    /**
     * {@link Validate#labelsKept} at SIMD speed: the rows are one run of {@code rows * cols} entries in both arrays.
     * The bits of the labels where the mask is false are or-ed together a vector at a time, without a branch (bad
     * input is the rare case); shifted left by one (the sign dropped: {@code -0} is allowed) they are 0 unless some
     * such label is not {@code +-0} (NaN and subnormals included). Only then does the scalar check run, to name the
     * first such entry.
     */
    @Override
    void checkLabelsKept(int rows, int cols, float[] labels, int labelsOffset, boolean[] mask, int maskOffset) {
        int n = rows * cols;
        int upper = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        IntVector bits = zero.reinterpretAsInts();
        for (int i = 0; i < upper; i += L) {
            bits = bits.or(FloatVector.fromArray(F, labels, labelsOffset + i)
                    .blend(zero, VectorMask.fromArray(F, mask, maskOffset + i)).reinterpretAsInts());
        }
        boolean found = bits.lanewise(VectorOperators.LSHL, 1).compare(VectorOperators.NE, 0).anyTrue();
        for (int i = upper; i < n && !found; i++) {
            found = !mask[maskOffset + i] && labels[labelsOffset + i] != 0;
        }
        if (found) {
            super.checkLabelsKept(rows, cols, labels, labelsOffset, mask, maskOffset);
        }
    }

    /** {@code kept_i = mask_i ? x_i : -inf} for {@code n} entries. */
    private static void keptEntries(int n, float[] x, int xo, boolean[] mask, int mo, float[] kept, int ko) {
        int upper = F.loopBound(n);
        for (int i = 0; i < upper; i += L) {
            VectorMask<Float> k = VectorMask.fromArray(F, mask, mo + i);
            FloatVector.broadcast(F, Float.NEGATIVE_INFINITY).blend(FloatVector.fromArray(F, x, xo + i), k)
                    .intoArray(kept, ko + i);
        }
        for (int i = upper; i < n; i++) {
            kept[ko + i] = mask[mo + i] ? x[xo + i] : Float.NEGATIVE_INFINITY;
        }
    }

    // ------------------------------------------------------------------------------------------ argmax, jacobian

    /**
     * Argmax in one pass over the row: blocks of {@link #ARGMAX_BLOCK} vectors are folded into their lane maxima,
     * which also go into the row's lane maxima (NaN if the row holds one), and the first block with a lane above
     * the best value so far is remembered (one compare per block; on random data a row raises its best value about
     * {@code ln(blocks)} times, each a lane reduction). Then the first entry equal to the row maximum is looked for
     * from the remembered block on (or from the tail, where the maximum lies past every block), or the first NaN
     * from the start. The scalar kernel's answer: ties to the lowest index, the first NaN wins ({@code -0.0} and
     * {@code 0.0} compare equal, and {@code >} does not pass from one to the other, so the block remembered is the
     * first to hold an entry equal to the maximum).
     */
    @Override
    void argmax(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        if (cols < L) {
            super.argmax(rows, cols, x, xOffset, out, outOffset);
            return;
        }
        for (int r = 0, xo = xOffset; r < rows; r++, xo += cols) {
            out[outOffset + r] = argmaxRow(cols, x, xo);
        }
    }

    /** Vectors per block of {@link #argmaxRow}: a compare per block, not per vector, on the common path. */
    private static final int ARGMAX_BLOCK = 4;

    private static int argmaxRow(int cols, float[] x, int xo) {
        int upper = F.loopBound(cols);
        FloatVector all = FloatVector.fromArray(F, x, xo);
        // the best value is kept as a float, compared by broadcast: a vector set in a branch is boxed on JDK 17
        float bestValue = Float.NEGATIVE_INFINITY;
        int bestAt = 0;
        int i = 0;
        for (; i + ARGMAX_BLOCK * L <= upper; i += ARGMAX_BLOCK * L) {
            FloatVector b = FloatVector.fromArray(F, x, xo + i).max(FloatVector.fromArray(F, x, xo + i + L))
                    .max(FloatVector.fromArray(F, x, xo + i + 2 * L).max(FloatVector.fromArray(F, x, xo + i + 3 * L)));
            all = all.max(b);
            if (b.compare(VectorOperators.GT, bestValue).anyTrue()) {
                bestValue = b.reduceLanes(VectorOperators.MAX);
                bestAt = i;
            }
        }
        for (; i < upper; i += L) {
            FloatVector b = FloatVector.fromArray(F, x, xo + i);
            all = all.max(b);
            if (b.compare(VectorOperators.GT, bestValue).anyTrue()) {
                bestValue = b.reduceLanes(VectorOperators.MAX);
                bestAt = i;
            }
        }
        float m = all.reduceLanes(VectorOperators.MAX);
        for (int c = upper; c < cols; c++) {
            m = Math.max(m, x[xo + c]);
        }
        if (m != m) {
            return firstMaximum(cols, x, xo, m, 0);
        }
        return firstMaximum(cols, x, xo, m, bestValue == m ? bestAt : upper);
    }

    /**
     * The index of the first entry from {@code from} (a multiple of {@link #L}, or the row's tail) on equal to
     * {@code m} or, if {@code m} is NaN, of the first NaN; no entry before {@code from} may qualify.
     */
    private static int firstMaximum(int cols, float[] x, int xo, float m, int from) {
        int upper = F.loopBound(cols);
        boolean nan = m != m;
        // two loops, not one with a choice of compare: a mask chosen by a branch is boxed on JDK 17 (allocates)
        for (int i = from; i < upper && !nan; i += L) {
            VectorMask<Float> hit = FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (int i = from; i < upper && nan; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            VectorMask<Float> hit = v.compare(VectorOperators.NE, v);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (int i = Math.max(from, upper); i < cols; i++) {
            float v = x[xo + i];
            if (nan ? v != v : v == m) {
                return i;
            }
        }
        throw new AssertionError("no maximum in a row of " + cols);
    }

    /**
     * Top-k: the scalar kernel's steps ({@link Selection#startTopK}), offered only the entries that can be in the
     * answer, so the same indices as the scalar kernel (the top k of any subset that holds the top k are the top k).
     * For {@code k <= L}, a first pass takes the row's maximum per lane: {@code L} entries of the row, so at least
     * {@code k} entries are {@code >=} the k-th largest of them ({@link #kthLaneMaximum}), and no entry below it can
     * be in the top k; the second pass offers only the entries {@code >=} it (a handful on a row of 1000, where the
     * running bar below lets 5 ln(C / 5), about 27, enter and leave again). A row with NaN, or {@code k > L}, gates
     * each vector on the last kept entry instead: an entry enters iff it ranks before it, i.e. it is greater or NaN.
     */
    @Override
    void topK(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset, int[] indices,
              int indicesOffset) {
        if (cols < 2 * L) {
            super.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
            return;
        }
        float[] lanes = scratch(LANES, L);
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * cols;
            int io = indicesOffset + r * k;
            Selection.startTopK(k, x, xo, indices, io);
            float floor = k <= L ? kthLaneMaximum(k, cols, x, xo, lanes) : Float.NaN;
            int c = floor == floor ? offerFrom(floor, k, cols, k, x, xo, indices, io)
                    : offerGated(k, cols, k, x, xo, indices, io);
            Selection.offer(c, cols, k, x, xo, indices, io);
            Selection.finishTopK(k, x, xo, indices, io);
            if (values != null) {
                Selection.topKValues(k, x, xo, indices, io, values, valuesOffset + r * k);
            }
        }
    }

    /**
     * @param lanes scratch of at least {@code L} floats
     * @return the k-th largest of the row's per-lane maxima over its whole vectors ({@code 1 <= k <= L}), so at most
     *         the k-th largest entry: NaN if the row holds NaN there ({@code max} keeps NaN)
     */
    private static float kthLaneMaximum(int k, int cols, float[] x, int xo, float[] lanes) {
        FloatVector maxima = laneMaxima(F.loopBound(cols), x, xo);
        if (maxima.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        maxima.intoArray(lanes, 0);
        // lane l's maximum is the k-th largest (ties counted) iff fewer than k are greater and at least k are not
        // smaller: two compares and popcounts per lane, no branch on the data (k scans for the largest left missed
        // their branch about 3 times each)
        for (int l = 0; l < L; l++) {
            float v = lanes[l];
            int greater = maxima.compare(VectorOperators.GT, v).trueCount();
            if (greater < k && k <= greater + maxima.compare(VectorOperators.EQ, v).trueCount()) {
                return v;
            }
        }
        throw new AssertionError("no k-th largest of the lane maxima, k = " + k);
    }

    /**
     * Offers the entries of {@code [from, upper)} that are not below {@code floor}: {@code >= floor} or NaN (the lane
     * maxima do not see the last {@code cols mod L} entries, which may hold one), by one compare per vector; in a
     * vector with such an entry, each lane from that one on is compared with the floor again and offered alone to
     * {@link Selection#offer} if it is not below it (offers in ascending index order, as the scalar kernel's).
     *
     * @return where the scalar tail starts
     */
    private static int offerFrom(float floor, int from, int cols, int k, float[] x, int xo, int[] idx, int io) {
        int c = from;
        for (; c + L <= cols; c += L) {
            VectorMask<Float> may = FloatVector.fromArray(F, x, xo + c).compare(VectorOperators.LT, floor).not();
            if (may.anyTrue()) {
                // the lanes of the vector from its first that may enter, each checked against the floor again (on
                // JDK 17 VectorMask.toLong is not an intrinsic and allocates: a loop over its set bits did, 2 KB per
                // row), those not below it offered one by one
                for (int l = c + may.firstTrue(); l < c + L; l++) {
                    float v = x[xo + l];
                    if (!(v < floor)) {
                        Selection.offer(l, l + 1, k, x, xo, idx, io);
                    }
                }
            }
        }
        return c;
    }

    /**
     * Offers the entries of {@code [from, upper)} that rank before the last kept one when they come: greater than it
     * or NaN, i.e. not {@code <=} it (one compare per vector), while that is not NaN.
     *
     * @return where the scalar tail starts ({@code cols} once a NaN is kept last: nothing after it can enter)
     */
    private static int offerGated(int from, int cols, int k, float[] x, int xo, int[] idx, int io) {
        int c = from;
        for (; c + L <= cols; c += L) {
            float bar = x[xo + Selection.lastKept(k, idx, io)];
            if (bar != bar) {
                return cols;
            }
            VectorMask<Float> may = FloatVector.fromArray(F, x, xo + c).compare(VectorOperators.LE, bar).not();
            if (may.anyTrue()) {
                Selection.offer(c + may.firstTrue(), c + L, k, x, xo, idx, io); // as in offerFrom
            }
        }
        return c;
    }

    /**
     * {@code J[i, j] = -y_i y_j} as float products (one rounding of the exact product: the scalar kernel's bits),
     * the diagonal by the scalar kernel's formula; rows {@code [from, to)}.
     */
    @Override
    void jacobian(int cols, int from, int to, float[] y, int yOffset, float[] jac, int jacOffset) {
        if (cols < L) {
            super.jacobian(cols, from, to, y, yOffset, jac, jacOffset);
            return;
        }
        int upper = F.loopBound(cols);
        for (int i = from, o = jacOffset + from * cols; i < to; i++, o += cols) {
            float yi = y[yOffset + i];
            FloatVector minus = FloatVector.broadcast(F, -yi);
            for (int j = 0; j < upper; j += L) {
                FloatVector.fromArray(F, y, yOffset + j).mul(minus).intoArray(jac, o + j);
            }
            for (int j = upper; j < cols; j++) {
                jac[o + j] = y[yOffset + j] * -yi;
            }
            jac[o + i] = SoftmaxGradients.jacobianDiagonal(yi);
        }
    }

    /** Below this {@link #log1p} calls {@link Math#log1p}; above, {@code log(1 + v)} is good to 2^-33 relative. */
    private static final double LOG1P_BELOW = 0x1p-20;

    /**
     * {@code log(1 + v)} to much better than a float ulp: {@link Math#log} (a JIT intrinsic, about 2.5x faster than
     * {@code Math.log1p}, a native call on JDK 17) where rounding {@code 1 + v} costs at most 2^-53 absolute, i.e.
     * 2^-33 relative for {@code v >= 2^-20}; {@code Math.log1p} below.
     */
    private static double log1p(double v) {
        return v >= LOG1P_BELOW ? Math.log(1 + v) : Math.log1p(v);
    }

    /**
     * The maximum per lane over the whole vectors {@code [0, upper)} of a row ({@code upper >= L}): each lane is one
     * entry of the row, NaN if its lane holds one ({@code max} follows {@link Math#max}). Two running maxima halve
     * the dependency chain; max is exact, so the order does not change the result.
     */
    private static FloatVector laneMaxima(int upper, float[] x, int xo) {
        FloatVector mv = FloatVector.fromArray(F, x, xo);
        FloatVector mw = mv;
        int i = L;
        for (; i + L < upper; i += 2 * L) {
            mv = mv.max(FloatVector.fromArray(F, x, xo + i));
            mw = mw.max(FloatVector.fromArray(F, x, xo + i + L));
        }
        if (i < upper) {
            mv = mv.max(FloatVector.fromArray(F, x, xo + i));
        }
        return mv.max(mw);
    }

    /** The row maximum (NaN if the row holds one; compiled or not, {@code max} follows {@link Math#max}). */
    private static float rowMax(int cols, float[] x, int xo) {
        int upper = F.loopBound(cols);
        float m = Float.NEGATIVE_INFINITY;
        if (upper > 0) {
            m = laneMaxima(upper, x, xo).reduceLanes(VectorOperators.MAX);
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
        return expRow(cols, x, xo, m, 1f, 1f, out, oo, lanes);
    }

    /**
     * {@link #expRow} of {@code exp((x_c - m) / t)}: the shift {@code hi + lo} is divided as
     * {@link VectorExp#scalarShifted(float, float, float, float)} divides it ({@code t = 1}: not at all). Needs
     * {@link VectorExp#lanesTake}{@code (t, invT)}.
     */
    private static double expRow(int cols, float[] x, int xo, float m, float t, float invT, float[] out, int oo,
                                 float[] lanes) {
        int upper = F.loopBound(cols);
        boolean scaled = t != 1f;
        FloatVector tv = FloatVector.broadcast(F, t);
        FloatVector mb = FloatVector.broadcast(F, m);
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector s = zero;
        FloatVector comp = zero;
        FloatVector ties = zero;
        for (int i = 0; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector hi = xv.sub(mb);
            FloatVector lo = VectorExp.shiftError(xv, mb, hi);
            if (scaled) {
                FloatVector q = hi.mul(invT);
                lo = q.neg().fma(tv, hi).add(lo).mul(invT);
                hi = q;
            }
            FloatVector e = VectorExp.exp64(hi, lo);
            e.intoArray(out, oo + i);
            VectorMask<Float> tie = xv.compare(VectorOperators.EQ, mb);
            ties = ties.add(zero.blend(one, tie));
            e = e.blend(zero, tie);
            FloatVector sum = s.add(e);
            FloatVector bp = sum.sub(s);
            comp = comp.add(s.sub(sum.sub(bp)).add(e.sub(bp)));
            s = sum;
        }
        double sum = 0;
        long tieCount = 0;
        for (int i = upper; i < cols; i++) {
            float v = x[xo + i];
            float e = VectorExp.scalarShifted(v, m, t, invT);
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

    /**
     * {@code y_c = y_c * factor - offset} with one rounding of the product: the factor is split into a float {@code f}
     * and the float {@code d} of its remainder, and {@code y_c = fma(y_c, f, fma(y_c, d, -offset))}.
     */
    private static void scaleRow(int cols, float[] y, int yo, double factor, float offset) {
        float f = (float) factor;
        float d = (float) (factor - f);
        int upper = F.loopBound(cols);
        FloatVector fv = FloatVector.broadcast(F, f);
        FloatVector dv = FloatVector.broadcast(F, d);
        FloatVector ov = FloatVector.broadcast(F, -offset);
        for (int i = 0; i < upper; i += L) {
            FloatVector e = FloatVector.fromArray(F, y, yo + i);
            e.fma(fv, e.fma(dv, ov)).intoArray(y, yo + i);
        }
        for (int i = upper; i < cols; i++) {
            float e = y[yo + i];
            y[yo + i] = Math.fma(e, f, Math.fma(e, d, -offset));
        }
    }

    /**
     * {@link #scaleRow} lane-wise on the terms of a narrow block, with the factors {@link #narrowFactors} stored. (No
     * vector parameters here or in the other helpers: a vector passed to a call the JIT does not inline is boxed.)
     */
    private static void scaleTerms(int cols, float[] t, float offset) {
        FloatVector fv = FloatVector.fromArray(F, t, (2 * cols + 4) * L);
        FloatVector dv = FloatVector.fromArray(F, t, (2 * cols + 5) * L);
        FloatVector ov = FloatVector.broadcast(F, -offset);
        for (int c = cols; c < 2 * cols; c++) {
            FloatVector e = FloatVector.fromArray(F, t, c * L);
            e.fma(fv, e.fma(dv, ov)).intoArray(t, c * L);
        }
    }

    // --------------------------------------------------------------------------------- log-softmax, logsumexp

    /**
     * {@code y_c = x_c - (m + l)} with {@code l = log1p(others)} in double ({@link #expRow}, its terms, only summed,
     * written to {@code y}, or to a scratch row when {@code y} is {@code x}), the shift {@code m + l} kept as a pair
     * of floats ({@link #logRow}): two roundings relative to {@code y_c} and the shift's, nothing cancelling; two
     * subtractions per entry, like the softmax's scaling.
     */
    @Override
    void logSoftmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        if (cols < NARROW_BELOW) {
            narrowLogSoftmax(rows, cols, x, xOffset, y, yOffset);
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
            logSoftmaxRow(cols, x, xo, m, y, yo, lanes, terms);
        }
    }

    /** One wide row of the log-softmax, its maximum {@code m} finite (the terms go to {@code terms}). */
    private static void logSoftmaxRow(int cols, float[] x, int xo, float m, float[] y, int yo, float[] lanes,
                                      float[] terms) {
        // the terms are only summed: into y unless y is x (then the scratch row)
        float[] t = y == x ? terms : y;
        double l = log1p(expRow(cols, x, xo, m, t, t == y ? yo : 0, lanes));
        float hi = (float) (m + l);
        logRow(cols, x, xo, hi, (float) (((double) m - hi) + l), y, yo);
    }

    /**
     * {@code y_c = (x_c - hi) - lo}, with {@code hi + lo} the shift {@code m + l}, {@code l = log1p(others)} in
     * double: {@code hi} the float rounding of {@code m + l}, {@code lo} that of {@code (m - hi) + l} ({@code m - hi}
     * exact in double, so a tiny {@code l} beside a large {@code m} is kept). Where {@code x_c - hi} is not exact
     * (Sterbenz), {@code |x_c - hi| > |hi| / 2}, so {@code |lo| <= 2u |x_c - hi|}: two roundings relative to
     * {@code y_c}, nothing cancels; near the maximum it is exact and {@code y_c = -(hi - m) - lo} is rounded once;
     * {@code -inf} stays {@code -inf}.
     */
    private static void logRow(int cols, float[] x, int xo, float hi, float lo, float[] y, int yo) {
        int upper = F.loopBound(cols);
        FloatVector hb = FloatVector.broadcast(F, hi);
        FloatVector lb = FloatVector.broadcast(F, lo);
        for (int i = 0; i < upper; i += L) {
            FloatVector.fromArray(F, x, xo + i).sub(hb).sub(lb).intoArray(y, yo + i);
        }
        for (int i = upper; i < cols; i++) {
            y[yo + i] = (x[xo + i] - hi) - lo;
        }
    }

    /** {@code m + log1p(others)} in double, rounded once ({@link #expRow}'s terms go to a scratch row). */
    @Override
    void logSumExp(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        if (cols < NARROW_BELOW) {
            narrowLogSumExp(rows, cols, x, xOffset, out, outOffset);
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
            out[outOffset + r] = logSumExpRow(cols, x, xo, m, lanes, terms);
        }
    }

    /** One wide row's logsumexp, its maximum {@code m} finite: {@code m + log1p(others)} in double, rounded once. */
    private static float logSumExpRow(int cols, float[] x, int xo, float m, float[] lanes, float[] terms) {
        return (float) (m + log1p(expRow(cols, x, xo, m, terms, 0, lanes)));
    }

    // --------------------------------------------------------------------------------------- softmax backward

    /** Below this sum of {@code |dy_c y_c|} (per column) a row may hold float-subnormal products: scalar row. */
    private static final float TINY_PRODUCTS = 0x1p-100f;
    /** Above this {@code |s|} the float {@code dy - s} could overflow where the scalar double one does not. */
    private static final double HUGE_DOT = 0x1p120;
    /**
     * From this {@code |dy_c|} on, the float {@code dy_c - s} could overflow even with {@code |s| < 2^120} (at
     * {@code dy = [-MAX_VALUE, MAX_VALUE]}, found by the cross-backend fuzzer): {@code 2^127 + 2^120} stays below
     * {@code MAX_VALUE}.
     */
    private static final float HUGE_DY = 0x1p127f;

    /**
     * {@code dx = y * (dy - s)}, {@code s = sum_c dy_c y_c}: each product is split exactly ({@code p} and
     * {@code fma(dy, y, -p)}) and summed per lane with TwoSum, so {@code s} is as good as a double sum; the rest in
     * float, within the contract's {@code B u |y| (|dy| + sum |dy y|)}. Rows whose products may be subnormal or
     * whose {@code s} or {@code dy} is huge take the scalar kernel (double throughout). {@code dx} may be {@code y} or
     * {@code dy}.
     */
    @Override
    void softmaxBackward(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset, float[] dx,
                         int dxOffset) {
        if (cols < NARROW_BELOW) {
            narrowSoftmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
            return;
        }
        float[] lanes = scratch(LANES, 4 * L);
        int upper = F.loopBound(cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int yo = yOffset + o;
            int go = dyOffset + o;
            int xo = dxOffset + o;
            FloatVector s = FloatVector.zero(F);
            FloatVector comp = FloatVector.zero(F);
            FloatVector abs = FloatVector.zero(F);
            FloatVector big = FloatVector.zero(F);
            for (int i = 0; i < upper; i += L) {
                FloatVector yv = FloatVector.fromArray(F, y, yo + i);
                FloatVector gv = FloatVector.fromArray(F, dy, go + i);
                FloatVector p = gv.mul(yv);
                FloatVector err = gv.fma(yv, p.neg());
                FloatVector t = s.add(p);
                FloatVector bp = t.sub(s);
                comp = comp.add(s.sub(t.sub(bp)).add(p.sub(bp)).add(err));
                abs = abs.add(p.abs());
                big = big.max(gv.abs());
                s = t;
            }
            double dot = 0;
            float biggest = 0;
            for (int i = upper; i < cols; i++) {
                dot += (double) dy[go + i] * y[yo + i];
                biggest = Math.max(biggest, Math.abs(dy[go + i]));
            }
            s.intoArray(lanes, 0);
            comp.intoArray(lanes, L);
            abs.intoArray(lanes, 2 * L);
            big.intoArray(lanes, 3 * L);
            float absSum = 0;
            for (int j = 0; j < L; j++) {
                dot += lanes[j];
                dot += lanes[L + j];
                absSum += lanes[2 * L + j];
                biggest = Math.max(biggest, lanes[3 * L + j]);
            }
            if (!(Math.abs(dot) < HUGE_DOT) || !(absSum >= TINY_PRODUCTS * cols) || !(biggest < HUGE_DY)) {
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

    /** Log-probabilities below this have an exp below the float normal range: such rows take the scalar kernel. */
    private static final float LOWEST_LOGP = -87f;

    /**
     * {@code dx = dlogp - exp(logp) s}, {@code s = sum_c dlogp_c}: {@code s} per lane with TwoSum (as good as a double
     * sum), {@code exp(logp)} by {@link VectorExp} (normal floats for {@code -87 <= logp <= 0}), then one fma per
     * element, {@code fma(-exp(logp), s, dlogp)}. Rows with a log-probability outside {@code [-87, 0]} (or NaN), or
     * whose float {@code s} would be subnormal or beyond 2^100, take the scalar kernel (double throughout).
     * {@code dx} may be either input.
     */
    @Override
    void logSoftmaxBackward(int rows, int cols, float[] logp, int logpOffset, float[] dlogp, int dlogpOffset,
                            float[] dx, int dxOffset) {
        if (cols < NARROW_BELOW) {
            narrowLogSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
            return;
        }
        float[] lanes = scratch(LANES, 3 * L);
        int upper = F.loopBound(cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int lo = logpOffset + o;
            int go = dlogpOffset + o;
            int xo = dxOffset + o;
            FloatVector zero = FloatVector.zero(F);
            FloatVector s = zero;
            FloatVector comp = zero;
            FloatVector low = zero;
            FloatVector high = FloatVector.broadcast(F, LOWEST_LOGP);
            for (int i = 0; i < upper; i += L) {
                FloatVector g = FloatVector.fromArray(F, dlogp, go + i);
                FloatVector l = FloatVector.fromArray(F, logp, lo + i);
                low = low.min(l);
                high = high.max(l);
                FloatVector t = s.add(g);
                FloatVector bp = t.sub(s);
                comp = comp.add(s.sub(t.sub(bp)).add(g.sub(bp)));
                s = t;
            }
            double sum = 0;
            float least = 0;
            float most = LOWEST_LOGP;
            for (int i = upper; i < cols; i++) {
                sum += dlogp[go + i];
                least = Math.min(least, logp[lo + i]);
                most = Math.max(most, logp[lo + i]);
            }
            s.intoArray(lanes, 0);
            comp.intoArray(lanes, L);
            for (int j = 0; j < 2 * L; j++) {
                sum += lanes[j];
            }
            least = Math.min(least, low.reduceLanes(VectorOperators.MIN));
            most = Math.max(most, high.reduceLanes(VectorOperators.MAX));
            float sf = (float) sum;
            if (!(least >= LOWEST_LOGP && most <= 0)
                    || !(sf == 0 || Math.abs(sf) >= Float.MIN_NORMAL && Math.abs(sum) < 0x1p100)) {
                SoftmaxGradients.logSoftmaxBackward(1, cols, logp, lo, dlogp, go, dx, xo);
                continue;
            }
            FloatVector sv = FloatVector.broadcast(F, -sf);
            FloatVector zeroShift = zero;
            for (int i = 0; i < upper; i += L) {
                FloatVector e = VectorExp.exp64(FloatVector.fromArray(F, logp, lo + i), zeroShift).mul(TWO_M64F);
                e.fma(sv, FloatVector.fromArray(F, dlogp, go + i)).intoArray(dx, xo + i);
            }
            for (int i = upper; i < cols; i++) {
                float e = VectorExp.scalar(logp[lo + i], 0f) * TWO_M64F;
                dx[xo + i] = Math.fma(e, -sf, dlogp[go + i]);
            }
        }
    }

    /** 2^-64 as a float: undoes {@link VectorExp}'s scaling, exactly for normal results. */
    private static final float TWO_M64F = 0x1p-64f;

    // ---------------------------------------------------------------------- cross-entropy from probabilities

    /**
     * Keras' cross-entropy from probabilities, {@code loss = -sum_c l_c log(clip(p_c / s, eps, 1 - eps))} with
     * {@code s} the row's sum, for rows of at least {@code 2 L} classes and {@code 0 < eps < 1/2} (others: the scalar
     * kernel). Per row: the sum {@code s} in double lanes (each float vector converted in two halves, the lanes added
     * in lane order; terms of one sign, so within about {@code C 2^-53} relative, far below the float {@code 1 / s}
     * made from it); then, only over the vectors with a label other than {@code +-0} (one-hot labels: one vector per
     * row), in float lanes {@code p_c = prob_c inv} with {@code inv = 1 / s} rounded to float,
     * {@code g_c = log(max(p_c, eps))} with {@link VectorLog#log(FloatVector)}, and the products {@code l_c g_c}
     * rounded once to float and added in double lanes. A term is then within 4 float ulps of its value ({@code p} one
     * ulp off at most, {@code |log p| >= ln 2} below one half, the log two ulps, the product half an ulp), and the
     * terms share one sign, so the loss is within about 4.5 ulps: inside the row-op bound ({@code 4 + log2 C} ulps,
     * 9 at the 32 classes this kernel starts at). A probability above one half (at most one per row, or two that both
     * round up to it) is left to {@link CrossEntropyKernels#clippedLog} with {@code 1 - p = others / s}: the sum of
     * the row's other entries, made by a pass of its own (only in such rows) with no cancellation, so that a
     * confident row's tiny loss keeps its relative accuracy (the compensated sum of every row it replaces took about
     * a tenth of the op). The scalar kernel takes the rows whose sum is 0, infinite
     * or NaN (NaN, as Keras), whose {@code 1 / s} is not a normal float, those with a negative label (terms of both
     * signs can cancel, where only the scalar kernel's double logs keep the bound) and all rows when {@code eps} is
     * below the normal floats.
     */
    @Override
    double crossEntropy(int rows, int cols, float[] probabilities, int pOffset, float[] labels, int lOffset, float eps,
                        float[] loss, int lossOffset) {
        if (cols < 2 * L || !(eps > 0 && eps < 0.5f)) {
            return super.crossEntropy(rows, cols, probabilities, pOffset, labels, lOffset, eps, loss, lossOffset);
        }
        double[] sums = DOUBLE_LANES.get(); // 8 L doubles, at most 2 L used
        int[] labelled = SCRATCH.get().ints(LABELLED, cols / L);
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double v = probabilitiesRow(cols, probabilities, pOffset + o, labels, lOffset + o, eps, sums, labelled);
            if (loss != null) {
                loss[lossOffset + r] = (float) v;
            }
            total += v;
        }
        return total;
    }

    private static double probabilitiesRow(int cols, float[] prob, int po, float[] labels, int lo, float eps,
                                           double[] sums, int[] labelled) {
        int upper = F.loopBound(cols);
        int dl = VectorLog.D.length();
        // the row sum and the list of labelled vectors, in a method of its own: this one stays small enough for C2
        // to inline VectorLog.log into its log pass (a call it does not inline boxes the vectors it takes)
        int vectors = probabilitiesSum(cols, prob, po, labels, lo, sums, labelled);
        double s = sums[2 * dl];
        int i;
        if (s == 0 || !(Math.abs(s) < Double.POSITIVE_INFINITY)) {
            return CrossEntropyKernels.crossEntropy(1, cols, prob, po, labels, lo, eps, null, 0);
        }
        float inv = (float) (1 / s);
        if (!(inv >= Float.MIN_NORMAL && inv < Float.POSITIVE_INFINITY && eps >= Float.MIN_NORMAL)) {
            return CrossEntropyKernels.crossEntropy(1, cols, prob, po, labels, lo, eps, null, 0);
        }
        // the labels' dot product with log(max(p_c, eps)), p_c = prob_c * inv in float lanes, over the vectors with
        // a label other than +-0 (a one-hot row: one vector); each product rounded once to float, then added in
        // double lanes
        java.util.Arrays.fill(sums, 0, 2 * dl, 0.0);
        boolean negative = false;
        int firstHigh = upper;
        int endHigh = 0;
        for (int j = 0; j < vectors; j++) {
            i = labelled[j];
            FloatVector lv = FloatVector.fromArray(F, labels, lo + i);
            negative |= lv.compare(VectorOperators.LT, 0f).anyTrue();
            FloatVector p = FloatVector.fromArray(F, prob, po + i).mul(inv);
            VectorMask<Float> high = p.compare(VectorOperators.GT, 0.5f);
            if (high.anyTrue()) {
                // left to clippedLog below (no call here: the loop's vectors stay in registers)
                firstHigh = Math.min(firstHigh, i);
                endHigh = i + L;
            }
            FloatVector h = lv.mul(VectorLog.log(p.blend(1f, high).max(eps))); // log(1) = 0 above one half
            DoubleVector.fromArray(VectorLog.D, sums, 0)
                    .add((DoubleVector) h.convertShape(VectorOperators.F2D, VectorLog.D, 0)).intoArray(sums, 0);
            DoubleVector.fromArray(VectorLog.D, sums, dl)
                    .add((DoubleVector) h.rearrange(SWAP_HALVES).convertShape(VectorOperators.F2D, VectorLog.D, 0))
                    .intoArray(sums, dl);
        }
        if (negative) {
            // terms of both signs can cancel: the scalar kernel's double logs
            return CrossEntropyKernels.crossEntropy(1, cols, prob, po, labels, lo, eps, null, 0);
        }
        double acc = laneSum(sums);
        boolean tailHigh = false;
        for (int c = upper; c < cols; c++) {
            tailHigh |= labels[lo + c] != 0 && prob[po + c] * inv > 0.5f;
        }
        // an entry above one half (one per row, or two that both round up to it): 1 - p as the sum of the others
        // over s, with no cancellation (the entries at most one half, and the other entries above it)
        double highSum = s;
        double others = 0;
        if (firstHigh < endHigh || tailHigh) {
            highSum = 0;
            others = sumsAroundHalf(cols, prob, po, inv, sums);
            for (int c = 0; c < cols; c++) {
                highSum += prob[po + c] * inv > 0.5f ? prob[po + c] : 0;
            }
        }
        double tail = 1.0 - (1f - eps);
        for (int c = firstHigh; c < endHigh; c++) {
            float label = labels[lo + c];
            if (label != 0 && prob[po + c] * inv > 0.5f) {
                acc += label * CrossEntropyKernels.clippedLog(prob[po + c], highSum, others, s, eps, tail);
            }
        }
        for (int c = upper; c < cols; c++) {
            float label = labels[lo + c];
            if (label != 0) {
                acc += label * CrossEntropyKernels.clippedLog(prob[po + c], highSum, others, s, eps, tail);
            }
        }
        if (acc != acc) {
            // a NaN label, or an infinite one on a confident entry (its lane gives inf * log(1) = NaN there, where the
            // scalar kernel gives an infinite loss): the scalar kernel's answer
            return CrossEntropyKernels.crossEntropy(1, cols, prob, po, labels, lo, eps, null, 0);
        }
        return -acc;
    }

    /**
     * The first pass of {@link #probabilitiesRow}: the row's sum into {@code sums[2 D.length()]}, in double lanes
     * (terms of one sign: within about {@code C 2^-53} relative), and the vectors with a label other than {@code +-0}
     * listed in {@code labelled}.
     *
     * @return how many vectors are listed
     */
    private static int probabilitiesSum(int cols, float[] prob, int po, float[] labels, int lo, double[] sums,
                                        int[] labelled) {
        int upper = F.loopBound(cols);
        int dl = VectorLog.D.length();
        // the lane sums live in the array, not in loop-carried vectors: in a JVM that ran only long rows (64x32000)
        // C2 boxed such accumulators on every row (12 to 43 KB per call); two vectors per step keep the array's
        // load-add-store chain off the pass's pace
        java.util.Arrays.fill(sums, 0, 2 * dl, 0.0);
        // the vectors with a label other than +-0, listed for the log pass (skipping the others there with a branch
        // would carry its vectors through one, which C2 boxes on JDK 17)
        int vectors = 0;
        int i = 0;
        for (; i + L < upper; i += 2 * L) {
            labelled[vectors] = i;
            vectors += FloatVector.fromArray(F, labels, lo + i).compare(VectorOperators.NE, 0f).anyTrue() ? 1 : 0;
            labelled[vectors] = i + L;
            vectors += FloatVector.fromArray(F, labels, lo + i + L).compare(VectorOperators.NE, 0f).anyTrue() ? 1 : 0;
            FloatVector pv = FloatVector.fromArray(F, prob, po + i);
            FloatVector pw = FloatVector.fromArray(F, prob, po + i + L);
            DoubleVector.fromArray(VectorLog.D, sums, 0)
                    .add(((DoubleVector) pv.convertShape(VectorOperators.F2D, VectorLog.D, 0))
                            .add((DoubleVector) pw.convertShape(VectorOperators.F2D, VectorLog.D, 0)))
                    .intoArray(sums, 0);
            DoubleVector.fromArray(VectorLog.D, sums, dl)
                    .add(((DoubleVector) pv.rearrange(SWAP_HALVES).convertShape(VectorOperators.F2D, VectorLog.D, 0))
                            .add((DoubleVector) pw.rearrange(SWAP_HALVES)
                                    .convertShape(VectorOperators.F2D, VectorLog.D, 0)))
                    .intoArray(sums, dl);
        }
        if (i < upper) {
            labelled[vectors] = i;
            vectors += FloatVector.fromArray(F, labels, lo + i).compare(VectorOperators.NE, 0f).anyTrue() ? 1 : 0;
            FloatVector pv = FloatVector.fromArray(F, prob, po + i);
            DoubleVector.fromArray(VectorLog.D, sums, 0)
                    .add((DoubleVector) pv.convertShape(VectorOperators.F2D, VectorLog.D, 0)).intoArray(sums, 0);
            DoubleVector.fromArray(VectorLog.D, sums, dl)
                    .add((DoubleVector) pv.rearrange(SWAP_HALVES).convertShape(VectorOperators.F2D, VectorLog.D, 0))
                    .intoArray(sums, dl);
        }
        double s = laneSum(sums);
        for (i = upper; i < cols; i++) {
            s += prob[po + i];
        }
        sums[2 * dl] = s;
        return vectors;
    }

    /**
     * @return {@code sums[0, 2 D.length())}, two double vectors' lanes, added in lane order (never
     *         reduceLanes(ADD), whose order may differ between JIT tiers; no vector parameter, which a call C2 does not
     *         inline would box)
     */
    private static double laneSum(double[] sums) {
        int dl = VectorLog.D.length();
        double sum = 0;
        for (int j = 0; j < 2 * dl; j++) {
            sum += sums[j];
        }
        return sum;
    }

    /**
     * @return the sum of a row's probabilities whose quotient {@code prob_c * inv} is at most one half, in double lanes
     *         (terms of one sign: relative error about {@code C 2^-53})
     */
    private static double sumsAroundHalf(int cols, float[] prob, int po, float inv, double[] sums) {
        int upper = F.loopBound(cols);
        int dl = VectorLog.D.length();
        java.util.Arrays.fill(sums, 0, 2 * dl, 0.0); // in the array, as the row sum's lanes (see there)
        for (int i = 0; i < upper; i += L) {
            FloatVector pv = FloatVector.fromArray(F, prob, po + i);
            pv = pv.blend(0f, pv.mul(inv).compare(VectorOperators.GT, 0.5f));
            DoubleVector.fromArray(VectorLog.D, sums, 0)
                    .add((DoubleVector) pv.convertShape(VectorOperators.F2D, VectorLog.D, 0)).intoArray(sums, 0);
            DoubleVector.fromArray(VectorLog.D, sums, dl)
                    .add((DoubleVector) pv.rearrange(SWAP_HALVES).convertShape(VectorOperators.F2D, VectorLog.D, 0))
                    .intoArray(sums, dl);
        }
        double others = laneSum(sums);
        for (int c = upper; c < cols; c++) {
            others += prob[po + c] * inv > 0.5f ? 0 : prob[po + c];
        }
        return others;
    }

    // ------------------------------------------------------------------------------------- sparse cross-entropy

    @Override
    double sparse(int rows, int cols, float[] x, int xOffset, int[] classes, int classesOffset,
                  CrossEntropyOptions options, double scale, float[] loss, int lossOffset, float[] gradient,
                  int gOffset, double[] rowLoss, int rowLossOffset) {
        boolean weights = options.hasClassWeights();
        boolean weightedSmoothing = weights && options.labelSmoothing() != 0;
        if (weightedSmoothing && cols < NARROW_BELOW) {
            return super.sparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss, lossOffset,
                    gradient, gOffset, rowLoss, rowLossOffset);
        }
        if (gradient == null) {
            // the loss alone (evaluation): the same kernels on a per-thread scratch gradient, a block at a time
            int block = cols < NARROW_BELOW ? L : 1;
            float[] g = scratch(GRADIENT, block * cols);
            double total = 0;
            for (int r = 0; r < rows; r += block) {
                total += sparse(Math.min(block, rows - r), cols, x, xOffset + r * cols, classes, classesOffset + r,
                        options, scale, loss, loss == null ? 0 : lossOffset + r, g, 0, rowLoss,
                        rowLoss == null ? 0 : rowLossOffset + r);
            }
            return total;
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
        if (cols < NARROW_BELOW) {
            return narrowSparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss, lossOffset,
                    gradient, gOffset, rowLoss, rowLossOffset);
        }
        float[] lanes = scratch(LANES, 3 * L);
        int ignore = options.ignoreIndex();
        // class weights with smoothing: q_c = (1 - e) w_t [c == t] + (e / C) w_c is the dense target of a one-hot
        // label, so such rows are the dense kernel's on a row of targets (spread part set once, the target per row)
        float[] q = weightedSmoothing ? weightedTargets(cols, null, 0, 0,
                options.labelSmoothing() / cols, classWeights(cols, options)) : null;
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int xo = xOffset + o;
            int go = gOffset + o;
            int t = classes[classesOffset + r];
            double v;
            if (t == ignore) {
                v = 0;
                java.util.Arrays.fill(gradient, go, go + cols, 0f);
            } else if (weightedSmoothing) {
                int c = classIndex(classes, classesOffset + r, cols);
                float spreadOnly = q[c];
                double w = options.classWeight(c);
                q[c] = (float) ((1 - options.labelSmoothing()) * w + options.labelSmoothing() / cols * w);
                v = denseRow(cols, x, xo, rowMax(cols, x, xo), q, 0, TARGETS_ONLY, scale, gradient, go, lanes);
                q[c] = spreadOnly;
            } else {
                v = wideRow(cols, x, xo, rowMax(cols, x, xo), classes, classesOffset + r, scale,
                        weights ? options.classWeight(t) : 1, gradient, go, lanes, options);
            }
            total += storeLoss(r, v, loss, lossOffset, rowLoss, rowLossOffset);
        }
        return total;
    }

    // ------------------------------------------------------------------------------------ dense cross-entropy

    /**
     * Softmax cross-entropy with dense labels, {@code q_c = (1 - e) l_c + e / C} (a float fma), rows of at least
     * {@link #NARROW_BELOW} classes (narrower rows: {@link #narrowDense}); with class weights, on the row of targets
     * {@code q_c = w_c ((1 - e) l_c + e / C)} ({@link #floatTargets}: per-class constants, one fma). Per row: the
     * maximum; one pass for {@code Q = sum q_c} and {@code D = sum q_c (x_c - m)}: per block of four float vectors, the
     * sums of the block in float ({@code (q0 + q1) + (q2 + q3)}; {@code fma(q1, d1, q0 d0) + fma(q3, d3, q2 d2)} with
     * {@code d = x - m} rounded), then those block sums converted to double lanes and added there (lanes in lane
     * order). Each term is rounded at most four times, so for non-negative targets (terms of one sign) {@code D} is
     * within about 4 u relative and {@code Q} 2 u, independent of the width; converting every entry to double instead
     * (exact products) made the pass about twice as slow (the whole op at 256x1000: 171 against 147 µs). A zero label
     * adds exactly 0, even on {@code -inf}; a block sum that overflows float leaves {@code Q} or {@code D} infinite, so
     * the row takes the scalar kernel as below. The terms ({@link #expRow}); then {@code loss = Q log1p(others) - D}
     * and {@code gradient_c = (p_c Q - q_c) scale} with {@code p_c Q scale} one rounding of the term times a split
     * factor ({@link #scaleRow}'s), and at a lone maximum ({@code others < 1}) {@code (Q - q_m) - Q others / s}, which
     * keeps the tail. Rows whose {@code Q} or {@code D} is not finite (a positive label on {@code -inf}, labels with
     * NaN or infinities) take the scalar kernel.
     */
    @Override
    double dense(int rows, int cols, float[] x, int xOffset, float[] labels, int lOffset, CrossEntropyOptions options,
                 double scale, float[] loss, int lossOffset, float[] gradient, int gOffset, double[] rowLoss,
                 int rowLossOffset) {
        if (cols < NARROW_BELOW) {
            return narrowDense(rows, cols, x, xOffset, labels, lOffset, options, scale, loss, lossOffset, gradient,
                    gOffset, rowLoss, rowLossOffset);
        }
        double e = options.labelSmoothing();
        float[] ab = options.hasClassWeights() ? targetCoefficients(cols, options) : null;
        double[] w = options.hasClassWeights() && ab == null ? classWeights(cols, options) : null;
        float[] lanes = scratch(LANES, 3 * L);
        boolean inPlace = gradient == x && gOffset == xOffset;
        // the loss alone: the gradient goes to a scratch row; in place: the logits row is copied first (same bits)
        float[] g = gradient == null ? scratch(GRADIENT, cols) : gradient;
        float[] row = inPlace ? scratch(ROW, cols) : null;
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int go = gradient == null ? 0 : gOffset + o;
            float[] xs = x;
            int xo = xOffset + o;
            if (inPlace) {
                System.arraycopy(x, xo, row, 0, cols);
                xs = row;
                xo = 0;
            }
            double v;
            if (options.hasClassWeights()) {
                // the row's targets q_c = w_c ((1 - e) l_c + e / C), then the kernel on them
                float[] q = ab != null ? floatTargets(cols, labels, lOffset + o, ab)
                        : weightedTargets(cols, labels, lOffset + o, 1 - e, e / cols, w);
                v = denseRow(cols, xs, xo, rowMax(cols, xs, xo), q, 0, TARGETS_ONLY, scale, g, go, lanes);
            } else {
                v = denseRow(cols, xs, xo, rowMax(cols, xs, xo), labels, lOffset + o, options, scale, g, go,
                        lanes);
            }
            total += storeLoss(r, v, loss, lossOffset, rowLoss, rowLossOffset);
        }
        return total;
    }

    /** Options under which {@link #denseRow}'s labels are the targets {@code q} themselves: no smoothing, no weights. */
    private static final CrossEntropyOptions TARGETS_ONLY = CrossEntropyOptions.DEFAULT;

    /** A vector of zero labels (never written; the spread part of the sparse targets). */
    private static final float[] NO_LABELS = new float[L];

    /** @return the class weights as this thread's row of doubles (read once per call, for vector loads) */
    private static double[] classWeights(int cols, CrossEntropyOptions options) {
        double[] w = SCRATCH.get().doubles(WEIGHTS, cols);
        for (int c = 0; c < cols; c++) {
            w[c] = options.classWeight(c);
        }
        return w;
    }

    /**
     * For {@link #floatTargets}: {@code a_c = w_c keep} and {@code b_c = w_c spread} ({@code keep = 1 - e},
     * {@code spread = e / C}), each computed in double and rounded once to float ({@link #weightedTargets} without
     * labels), at {@code [0, cols)} and {@code [cols, 2 cols)} of this thread's coefficients row; null when one of
     * them is not 0 or a normal float (a weight beyond float's range, or so small that its coefficient would lose bits
     * as a subnormal): then the targets are made in double ({@link #weightedTargets}). Made once per thread for the
     * options it last saw ({@link CoefficientCache}), not once per block of rows: options are immutable, so the same
     * object means the same weights and smoothing, and a training loop passes the same options every step (each block
     * used to copy the weights and make the coefficients again, about 16 times per 256x1000 call).
     */
    private static float[] targetCoefficients(int cols, CrossEntropyOptions options) {
        CoefficientCache cache = COEFFICIENT_CACHE.get();
        if (cache.options != options || cache.cols != cols) {
            double e = options.labelSmoothing();
            double[] w = classWeights(cols, options);
            float[] ab = scratch(COEFFICIENTS, 2 * cols);
            weightedTargets(cols, null, 0, 0, 1 - e, w, ab, 0);
            weightedTargets(cols, null, 0, 0, e / cols, w, ab, cols);
            boolean kept = 2 * cols <= ScratchArrays.KEPT_FLOATS; // a larger slot array may go at the next GC
            cache.options = kept ? options : null;
            cache.cols = cols;
            cache.coefficients = kept ? ab : null;
            cache.usable = zeroOrNormal(2 * cols, ab);
            return cache.usable ? ab : null;
        }
        return cache.usable ? cache.coefficients : null;
    }

    /**
     * One thread's {@link #targetCoefficients} for the class-weighted options it last saw: the options (compared by
     * identity), the width, the coefficients row (the scratch slot's array, which only {@link #targetCoefficients}
     * writes) and whether it is usable.
     */
    private static final class CoefficientCache {
        CrossEntropyOptions options;
        int cols;
        float[] coefficients;
        boolean usable;
    }

    private static final ThreadLocal<CoefficientCache> COEFFICIENT_CACHE =
            ThreadLocal.withInitial(CoefficientCache::new);

    /** @return whether each of {@code a[0, n)} is 0 or a normal float (the weights are finite, so no NaN) */
    private static boolean zeroOrNormal(int n, float[] a) {
        int upper = F.loopBound(n);
        FloatVector least = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector most = FloatVector.zero(F);
        for (int i = 0; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(F, a, i).abs();
            least = least.min(v.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, 0f)));
            most = most.max(v);
        }
        float lo = least.reduceLanes(VectorOperators.MIN);
        float hi = most.reduceLanes(VectorOperators.MAX);
        for (int i = upper; i < n; i++) {
            float v = Math.abs(a[i]);
            lo = v == 0 ? lo : Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return lo >= Float.MIN_NORMAL && hi <= Float.MAX_VALUE;
    }

    /**
     * A dense row's targets with class weights, {@code q_c = fma(l_c, a_c, b_c)} in float from the coefficients of
     * {@link #targetCoefficients}, into this thread's targets row: the unweighted rows' {@code fma(l_c, keep, spread)}
     * (constants rounded to float, one fma) with a constant per class, so as accurate. A pass of float vectors; making
     * each target in double lanes and rounding it once ({@link #weightedTargets}) took about a third of the op.
     */
    private static float[] floatTargets(int cols, float[] labels, int lo, float[] ab) {
        float[] q = SCRATCH.get().floats(TARGETS, cols);
        int upper = F.loopBound(cols);
        for (int i = 0; i < upper; i += L) {
            FloatVector.fromArray(F, labels, lo + i)
                    .fma(FloatVector.fromArray(F, ab, i), FloatVector.fromArray(F, ab, cols + i)).intoArray(q, i);
        }
        for (int c = upper; c < cols; c++) {
            q[c] = Math.fma(labels[lo + c], ab[c], ab[cols + c]);
        }
        return q;
    }

    /**
     * The targets with class weights {@code w} ({@link #classWeights}), {@code q_c = w_c (keep l_c + spread)}
     * ({@code keep = 1 - e}; {@code spread = e / C}, or {@code e / K} over a masked row's {@code K} kept classes)
     * computed in double and rounded once to float, into this thread's targets row; {@code labels} null: the spread
     * part {@code w_c spread} alone (a sparse row's target entry is set by the caller).
     */
    private static float[] weightedTargets(int cols, float[] labels, int lo, double keep, double spread,
                                           double[] w) {
        float[] q = SCRATCH.get().floats(TARGETS, cols);
        weightedTargets(cols, labels, lo, keep, spread, w, q, 0);
        return q;
    }

    /** {@link #weightedTargets} into {@code q[qo, qo + cols)}. */
    private static void weightedTargets(int cols, float[] labels, int lo, double keep, double spread, double[] w,
                                        float[] q, int qo) {
        int dl = VectorLog.D.length();
        int upper = F.loopBound(cols);
        // two double vectors per float vector, joined as the narrow kernels do (D2F into each half of an F vector):
        // a float vector of half the shape would put a second FloatVector class into the Vector API's shared call
        // sites, whose polluted type profiles then box vectors in every float kernel (35 KB per 100x10 softmax)
        DoubleVector sb = DoubleVector.broadcast(D, spread);
        DoubleVector kb = DoubleVector.broadcast(D, labels == null ? 0 : keep);
        float[] l = labels == null ? NO_LABELS : labels;
        for (int i = 0; i < upper; i += L) {
            FloatVector lv = FloatVector.fromArray(F, l, labels == null ? 0 : lo + i);
            DoubleVector a = ((DoubleVector) lv.convertShape(VectorOperators.F2D, D, 0)).fma(kb, sb)
                    .mul(DoubleVector.fromArray(D, w, i));
            DoubleVector b = ((DoubleVector) lv.convertShape(VectorOperators.F2D, D, 1)).fma(kb, sb)
                    .mul(DoubleVector.fromArray(D, w, i + dl));
            ((FloatVector) a.convertShape(VectorOperators.D2F, F, 0))
                    .blend((FloatVector) b.convertShape(VectorOperators.D2F, F, -1), UPPER_HALF).intoArray(q, qo + i);
        }
        for (int c = upper; c < cols; c++) {
            q[qo + c] = (float) (Math.fma(l[labels == null ? 0 : lo + c], labels == null ? 0 : keep, spread) * w[c]);
        }
    }

    /**
     * The least {@code |factor|} of {@link #denseGradient} whose float split {@code f + d} keeps every bit: {@code f}
     * and {@code d} (about {@code 2^-24 f}) both normal floats. A smaller factor (labels summing to a tiny {@code Q})
     * would flush gradients of subnormal size to 0. The greatest is {@code 2^-64}
     * ({@code Q scale / (1 + others) <= 1}): then a term that {@link VectorExp#exp64} flushed (below
     * {@code exp(-130)}) had a gradient below half the least subnormal.
     */
    private static final double MIN_DENSE_FACTOR = 0x1p-100;

    /** One row of {@link #dense}, its maximum {@code m} given ({@link #rowMax}). */
    private static double denseRow(int cols, float[] x, int xo, float m, float[] labels, int lo,
                                   CrossEntropyOptions options, double scale, float[] g, int go, float[] lanes) {
        return denseRow(cols, x, xo, null, 0, m, labels, lo, options, scale, g, go, lanes);
    }

    /**
     * One row of {@link #dense}, or of a masked one ({@code mask} not null): then {@code x} is the kept copy (masked
     * logits at {@code -inf}, {@code m} from {@link #keptMax}) and the labels are 0 on the masked classes, so their
     * gradients come out +0 with no pass of their own (the term {@code exp(-inf) = +0}, the target 0: see
     * {@link #denseGradient}). The scalar kernel, where it takes over, gets the mask: the masked kernel's gradients
     * are +0 too.
     */
    private static double denseRow(int cols, float[] x, int xo, boolean[] mask, int mo, float m, float[] labels,
                                   int lo, CrossEntropyOptions options, double scale, float[] g, int go,
                                   float[] lanes) {
        if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
            return CrossEntropyKernels.dense(1, cols, x, xo, mask, mo, labels, lo, options, scale, null, 0, g, go);
        }
        float keep = (float) (1 - options.labelSmoothing());
        float spread = (float) (options.labelSmoothing() / cols);
        int upper = F.loopBound(cols);
        FloatVector mb = FloatVector.broadcast(F, m);
        FloatVector kb = FloatVector.broadcast(F, keep);
        FloatVector sb = FloatVector.broadcast(F, spread);
        // the lanes' sums of q and q (x - m) live in the array, not in loop-carried vectors: at 64x32000 C2 boxed
        // such accumulators at the loop's exit, 4 per row (24,576 B per call), in every JVM that ran only that shape
        double[] sums = DOUBLE_LANES.get();
        int dl = D.length();
        java.util.Arrays.fill(sums, 0, 4 * dl, 0.0);
        // a zero target adds exactly 0, even on -inf: its logit is taken as m, a shift of 0
        int i = 0;
        for (; i <= upper - 4 * L; i += 4 * L) {
            FloatVector q0 = FloatVector.fromArray(F, labels, lo + i).fma(kb, sb);
            FloatVector q1 = FloatVector.fromArray(F, labels, lo + i + L).fma(kb, sb);
            FloatVector q2 = FloatVector.fromArray(F, labels, lo + i + 2 * L).fma(kb, sb);
            FloatVector q3 = FloatVector.fromArray(F, labels, lo + i + 3 * L).fma(kb, sb);
            FloatVector d0 = FloatVector.fromArray(F, x, xo + i).blend(mb, q0.compare(VectorOperators.EQ, 0f)).sub(mb);
            FloatVector d1 = FloatVector.fromArray(F, x, xo + i + L).blend(mb, q1.compare(VectorOperators.EQ, 0f))
                    .sub(mb);
            FloatVector d2 = FloatVector.fromArray(F, x, xo + i + 2 * L).blend(mb, q2.compare(VectorOperators.EQ, 0f))
                    .sub(mb);
            FloatVector d3 = FloatVector.fromArray(F, x, xo + i + 3 * L).blend(mb, q3.compare(VectorOperators.EQ, 0f))
                    .sub(mb);
            FloatVector qs = q0.add(q1).add(q2.add(q3));
            FloatVector ds = q1.fma(d1, q0.mul(d0)).add(q3.fma(d3, q2.mul(d2)));
            DoubleVector.fromArray(D, sums, 0).add((DoubleVector) qs.convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(sums, 0);
            DoubleVector.fromArray(D, sums, dl).add((DoubleVector) qs.convertShape(VectorOperators.F2D, D, 1))
                    .intoArray(sums, dl);
            DoubleVector.fromArray(D, sums, 2 * dl).add((DoubleVector) ds.convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(sums, 2 * dl);
            DoubleVector.fromArray(D, sums, 3 * dl).add((DoubleVector) ds.convertShape(VectorOperators.F2D, D, 1))
                    .intoArray(sums, 3 * dl);
        }
        for (; i < upper; i += L) {
            FloatVector q = FloatVector.fromArray(F, labels, lo + i).fma(kb, sb);
            FloatVector ds = FloatVector.fromArray(F, x, xo + i).blend(mb, q.compare(VectorOperators.EQ, 0f)).sub(mb)
                    .mul(q);
            DoubleVector.fromArray(D, sums, 0).add((DoubleVector) q.convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(sums, 0);
            DoubleVector.fromArray(D, sums, dl).add((DoubleVector) q.convertShape(VectorOperators.F2D, D, 1))
                    .intoArray(sums, dl);
            DoubleVector.fromArray(D, sums, 2 * dl).add((DoubleVector) ds.convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(sums, 2 * dl);
            DoubleVector.fromArray(D, sums, 3 * dl).add((DoubleVector) ds.convertShape(VectorOperators.F2D, D, 1))
                    .intoArray(sums, 3 * dl);
        }
        double qTotal = 0;
        double dot = 0;
        for (; i < cols; i++) {
            float q = Math.fma(labels[lo + i], keep, spread);
            qTotal += q;
            if (q != 0) {
                dot += q * ((double) x[xo + i] - m);
            }
        }
        // the lanes in lane order (never reduceLanes(ADD), whose order may differ between JIT tiers)
        for (int j = 0; j < 2 * dl; j++) {
            qTotal += sums[j];
            dot += sums[2 * dl + j];
        }
        if (!Double.isFinite(qTotal) || !Double.isFinite(dot)) {
            return CrossEntropyKernels.dense(1, cols, x, xo, mask, mo, labels, lo, options, scale, null, 0, g, go);
        }
        double others = expRow(cols, x, xo, m, g, go, lanes);
        double inv = 1 / (1 + others);
        double factor = VectorExp.TWO_M64 * qTotal * inv * scale;
        if (factor != 0 && !(Math.abs(factor) >= MIN_DENSE_FACTOR && Math.abs(factor) <= VectorExp.TWO_M64)) {
            // Q scale / (1 + others) above 1: a term exp(x_c - m) below exp(-130), which exp64 flushes to 0, could
            // be scaled into the subnormal range (labels summing to 90: 3.2e-44 came out 0, 22 ulp, with the cut-off
            // at -104 then; fuzz-19);
            // below 2^-100 the float split of the factor would lose bits. The scalar kernel, from x (intact or the
            // copied row).
            return CrossEntropyKernels.dense(1, cols, x, xo, mask, mo, labels, lo, options, scale, null, 0, g, go);
        }
        denseGradient(cols, labels, lo, keep, spread, factor, (float) scale, g, go);
        if (others < 1) {
            // one maximum with p_m > 1/2: (Q - q_m) - Q others / s keeps the tail that p_m Q - q_m rounds away
            int im = firstMaximum(cols, x, xo, m, 0);
            double qm = Math.fma(labels[lo + im], keep, spread);
            g[go + im] = (float) (((qTotal - qm) - qTotal * (others * inv)) * scale);
        }
        return qTotal * log1p(others) - dot;
    }

    /**
     * {@code g_c = term_c * factor - q_c * s} with one rounding of the product ({@link #scaleRow}'s split). A zero
     * term and a zero target give +0 whatever the signs of the factor, its split and the target ({@code -q s + 0} is
     * +0 for a zero {@code q}): a masked class's gradient, with no pass of its own.
     */
    private static void denseGradient(int cols, float[] labels, int lo, float keep, float spread, double factor,
                                      float s, float[] g, int go) {
        float f = (float) factor;
        float d = (float) (factor - f);
        int upper = F.loopBound(cols);
        FloatVector fv = FloatVector.broadcast(F, f);
        FloatVector dv = FloatVector.broadcast(F, d);
        FloatVector kb = FloatVector.broadcast(F, keep);
        FloatVector sb = FloatVector.broadcast(F, spread);
        FloatVector minusS = FloatVector.broadcast(F, -s);
        for (int i = 0; i < upper; i += L) {
            FloatVector e = FloatVector.fromArray(F, g, go + i);
            FloatVector q = FloatVector.fromArray(F, labels, lo + i).fma(kb, sb).mul(minusS).add(0f);
            e.fma(fv, e.fma(dv, q)).intoArray(g, go + i);
        }
        for (int i = upper; i < cols; i++) {
            float e = g[go + i];
            float q = Math.fma(labels[lo + i], keep, spread) * -s + 0f;
            g[go + i] = Math.fma(e, f, Math.fma(e, d, q));
        }
    }

    /** The greatest class weight, read without {@link CrossEntropyOptions#classWeights()}'s copy. */
    private static double maxWeight(CrossEntropyOptions options, int cols) {
        double max = 0;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, options.classWeight(c));
        }
        return max;
    }

    /** Stores row {@code r}'s loss where the caller asked for it; returns it. */
    private static double storeLoss(int r, double v, float[] loss, int lossOffset, double[] rowLoss,
                                    int rowLossOffset) {
        if (loss != null) {
            loss[lossOffset + r] = (float) v;
        }
        if (rowLoss != null) {
            rowLoss[rowLossOffset + r] = v;
        }
        return v;
    }

    /** The scalar kernel on row {@code r} (x intact, gradient not over x); returns its loss. */
    private static double scalarRow(int cols, float[] x, int xo, int[] classes, int ci, CrossEntropyOptions options,
                                    double scale, float[] g, int go) {
        return CrossEntropyKernels.sparse(1, cols, x, xo, classes, ci, options, scale, null, 0, g, go, null, 0);
    }

    /**
     * A wide row (vector passes), its maximum {@code m} ({@link #rowMax}); returns the loss. Without label smoothing
     * a class weight {@code w} scales the whole row, loss and gradient; a weight of 0 gives a loss of 0 even where the unweighted one is infinite (the weighted
     * sum skips the term, while 0 * inf is NaN). Rows for the scalar kernel get the options whole (it weighs itself).
     */
    private static double wideRow(int cols, float[] x, int xo, float m, int[] classes, int ci, double scale,
                                  double w, float[] g, int go, float[] lanes, CrossEntropyOptions options) {
        if (!(Math.abs(m) < Float.POSITIVE_INFINITY) || cols >= MAX_WIDE_COLS) {
            return scalarRow(cols, x, xo, classes, ci, options, scale, g, go);
        }
        double epsilon = options.labelSmoothing();
        double spread = epsilon / cols;
        double shifts = epsilon == 0 ? 0 : shiftSum(cols, x, xo, m, lanes);
        if (!Double.isFinite(shifts)) {
            // a -inf logit (infinite loss) or a float overflow of the sum: the scalar row's double sum is exact
            return scalarRow(cols, x, xo, classes, ci, options, scale, g, go);
        }
        int t = classes[ci];
        double rowScale = scale * w;
        if (rowScale > 1) {
            // a class weight above 1 / scale: a term that exp64 flushed (below exp(-130)) could have a gradient of
            // subnormal size, not below half the least subnormal (as for the dense rows' factor above 2^-64)
            return scalarRow(cols, x, xo, classes, ci, options, scale, g, go);
        }
        double others = expRow(cols, x, xo, m, g, go, lanes);
        double et = g[go + t] * VectorExp.TWO_M64;
        scaleRow(cols, g, go, VectorExp.TWO_M64 / (1 + others) * rowScale, (float) (spread * rowScale));
        double loss = targetTerm(x, xo, t, m, others, et, rowScale, g, go, epsilon, cols) - spread * shifts;
        return w == 0 ? 0 : w * loss;
    }

    /**
     * {@code sum_c (x_c - m)}, each shift exact ({@code hi + lo}), summed per lane with TwoSum and added in double:
     * the label-smoothing part of the loss. Not finite if a logit is {@code -inf} or the float lanes overflow.
     */
    private static double shiftSum(int cols, float[] x, int xo, float m, float[] lanes) {
        int upper = F.loopBound(cols);
        FloatVector mb = FloatVector.broadcast(F, m);
        FloatVector s = FloatVector.zero(F);
        FloatVector comp = FloatVector.zero(F);
        for (int i = 0; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector hi = xv.sub(mb);
            FloatVector lo = VectorExp.shiftError(xv, mb, hi);
            FloatVector t = s.add(hi);
            FloatVector bp = t.sub(s);
            comp = comp.add(s.sub(t.sub(bp)).add(hi.sub(bp))).add(lo);
            s = t;
        }
        double sum = 0;
        for (int i = upper; i < cols; i++) {
            sum += (double) x[xo + i] - m;
        }
        s.intoArray(lanes, 0);
        comp.intoArray(lanes, L);
        for (int j = 0; j < 2 * L; j++) {
            sum += lanes[j];
        }
        return sum;
    }

    /**
     * Sets the target's gradient {@code (p_t - q_t) * scale}, {@code q_t = 1 - epsilon + epsilon / C}, as
     * {@code ((p_t - 1) + (epsilon - epsilon / C)) * scale} with {@code p_t - 1} written {@code -others / (1 + others)}
     * when {@code x_t} is a maximum (any maximum has {@code exp(x_t - m) = 1}; no cancellation), and returns the loss
     * without its smoothing part:
     * {@code log1p(others) - (1 - epsilon) (x_t - m)}.
     *
     * @param et {@code exp(x_t - m)}
     */
    private static double targetTerm(float[] x, int xo, int t, float m, double others, double et, double scale,
                                     float[] g, int go, double epsilon, int cols) {
        double inv = 1 / (1 + others);
        float xt = x[xo + t];
        double pt1 = xt == m ? (others < 1 ? -(others * inv) : inv - 1) : et * inv - 1;
        g[go + t] = (float) ((pt1 + (epsilon - epsilon / cols)) * scale);
        return log1p(others) - (1 - epsilon) * (xt - (double) m);
    }

    // ---------------------------------------------------------------------------------- masked cross-entropies

    /**
     * Masked sparse cross-entropy. Without label smoothing: the unmasked kernel ({@link #sparse}: narrow rows and
     * class weights included; wide rows through {@link #maskedWideSparse}) on the kept copy of a chunk of rows
     * (masked logits at {@code -inf}, the contract's definition), then the masked classes' gradients set to +0 and the rows whose kept logits have no finite
     * maximum redone by the scalar masked kernel. With smoothing, which spreads {@code e / K} over the {@code K} kept
     * classes, the dense kernel on each row's targets ({@link #maskedTargetRows}); narrow rows with smoothing take the
     * scalar kernel.
     */
    @Override
    double maskedSparse(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, int[] classes,
                        int classesOffset, CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                        float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        if (options.labelSmoothing() != 0) {
            if (cols < NARROW_BELOW) {
                return super.maskedSparse(rows, cols, x, xOffset, mask, maskOffset, classes, classesOffset, options,
                        scale, loss, lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
            }
            return maskedTargetRows(rows, cols, x, xOffset, mask, maskOffset, null, 0, classes, classesOffset,
                    options, scale, loss, lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
        }
        if (cols >= NARROW_BELOW) {
            return maskedWideSparse(rows, cols, x, xOffset, mask, maskOffset, classes, classesOffset, options, scale,
                    loss, lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
        }
        int ignore = options.ignoreIndex();
        float[] kept = keptScratch(rows, cols);
        double[] losses = SCRATCH.get().doubles(ROW_LOSSES, MASK_CHUNK + L);
        double total = 0;
        for (int r0 = 0; r0 < rows; ) {
            int n = maskChunk(rows - r0);
            int o = r0 * cols;
            int mo = maskOffset + o;
            int go = gradient == null ? 0 : gOffset + o;
            keptEntries(n * cols, x, xOffset + o, mask, mo, kept, 0);
            sparse(n, cols, kept, 0, classes, classesOffset + r0, options, scale, null, 0, gradient, go, losses, 0);
            if (gradient != null) {
                zeroMasked(n * cols, mask, mo, gradient, go);
            }
            for (int r = 0, ko = 0; r < n; r++, ko += cols) {
                int ci = classesOffset + r0 + r;
                if (classes[ci] != ignore && !keptMaxIsFinite(cols, kept, ko)) {
                    losses[r] = CrossEntropyKernels.sparse(1, cols, kept, ko, mask, mo + ko, classes, ci, options,
                            scale, null, 0, gradient, go + ko, null, 0);
                }
                total += storeLoss(r0 + r, losses[r], loss, lossOffset, rowLoss, rowLossOffset);
            }
            r0 += n;
        }
        return total;
    }

    /**
     * {@link #maskedSparse} without label smoothing, rows of at least {@link #NARROW_BELOW} classes, one at a time:
     * the kept copy and its maximum in one pass ({@link #keptMax}), then the unmasked row's passes ({@link #wideRow})
     * on the copy and the masked classes' gradients set to +0.
     */
    private static double maskedWideSparse(int rows, int cols, float[] x, int xOffset, boolean[] mask,
                                           int maskOffset, int[] classes, int classesOffset,
                                           CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                                           float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        float[] kept = keptScratch(1, cols);
        float[] lanes = scratch(LANES, 3 * L);
        float[] g = gradient == null ? scratch(GRADIENT, cols) : gradient;
        int ignore = options.ignoreIndex();
        boolean weights = options.hasClassWeights();
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int go = gradient == null ? 0 : gOffset + o;
            int mo = maskOffset + o;
            int ci = classesOffset + r;
            int t = classes[ci];
            double v;
            if (t == ignore) {
                v = 0;
                java.util.Arrays.fill(g, go, go + cols, 0f);
            } else {
                float m = keptMax(cols, x, xOffset + o, mask, mo, kept);
                if (Math.abs(m) < Float.POSITIVE_INFINITY) {
                    v = wideRow(cols, kept, 0, m, classes, ci, scale, weights ? options.classWeight(t) : 1, g, go,
                            lanes, options);
                    zeroMasked(cols, mask, mo, g, go);
                } else {
                    v = CrossEntropyKernels.sparse(1, cols, kept, 0, mask, mo, classes, ci, options, scale, null, 0,
                            g, go, null, 0);
                }
            }
            total += storeLoss(r, v, loss, lossOffset, rowLoss, rowLossOffset);
        }
        return total;
    }

    /**
     * Masked dense cross-entropy: the dense kernel on each row's targets ({@link #maskedTargetRows}); rows narrower
     * than {@link #NARROW_BELOW} take the scalar kernel, as the unmasked ones do.
     */
    @Override
    double maskedDense(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] labels,
                       int lOffset, CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                       float[] gradient, int gOffset, double[] rowLoss, int rowLossOffset) {
        if (cols < NARROW_BELOW) {
            return super.maskedDense(rows, cols, x, xOffset, mask, maskOffset, labels, lOffset, options, scale, loss,
                    lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
        }
        return maskedTargetRows(rows, cols, x, xOffset, mask, maskOffset, labels, lOffset, null, 0, options, scale,
                loss, lossOffset, gradient, gOffset, rowLoss, rowLossOffset);
    }

    /**
     * Masked cross-entropy rows of at least {@link #NARROW_BELOW} classes, dense ({@code labels}) or sparse
     * ({@code classes}, {@code labels} null), one at a time: the row's kept copy ({@link #keptEntries}); its targets
     * {@code q_c = w_c ((1 - e) l_c + e / K)} on the {@code K} kept classes and 0 on the others, each rounded once
     * ({@link #weightedTargets}; {@code l} the dense labels, or the one-hot label of the row's class; the labels
     * themselves without weights and smoothing); {@link #denseRow} on them (a zero target adds exactly 0, even on
     * {@code -inf}; the masked classes' gradients come out +0). Rows whose kept logits have no finite maximum take the
     * scalar masked kernel; ignored rows have loss 0 and gradient 0.
     */
    private static double maskedTargetRows(int rows, int cols, float[] x, int xOffset, boolean[] mask,
                                           int maskOffset, float[] labels, int lOffset, int[] classes,
                                           int classesOffset, CrossEntropyOptions options, double scale,
                                           float[] loss, int lossOffset, float[] gradient, int gOffset,
                                           double[] rowLoss, int rowLossOffset) {
        float[] lanes = scratch(LANES, 3 * L);
        float[] kept = keptScratch(1, cols);
        float[] g = gradient == null ? scratch(GRADIENT, cols) : gradient;
        double e = options.labelSmoothing();
        boolean labelsAreTargets = labels != null && e == 0 && !options.hasClassWeights();
        double[] w = labelsAreTargets ? null : classWeights(cols, options);
        int ignore = options.ignoreIndex();
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            int go = gradient == null ? 0 : gOffset + o;
            int mo = maskOffset + o;
            double v;
            if (classes != null && classes[classesOffset + r] == ignore) {
                v = 0;
                if (gradient != null) {
                    java.util.Arrays.fill(gradient, go, go + cols, 0f);
                }
            } else {
                float m = keptMax(cols, x, xOffset + o, mask, mo, kept);
                if (!(Math.abs(m) < Float.POSITIVE_INFINITY)) {
                    v = labels != null
                            ? CrossEntropyKernels.dense(1, cols, kept, 0, mask, mo, labels, lOffset + o, options,
                                    scale, null, 0, g, go)
                            : CrossEntropyKernels.sparse(1, cols, kept, 0, mask, mo, classes, classesOffset + r,
                                    options, scale, null, 0, g, go, null, 0);
                } else if (labelsAreTargets) {
                    v = denseRow(cols, kept, 0, mask, mo, m, labels, lOffset + o, TARGETS_ONLY, scale, g, go, lanes);
                } else {
                    double spread = e / keptCount(cols, mask, mo);
                    float[] q = weightedTargets(cols, labels, lOffset + o, 1 - e, spread, w);
                    if (labels == null) {
                        int t = classIndex(classes, classesOffset + r, cols);
                        q[t] = (float) ((1 - e) * w[t] + spread * w[t]);
                    }
                    zeroMasked(cols, mask, mo, q, 0);
                    v = denseRow(cols, kept, 0, mask, mo, m, q, 0, TARGETS_ONLY, scale, g, go, lanes);
                }
            }
            total += storeLoss(r, v, loss, lossOffset, rowLoss, rowLossOffset);
        }
        return total;
    }

    /** {@code a_i = +0} where {@code mask_i} is false, for {@code n} entries. */
    private static void zeroMasked(int n, boolean[] mask, int mo, float[] a, int ao) {
        int upper = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < upper; i += L) {
            VectorMask<Float> k = VectorMask.fromArray(F, mask, mo + i);
            zero.blend(FloatVector.fromArray(F, a, ao + i), k).intoArray(a, ao + i);
        }
        for (int i = upper; i < n; i++) {
            if (!mask[mo + i]) {
                a[ao + i] = 0f;
            }
        }
    }

    /** @return the number of kept classes of the row at {@code mo} */
    private static int keptCount(int cols, boolean[] mask, int mo) {
        int upper = F.loopBound(cols);
        int k = 0;
        for (int i = 0; i < upper; i += L) {
            k += VectorMask.fromArray(F, mask, mo + i).trueCount();
        }
        for (int i = upper; i < cols; i++) {
            if (mask[mo + i]) {
                k++;
            }
        }
        return k;
    }

    // ------------------------------------------------------------------------------------------------ narrow rows

    /*
     * Rows narrower than NARROW_BELOW go L at a time, one row per lane: narrowBlock transposes the block into a
     * scratch array so that vector c holds column c of every row (lanes past the block's last row hold 0, a valid row
     * that is computed and never stored), then runs expRow's operations lane-wise. Each lane sees only its own row,
     * so a row's bits do not depend on the block it is in. Scratch layout, in units of L floats: the inputs
     * (cols vectors), the terms exp(x - m) * 2^64 (cols vectors), then the lanes' m, sum, TwoSum error, count of
     * maxima, three per-lane results, and the TwoSum pair of the label-smoothing sum of shifts.
     */

    /**
     * Whether a full block moves with gather loads and scatter stores: only with 16-lane (512-bit) vectors, whose
     * hardware has both (AVX-512); elsewhere a scatter is emulated lane by lane, slower than the scalar transposition.
     */
    private static final boolean GATHER_SCATTER = L == 16;
    /** Double lanes: half as many as {@link #F}'s float lanes. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    /** The upper half of the float lanes (where a double vector's {@code D2F} with part -1 lands). */
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(F, (-1L << (L / 2)) & ((1L << L) - 1));
    /** Per thread: a block's row starts ({@link #rowStarts}). */
    private static final ThreadLocal<int[]> ROW_STARTS = ThreadLocal.withInitial(() -> new int[L]);

    private static float[] narrowScratch(int cols) {
        return scratch(NARROW, (2 * cols + 9) * L);
    }

    /**
     * Transposes rows {@code [0, nb)} of the block at {@code xo} into {@code t}, then per lane: the maximum, the terms
     * {@code exp(x_c - m) * 2^64}, and the TwoSum sum of the non-maximal terms and the count of maxima (see
     * {@link #expRow}); {@link #narrowOthers} reads a lane's {@code others} from them.
     */
    private static void narrowBlock(int nb, int cols, float[] x, int xo, float[] t, int[] rowStarts) {
        narrowBlock(nb, cols, x, xo, t, rowStarts, 1f, 1f);
    }

    /** {@link #narrowBlock} of the terms {@code exp((x_c - m) / temp)}, divided as {@link #expRow} divides. */
    private static void narrowBlock(int nb, int cols, float[] x, int xo, float[] t, int[] rowStarts, float temp,
                                    float invTemp) {
        transpose(nb, cols, x, xo, t, 0, rowStarts);
        FloatVector m = FloatVector.fromArray(F, t, 0);
        FloatVector mw = m;
        int c0 = 1;
        for (; c0 + 1 < cols; c0 += 2) { // two running maxima, as laneMaxima
            m = m.max(FloatVector.fromArray(F, t, c0 * L));
            mw = mw.max(FloatVector.fromArray(F, t, (c0 + 1) * L));
        }
        if (c0 < cols) {
            m = m.max(FloatVector.fromArray(F, t, c0 * L));
        }
        m = m.max(mw);
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector s = zero;
        FloatVector comp = zero;
        FloatVector ties = zero;
        boolean scaled = temp != 1f;
        for (int c = 0; c < cols; c++) {
            FloatVector xv = FloatVector.fromArray(F, t, c * L);
            FloatVector hi = xv.sub(m);
            FloatVector lo = VectorExp.shiftError(xv, m, hi);
            if (scaled) {
                FloatVector q = hi.mul(invTemp);
                lo = q.neg().fma(FloatVector.broadcast(F, temp), hi).add(lo).mul(invTemp);
                hi = q;
            }
            FloatVector e = VectorExp.exp64(hi, lo);
            e.intoArray(t, (cols + c) * L);
            VectorMask<Float> tie = xv.compare(VectorOperators.EQ, m);
            ties = ties.add(zero.blend(one, tie));
            e = e.blend(zero, tie);
            FloatVector sum = s.add(e);
            FloatVector bp = sum.sub(s);
            comp = comp.add(s.sub(sum.sub(bp)).add(e.sub(bp)));
            s = sum;
        }
        int base = 2 * cols * L;
        m.intoArray(t, base);
        s.intoArray(t, base + L);
        comp.intoArray(t, base + 2 * L);
        ties.intoArray(t, base + 3 * L);
    }

    /**
     * Rows {@code [0, nb)} of the block at {@code xo} transposed into {@code t} from {@code to}: column {@code c} at
     * {@code to + c * L}, one row per lane; lanes from {@code nb} on hold 0.
     */
    private static void transpose(int nb, int cols, float[] x, int xo, float[] t, int to, int[] rowStarts) {
        if (GATHER_SCATTER && nb == L) {
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(F, x, xo + c, rowStarts, 0).intoArray(t, to + c * L);
            }
            return;
        }
        for (int l = 0; l < nb; l++) {
            for (int c = 0, xi = xo + l * cols; c < cols; c++) {
                t[to + c * L + l] = x[xi + c];
            }
        }
        if (nb < L) {
            for (int c = 0; c < cols; c++) {
                java.util.Arrays.fill(t, to + c * L + nb, to + c * L + L, 0f);
            }
        }
    }

    /**
     * Stores the transposed columns at {@code t[to..]} of lanes {@code [first, nb)}, except the lanes set in
     * {@code skip} (a bit per lane), as rows of the block at {@code yo}.
     */
    private static void storeColumns(int first, int nb, int cols, float[] t, int to, float[] y, int yo,
                                     int[] rowStarts, long skip) {
        if (GATHER_SCATTER && first == 0 && nb == L && skip == 0) {
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(F, t, to + c * L).intoArray(y, yo + c, rowStarts, 0);
            }
            return;
        }
        for (int l = first; l < nb; l++) {
            if ((skip & (1L << l)) == 0) {
                for (int c = 0, yi = yo + l * cols, ti = to + l; c < cols; c++, ti += L) {
                    y[yi + c] = t[ti];
                }
            }
        }
    }

    /**
     * Softmax backward of narrow rows, one row per lane: {@link #softmaxBackward}'s formulas and scalar-row
     * conditions per lane (the scalar kernel runs a lane's row before anything of it is stored, so {@code dx} may be
     * either input).
     */
    private static void narrowSoftmaxBackward(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                              float[] dx, int dxOffset) {
        float[] t = narrowScratch(cols);
        int[] starts = rowStarts(cols);
        int base = 2 * cols * L;
        FloatVector zero = FloatVector.zero(F);
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int o = r0 * cols;
            transpose(nb, cols, y, yOffset + o, t, 0, starts);
            transpose(nb, cols, dy, dyOffset + o, t, cols * L, starts);
            FloatVector s = zero;
            FloatVector comp = zero;
            FloatVector abs = zero;
            FloatVector big = zero;
            for (int c = 0; c < cols; c++) {
                FloatVector yv = FloatVector.fromArray(F, t, c * L);
                FloatVector gv = FloatVector.fromArray(F, t, (cols + c) * L);
                FloatVector p = gv.mul(yv);
                FloatVector err = gv.fma(yv, p.neg());
                FloatVector sum = s.add(p);
                FloatVector bp = sum.sub(s);
                comp = comp.add(s.sub(sum.sub(bp)).add(p.sub(bp)).add(err));
                abs = abs.add(p.abs());
                big = big.max(gv.abs());
                s = sum;
            }
            s.intoArray(t, base);
            comp.intoArray(t, base + L);
            abs.intoArray(t, base + 2 * L);
            big.intoArray(t, base + 4 * L);
            long scalar = 0;
            for (int l = 0; l < L; l++) {
                double dot = (double) t[base + l] + t[base + L + l];
                if (l >= first && l < nb && (!(Math.abs(dot) < HUGE_DOT)
                        || !(t[base + 2 * L + l] >= TINY_PRODUCTS * cols) || !(t[base + 4 * L + l] < HUGE_DY))) {
                    scalar |= 1L << l;
                }
                t[base + 3 * L + l] = (float) dot;
            }
            FloatVector sv = FloatVector.fromArray(F, t, base + 3 * L);
            for (int c = 0; c < cols; c++) {
                FloatVector yv = FloatVector.fromArray(F, t, c * L);
                yv.mul(FloatVector.fromArray(F, t, (cols + c) * L).sub(sv)).intoArray(t, (cols + c) * L);
            }
            for (int l = first; l < nb; l++) {
                if ((scalar & (1L << l)) != 0) {
                    int lo = o + l * cols;
                    SoftmaxGradients.softmaxBackward(1, cols, y, yOffset + lo, dy, dyOffset + lo, dx, dxOffset + lo);
                }
            }
            storeColumns(first, nb, cols, t, cols * L, dx, dxOffset + o, starts, scalar);
        }
    }

    /**
     * Log-softmax backward of narrow rows, one row per lane: {@link #logSoftmaxBackward}'s formulas and scalar-row
     * conditions per lane; {@code dx} may be either input.
     */
    private static void narrowLogSoftmaxBackward(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                                 int dlogpOffset, float[] dx, int dxOffset) {
        float[] t = narrowScratch(cols);
        int[] starts = rowStarts(cols);
        int base = 2 * cols * L;
        FloatVector zero = FloatVector.zero(F);
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int o = r0 * cols;
            transpose(nb, cols, logp, logpOffset + o, t, 0, starts);
            transpose(nb, cols, dlogp, dlogpOffset + o, t, cols * L, starts);
            FloatVector s = zero;
            FloatVector comp = zero;
            FloatVector low = zero;
            FloatVector high = FloatVector.broadcast(F, LOWEST_LOGP);
            for (int c = 0; c < cols; c++) {
                FloatVector l = FloatVector.fromArray(F, t, c * L);
                FloatVector g = FloatVector.fromArray(F, t, (cols + c) * L);
                low = low.min(l);
                high = high.max(l);
                FloatVector sum = s.add(g);
                FloatVector bp = sum.sub(s);
                comp = comp.add(s.sub(sum.sub(bp)).add(g.sub(bp)));
                s = sum;
            }
            s.intoArray(t, base);
            comp.intoArray(t, base + L);
            low.intoArray(t, base + 2 * L);
            high.intoArray(t, base + 3 * L);
            long scalar = 0;
            for (int l = 0; l < L; l++) {
                double sum = (double) t[base + l] + t[base + L + l];
                float sf = (float) sum;
                if (l >= first && l < nb && (!(t[base + 2 * L + l] >= LOWEST_LOGP && t[base + 3 * L + l] <= 0)
                        || !(sf == 0 || Math.abs(sf) >= Float.MIN_NORMAL && Math.abs(sum) < 0x1p100))) {
                    scalar |= 1L << l;
                }
                t[base + 4 * L + l] = -sf;
            }
            FloatVector sv = FloatVector.fromArray(F, t, base + 4 * L);
            for (int c = 0; c < cols; c++) {
                FloatVector e = VectorExp.exp64(FloatVector.fromArray(F, t, c * L), zero).mul(TWO_M64F);
                e.fma(sv, FloatVector.fromArray(F, t, (cols + c) * L)).intoArray(t, (cols + c) * L);
            }
            for (int l = first; l < nb; l++) {
                if ((scalar & (1L << l)) != 0) {
                    int lo = o + l * cols;
                    SoftmaxGradients.logSoftmaxBackward(1, cols, logp, logpOffset + lo, dlogp, dlogpOffset + lo, dx,
                            dxOffset + lo);
                }
            }
            storeColumns(first, nb, cols, t, cols * L, dx, dxOffset + o, starts, scalar);
        }
    }

    /**
     * The lanes of the block at row {@code r0} that earlier blocks have done: a short last block (fewer than L rows
     * left, at least L rows in all) moves back to end at the last row, and its first lanes are rows already done.
     */
    private static int lanesDone(int rows, int r0) {
        int left = rows - r0;
        return left < L && rows >= L ? L - left : 0;
    }

    private static boolean allFinite(float[] a, int offset) {
        return FloatVector.fromArray(F, a, offset).abs().compare(VectorOperators.LT, Float.POSITIVE_INFINITY).allTrue();
    }

    /** {@code l * cols} for each lane {@code l}: the gather and scatter index map of a block (per-thread). */
    private static int[] rowStarts(int cols) {
        int[] starts = ROW_STARTS.get();
        for (int l = 0; l < L; l++) {
            starts[l] = l * cols;
        }
        return starts;
    }

    /** Lane {@code l}'s maximum after {@link #narrowBlock}. */
    private static float narrowMax(float[] t, int cols, int l) {
        return t[2 * cols * L + l];
    }

    /** Lane {@code l}'s {@code others = sum_c exp(x_c - m) - 1} after {@link #narrowBlock}, as {@link #expRow}'s. */
    private static double narrowOthers(float[] t, int cols, int l) {
        int base = 2 * cols * L;
        return ((double) t[base + L + l] + t[base + 2 * L + l]) * VectorExp.TWO_M64 + (t[base + 3 * L + l] - 1);
    }

    /** Stores the results (terms region) of rows {@code [first, nb)} with a finite maximum into the block at yo. */
    private static void narrowStore(int first, int nb, int cols, float[] t, float[] y, int yo, int[] rowStarts) {
        if (GATHER_SCATTER && first == 0 && nb == L && allFinite(t, 2 * cols * L)) {
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(F, t, (cols + c) * L).intoArray(y, yo + c, rowStarts, 0);
            }
            return;
        }
        for (int l = first; l < nb; l++) {
            if (Math.abs(narrowMax(t, cols, l)) < Float.POSITIVE_INFINITY) {
                for (int c = 0, yi = yo + l * cols, ti = cols * L + l; c < cols; c++, ti += L) {
                    y[yi + c] = t[ti];
                }
            }
        }
    }

    /**
     * Softmax of narrow rows, {@code p_c = term_c / (1 + others)} as for wide rows. Rows without a finite maximum take
     * the scalar kernel before anything of their block is stored, so {@code y} may be {@code x}.
     */
    private static void narrowSoftmax(int rows, int cols, float temp, float invTemp, float[] x, int xOffset,
                                      float[] y, int yOffset) {
        float[] t = narrowScratch(cols);
        int[] starts = rowStarts(cols);
        double[] ones = DOUBLE_LANES.get();
        java.util.Arrays.fill(ones, DL_SCALE, DL_SCALE + L, 1.0);
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int xo = xOffset + r0 * cols;
            int yo = yOffset + r0 * cols;
            narrowBlock(nb, cols, x, xo, t, starts, temp, invTemp);
            narrowFallback(first, nb, cols, t, x, xo, y, yo, false, temp);
            narrowFactors(cols, t, ones);
            scaleTerms(cols, t, 0f);
            narrowStore(first, nb, cols, t, y, yo, starts);
        }
    }

    /**
     * Log-softmax of narrow rows, {@code ((x_c - m) - l) + lo_c} with {@code lo_c} the exact error of {@code x_c - m}
     * and {@code l} rounded to float per lane (the wide rows' {@code (x_c - hi) - lo} from that float {@code l} would
     * add a rounding where {@code x_c - hi} is inexact); {@code y} may be {@code x}.
     */
    private static void narrowLogSoftmax(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        float[] t = narrowScratch(cols);
        int[] starts = rowStarts(cols);
        int perLane = (2 * cols + 4) * L;
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int xo = xOffset + r0 * cols;
            int yo = yOffset + r0 * cols;
            narrowBlock(nb, cols, x, xo, t, starts);
            narrowFallback(first, nb, cols, t, x, xo, y, yo, true, 1f);
            for (int l = first; l < nb; l++) {
                t[perLane + l] = (float) log1p(narrowOthers(t, cols, l));
            }
            FloatVector lv = FloatVector.fromArray(F, t, perLane);
            FloatVector m = FloatVector.fromArray(F, t, 2 * cols * L);
            for (int c = 0; c < cols; c++) {
                FloatVector xv = FloatVector.fromArray(F, t, c * L);
                FloatVector hi = xv.sub(m);
                FloatVector lo = VectorExp.shiftError(xv, m, hi)
                        .blend(0f, hi.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                hi.sub(lv).add(lo).intoArray(t, (cols + c) * L);
            }
            narrowStore(first, nb, cols, t, y, yo, starts);
        }
    }

    /** The block's rows in {@code [first, nb)} without a finite maximum: the scalar kernel, before any store. */
    private static void narrowFallback(int first, int nb, int cols, float[] t, float[] x, int xo, float[] y, int yo,
                                       boolean log, float temp) {
        for (int l = first; l < nb; l++) {
            if (!(Math.abs(narrowMax(t, cols, l)) < Float.POSITIVE_INFINITY)) {
                if (log) {
                    RowSoftmax.logSoftmax(1, cols, x, xo + l * cols, y, yo + l * cols);
                } else {
                    scalarSoftmax(cols, temp, x, xo + l * cols, y, yo + l * cols);
                }
            }
        }
    }

    /**
     * Every lane's factor {@code 2^-64 / (1 + others) * scale_l}, {@code scale_l} at {@code scales[DL_SCALE + l]}
     * (also stored: the lanes' {@code others} at DL_OTHERS and {@code 2^-64 / (1 + others)} at DL_GRADIENT; see
     * {@link #narrowOthers}; the same bits as in scalar double), split as {@link #scaleRow} splits it: the floats at {@code t[perLane..]}, their remainders at
     * {@code t[perLane + L..]}. Done in double lanes: one vector division instead of L scalar ones.
     */
    private static void narrowFactors(int cols, float[] t, double[] scales) {
        int base = 2 * cols * L;
        FloatVector s = FloatVector.fromArray(F, t, base + L);
        FloatVector comp = FloatVector.fromArray(F, t, base + 2 * L);
        FloatVector ties = FloatVector.fromArray(F, t, base + 3 * L);
        FloatVector extra = ties.sub(1f); // the other maxima, exact: added last, so a tiny others keeps its bits
        // written out, no helpers: a vector passed to a call the JIT does not inline is boxed (allocates), and the
        // part numbers of the conversions must be constants
        DoubleVector others0 = ((DoubleVector) s.convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) comp.convertShape(VectorOperators.F2D, D, 0)).mul(VectorExp.TWO_M64)
                .add((DoubleVector) extra.convertShape(VectorOperators.F2D, D, 0));
        DoubleVector others1 = ((DoubleVector) s.convertShape(VectorOperators.F2D, D, 1))
                .add((DoubleVector) comp.convertShape(VectorOperators.F2D, D, 1)).mul(VectorExp.TWO_M64)
                .add((DoubleVector) extra.convertShape(VectorOperators.F2D, D, 1));
        others0.intoArray(scales, DL_OTHERS);
        others1.intoArray(scales, DL_OTHERS + L / 2);
        DoubleVector two64 = DoubleVector.broadcast(D, VectorExp.TWO_M64);
        DoubleVector q0 = two64.div(others0.add(1));
        DoubleVector q1 = two64.div(others1.add(1));
        // 2^-64 / (1 + others) for narrowTargets, which scales it to 1 / (1 + others) (the same bits)
        q0.intoArray(scales, DL_GRADIENT);
        q1.intoArray(scales, DL_GRADIENT + L / 2);
        DoubleVector f0 = q0.mul(DoubleVector.fromArray(D, scales, DL_SCALE));
        DoubleVector f1 = q1.mul(DoubleVector.fromArray(D, scales, DL_SCALE + L / 2));
        FloatVector lo = (FloatVector) f0.convertShape(VectorOperators.D2F, F, 0);
        FloatVector hi = (FloatVector) f1.convertShape(VectorOperators.D2F, F, -1);
        FloatVector dlo = (FloatVector) f0.sub((DoubleVector) lo.convertShape(VectorOperators.F2D, D, 0))
                .convertShape(VectorOperators.D2F, F, 0);
        FloatVector dhi = (FloatVector) f1.sub((DoubleVector) hi.convertShape(VectorOperators.F2D, D, 1))
                .convertShape(VectorOperators.D2F, F, -1);
        FloatVector f = lo.blend(hi, UPPER_HALF);
        FloatVector d = dlo.blend(dhi, UPPER_HALF);
        f.intoArray(t, base + 4 * L);
        d.intoArray(t, base + 5 * L);
    }

    private static void narrowLogSumExp(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        float[] t = narrowScratch(cols);
        int[] starts = rowStarts(cols);
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int xo = xOffset + r0 * cols;
            narrowBlock(nb, cols, x, xo, t, starts);
            for (int l = first; l < nb; l++) {
                float m = narrowMax(t, cols, l);
                if (Math.abs(m) < Float.POSITIVE_INFINITY) {
                    out[outOffset + r0 + l] = (float) (m + log1p(narrowOthers(t, cols, l)));
                } else {
                    RowSoftmax.logSumExp(1, cols, x, xo + l * cols, out, outOffset + r0 + l);
                }
            }
        }
    }

    /**
     * The sparse cross-entropy of narrow rows ({@code gradient} is not {@code x}); the wide rows' formulas, every
     * per-row step in lanes too: the factors and, in double lanes, {@code 1 / (1 + others)}, the target's gradient
     * and the loss {@code log1p(others) - (x_t - m)} ({@link VectorLog}).
     */
    private static double narrowSparse(int rows, int cols, float[] x, int xOffset, int[] classes, int classesOffset,
                                       CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                                       float[] g, int gOffset, double[] rowLoss, int rowLossOffset) {
        boolean weights = options.hasClassWeights();
        if (weights && maxWeight(options, cols) * scale > 1) {
            // as in wideRow: a flushed term's gradient would be of subnormal size
            return CrossEntropyKernels.sparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss,
                    lossOffset, g, gOffset, rowLoss, rowLossOffset);
        }
        float[] t = narrowScratch(cols);
        int[] starts = rowStarts(cols);
        double[] lanes = DOUBLE_LANES.get();
        int base = 2 * cols * L;
        int ignore = options.ignoreIndex();
        double epsilon = options.labelSmoothing();
        // the per-lane values that do not change between blocks are set once per call
        if (!weights) {
            java.util.Arrays.fill(lanes, DL_WEIGHT, DL_WEIGHT + L, 1.0);
            java.util.Arrays.fill(lanes, DL_SCALE, DL_SCALE + L, scale);
        }
        if (epsilon == 0) {
            java.util.Arrays.fill(lanes, DL_SHIFTS, DL_SHIFTS + L, 0.0);
        }
        double total = 0;
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int xo = xOffset + r0 * cols;
            int go = gOffset + r0 * cols;
            narrowBlock(nb, cols, x, xo, t, starts);
            if (epsilon != 0) {
                narrowShiftSums(cols, t);
            }
            // per lane: x_t - m and exp(x_t - m) (the target's term before scaling) in double; with class weights
            // the row's weight (without smoothing a class weight scales the whole row) and gradient scale
            boolean full = nb == L;
            boolean ignored = full ? narrowTargetLanes(cols, t, classes, classesOffset + r0, ignore, lanes) : true;
            for (int l = 0; l < L && (weights || epsilon != 0 || !full); l++) {
                int c = l < nb ? classIndex(classes, classesOffset + r0 + l, cols) : 0;
                if (weights) {
                    double w = l < nb && classes[classesOffset + r0 + l] != ignore ? options.classWeight(c) : 1;
                    lanes[DL_WEIGHT + l] = w;
                    lanes[DL_SCALE + l] = scale * w;
                }
                if (!full) {
                    lanes[DL_SHIFT + l] = (double) t[c * L + l] - t[base + l];
                    lanes[DL_TERM + l] = t[(cols + c) * L + l] * VectorExp.TWO_M64;
                }
                if (epsilon != 0) {
                    lanes[DL_SHIFTS + l] = (double) t[base + 7 * L + l] + t[base + 8 * L + l];
                }
            }
            narrowFactors(cols, t, lanes); // also stores the lanes' others at DL_OTHERS
            narrowTargets(lanes, epsilon, cols);
            scaleTerms(cols, t, (float) (epsilon / cols * scale));
            narrowStore(first, nb, cols, t, g, go, starts);
            // the target gradients straight into g, after the block's stores (into the scratch before them, a vector
            // load there would wait for these scalar stores); a row the scalar kernel redoes below is written again
            for (int l = first; l < nb; l++) {
                int target = classes[classesOffset + r0 + l];
                if (target != ignore) {
                    g[go + l * cols + target] = (float) lanes[DL_GRADIENT + l];
                }
            }
            boolean finite = allFinite(t, base);
            if (!ignored && finite && !weights && epsilon == 0) {
                // the common block: every row's loss is its lane's (no call per lane when no loss is stored: this
                // large method's callees are not all inlined, and a call per lane costs about a fifth of the block)
                if (loss == null && rowLoss == null) {
                    for (int l = first; l < nb; l++) {
                        total += lanes[DL_LOSS + l];
                    }
                } else {
                    for (int l = first; l < nb; l++) {
                        total += storeLoss(r0 + l, lanes[DL_LOSS + l], loss, lossOffset, rowLoss, rowLossOffset);
                    }
                }
                continue;
            }
            for (int l = first; l < nb; l++) {
                int r = r0 + l;
                double value;
                if (classes[classesOffset + r] == ignore) {
                    value = 0;
                    java.util.Arrays.fill(g, go + l * cols, go + (l + 1) * cols, 0f);
                } else if (!finite && !(Math.abs(narrowMax(t, cols, l)) < Float.POSITIVE_INFINITY)
                        || !Double.isFinite(lanes[DL_SHIFTS + l])) {
                    value = scalarRow(cols, x, xo + l * cols, classes, classesOffset + r, options, scale, g,
                            go + l * cols);
                } else {
                    // a weight of 0 gives 0 even where the unweighted loss is infinite (0 * inf is NaN)
                    value = lanes[DL_WEIGHT + l] == 0 ? 0 : lanes[DL_LOSS + l];
                }
                total += storeLoss(r, value, loss, lossOffset, rowLoss, rowLossOffset);
            }
        }
        return total;
    }

    /**
     * The dense cross-entropy of narrow rows, one row per lane ({@code g} may be {@code x}: nothing is written before
     * a block's logits are read, the scalar kernel's rows included), with the wide rows' formulas ({@link #denseRow}):
     * the labels transposed beside the logits and made the targets {@code q_c = (1 - e) l_c + e / C} (a float fma),
     * or with class weights {@code w_c ((1 - e) l_c + e / C)} rounded once ({@link #narrowWeightedTargets}); per lane {@code Q} and {@code D} in double lanes; the factor {@code 2^-64 Q scale / (1 + others)} split
     * by {@link #narrowFactors}; the gradient {@code fma(term, f, fma(term, d, -q_c s))}, at a lone maximum with
     * {@code others < 1} {@code ((Q - q_m) - Q others / (1 + others)) s}; the loss {@code Q log1p(others) - D}
     * ({@link VectorLog#log1p}). A lane whose maximum, {@code Q} or {@code D} is not finite, or whose factor is outside
     * what the float split keeps ({@link #MIN_DENSE_FACTOR}), takes the scalar kernel, which writes its row; the
     * store then skips it.
     */
    private static double narrowDense(int rows, int cols, float[] x, int xOffset, float[] labels, int lOffset,
                                      CrossEntropyOptions options, double scale, float[] loss, int lossOffset,
                                      float[] g, int gOffset, double[] rowLoss, int rowLossOffset) {
        float[] t = narrowScratch(cols);
        float[] q = scratch(TARGETS, cols * L);
        int[] starts = rowStarts(cols);
        double[] lanes = DOUBLE_LANES.get();
        double e = options.labelSmoothing();
        // with class weights the targets are made first (narrowWeightedTargets), then taken as they are
        double[] w = options.hasClassWeights() ? classWeights(cols, options) : null;
        float keep = w == null ? (float) (1 - e) : 1f;
        float spread = w == null ? (float) (e / cols) : 0f;
        double total = 0;
        for (int r0 = 0; r0 < rows; r0 += L) {
            int first = lanesDone(rows, r0);
            r0 -= first;
            int nb = Math.min(L, rows - r0);
            int xo = xOffset + r0 * cols;
            int lo = lOffset + r0 * cols;
            narrowBlock(nb, cols, x, xo, t, starts);
            transpose(nb, cols, labels, lo, q, 0, starts);
            if (w != null) {
                narrowWeightedTargets(cols, q, 1 - e, e / cols, w);
            }
            narrowTargetSums(cols, t, q, keep, spread, lanes);
            long scalar = 0;
            for (int l = 0; l < L; l++) {
                boolean simd = l >= first && l < nb && Math.abs(narrowMax(t, cols, l)) < Float.POSITIVE_INFINITY
                        && Double.isFinite(lanes[DL_TARGET_SUM + l]) && Double.isFinite(lanes[DL_DOT + l]);
                if (l >= first && l < nb && !simd) {
                    scalar |= 1L << l;
                }
                lanes[DL_SCALE + l] = simd ? lanes[DL_TARGET_SUM + l] * scale : 0;
            }
            narrowFactors(cols, t, lanes);
            for (int l = first; l < nb; l++) {
                double factor = lanes[DL_GRADIENT + l] * lanes[DL_SCALE + l];
                if (factor != 0 && !(Math.abs(factor) >= MIN_DENSE_FACTOR && Math.abs(factor) <= VectorExp.TWO_M64)) {
                    scalar |= 1L << l; // as in denseRow: the float split of the factor would lose bits
                }
            }
            narrowDenseGradient(cols, t, q, (float) scale);
            VectorLog.log1p(lanes, DL_OTHERS, lanes, DL_LOSS, L);
            for (int l = first; l < nb; l++) {
                double v;
                if ((scalar >>> l & 1) != 0) {
                    float[] sg = g == null ? scratch(GRADIENT, cols) : g;
                    int so = g == null ? 0 : gOffset + (r0 + l) * cols;
                    v = CrossEntropyKernels.dense(1, cols, x, xo + l * cols, labels, lo + l * cols, options, scale,
                            null, 0, sg, so);
                } else {
                    double qt = lanes[DL_TARGET_SUM + l];
                    double others = lanes[DL_OTHERS + l];
                    if (others < 1) {
                        // one maximum with p_m > 1/2: (Q - q_m) - Q others / s keeps the tail p_m Q - q_m rounds away
                        int im = 0;
                        while (t[im * L + l] != narrowMax(t, cols, l)) {
                            im++;
                        }
                        double qm = q[im * L + l];
                        t[(cols + im) * L + l] = (float) (((qt - qm) - qt * (others / (1 + others))) * scale);
                    }
                    v = qt * lanes[DL_LOSS + l] - lanes[DL_DOT + l];
                }
                total += storeLoss(r0 + l, v, loss, lossOffset, rowLoss, rowLossOffset);
            }
            if (g != null) {
                storeColumns(first, nb, cols, t, cols * L, g, gOffset + r0 * cols, starts, scalar);
            }
        }
        return total;
    }

    /**
     * The transposed labels {@code q} of a narrow block (class {@code c} at {@code c * L}) turned in place into the
     * targets {@code q_c = w_c (keep l_c + spread)} of {@link #weightedTargets}: in double lanes, rounded once. No
     * vector crosses the call (see {@link #scaleTerms}).
     */
    private static void narrowWeightedTargets(int cols, float[] q, double keep, double spread, double[] w) {
        DoubleVector kb = DoubleVector.broadcast(D, keep);
        DoubleVector sb = DoubleVector.broadcast(D, spread);
        for (int c = 0; c < cols; c++) {
            FloatVector lv = FloatVector.fromArray(F, q, c * L);
            DoubleVector wc = DoubleVector.broadcast(D, w[c]);
            DoubleVector a = ((DoubleVector) lv.convertShape(VectorOperators.F2D, D, 0)).fma(kb, sb).mul(wc);
            DoubleVector b = ((DoubleVector) lv.convertShape(VectorOperators.F2D, D, 1)).fma(kb, sb).mul(wc);
            ((FloatVector) a.convertShape(VectorOperators.D2F, F, 0))
                    .blend((FloatVector) b.convertShape(VectorOperators.D2F, F, -1), UPPER_HALF).intoArray(q, c * L);
        }
    }

    /**
     * Per lane of a narrow block ({@link #narrowBlock}'s logits and maxima in {@code t}, the transposed labels in
     * {@code q}): the targets {@code q_c = fma(l_c, keep, spread)} in place, and {@code Q = sum q_c},
     * {@code D = sum q_c (x_c - m)} in double lanes (each product exact there; a zero target adds exactly 0, even
     * on {@code -inf}) into {@code lanes} at DL_TARGET_SUM and DL_DOT. No vector crosses the call (see
     * {@link #scaleTerms}).
     */
    private static void narrowTargetSums(int cols, float[] t, float[] q, float keep, float spread, double[] lanes) {
        int dl = D.length();
        FloatVector kb = FloatVector.broadcast(F, keep);
        FloatVector sb = FloatVector.broadcast(F, spread);
        FloatVector m = FloatVector.fromArray(F, t, 2 * cols * L);
        DoubleVector m0 = (DoubleVector) m.convertShape(VectorOperators.F2D, D, 0);
        DoubleVector m1 = (DoubleVector) m.convertShape(VectorOperators.F2D, D, 1);
        DoubleVector qa = DoubleVector.zero(D);
        DoubleVector qb = qa;
        DoubleVector da = qa;
        DoubleVector db = qa;
        for (int c = 0; c < cols; c++) {
            FloatVector qv = FloatVector.fromArray(F, q, c * L).fma(kb, sb);
            qv.intoArray(q, c * L);
            FloatVector xv = FloatVector.fromArray(F, t, c * L).blend(m, qv.compare(VectorOperators.EQ, 0f));
            DoubleVector q0 = (DoubleVector) qv.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector q1 = (DoubleVector) qv.convertShape(VectorOperators.F2D, D, 1);
            qa = qa.add(q0);
            qb = qb.add(q1);
            da = q0.fma(((DoubleVector) xv.convertShape(VectorOperators.F2D, D, 0)).sub(m0), da);
            db = q1.fma(((DoubleVector) xv.convertShape(VectorOperators.F2D, D, 1)).sub(m1), db);
        }
        qa.intoArray(lanes, DL_TARGET_SUM);
        qb.intoArray(lanes, DL_TARGET_SUM + dl);
        da.intoArray(lanes, DL_DOT);
        db.intoArray(lanes, DL_DOT + dl);
    }

    /**
     * {@link #denseGradient} lane-wise on the terms of a narrow block, {@code g_c = fma(term, f, fma(term, d, -q_c s))}
     * with the split factors {@link #narrowFactors} stored and the targets {@link #narrowTargetSums} left in {@code q}.
     */
    private static void narrowDenseGradient(int cols, float[] t, float[] q, float s) {
        int base = 2 * cols * L;
        FloatVector fv = FloatVector.fromArray(F, t, base + 4 * L);
        FloatVector dv = FloatVector.fromArray(F, t, base + 5 * L);
        FloatVector minusS = FloatVector.broadcast(F, -s);
        for (int c = 0; c < cols; c++) {
            FloatVector e = FloatVector.fromArray(F, t, (cols + c) * L);
            e.fma(fv, e.fma(dv, FloatVector.fromArray(F, q, c * L).mul(minusS))).intoArray(t, (cols + c) * L);
        }
    }

    /*
     * Per-thread double lanes of a narrow block (L of each): others, x_t - m, exp(x_t - m), then the results: the
     * target's gradient and the loss; the label-smoothing sum of shifts; the row's class weight (1 without) and its
     * gradient scale (the reduction's scale times the weight).
     */
    private static final int DL_OTHERS = 0;
    private static final int DL_SHIFT = L;
    private static final int DL_TERM = 2 * L;
    private static final int DL_GRADIENT = 3 * L;
    private static final int DL_LOSS = 4 * L;
    private static final int DL_SHIFTS = 5 * L;
    private static final int DL_WEIGHT = 6 * L;
    private static final int DL_SCALE = 7 * L;
    /** The dense kernel's {@code Q} and {@code D} per lane (in the sparse kernel's shift and term slots). */
    private static final int DL_TARGET_SUM = DL_SHIFT;
    private static final int DL_DOT = DL_TERM;
    private static final ThreadLocal<double[]> DOUBLE_LANES = ThreadLocal.withInitial(() -> new double[8 * L]);

    /** Per lane, {@link #shiftSum}'s TwoSum pair of {@code sum_c (x_c - m)} (label smoothing), into the scratch. */
    private static void narrowShiftSums(int cols, float[] t) {
        int base = 2 * cols * L;
        FloatVector m = FloatVector.fromArray(F, t, base);
        FloatVector s = FloatVector.zero(F);
        FloatVector comp = FloatVector.zero(F);
        for (int c = 0; c < cols; c++) {
            FloatVector xv = FloatVector.fromArray(F, t, c * L);
            FloatVector hi = xv.sub(m);
            FloatVector lo = VectorExp.shiftError(xv, m, hi);
            FloatVector sum = s.add(hi);
            FloatVector bp = sum.sub(s);
            comp = comp.add(s.sub(sum.sub(bp)).add(hi.sub(bp))).add(lo);
            s = sum;
        }
        s.intoArray(t, base + 7 * L);
        comp.intoArray(t, base + 8 * L);
    }

    /**
     * Lane-wise in double, as {@link #targetTerm} computes one row: the target's gradient
     * {@code ((p_t - 1) + epsilon - epsilon / C) * scale}, {@code p_t - 1} written {@code -others / (1 + others)} when
     * {@code x_t} is a maximum (no cancellation; any maximum has {@code exp(x_t - m) = 1}), and the loss
     * {@code log1p(others) - (1 - epsilon) (x_t - m) - epsilon / C sum_c (x_c - m)}.
     */
    private static void narrowTargets(double[] lanes, double epsilon, int cols) {
        double spread = epsilon / cols;
        VectorLog.log1p(lanes, DL_OTHERS, lanes, DL_LOSS, L);
        for (int h = 0; h < L; h += D.length()) {
            DoubleVector others = DoubleVector.fromArray(D, lanes, DL_OTHERS + h);
            DoubleVector shift = DoubleVector.fromArray(D, lanes, DL_SHIFT + h);
            DoubleVector term = DoubleVector.fromArray(D, lanes, DL_TERM + h);
            DoubleVector inv = DoubleVector.fromArray(D, lanes, DL_GRADIENT + h).mul(VectorExp.TWO64); // narrowFactors
            DoubleVector maxGradient = others.mul(inv).neg().blend(inv.sub(1),
                    others.compare(VectorOperators.GE, 1));
            DoubleVector gradient = term.mul(inv).sub(1).blend(maxGradient,
                    shift.compare(VectorOperators.EQ, 0));
            gradient.add(epsilon - spread).mul(DoubleVector.fromArray(D, lanes, DL_SCALE + h))
                    .intoArray(lanes, DL_GRADIENT + h);
            DoubleVector shifts = DoubleVector.fromArray(D, lanes, DL_SHIFTS + h);
            DoubleVector.fromArray(D, lanes, DL_LOSS + h).sub(shift.mul(1 - epsilon)).sub(shifts.mul(spread))
                    .mul(DoubleVector.fromArray(D, lanes, DL_WEIGHT + h)).intoArray(lanes, DL_LOSS + h);
        }
    }

    /**
     * A full block's per-lane target values in lanes: {@code x_t - m} at DL_SHIFT and the term {@code exp(x_t - m)}
     * at DL_TERM, the bits of the scalar loop's, picked column by column with a compare and a blend (no gather, and
     * no scalar load of a lane a vector store has just written: either stalls the block).
     *
     * @return whether a row of the block is ignored
     */
    private static boolean narrowTargetLanes(int cols, float[] t, int[] classes, int ci, int ignore, double[] lanes) {
        boolean ignored = IntVector.fromArray(VectorExp.I, classes, ci).compare(VectorOperators.EQ, ignore).anyTrue();
        FloatVector target = targetClasses(cols, classes, ci);
        FloatVector xt = FloatVector.zero(F);
        FloatVector et = xt;
        for (int c = 0; c < cols; c++) { // (float) c, not a running vector: its add's latency would bound the loop
            VectorMask<Float> at = target.compare(VectorOperators.EQ, (float) c);
            xt = xt.blend(FloatVector.fromArray(F, t, c * L), at);
            et = et.blend(FloatVector.fromArray(F, t, (cols + c) * L), at);
        }
        FloatVector m = FloatVector.fromArray(F, t, 2 * cols * L);
        ((DoubleVector) xt.convertShape(VectorOperators.F2D, D, 0))
                .sub((DoubleVector) m.convertShape(VectorOperators.F2D, D, 0)).intoArray(lanes, DL_SHIFT);
        ((DoubleVector) xt.convertShape(VectorOperators.F2D, D, 1))
                .sub((DoubleVector) m.convertShape(VectorOperators.F2D, D, 1)).intoArray(lanes, DL_SHIFT + L / 2);
        ((DoubleVector) et.convertShape(VectorOperators.F2D, D, 0)).mul(VectorExp.TWO_M64)
                .intoArray(lanes, DL_TERM);
        ((DoubleVector) et.convertShape(VectorOperators.F2D, D, 1)).mul(VectorExp.TWO_M64)
                .intoArray(lanes, DL_TERM + L / 2);
        return ignored;
    }

    /** A full block's classes as floats (exact: {@code cols < 2^24}), {@link #classIndex}'s 0 for other values. */
    private static FloatVector targetClasses(int cols, int[] classes, int ci) {
        IntVector c = IntVector.fromArray(VectorExp.I, classes, ci);
        c = c.blend(0, c.compare(VectorOperators.LT, 0).or(c.compare(VectorOperators.GE, cols)));
        return (FloatVector) c.convert(VectorOperators.I2F, 0);
    }

    /** The class of a row, or 0 for an ignored row (any column will do: its gradient is zeroed). */
    private static int classIndex(int[] classes, int i, int cols) {
        int c = classes[i];
        return c >= 0 && c < cols ? c : 0;
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

    @Override
    void matmulTransB(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
                      float[] c, int cOffset) {
        VectorFloatProducts.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
}
