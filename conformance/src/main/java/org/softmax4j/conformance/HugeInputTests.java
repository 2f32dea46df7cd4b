package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * Sizes whose product overflows int ({@code rows * cols}, {@code cols * cols} of the Jacobian, {@code m * k},
 * {@code k * n} and {@code m * n} of the products, {@code rows * k} of top-k) and offsets whose sum with the count
 * overflows int: every op, both dtypes, and the allocating convenience methods must throw
 * {@link IllegalArgumentException} naming the overflowing value, before writing anything (the small arrays passed
 * are checked to be unchanged) and before allocating (no {@link OutOfMemoryError}, no
 * {@link ArrayIndexOutOfBoundsException} from a kernel).
 */
public abstract class HugeInputTests {

    /** 65536 * 65536 = 2^32. */
    static final int BIG = 65_536;
    static final long BIG_SQUARED = (long) BIG * BIG;
    /** The smallest C whose C * C overflows int: 46341^2 = 2147488281. */
    static final int JACOBIAN_COLS = 46_341;
    static final long JACOBIAN_SQUARED = (long) JACOBIAN_COLS * JACOBIAN_COLS;
    /** An offset whose sum with a count of 4 overflows int. */
    static final int HUGE_OFFSET = Integer.MAX_VALUE - 2;

    /** @return the backend under test */
    protected abstract SoftmaxOps ops();

    /** Small arrays, refilled for every call, checked to be unchanged after it. */
    static final class Arrays16 {
        final double[] d1 = filled(0.25);
        final double[] d2 = filled(0.5);
        final double[] d3 = filled(Double.longBitsToDouble(0x7ff8_dead_beef_0001L));
        final float[] f1 = filledF(0.25f);
        final float[] f2 = filledF(0.5f);
        final float[] f3 = filledF(Float.intBitsToFloat(0x7fc0_beef));
        final int[] ints = new int[16];
        final int[] out = new int[16];
        final boolean[] mask = new boolean[16];

        Arrays16() {
            Arrays.fill(out, 0xCAFE_BABE);
            Arrays.fill(mask, true);
        }

        private static double[] filled(double v) {
            double[] a = new double[16];
            Arrays.fill(a, v);
            return a;
        }

        private static float[] filledF(float v) {
            float[] a = new float[16];
            Arrays.fill(a, v);
            return a;
        }

        void assertUnchanged(String what) {
            Arrays16 fresh = new Arrays16();
            assertArrayEquals(fresh.d1, d1, what + ": an input or output was written");
            assertArrayEquals(fresh.d2, d2, what + ": an input or output was written");
            for (int i = 0; i < 16; i++) {
                assertTrue(Double.doubleToRawLongBits(d3[i]) == Double.doubleToRawLongBits(fresh.d3[i])
                        && Float.floatToRawIntBits(f3[i]) == Float.floatToRawIntBits(fresh.f3[i]),
                        what + ": an output was written at " + i);
            }
            assertArrayEquals(fresh.f1, f1, what + ": an input or output was written");
            assertArrayEquals(fresh.f2, f2, what + ": an input or output was written");
            assertArrayEquals(fresh.ints, ints, what + ": classes were written");
            assertArrayEquals(fresh.out, out, what + ": an index output was written");
        }
    }

    private record HugeCall(String name, long overflowing, Consumer<Arrays16> call) {
    }

    /** The dimensions of an op's overflowing calls (each a map in the op's argument order). */
    private static List<Map<String, Integer>> hugeShapes(Op op) {
        return switch (op.dims()) {
            case ROWS_COLS -> List.of(dims("rows", BIG, "cols", BIG));
            case TOP_K -> List.of(dims("rows", BIG, "cols", BIG, "k", BIG));
            case COLS -> List.of(dims("cols", JACOBIAN_COLS));
            case PRODUCT -> List.of(dims("m", BIG, "k", BIG, "n", 1), dims("m", 1, "k", BIG, "n", BIG),
                    dims("m", BIG, "k", 1, "n", BIG));
        };
    }

    private static Map<String, Integer> dims(Object... namesAndValues) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], (Integer) namesAndValues[i + 1]);
        }
        return m;
    }

    /**
     * A call of {@code op} with huge dimensions on the 16-element arrays: the real inputs {@code d1}/{@code f1} and
     * {@code d2}/{@code f2}, every real output (and the products' C) {@code d3}/{@code f3}, the index output
     * {@code out}, the classes {@code ints}, the mask {@code mask}; of two optional outputs only the first is passed
     * (they would share {@code d3}).
     */
    private static OpCall hugeCall(Op op, Dtype dtype, Map<String, Integer> dims, Arrays16 a) {
        boolean f64 = dtype == Dtype.FLOAT64;
        OpCall call = new OpCall(op, dtype);
        dims.forEach(call::dim);
        call.temperature = 2;
        int realInputs = 0;
        boolean optionalPassed = false;
        for (Op.Param p : op.params()) {
            Object array = switch (p.role()) {
                case IN -> switch (p.kind()) {
                    case REAL -> realInputs++ == 0 ? (f64 ? a.d1 : a.f1) : (f64 ? a.d2 : a.f2);
                    case INT -> a.ints;
                    case BOOL -> a.mask;
                };
                case OUT, IN_OUT -> p.kind() == Op.Kind.INT ? a.out : f64 ? a.d3 : a.f3;
                case OPTIONAL_OUT -> optionalPassed ? null : f64 ? a.d3 : a.f3;
                case RETURNED -> null;
            };
            if (p.role() == Op.Role.OPTIONAL_OUT) {
                optionalPassed = true;
            }
            if (p.role() != Op.Role.RETURNED) {
                call.array(p.name(), array, 0);
            }
        }
        return call;
    }

    private List<HugeCall> calls(SoftmaxOps o) {
        CrossEntropyOptions opt = CrossEntropyOptions.DEFAULT;
        int b = BIG;
        long bb = BIG_SQUARED;
        int h = HUGE_OFFSET;
        long hsum = (long) HUGE_OFFSET + 4;
        long js = JACOBIAN_SQUARED;
        int jc = JACOBIAN_COLS;
        List<HugeCall> c = new ArrayList<>();
        // every op of the table in both dtypes: rows * cols (rows * k for top-k), cols * cols for the Jacobian, and
        // each of m * k, k * n, m * n alone for the products
        for (Op op : Op.values()) {
            for (Dtype dtype : Dtype.values()) {
                List<Map<String, Integer>> shapes = hugeShapes(op);
                for (Map<String, Integer> dims : shapes) {
                    String label = op.jsonName() + " " + dtype.jsonName() + (shapes.size() > 1 ? " " + dims.keySet()
                            .stream().filter(d -> dims.get(d) == b).collect(Collectors.joining(" * ")) : "");
                    long overflowing = op == Op.JACOBIAN ? JACOBIAN_SQUARED : bb;
                    c.add(new HugeCall(label, overflowing, a -> hugeCall(op, dtype, dims, a).invoke(o)));
                }
            }
        }
        // offset + count
        c.add(new HugeCall("softmax float64 input offset", hsum, a -> o.softmax(1, 4, a.d1, h, a.d3, 0)));
        c.add(new HugeCall("softmax float32 output offset", hsum, a -> o.softmax(1, 4, a.f1, 0, a.f3, h)));
        c.add(new HugeCall("logSumExp float64 output offset", (long) h + 1, a -> o.logSumExp(1, 4, a.d1, 0, a.d3, h)));
        c.add(new HugeCall("matmul float64 c offset", hsum, a -> o.matmul(2, 2, 2, 1.0, a.d1, 0, a.d2, 0, 0.0, a.d3, h)));
        c.add(new HugeCall("topK float32 indices offset", hsum, a -> o.topK(1, 4, 4, a.f1, 0, null, 0, a.out, h)));
        c.add(new HugeCall("sparseSoftmaxCrossEntropyWithLogits float64 classes offset", (long) h + 1,
                a -> o.sparseSoftmaxCrossEntropyWithLogits(1, 4, a.d1, 0, a.ints, h, opt, null, 0, a.d3, 0)));
        // the allocating convenience methods must check before they allocate
        c.add(new HugeCall("softmax(rows, cols, double[]) convenience", bb, a -> o.softmax(b, b, a.d1)));
        c.add(new HugeCall("softmax(rows, cols, float[]) convenience", bb, a -> o.softmax(b, b, a.f1)));
        c.add(new HugeCall("logSoftmax(rows, cols, double[]) convenience", bb, a -> o.logSoftmax(b, b, a.d1)));
        c.add(new HugeCall("logSoftmax(rows, cols, float[]) convenience", bb, a -> o.logSoftmax(b, b, a.f1)));
        c.add(new HugeCall("jacobian(double...) convenience", js, a -> o.jacobian(new double[jc])));
        c.add(new HugeCall("jacobian(float...) convenience", js, a -> o.jacobian(new float[jc])));
        c.add(new HugeCall("sparseSoftmaxCrossEntropyWithLogits(rows, cols, ...) convenience", bb,
                a -> o.sparseSoftmaxCrossEntropyWithLogits(b, b, a.d1, a.ints, opt, a.d3)));
        c.add(new HugeCall("softmaxCrossEntropyWithLogits(rows, cols, ...) convenience", bb,
                a -> o.softmaxCrossEntropyWithLogits(b, b, a.f1, a.f2, opt, a.f3)));
        return c;
    }

    /**
     * Sizes that fit in an int but not in memory: the allocating convenience methods check their input (and that the
     * result fits in the JVM's maximum heap) before they allocate, so the caller gets an IllegalArgumentException
     * naming the size instead of an OutOfMemoryError.
     */
    @TestFactory
    List<DynamicTest> sizesThatDoNotFitInMemoryFailBeforeAllocating() {
        SoftmaxOps o = ops();
        int rows = 40_000;
        int cols = 50_000;
        String count = Long.toString((long) rows * cols);
        int c = 46_340; // c * c < 2^31, but 17 GB of doubles
        String bytes = Long.toString((long) c * c * Double.BYTES);
        String bytes32 = Long.toString((long) c * c * Float.BYTES);
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(check(o, "softmax(rows, cols, double[]) with a short x", count,
                () -> o.softmax(rows, cols, new double[4])));
        tests.add(check(o, "softmax(rows, cols, float[]) with a short x", count,
                () -> o.softmax(rows, cols, new float[4])));
        tests.add(check(o, "logSoftmax(rows, cols, double[]) with a short x", count,
                () -> o.logSoftmax(rows, cols, new double[4])));
        tests.add(check(o, "logSoftmax(rows, cols, float[]) with a short x", count,
                () -> o.logSoftmax(rows, cols, new float[4])));
        if ((long) c * c * Float.BYTES > Runtime.getRuntime().maxMemory()) {
            tests.add(check(o, "jacobian(double...) of 46340 classes (17 GB)", bytes, () -> o.jacobian(new double[c])));
            tests.add(check(o, "jacobian(float...) of 46340 classes (8.6 GB)", bytes32, () -> o.jacobian(new float[c])));
        }
        return tests;
    }

    private static DynamicTest check(SoftmaxOps ops, String name, String named, Runnable call) {
        return DynamicTest.dynamicTest(name, () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run,
                    () -> ops.name() + " " + name + ": expected an IllegalArgumentException");
            assertTrue(String.valueOf(e.getMessage()).contains(named),
                    () -> ops.name() + " " + name + ": the message should name " + named + ": " + e.getMessage());
        });
    }

    @TestFactory
    List<DynamicTest> overflowingSizesAreRejectedBeforeAnyWrite() {
        SoftmaxOps ops = ops();
        List<DynamicTest> tests = new ArrayList<>();
        for (HugeCall call : calls(ops)) {
            tests.add(DynamicTest.dynamicTest(call.name(), () -> {
                Arrays16 a = new Arrays16();
                String what = ops.name() + " " + call.name();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.call().accept(a),
                        () -> what + ": expected an IllegalArgumentException");
                String message = String.valueOf(e.getMessage());
                assertTrue(message.contains(Long.toString(call.overflowing())),
                        () -> what + ": the message should name the overflowing value " + call.overflowing() + ": "
                                + message);
                a.assertUnchanged(what);
            }));
        }
        return tests;
    }
}
