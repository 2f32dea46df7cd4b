package org.softmax4j.conformance.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one call produced: each output array by name ("y", "out", "dx", "jacobian", "loss", "gradient", "values",
 * "c", and "return" for a returned value), widened to double without rounding; index outputs ("out" of argmax,
 * "indices" of top-k) as ints.
 */
public final class Outcome {

    private final Map<String, double[]> reals = new LinkedHashMap<>();
    private final Map<String, int[]> ints = new LinkedHashMap<>();

    void put(String name, double[] values) {
        reals.put(name, values);
    }

    void put(String name, int[] values) {
        ints.put(name, values);
    }

    public Map<String, double[]> reals() {
        return reals;
    }

    public Map<String, int[]> ints() {
        return ints;
    }

    /** @return true if every output has the same bits as in {@code other} (any NaN equals any NaN) */
    public boolean bitwiseEquals(Outcome other) {
        return firstBitDifference(other) == null;
    }

    /**
     * @return a description of the first output element whose bits differ from {@code other} ({@code -0.0} differs
     * from {@code 0.0}; NaN payloads are not compared: the contract promises NaN, not which one), or null
     */
    public String firstBitDifference(Outcome other) {
        if (!reals.keySet().equals(other.reals.keySet()) || !ints.keySet().equals(other.ints.keySet())) {
            return "outputs " + reals.keySet() + ints.keySet() + " vs " + other.reals.keySet() + other.ints.keySet();
        }
        for (Map.Entry<String, double[]> e : reals.entrySet()) {
            double[] mine = e.getValue();
            double[] theirs = other.reals.get(e.getKey());
            for (int i = 0; i < mine.length; i++) {
                if (Double.doubleToLongBits(mine[i]) != Double.doubleToLongBits(theirs[i])) {
                    return e.getKey() + "[" + i + "]: " + mine[i] + " vs " + theirs[i] + " (bits "
                            + Long.toHexString(Double.doubleToRawLongBits(mine[i])) + " vs "
                            + Long.toHexString(Double.doubleToRawLongBits(theirs[i])) + ")";
                }
            }
        }
        for (Map.Entry<String, int[]> e : ints.entrySet()) {
            int[] mine = e.getValue();
            int[] theirs = other.ints.get(e.getKey());
            for (int i = 0; i < mine.length; i++) {
                if (mine[i] != theirs[i]) {
                    return e.getKey() + "[" + i + "]: " + mine[i] + " vs " + theirs[i];
                }
            }
        }
        return null;
    }

    /**
     * @return every output as text, one {@code name=bits,bits,...} group per output separated by {@code ;} (reals as
     * the hex of {@link Double#doubleToLongBits}, so any NaN encodes the same): equal texts mean equal bits
     */
    public String encode() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, double[]> e : reals.entrySet()) {
            s.append(s.length() == 0 ? "" : ";").append(e.getKey()).append('=');
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                s.append(i == 0 ? "" : ",").append(Long.toHexString(Double.doubleToLongBits(v[i])));
            }
        }
        for (Map.Entry<String, int[]> e : ints.entrySet()) {
            s.append(s.length() == 0 ? "" : ";").append(e.getKey()).append('=');
            int[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                s.append(i == 0 ? "" : ",").append(v[i]);
            }
        }
        return s.toString();
    }
}
