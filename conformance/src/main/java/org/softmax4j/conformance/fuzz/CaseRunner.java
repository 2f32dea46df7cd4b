package org.softmax4j.conformance.fuzz;

import java.util.Arrays;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;

/**
 * Runs a {@link FuzzCase} on a backend and returns its {@link Outcome}. Every array sits at the case's offset with
 * guard elements on both sides: inputs are guarded with NaN (so a kernel reading outside its region shows up in
 * the result), outputs are filled with a canary NaN. After the call it checks, and throws {@link AssertionError}
 * otherwise, that every output element was written, that nothing outside the output regions changed, and that the
 * inputs are unchanged (bitwise) where they are not also the output.
 */
public final class CaseRunner {

    /** Guard elements after each region. */
    private static final int TAIL = 2;
    private static final long CANARY64 = 0x7ff8_dead_beef_0001L;
    private static final int CANARY32 = 0x7fc0_beef;
    private static final int CANARY_INT = 0xCAFE_BABE;

    private CaseRunner() {
    }

    /** @return what {@code ops} produced for {@code c} */
    public static Outcome run(SoftmaxOps ops, FuzzCase c) {
        return c.dtype == Dtype.FLOAT64 ? new Doubles(c).run(ops) : new Floats(c).run(ops);
    }

    private static String where(SoftmaxOps ops, FuzzCase c) {
        return ops.name() + " " + c.op.boundName() + " " + c.dtype.jsonName() + ": ";
    }

    // ------------------------------------------------------------------------------------------------- float64

    private static final class Doubles {
        private final FuzzCase c;
        private final int p;

        Doubles(FuzzCase c) {
            this.c = c;
            this.p = c.pad;
        }

        double[] in(double[] v) {
            if (v == null) {
                return null;
            }
            double[] a = new double[p + v.length + TAIL];
            Arrays.fill(a, Double.NaN);
            System.arraycopy(v, 0, a, p, v.length);
            return a;
        }

        double[] out(int n) {
            double[] a = new double[p + n + TAIL];
            Arrays.fill(a, Double.longBitsToDouble(CANARY64));
            return a;
        }

        int[] outInt(int n) {
            int[] a = new int[p + n + TAIL];
            Arrays.fill(a, CANARY_INT);
            return a;
        }

        /** The main output: a fresh canary-filled array, or the aliased input. */
        double[] main(int n, double[] a, double[] b) {
            return c.inPlace == 1 ? a : c.inPlace == 2 ? b : out(n);
        }

        Outcome run(SoftmaxOps ops) {
            double[] a = in(c.a);
            double[] b = in(c.b);
            boolean[] mask = c.mask == null ? null : padded(c.mask, p);
            int[] classes = c.classes == null ? null : padded(c.classes, p);
            double[] aBefore = a == null ? null : a.clone();
            double[] bBefore = b == null ? null : b.clone();
            int rows = c.rows;
            int cols = c.cols;
            int n = rows * cols;
            Outcome o = new Outcome();
            String at = where(ops, c);
            switch (c.op) {
                case SOFTMAX, SOFTMAX_TEMPERATURE, MASKED_SOFTMAX, LOG_SOFTMAX -> {
                    double[] y = main(n, a, b);
                    switch (c.op) {
                        case SOFTMAX -> ops.softmax(rows, cols, a, p, y, p);
                        case SOFTMAX_TEMPERATURE -> ops.softmax(rows, cols, c.temperature, a, p, y, p);
                        case MASKED_SOFTMAX -> ops.maskedSoftmax(rows, cols, a, p, mask, p, y, p);
                        default -> ops.logSoftmax(rows, cols, a, p, y, p);
                    }
                    o.put("y", region(at + "y", y, p, n, y != a));
                }
                case LOG_SUM_EXP -> {
                    double[] out = out(rows);
                    ops.logSumExp(rows, cols, a, p, out, p);
                    o.put("out", region(at + "out", out, p, rows, true));
                }
                case SOFTMAX_BACKWARD, LOG_SOFTMAX_BACKWARD -> {
                    double[] dx = main(n, a, b);
                    if (c.op == Op.SOFTMAX_BACKWARD) {
                        ops.softmaxBackward(rows, cols, a, p, b, p, dx, p);
                    } else {
                        ops.logSoftmaxBackward(rows, cols, a, p, b, p, dx, p);
                    }
                    o.put("dx", region(at + "dx", dx, p, n, dx != a && dx != b));
                }
                case JACOBIAN -> {
                    double[] jac = out(cols * cols);
                    ops.jacobian(cols, a, p, jac, p);
                    o.put("jacobian", region(at + "jacobian", jac, p, cols * cols, true));
                }
                case CROSS_ENTROPY -> {
                    double[] loss = out(rows);
                    ops.crossEntropy(rows, cols, a, p, b, p, c.eps, loss, p);
                    o.put("loss", region(at + "loss", loss, p, rows, true));
                }
                case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                    double[] loss = c.withLoss ? out(rows) : null;
                    double[] gradient = c.withGradient ? main(n, a, b) : null;
                    double r = c.op == Op.SOFTMAX_CROSS_ENTROPY
                            ? ops.softmaxCrossEntropyWithLogits(rows, cols, a, p, b, p, c.options, loss, p, gradient, p)
                            : ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, a, p, classes, p, c.options, loss, p,
                                    gradient, p);
                    if (loss != null) {
                        o.put("loss", region(at + "loss", loss, p, rows, true));
                    }
                    if (gradient != null) {
                        o.put("gradient", region(at + "gradient", gradient, p, n, gradient != a));
                    }
                    o.put("return", new double[] {r});
                }
                case ARGMAX -> {
                    int[] out = outInt(rows);
                    ops.argmax(rows, cols, a, p, out, p);
                    o.put("out", intRegion(at + "out", out, p, rows));
                }
                case TOP_K -> {
                    int nk = rows * c.k;
                    double[] values = c.withValues ? out(nk) : null;
                    int[] indices = outInt(nk);
                    ops.topK(rows, cols, c.k, a, p, values, p, indices, p);
                    if (values != null) {
                        o.put("values", region(at + "values", values, p, nk, true));
                    }
                    o.put("indices", intRegion(at + "indices", indices, p, nk));
                }
                case MATMUL, MATMUL_TRANS_A -> {
                    double[] cc = in(c.c);
                    int nc = c.rows * c.cols;
                    if (c.op == Op.MATMUL) {
                        ops.matmul(c.rows, c.k, c.cols, c.alpha, a, p, b, p, c.beta, cc, p);
                    } else {
                        ops.matmulTransA(c.rows, c.k, c.cols, c.alpha, a, p, b, p, c.beta, cc, p);
                    }
                    o.put("c", region(at + "c", cc, p, nc, false));
                    guardsUnchanged(at + "c", cc, in(c.c), p, nc);
                }
                default -> throw new AssertionError(c.op);
            }
            if (c.inPlace != 1) {
                unchanged(at + "input a", aBefore, a);
            }
            if (c.inPlace != 2) {
                unchanged(at + "input b", bBefore, b);
            }
            if (mask != null && !Arrays.equals(mask, padded(c.mask, p))) {
                throw new AssertionError(at + "the mask was modified");
            }
            if (classes != null && !Arrays.equals(classes, padded(c.classes, p))) {
                throw new AssertionError(at + "the classes were modified");
            }
            return o;
        }

        /**
         * @param canaries true if the array was canary-filled before the call (a fresh output): then every element
         *                 of the region must have been written and the guards must be intact
         */
        static double[] region(String name, double[] a, int from, int n, boolean canaries) {
            double[] v = Arrays.copyOfRange(a, from, from + n);
            if (canaries) {
                for (int i = 0; i < a.length; i++) {
                    boolean canary = Double.doubleToRawLongBits(a[i]) == CANARY64;
                    boolean inside = i >= from && i < from + n;
                    if (inside == canary) {
                        throw new AssertionError(name + (inside ? ": element " + (i - from) + " was not written"
                                : ": array index " + i + " outside the output region [" + from + ", " + (from + n)
                                + ") was written (" + a[i] + ")"));
                    }
                }
            }
            return v;
        }

        static void guardsUnchanged(String name, double[] after, double[] before, int from, int n) {
            for (int i = 0; i < after.length; i++) {
                if ((i < from || i >= from + n)
                        && Double.doubleToRawLongBits(after[i]) != Double.doubleToRawLongBits(before[i])) {
                    throw new AssertionError(name + ": array index " + i + " outside the output region was written");
                }
            }
        }

        static void unchanged(String name, double[] before, double[] after) {
            if (before == null) {
                return;
            }
            for (int i = 0; i < before.length; i++) {
                if (Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(after[i])) {
                    throw new AssertionError(name + " was modified at array index " + i + ": " + before[i] + " -> "
                            + after[i]);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- float32

    private static final class Floats {
        private final FuzzCase c;
        private final int p;

        Floats(FuzzCase c) {
            this.c = c;
            this.p = c.pad;
        }

        float[] in(double[] v) {
            if (v == null) {
                return null;
            }
            float[] a = new float[p + v.length + TAIL];
            Arrays.fill(a, Float.NaN);
            for (int i = 0; i < v.length; i++) {
                a[p + i] = (float) v[i];
            }
            return a;
        }

        float[] out(int n) {
            float[] a = new float[p + n + TAIL];
            Arrays.fill(a, Float.intBitsToFloat(CANARY32));
            return a;
        }

        int[] outInt(int n) {
            int[] a = new int[p + n + TAIL];
            Arrays.fill(a, CANARY_INT);
            return a;
        }

        float[] main(int n, float[] a, float[] b) {
            return c.inPlace == 1 ? a : c.inPlace == 2 ? b : out(n);
        }

        Outcome run(SoftmaxOps ops) {
            float[] a = in(c.a);
            float[] b = in(c.b);
            boolean[] mask = c.mask == null ? null : padded(c.mask, p);
            int[] classes = c.classes == null ? null : padded(c.classes, p);
            float[] aBefore = a == null ? null : a.clone();
            float[] bBefore = b == null ? null : b.clone();
            int rows = c.rows;
            int cols = c.cols;
            int n = rows * cols;
            Outcome o = new Outcome();
            String at = where(ops, c);
            switch (c.op) {
                case SOFTMAX, SOFTMAX_TEMPERATURE, MASKED_SOFTMAX, LOG_SOFTMAX -> {
                    float[] y = main(n, a, b);
                    switch (c.op) {
                        case SOFTMAX -> ops.softmax(rows, cols, a, p, y, p);
                        case SOFTMAX_TEMPERATURE -> ops.softmax(rows, cols, (float) c.temperature, a, p, y, p);
                        case MASKED_SOFTMAX -> ops.maskedSoftmax(rows, cols, a, p, mask, p, y, p);
                        default -> ops.logSoftmax(rows, cols, a, p, y, p);
                    }
                    o.put("y", region(at + "y", y, p, n, y != a));
                }
                case LOG_SUM_EXP -> {
                    float[] out = out(rows);
                    ops.logSumExp(rows, cols, a, p, out, p);
                    o.put("out", region(at + "out", out, p, rows, true));
                }
                case SOFTMAX_BACKWARD, LOG_SOFTMAX_BACKWARD -> {
                    float[] dx = main(n, a, b);
                    if (c.op == Op.SOFTMAX_BACKWARD) {
                        ops.softmaxBackward(rows, cols, a, p, b, p, dx, p);
                    } else {
                        ops.logSoftmaxBackward(rows, cols, a, p, b, p, dx, p);
                    }
                    o.put("dx", region(at + "dx", dx, p, n, dx != a && dx != b));
                }
                case JACOBIAN -> {
                    float[] jac = out(cols * cols);
                    ops.jacobian(cols, a, p, jac, p);
                    o.put("jacobian", region(at + "jacobian", jac, p, cols * cols, true));
                }
                case CROSS_ENTROPY -> {
                    float[] loss = out(rows);
                    ops.crossEntropy(rows, cols, a, p, b, p, c.eps, loss, p);
                    o.put("loss", region(at + "loss", loss, p, rows, true));
                }
                case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                    float[] loss = c.withLoss ? out(rows) : null;
                    float[] gradient = c.withGradient ? main(n, a, b) : null;
                    float r = c.op == Op.SOFTMAX_CROSS_ENTROPY
                            ? ops.softmaxCrossEntropyWithLogits(rows, cols, a, p, b, p, c.options, loss, p, gradient, p)
                            : ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, a, p, classes, p, c.options, loss, p,
                                    gradient, p);
                    if (loss != null) {
                        o.put("loss", region(at + "loss", loss, p, rows, true));
                    }
                    if (gradient != null) {
                        o.put("gradient", region(at + "gradient", gradient, p, n, gradient != a));
                    }
                    o.put("return", new double[] {r});
                }
                case ARGMAX -> {
                    int[] out = outInt(rows);
                    ops.argmax(rows, cols, a, p, out, p);
                    o.put("out", intRegion(at + "out", out, p, rows));
                }
                case TOP_K -> {
                    int nk = rows * c.k;
                    float[] values = c.withValues ? out(nk) : null;
                    int[] indices = outInt(nk);
                    ops.topK(rows, cols, c.k, a, p, values, p, indices, p);
                    if (values != null) {
                        o.put("values", region(at + "values", values, p, nk, true));
                    }
                    o.put("indices", intRegion(at + "indices", indices, p, nk));
                }
                case MATMUL, MATMUL_TRANS_A -> {
                    float[] cc = in(c.c);
                    int nc = c.rows * c.cols;
                    if (c.op == Op.MATMUL) {
                        ops.matmul(c.rows, c.k, c.cols, (float) c.alpha, a, p, b, p, (float) c.beta, cc, p);
                    } else {
                        ops.matmulTransA(c.rows, c.k, c.cols, (float) c.alpha, a, p, b, p, (float) c.beta, cc, p);
                    }
                    o.put("c", region(at + "c", cc, p, nc, false));
                    guardsUnchanged(at + "c", cc, in(c.c), p, nc);
                }
                default -> throw new AssertionError(c.op);
            }
            if (c.inPlace != 1) {
                unchanged(at + "input a", aBefore, a);
            }
            if (c.inPlace != 2) {
                unchanged(at + "input b", bBefore, b);
            }
            if (mask != null && !Arrays.equals(mask, padded(c.mask, p))) {
                throw new AssertionError(at + "the mask was modified");
            }
            if (classes != null && !Arrays.equals(classes, padded(c.classes, p))) {
                throw new AssertionError(at + "the classes were modified");
            }
            return o;
        }

        static double[] region(String name, float[] a, int from, int n, boolean canaries) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = a[from + i];
            }
            if (canaries) {
                for (int i = 0; i < a.length; i++) {
                    boolean canary = Float.floatToRawIntBits(a[i]) == CANARY32;
                    boolean inside = i >= from && i < from + n;
                    if (inside == canary) {
                        throw new AssertionError(name + (inside ? ": element " + (i - from) + " was not written"
                                : ": array index " + i + " outside the output region [" + from + ", " + (from + n)
                                + ") was written (" + a[i] + ")"));
                    }
                }
            }
            return v;
        }

        static void guardsUnchanged(String name, float[] after, float[] before, int from, int n) {
            for (int i = 0; i < after.length; i++) {
                if ((i < from || i >= from + n) && Float.floatToRawIntBits(after[i]) != Float.floatToRawIntBits(before[i])) {
                    throw new AssertionError(name + ": array index " + i + " outside the output region was written");
                }
            }
        }

        static void unchanged(String name, float[] before, float[] after) {
            if (before == null) {
                return;
            }
            for (int i = 0; i < before.length; i++) {
                if (Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                    throw new AssertionError(name + " was modified at array index " + i + ": " + before[i] + " -> "
                            + after[i]);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- shared

    static int[] intRegion(String name, int[] a, int from, int n) {
        for (int i = 0; i < a.length; i++) {
            boolean canary = a[i] == CANARY_INT;
            boolean inside = i >= from && i < from + n;
            if (inside == canary) {
                throw new AssertionError(name + (inside ? ": element " + (i - from) + " was not written"
                        : ": array index " + i + " outside the output region was written (" + a[i] + ")"));
            }
        }
        return Arrays.copyOfRange(a, from, from + n);
    }

    private static boolean[] padded(boolean[] v, int p) {
        boolean[] a = new boolean[p + v.length + TAIL];
        Arrays.fill(a, true);
        System.arraycopy(v, 0, a, p, v.length);
        return a;
    }

    private static int[] padded(int[] v, int p) {
        // guard classes are out of range on purpose: a kernel reading outside its region would fail loudly
        int[] a = new int[p + v.length + TAIL];
        Arrays.fill(a, Integer.MIN_VALUE);
        System.arraycopy(v, 0, a, p, v.length);
        return a;
    }
}
