package org.softmax4j.nd4j;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.api.ops.impl.reduce.same.Min;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.cpu.nativecpu.buffer.BaseCpuDataBuffer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.nativeblas.OpaqueDataBuffer;

/**
 * libnd4j's legacy ops (reductions, broadcasts, transforms, scalar and pairwise arithmetic) called straight through
 * {@link NativeOps}, the JNI entry points ND4J's own executioner ends in. ND4J's Java path around each such call —
 * building the op object, checking data types, looking up its tensor-along-dimension shapes, a profiling hook —
 * costs 3-8 KB of heap and 5-15 µs per op (measured on the build machine, float64 100x10, JDK 17: {@code Max} along
 * rows 3.1 KB and 11.5 µs through {@code exec}, 0 B and 0.5 µs here; the row broadcast 5.6 KB and 16.6 µs against 0 B
 * and 1.2 µs); a softmax4j op is a chain of several of them, so that path, not libnd4j, dominated small calls and made
 * most of the garbage. libnd4j computes the shapes itself when they are passed as null, as here.
 *
 * <p>All arrays are float64 (the op numbers select libnd4j's kernels by the arrays' data type), dense and c-ordered;
 * a call's outputs may be its inputs. Every call checks libnd4j's error code and throws what it reports.
 *
 * <p>The op numbers are those of ND4J's own op classes ({@code opNum()}), except the pairwise arithmetic ones, which
 * ND4J 1.0.0-M2.1 only offers as custom ops: {@link #PAIRWISE_MULTIPLY} and {@link #PAIRWISE_SUBTRACT} are libnd4j's
 * legacy numbers, checked against ND4J's own ops by {@code LegacyOpsTest}.
 */
final class LegacyOps {

    static {
        Nd4jRuntime.start();
    }

    private static final NativeOps NATIVE = NativeOpsHolder.getInstance().getDeviceNativeOps();

    /** A 1-element float64 array for the op objects that give the op numbers (never written). */
    private static final INDArray PROBE = Nd4j.zeros(DataType.DOUBLE, 1, 1);

    static final int MAX = new Max(PROBE, PROBE, 1).opNum();
    static final int MIN = new Min(PROBE, PROBE, 1).opNum();
    static final int SUM = new Sum(PROBE, PROBE, 1).opNum();
    static final int DOT = new Dot(PROBE, PROBE, PROBE, 1).opNum();
    static final int EXP = new Exp(PROBE, PROBE).opNum();
    static final int BROADCAST_SUBTRACT = new BroadcastSubOp(PROBE, PROBE, PROBE, 0).opNum();
    static final int BROADCAST_MULTIPLY = new BroadcastMulOp(PROBE, PROBE, PROBE, 0).opNum();
    static final int SCALAR_ADD = new ScalarAdd(PROBE, 0.0).opNum();
    static final int SCALAR_MULTIPLY = new ScalarMultiplication(PROBE, 0.0).opNum();
    static final int SCALAR_DIVIDE = new ScalarDivision(PROBE, 0.0).opNum();
    /** libnd4j's legacy {@code transform_any} number of {@code Assign} (ND4J 1.0.0-M2.1 has it only as a custom op). */
    static final int ASSIGN = 0;
    static final int PAIRWISE_MULTIPLY = 3;
    static final int PAIRWISE_SUBTRACT = 6;

    /**
     * {@code compare_and_set} setting 0 where an entry is {@code >= 1} (an exact comparison: {@code Conditions.equals}
     * has a tolerance); its parameters are constants, kept in this native buffer.
     */
    private static final CompareAndSet ZERO_AT_LEAST_ONE = new CompareAndSet(PROBE, 0.0,
            Conditions.greaterThanOrEqual(1.0));
    private static final int COMPARE_AND_SET = ZERO_AT_LEAST_ONE.opNum();
    private static final DataBuffer ZERO_AT_LEAST_ONE_ARGS = ZERO_AT_LEAST_ONE.extraArgsDataBuff(DataType.DOUBLE);
    private static final Pointer ZERO_AT_LEAST_ONE_POINTER = ZERO_AT_LEAST_ONE_ARGS.addressPointer();

    /**
     * {@code match_condition(isFinite)}, the count of finite entries; its parameters, constants, in a native buffer
     * of each dtype it reads (libnd4j reads them in the input's type).
     */
    private static final int COUNT_FINITE = new MatchCondition(PROBE, Conditions.isFinite()).opNum();
    // one op object per dtype: an op keeps the first parameter buffer it built, whatever dtype is asked next
    private static final Pointer COUNT_FINITE_DOUBLE_ARGS = new MatchCondition(PROBE, Conditions.isFinite())
            .extraArgsDataBuff(DataType.DOUBLE).addressPointer();
    private static final Pointer COUNT_FINITE_FLOAT_ARGS = new MatchCondition(PROBE, Conditions.isFinite())
            .extraArgsDataBuff(DataType.FLOAT).addressPointer();

    /** The dimension lists: along rows (a reduction to one value per row; a broadcast of a row vector). */
    private static final Dimensions ALONG_ROWS = new Dimensions(Nd4j.createFromArray(1));
    /** Along columns: the broadcast of a column vector (one value per row). */
    private static final Dimensions ALONG_COLUMNS = new Dimensions(Nd4j.createFromArray(0));

    /** A constant dimension list and its native handles, looked up once. */
    private record Dimensions(INDArray array, OpaqueDataBuffer data, LongPointer shape) {
        Dimensions(INDArray array) {
            this(array, LegacyOps.data(array), LegacyOps.shape(array));
        }
    }

    private LegacyOps() {
    }

    private static OpaqueDataBuffer data(INDArray a) {
        return ((BaseCpuDataBuffer) a.data()).getOpaqueDataBuffer();
    }

    private static LongPointer shape(INDArray a) {
        return Buffers.shape(a);
    }

    private static void check() {
        if (NATIVE.lastErrorCode() != 0) {
            throw new IllegalStateException("libnd4j: " + NATIVE.lastErrorMessage());
        }
    }

    /** {@code out[r] = op over row r of x} ({@link #MAX}, {@link #MIN}, {@link #SUM}); out holds {@code rows} values. */
    static void reduceRows(int op, INDArray x, INDArray out) {
        NATIVE.execReduceSame2(null, op, data(x), shape(x), null, null, data(out), shape(out), null,
                ALONG_ROWS.data(), ALONG_ROWS.shape(), null);
        check();
    }

    /**
     * @param scalar a float64 scalar array of this thread (overwritten)
     * @return the smallest entry of {@code x} (float64): one pass over all of it, which libnd4j splits across its
     * threads whatever the shape (a row reduction of few long rows runs on one thread per row)
     */
    static double min(INDArray x, INDArray scalar) {
        NATIVE.execReduceSame(null, MIN, data(x), shape(x), null, null, data(scalar), shape(scalar), null);
        check();
        return Buffers.doubles(scalar).get();
    }

    /** {@code out[r] = sum_c x[r][c] y[r][c]}. */
    static void dotRows(INDArray x, INDArray y, INDArray out) {
        NATIVE.execReduce3Tad(null, DOT, data(x), shape(x), null, null, data(y), shape(y), null, data(out),
                shape(out), null, ALONG_ROWS.data(), ALONG_ROWS.shape(), null, null, null, null, null);
        check();
    }

    /** {@code z[r][c] = x[r][c] op column[r]} ({@link #BROADCAST_SUBTRACT}, {@link #BROADCAST_MULTIPLY}). */
    static void broadcastColumn(int op, INDArray x, INDArray column, INDArray z) {
        broadcast(op, x, column, ALONG_COLUMNS, z);
    }

    /** {@code z[r][c] = x[r][c] op row[c]}. */
    static void broadcastRow(int op, INDArray x, INDArray row, INDArray z) {
        broadcast(op, x, row, ALONG_ROWS, z);
    }

    private static void broadcast(int op, INDArray x, INDArray y, Dimensions dimensions, INDArray z) {
        NATIVE.execBroadcast(null, op, data(x), shape(x), null, data(y), shape(y), null, data(z), shape(z), null,
                dimensions.data(), dimensions.shape(), null);
        check();
    }

    /** {@code z = exp(x)}. */
    static void exp(INDArray x, INDArray z) {
        NATIVE.execTransformStrict(null, EXP, data(x), shape(x), null, data(z), shape(z), null, null);
        check();
    }

    /**
     * {@code z = x} converted to the dtype of {@code z} (float32 to float64 exactly, float64 to float32 rounded to
     * nearest), any strides: what {@link INDArray#assign(INDArray)} does, without its op object and executioner.
     * Not restricted to float64, unlike the other ops here.
     */
    static void assign(INDArray x, INDArray z) {
        NATIVE.execTransformAny(null, ASSIGN, data(x), shape(x), null, data(z), shape(z), null, null);
        check();
    }

    /**
     * @param count a long scalar array of this thread (overwritten)
     * @return the number of finite entries of {@code x} (float32 or float64)
     */
    static long countFinite(INDArray x, INDArray count) {
        Pointer args = x.dataType() == DataType.FLOAT ? COUNT_FINITE_FLOAT_ARGS : COUNT_FINITE_DOUBLE_ARGS;
        NATIVE.execReduceLong(null, COUNT_FINITE, data(x), shape(x), null, args, data(count), shape(count),
                null);
        check();
        return Buffers.longs(count).get();
    }

    /** {@code x[i] = 0 where x[i] >= 1}, in place. */
    static void zeroWhereAtLeastOne(INDArray x) {
        NATIVE.execTransformSame(null, COMPARE_AND_SET, data(x), shape(x), null, data(x), shape(x), null,
                ZERO_AT_LEAST_ONE_POINTER);
        check();
    }

    /**
     * {@code z = x op value} ({@link #SCALAR_ADD}, {@link #SCALAR_MULTIPLY}, {@link #SCALAR_DIVIDE}).
     *
     * @param scalar a float64 scalar array of this thread (its value is overwritten)
     */
    static void scalar(int op, INDArray x, double value, INDArray scalar, INDArray z) {
        Buffers.doubles(scalar).put(value);
        NATIVE.execScalar(null, op, data(x), shape(x), null, data(z), shape(z), null, data(scalar), shape(scalar),
                null, null);
        check();
    }

    /** {@code z = x op y} element by element ({@link #PAIRWISE_MULTIPLY}, {@link #PAIRWISE_SUBTRACT}). */
    static void pairwise(int op, INDArray x, INDArray y, INDArray z) {
        NATIVE.execPairwiseTransform(null, op, data(x), shape(x), null, data(y), shape(y), null, data(z), shape(z),
                null, null);
        check();
    }
}
