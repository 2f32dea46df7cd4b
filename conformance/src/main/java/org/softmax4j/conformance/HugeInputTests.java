package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

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

    private List<HugeCall> calls(SoftmaxOps o) {
        CrossEntropyOptions opt = CrossEntropyOptions.DEFAULT;
        int b = BIG;
        long bb = BIG_SQUARED;
        int h = HUGE_OFFSET;
        long hsum = (long) HUGE_OFFSET + 4;
        List<HugeCall> c = new ArrayList<>();
        // rows * cols
        c.add(new HugeCall("softmax float64", bb, a -> o.softmax(b, b, a.d1, 0, a.d3, 0)));
        c.add(new HugeCall("softmax float32", bb, a -> o.softmax(b, b, a.f1, 0, a.f3, 0)));
        c.add(new HugeCall("softmax temperature float64", bb, a -> o.softmax(b, b, 2.0, a.d1, 0, a.d3, 0)));
        c.add(new HugeCall("softmax temperature float32", bb, a -> o.softmax(b, b, 2f, a.f1, 0, a.f3, 0)));
        c.add(new HugeCall("maskedSoftmax float64", bb, a -> o.maskedSoftmax(b, b, a.d1, 0, a.mask, 0, a.d3, 0)));
        c.add(new HugeCall("maskedSoftmax float32", bb, a -> o.maskedSoftmax(b, b, a.f1, 0, a.mask, 0, a.f3, 0)));
        c.add(new HugeCall("logSoftmax float64", bb, a -> o.logSoftmax(b, b, a.d1, 0, a.d3, 0)));
        c.add(new HugeCall("logSoftmax float32", bb, a -> o.logSoftmax(b, b, a.f1, 0, a.f3, 0)));
        c.add(new HugeCall("logSumExp float64", bb, a -> o.logSumExp(b, b, a.d1, 0, a.d3, 0)));
        c.add(new HugeCall("logSumExp float32", bb, a -> o.logSumExp(b, b, a.f1, 0, a.f3, 0)));
        c.add(new HugeCall("softmaxBackward float64", bb, a -> o.softmaxBackward(b, b, a.d1, 0, a.d2, 0, a.d3, 0)));
        c.add(new HugeCall("softmaxBackward float32", bb, a -> o.softmaxBackward(b, b, a.f1, 0, a.f2, 0, a.f3, 0)));
        c.add(new HugeCall("logSoftmaxBackward float64", bb,
                a -> o.logSoftmaxBackward(b, b, a.d1, 0, a.d2, 0, a.d3, 0)));
        c.add(new HugeCall("logSoftmaxBackward float32", bb,
                a -> o.logSoftmaxBackward(b, b, a.f1, 0, a.f2, 0, a.f3, 0)));
        c.add(new HugeCall("crossEntropy float64", bb,
                a -> o.crossEntropy(b, b, a.d1, 0, a.d2, 0, SoftmaxOps.DEFAULT_EPSILON, a.d3, 0)));
        c.add(new HugeCall("crossEntropy float32", bb,
                a -> o.crossEntropy(b, b, a.f1, 0, a.f2, 0, SoftmaxOps.DEFAULT_EPSILON, a.f3, 0)));
        c.add(new HugeCall("softmaxCrossEntropyWithLogits float64", bb,
                a -> o.softmaxCrossEntropyWithLogits(b, b, a.d1, 0, a.d2, 0, opt, a.d3, 0, null, 0)));
        c.add(new HugeCall("softmaxCrossEntropyWithLogits float32", bb,
                a -> o.softmaxCrossEntropyWithLogits(b, b, a.f1, 0, a.f2, 0, opt, null, 0, a.f3, 0)));
        c.add(new HugeCall("sparseSoftmaxCrossEntropyWithLogits float64", bb,
                a -> o.sparseSoftmaxCrossEntropyWithLogits(b, b, a.d1, 0, a.ints, 0, opt, null, 0, a.d3, 0)));
        c.add(new HugeCall("sparseSoftmaxCrossEntropyWithLogits float32", bb,
                a -> o.sparseSoftmaxCrossEntropyWithLogits(b, b, a.f1, 0, a.ints, 0, opt, a.f3, 0, null, 0)));
        c.add(new HugeCall("argmax float64", bb, a -> o.argmax(b, b, a.d1, 0, a.out, 0)));
        c.add(new HugeCall("argmax float32", bb, a -> o.argmax(b, b, a.f1, 0, a.out, 0)));
        // rows * k (k <= cols, so rows * cols overflows too)
        c.add(new HugeCall("topK float64", bb, a -> o.topK(b, b, b, a.d1, 0, a.d3, 0, a.out, 0)));
        c.add(new HugeCall("topK float32", bb, a -> o.topK(b, b, b, a.f1, 0, a.f3, 0, a.out, 0)));
        // cols * cols
        long js = JACOBIAN_SQUARED;
        int jc = JACOBIAN_COLS;
        c.add(new HugeCall("jacobian float64", js, a -> o.jacobian(jc, a.d1, 0, a.d3, 0)));
        c.add(new HugeCall("jacobian float32", js, a -> o.jacobian(jc, a.f1, 0, a.f3, 0)));
        // m * k, k * n, m * n, each alone
        for (boolean t : new boolean[] {false, true}) {
            String p = t ? "matmulTransA" : "matmul";
            int[][] shapes = {{b, b, 1}, {1, b, b}, {b, 1, b}};
            String[] which = {"m * k", "k * n", "m * n"};
            for (int s = 0; s < 3; s++) {
                int m = shapes[s][0];
                int k = shapes[s][1];
                int n = shapes[s][2];
                c.add(new HugeCall(p + " float64 " + which[s], bb, a -> {
                    if (t) {
                        o.matmulTransA(m, k, n, 1.0, a.d1, 0, a.d2, 0, 0.0, a.d3, 0);
                    } else {
                        o.matmul(m, k, n, 1.0, a.d1, 0, a.d2, 0, 0.0, a.d3, 0);
                    }
                }));
                c.add(new HugeCall(p + " float32 " + which[s], bb, a -> {
                    if (t) {
                        o.matmulTransA(m, k, n, 1f, a.f1, 0, a.f2, 0, 0f, a.f3, 0);
                    } else {
                        o.matmul(m, k, n, 1f, a.f1, 0, a.f2, 0, 0f, a.f3, 0);
                    }
                }));
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
