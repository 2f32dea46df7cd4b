package org.softmax4j.conformance.fuzz;

import java.util.Arrays;
import java.util.Map;

import org.softmax4j.Accuracy;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;
import org.softmax4j.conformance.ErrorBounds;
import org.softmax4j.conformance.Tolerance;

/**
 * Checks an {@link Outcome} against the exact result within {@link ErrorBounds}, and two backends' outcomes against
 * each other within twice the bound (each is within the bound of the exact value, so they are within twice of each
 * other; bitwise equality is not required). Throws {@link AssertionError} naming backend, op, dtype, output, index,
 * values, error and bound.
 */
public final class Comparison {

    private Comparison() {
    }

    /** @return the bound of output {@code name} of the case's op under {@code accuracy} */
    static Tolerance bound(FuzzCase c, String name, Accuracy accuracy) {
        if (name.equals("values")) {
            return Tolerance.EXACT;
        }
        return ErrorBounds.of(c, name, accuracy);
    }

    /** Checks every output of {@code actual} against the exact outputs, within the bound of the backend's class. */
    public static void againstExact(SoftmaxOps ops, FuzzCase c, Expectation expected, Outcome actual) {
        String backend = ops.name();
        Accuracy accuracy = c.dtype.accuracyOf(ops);
        for (Map.Entry<String, double[]> e : expected.values.entrySet()) {
            String name = e.getKey();
            double[] exact = e.getValue();
            double[] scale = expected.scales.get(name);
            double[] got = actual.reals().get(name);
            if (got == null || got.length != exact.length) {
                throw new AssertionError(backend + " " + c.op.jsonName() + " " + c.dtype.jsonName() + ": output "
                        + name + " has " + (got == null ? "no values" : got.length + " values") + ", expected "
                        + exact.length);
            }
            Tolerance t = bound(c, name, accuracy);
            boolean[] undefined = expected.undefined.get(name);
            for (int i = 0; i < exact.length; i++) {
                if (undefined != null && undefined[i]) {
                    continue;
                }
                double x = inDtype(c.dtype, exact[i]);
                if (!unbounded(t, scale[i]) && !t.accepts(c.dtype, x, got[i], scale[i])
                        && !atRangeEdge(c.dtype, t, x, got[i], scale[i])) {
                    throw new AssertionError(String.format(
                            "%s %s %s: %s[%d] = %s, exact %s (error %.3g ulp; bound %s with scale %s)", backend,
                            c.op.jsonName(), c.dtype.jsonName(), name, i, got[i], x,
                            Tolerance.ulpError(c.dtype, x, got[i]), t, scale[i]));
                }
            }
        }
        for (Map.Entry<String, int[]> e : expected.ints.entrySet()) {
            int[] got = actual.ints().get(e.getKey());
            if (!Arrays.equals(e.getValue(), got)) {
                throw new AssertionError(backend + " " + c.op.jsonName() + " " + c.dtype.jsonName() + ": "
                        + e.getKey() + " = " + Arrays.toString(got) + ", exact " + Arrays.toString(e.getValue()));
            }
        }
    }

    /**
     * Checks two backends' outcomes of the same case against each other within twice the bound (of the looser of
     * their accuracy classes).
     */
    public static void betweenBackends(FuzzCase c, SoftmaxOps opsA, Outcome a, SoftmaxOps opsB, Outcome b) {
        String nameA = opsA.name();
        String nameB = opsB.name();
        Accuracy accuracy = c.dtype.accuracyOf(opsA) == Accuracy.EXACT ? c.dtype.accuracyOf(opsB) : Accuracy.STANDARD;
        if (!a.reals().keySet().equals(b.reals().keySet()) || !a.ints().keySet().equals(b.ints().keySet())) {
            throw new AssertionError(nameA + " vs " + nameB + ": different outputs");
        }
        Map<String, double[]> scales = Scales.of(c);
        for (Map.Entry<String, double[]> e : a.reals().entrySet()) {
            String name = e.getKey();
            double[] va = e.getValue();
            double[] vb = b.reals().get(name);
            double[] scale = scales.get(name);
            Tolerance t = bound(c, name, accuracy);
            boolean ieeeOpen = ieeeOpen(c.op);
            for (int i = 0; i < va.length; i++) {
                if (ieeeOpen && !Double.isFinite(va[i]) && !Double.isFinite(vb[i])) {
                    // which of NaN and +-inf comes out of non-finite inputs here is IEEE order, not contract
                    continue;
                }
                if (!close(c.dtype, t, va[i], vb[i], scale == null ? 0 : scale[i])) {
                    throw new AssertionError(String.format("%s vs %s %s %s: %s[%d] = %s vs %s (bound %s each, scale %s)",
                            nameA, nameB, c.op.jsonName(), c.dtype.jsonName(), name, i, va[i], vb[i], t,
                            scale == null ? 0 : scale[i]));
                }
            }
        }
        for (Map.Entry<String, int[]> e : a.ints().entrySet()) {
            int[] vb = b.ints().get(e.getKey());
            if (!Arrays.equals(e.getValue(), vb)) {
                throw new AssertionError(nameA + " vs " + nameB + " " + c.op.jsonName() + " " + c.dtype.jsonName()
                        + ": " + e.getKey() + " = " + Arrays.toString(e.getValue()) + " vs " + Arrays.toString(vb));
            }
        }
    }

    /**
     * Two results each within {@code t} of the same exact value: NaN only with NaN, an infinity only with itself,
     * else {@code |a - b| <= 2 ulps ulp(2 max(|a|, |b|)) + 2 scaleUlps u scale} (the ulp of the exact value is at
     * most that of twice the larger result).
     */
    static boolean close(Dtype dtype, Tolerance t, double a, double b, double scale) {
        if (unbounded(t, scale)) {
            return true;
        }
        if (t.scaleUlps() > 0 && Double.isInfinite(dtype.round(scale)) && (!Double.isFinite(a) || !Double.isFinite(b))) {
            // Tolerance's overflow rule: terms beyond the dtype's range (float32 accumulated in float32, as BLAS
            // does) may overflow, so a non-finite result is within the bound
            return true;
        }
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return a == b;
        }
        if (t.equals(Tolerance.EXACT)) {
            return a == b;
        }
        double big = 2 * Math.max(Math.abs(a), Math.abs(b));
        return Math.abs(a - b) <= 2 * t.allowance(dtype, big, scale);
    }

    /**
     * @return true for the ops whose contract leaves the propagation of non-finite inputs to IEEE arithmetic (so the
     * order of operations may turn {@code inf - inf} into NaN in one backend and keep {@code -inf} in another)
     */
    static boolean ieeeOpen(Op op) {
        return switch (op) {
            case SOFTMAX_BACKWARD, LOG_SOFTMAX_BACKWARD, JACOBIAN, CROSS_ENTROPY, MATMUL, MATMUL_TRANS_A,
                 MATMUL_TRANS_B -> true;
            default -> false;
        };
    }

    /**
     * An element whose {@link Tolerance} scale overflows (the terms the op combines exceed the dtype's range, e.g.
     * {@code dlogp = -MAX_VALUE} in every column) has no bound: the op's condition allows any result, overflow
     * included. This only applies to ops with a scale term.
     */
    static boolean unbounded(Tolerance t, double scale) {
        return t.scaleUlps() > 0 && !Double.isFinite(scale);
    }

    /**
     * The reference rounds an exact value just past the largest finite value to infinity, but a result that is the
     * sum of terms whose magnitudes add up to a finite scale cannot exceed that scale: when the scale is finite and
     * the result is the dtype's largest value with the exact value's sign, the result is within rounding of it.
     */
    static boolean atRangeEdge(Dtype dtype, Tolerance t, double exact, double actual, double scale) {
        double max = dtype == Dtype.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        return t.scaleUlps() > 0 && Double.isInfinite(exact) && Double.isFinite(dtype.round(scale))
                && actual == Math.copySign(max, exact);
    }

    /** @return the exact value as the dtype holds it: beyond float32's range it rounds to an infinity */
    static double inDtype(Dtype dtype, double exact) {
        return dtype == Dtype.FLOAT32 && Float.isInfinite((float) exact) ? (float) exact : exact;
    }
}
