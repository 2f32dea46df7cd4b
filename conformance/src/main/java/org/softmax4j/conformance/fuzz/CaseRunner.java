package org.softmax4j.conformance.fuzz;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;
import org.softmax4j.conformance.OpCall;

/**
 * Runs a {@link FuzzCase} on a backend and returns its {@link Outcome}, through the op table's invoker
 * ({@link OpCall}). Every array sits at the case's offset with guard elements on both sides: inputs are guarded with
 * NaN (so a kernel reading outside its region shows up in the result), outputs are filled with a canary NaN. After
 * the call it checks, and throws {@link AssertionError} otherwise, that every output element was written, that
 * nothing outside the output regions changed, and that the inputs are unchanged (bitwise) where they are not also the
 * output.
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
        Op op = c.op;
        int p = c.pad;
        String at = ops.name() + " " + op.jsonName() + " " + c.dtype.jsonName() + ": ";
        OpCall call = new OpCall(op, c.dtype);
        dims(c, call);
        call.temperature = c.temperature;
        call.eps = c.eps;
        call.options = c.options;
        call.alpha = c.alpha;
        call.beta = c.beta;
        Map<String, Object> before = new HashMap<>();
        List<String> reals = op.realInputs();
        for (Op.Param param : op.params()) {
            if (param.role() == Op.Role.IN) {
                Object v = switch (param.kind()) {
                    case REAL -> in(c.dtype, reals.indexOf(param.name()) == 0 ? c.a : c.b, p);
                    case BOOL -> padded(c.mask, p);
                    case INT -> padded(c.classes, p);
                };
                call.array(param.name(), v, p);
                before.put(param.name(), OpCall.cloneArray(v));
            }
        }
        String aliased = null;
        for (Op.Param param : op.params()) {
            if (param.role() == Op.Role.IN_OUT) {
                call.array(param.name(), in(c.dtype, c.c, p), p);
            } else if (param.isOutput() && (param.role() != Op.Role.OPTIONAL_OUT || wanted(c, param.name()))) {
                if (param.name().equals(op.mainOutput()) && c.inPlace > 0) {
                    aliased = op.inPlace().get(c.inPlace - 1)[1];
                    call.array(param.name(), call.array(aliased), p);
                } else {
                    call.array(param.name(), canaries(param.kind(), c.dtype, p + param.size(call) + TAIL), p);
                }
            }
        }
        call.invoke(ops);
        Outcome o = new Outcome();
        for (Op.Param param : op.params()) {
            Object a = call.array(param.name());
            if (param.role() == Op.Role.RETURNED) {
                o.put(param.key(), new double[] {call.returned()});
            } else if (param.role() == Op.Role.IN_OUT) {
                int n = param.size(call);
                o.put(param.key(), region(at + param.name(), a, p, n, false));
                guardsUnchanged(at + param.name(), a, in(c.dtype, c.c, p), p, n);
            } else if (param.isOutput() && a != null) {
                int n = param.size(call);
                if (param.kind() == Op.Kind.INT) {
                    o.put(param.key(), intRegion(at + param.name(), (int[]) a, p, n));
                } else {
                    o.put(param.key(), region(at + param.name(), a, p, n, !param.name().equals(op.mainOutput())
                            || aliased == null));
                }
            }
        }
        for (Map.Entry<String, Object> e : before.entrySet()) {
            if (!e.getKey().equals(aliased)) {
                unchanged(at + "input " + e.getKey(), e.getValue(), call.array(e.getKey()));
            }
        }
        return o;
    }

    private static void dims(FuzzCase c, OpCall call) {
        switch (c.op.dims()) {
            case ROWS_COLS -> call.dim("rows", c.rows).dim("cols", c.cols);
            case COLS -> call.dim("cols", c.cols);
            case TOP_K -> call.dim("rows", c.rows).dim("cols", c.cols).dim("k", c.k);
            case PRODUCT -> call.dim("m", c.rows).dim("k", c.k).dim("n", c.cols);
        }
    }

    /** Whether the case passes an optional output. */
    private static boolean wanted(FuzzCase c, String output) {
        return switch (output) {
            case "loss" -> c.withLoss;
            case "gradient" -> c.withGradient;
            case "values" -> c.withValues;
            default -> true;
        };
    }

    private static Object in(Dtype dtype, double[] v, int p) {
        if (v == null) {
            return null;
        }
        if (dtype == Dtype.FLOAT64) {
            double[] a = new double[p + v.length + TAIL];
            Arrays.fill(a, Double.NaN);
            System.arraycopy(v, 0, a, p, v.length);
            return a;
        }
        float[] a = new float[p + v.length + TAIL];
        Arrays.fill(a, Float.NaN);
        for (int i = 0; i < v.length; i++) {
            a[p + i] = (float) v[i];
        }
        return a;
    }

    private static Object canaries(Op.Kind kind, Dtype dtype, int n) {
        if (kind == Op.Kind.INT) {
            int[] a = new int[n];
            Arrays.fill(a, CANARY_INT);
            return a;
        }
        if (dtype == Dtype.FLOAT64) {
            double[] a = new double[n];
            Arrays.fill(a, Double.longBitsToDouble(CANARY64));
            return a;
        }
        float[] a = new float[n];
        Arrays.fill(a, Float.intBitsToFloat(CANARY32));
        return a;
    }

    private static boolean isCanary(Object a, int i) {
        return a instanceof double[] d ? Double.doubleToRawLongBits(d[i]) == CANARY64
                : Float.floatToRawIntBits(((float[]) a)[i]) == CANARY32;
    }

    /**
     * @param canaries true if the array was canary-filled before the call (a fresh output): then every element
     *                 of the region must have been written and the guards must be intact
     * @return the region widened to double
     */
    static double[] region(String name, Object a, int from, int n, boolean canaries) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = OpCall.element(a, from + i);
        }
        if (canaries) {
            int length = OpCall.length(a);
            for (int i = 0; i < length; i++) {
                boolean inside = i >= from && i < from + n;
                if (inside == isCanary(a, i)) {
                    throw new AssertionError(name + (inside ? ": element " + (i - from) + " was not written"
                            : ": array index " + i + " outside the output region [" + from + ", " + (from + n)
                            + ") was written (" + OpCall.element(a, i) + ")"));
                }
            }
        }
        return v;
    }

    static void guardsUnchanged(String name, Object after, Object before, int from, int n) {
        int length = OpCall.length(after);
        for (int i = 0; i < length; i++) {
            if ((i < from || i >= from + n) && !OpCall.sameBits(after, before, i)) {
                throw new AssertionError(name + ": array index " + i + " outside the output region was written");
            }
        }
    }

    static void unchanged(String name, Object before, Object after) {
        if (before == null) {
            return;
        }
        int length = OpCall.length(before);
        for (int i = 0; i < length; i++) {
            if (!OpCall.sameBits(before, after, i)) {
                throw new AssertionError(name + " was modified at array index " + i + ": "
                        + OpCall.element(before, i) + " -> " + OpCall.element(after, i));
            }
        }
    }

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
