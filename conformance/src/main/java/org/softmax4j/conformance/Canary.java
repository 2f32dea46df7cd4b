package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Arrays whose raw bits are recorded so a test can prove an op wrote (or changed) nothing: outputs are filled with a
 * canary (NaN with a payload no op produces), inputs keep their values, and {@link #assertUnchanged} compares every
 * registered array bit by bit.
 */
public final class Canary {

    /** A quiet NaN with a payload: arithmetic never produces it, so a write shows even if the value is NaN. */
    public static final double DOUBLE = Double.longBitsToDouble(0x7ff8_dead_beef_cafeL);
    public static final float FLOAT = Float.intBitsToFloat(0x7fc0_beef);
    public static final int INT = 0x5a5a_5a5a;

    private final List<String> names = new ArrayList<>();
    private final List<Object> arrays = new ArrayList<>();
    private final List<Object> snapshots = new ArrayList<>();

    /** @return a new double array of {@code n} canaries, registered */
    public double[] doubles(String name, int n) {
        double[] a = new double[n];
        Arrays.fill(a, DOUBLE);
        return watch(name, a);
    }

    /** @return a new float array of {@code n} canaries, registered */
    public float[] floats(String name, int n) {
        float[] a = new float[n];
        Arrays.fill(a, FLOAT);
        return watch(name, a);
    }

    /** @return a new int array of {@code n} canaries, registered */
    public int[] ints(String name, int n) {
        int[] a = new int[n];
        Arrays.fill(a, INT);
        return watch(name, a);
    }

    /** Registers an array (input or output) as it is now; null is ignored. */
    public <T> T watch(String name, T array) {
        if (array != null && !arrays.contains(array)) {
            names.add(name);
            arrays.add(array);
            snapshots.add(bits(array));
        }
        return array;
    }

    /** @return the raw bits of an array of any primitive kind, as longs */
    private static long[] bits(Object a) {
        if (a instanceof double[] d) {
            return Arrays.stream(d).mapToLong(Double::doubleToRawLongBits).toArray();
        }
        if (a instanceof float[] f) {
            long[] b = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                b[i] = Float.floatToRawIntBits(f[i]);
            }
            return b;
        }
        if (a instanceof int[] i) {
            return Arrays.stream(i).asLongStream().toArray();
        }
        if (a instanceof boolean[] z) {
            long[] b = new long[z.length];
            for (int i = 0; i < z.length; i++) {
                b[i] = z[i] ? 1 : 0;
            }
            return b;
        }
        throw new IllegalArgumentException("array: expected a primitive array, actual " + a.getClass());
    }

    /** Fails naming the array and the first index whose bits changed. */
    public void assertUnchanged(Supplier<String> context) {
        for (int k = 0; k < arrays.size(); k++) {
            long[] now = bits(arrays.get(k));
            long[] then = (long[]) snapshots.get(k);
            for (int i = 0; i < then.length; i++) {
                if (now[i] != then[i]) {
                    int index = i;
                    String name = names.get(k);
                    fail(() -> context.get() + ": " + name + "[" + index + "] changed from bits 0x"
                            + Long.toHexString(then[index]) + " to 0x" + Long.toHexString(now[index])
                            + " although the call was rejected");
                }
            }
        }
    }
}
