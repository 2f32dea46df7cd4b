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
 * The ops that {@link Kernels} does not compose per row, on float64 {@code rows x cols} arrays, inside an active
 * workspace (their temporaries are allocated there, the results returned in it): Keras' cross-entropy from
 * probabilities, argmax and top-k. Row sums here are pairwise ({@link #rowSum}), the cross-entropy's {@code 1 - p}
 * above one half is formed from the other entries ({@code log1p}), and argmax and top-k correct libnd4j's handling of
 * NaN and ties.
 */
final class DoubleKernels {

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
     * ties and skips NaN: otherwise the caller runs the shared exact selection ({@code Selection.topK}).
     *
     * @return {@code [indices (rows x k, LONG), values (rows x k, DOUBLE)]}, or null when libnd4j's answer cannot be
     * trusted (ties among the top {@code k + 1}, or a NaN)
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
            INDArray idx = top[1].get(all(), interval(0, k)).castTo(DataType.INT64);
            return new INDArray[] {idx, top[0].get(all(), interval(0, k)).dup('c')};
        }
        return null;
    }
}
