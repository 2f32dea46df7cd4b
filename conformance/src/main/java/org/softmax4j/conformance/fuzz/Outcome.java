package org.softmax4j.conformance.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one call produced: each output array by the name {@link org.softmax4j.conformance.Op}'s table gives it ("y",
 * "out", "dx", "jacobian", "loss", "gradient", "values", "c", and "value" for a returned value), widened to double
 * without rounding; index outputs ("indices" of argmax and top-k) as ints.
 */
public final class Outcome {

    /** Outputs up to this length are encoded element by element; longer ones as block hashes. */
    private static final int ENCODED_IN_FULL = 8192;
    private static final int HASH_BLOCK = 1024;

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
     * the hex of {@link Double#doubleToLongBits}, so any NaN encodes the same; outputs longer than 8192 as
     * {@code #start:hash} per block of 1024): equal texts mean equal bits (up to a 64-bit hash collision)
     */
    public String encode() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, double[]> e : reals.entrySet()) {
            s.append(s.length() == 0 ? "" : ";").append(e.getKey()).append('=');
            double[] v = e.getValue();
            if (v.length > ENCODED_IN_FULL) {
                // large outputs as one 64-bit FNV-1a hash per block, so the text stays small
                for (int from = 0; from < v.length; from += HASH_BLOCK) {
                    long h = 0xcbf2_9ce4_8422_2325L;
                    for (int i = from; i < Math.min(v.length, from + HASH_BLOCK); i++) {
                        h = (h ^ Double.doubleToLongBits(v[i])) * 0x100_0000_01b3L;
                    }
                    s.append(from == 0 ? "" : ",").append('#').append(from).append(':').append(Long.toHexString(h));
                }
                continue;
            }
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
