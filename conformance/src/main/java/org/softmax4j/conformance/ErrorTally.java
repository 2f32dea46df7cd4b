package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

/**
 * Compares results with exact values under a {@link Tolerance} and keeps, per op and dtype, the largest error seen
 * (in ulps of the exact value, and as a fraction of the bound), so a failure message can say how the other cases
 * of that op fared. Holds nothing between test classes; thread-safe.
 */
public final class ErrorTally {

    private final String backend;
    /** "op dtype" -> {max ulps, max fraction of the bound} */
    private final Map<String, double[]> worst = new TreeMap<>();

    public ErrorTally(String backend) {
        this.backend = backend;
    }

    /** @return the exact value as the dtype can hold it: beyond float32's range it rounds to an infinity */
    static double inDtype(Dtype dtype, double exact) {
        return dtype == Dtype.FLOAT32 && Float.isInfinite((float) exact) ? (float) exact : exact;
    }

    /**
     * Checks every element of {@code actual} against {@code exact} under {@code tolerance}.
     *
     * @param op     the op (its name is in the message)
     * @param what   the case: shape, range, variant
     * @param scales the {@link Tolerance} scale of each element, or null for none
     */
    public void check(Op op, Dtype dtype, String what, Tolerance tolerance, double[] exact, double[] scales,
                      double[] actual) {
        assertEquals(exact.length, actual.length, () -> backend + " " + op.jsonName() + " " + dtype + " " + what + ": length");
        for (int i = 0; i < exact.length; i++) {
            check(op, dtype, what, tolerance, i, exact[i], scales == null ? 0 : scales[i], actual[i]);
        }
    }

    /** Checks one value; {@code index} is only for the message (-1: the reduced value). */
    public void check(Op op, Dtype dtype, String what, Tolerance tolerance, int index, double exact, double scale,
                      double actual) {
        double e = inDtype(dtype, exact);
        boolean ok = tolerance.accepts(dtype, e, actual, scale);
        double ulps = Double.isFinite(e) && Double.isFinite(actual) ? Tolerance.ulpError(dtype, e, actual) : 0;
        double allowed = tolerance.allowance(dtype, e, scale);
        double fraction = allowed > 0 && Double.isFinite(e) && Double.isFinite(actual) ? Math.abs(actual - e) / allowed : 0;
        String key = op.jsonName() + " " + dtype.jsonName();
        double[] w;
        synchronized (worst) {
            w = worst.computeIfAbsent(key, k -> new double[2]);
            if (ok) {
                w[0] = Math.max(w[0], ulps);
                w[1] = Math.max(w[1], fraction);
            }
        }
        double[] seen = w.clone();
        String dt = dtype.jsonName();
        String where = what.startsWith(dt + " ") ? what.substring(dt.length() + 1) : what; // dtype named once
        assertTrue(ok, () -> String.format("%s %s %s %s: index %s: expected %s, actual %s, error %.3g ulp"
                        + " (scale %.3g, allowed %s = %.3g); worst passing so far for %s: %.3g ulp, %.3g of the bound",
                backend, op.jsonName(), dt, where, index < 0 ? "(reduced value)" : index, e, actual, ulps, scale,
                tolerance, allowed, key, seen[0], seen[1]));
    }

    /** Checks integer results (argmax, top-k indices) for equality, naming the first difference. */
    public void checkExact(Op op, Dtype dtype, String what, int[] exact, int[] actual) {
        assertArrayEquals(exact, actual, () -> backend + " " + op.jsonName() + " " + dtype.jsonName() + " " + what);
    }

    /** @return per op and dtype: the largest error seen in ulps and as a fraction of the bound */
    public synchronized String summary() {
        StringBuilder b = new StringBuilder();
        synchronized (worst) {
            worst.forEach((k, v) -> b.append(String.format("%-40s %10.3g ulp %8.3g of bound%n", k, v[0], v[1])));
        }
        return b.toString();
    }
}
