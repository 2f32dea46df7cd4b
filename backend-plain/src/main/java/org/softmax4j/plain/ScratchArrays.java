package org.softmax4j.plain;

import java.lang.ref.WeakReference;
import java.util.function.IntFunction;

/**
 * One thread's reusable scratch arrays, by slot, with bounded retention: an array of up to {@link #KEPT_BYTES} is
 * kept (reused by every later call, never allocated again); a larger one is held only weakly, so it is reused by the
 * calls that follow until the next garbage collection, which releases it (a thread that once saw a huge shape does
 * not keep its memory). A thread therefore keeps at most {@code slots * KEPT_BYTES} here. The cost: after a
 * collection, the first call that needs more than {@link #KEPT_BYTES} of a slot allocates it again.
 *
 * <p>Not thread-safe: one instance per thread (a {@link ThreadLocal}).
 */
final class ScratchArrays {

    /** The largest array a thread keeps per slot: 64 KiB (16384 floats: a row of 16384 classes). */
    static final int KEPT_BYTES = 64 << 10;
    /** {@link #KEPT_BYTES} in floats. */
    static final int KEPT_FLOATS = KEPT_BYTES / Float.BYTES;

    private final Object[] kept;
    private final WeakReference<?>[] large;

    ScratchArrays(int slots) {
        kept = new Object[slots];
        large = new WeakReference<?>[slots];
    }

    /** @return an array of at least {@code size} floats for {@code slot} (contents undefined) */
    float[] floats(int slot, int size) {
        return (float[]) array(slot, size, Float.BYTES, float[]::new);
    }

    /** @return an array of at least {@code size} doubles for {@code slot} (contents undefined; a slot holds one type) */
    double[] doubles(int slot, int size) {
        return (double[]) array(slot, size, Double.BYTES, double[]::new);
    }

    /** @return an array of at least {@code size} ints for {@code slot} (contents undefined; a slot holds one type) */
    int[] ints(int slot, int size) {
        return (int[]) array(slot, size, Integer.BYTES, int[]::new);
    }

    /** The slot's array of at least {@code size} elements of {@code bytes} each, kept or weakly held (see above). */
    private Object array(int slot, int size, int bytes, IntFunction<Object> allocate) {
        Object s = kept[slot];
        if (s != null && bytes(s) >= (long) size * bytes) {
            return s;
        }
        if ((long) size * bytes <= KEPT_BYTES) {
            s = allocate.apply(size);
            kept[slot] = s;
            return s;
        }
        WeakReference<?> ref = large[slot];
        s = ref == null ? null : ref.get();
        if (s == null || bytes(s) < (long) size * bytes) {
            s = allocate.apply(size);
            large[slot] = new WeakReference<>(s);
        }
        return s;
    }

    /** For tests: the bytes of the arrays this thread keeps (strongly reachable). */
    long keptBytes() {
        long bytes = 0;
        for (Object s : kept) {
            bytes += bytes(s);
        }
        return bytes;
    }

    /** For tests: the bytes of the larger arrays still held weakly (not yet collected). */
    long weaklyHeldBytes() {
        long bytes = 0;
        for (WeakReference<?> ref : large) {
            bytes += bytes(ref == null ? null : ref.get());
        }
        return bytes;
    }

    private static long bytes(Object array) {
        if (array instanceof double[]) {
            return (long) ((double[]) array).length * Double.BYTES;
        }
        if (array instanceof int[]) {
            return (long) ((int[]) array).length * Integer.BYTES;
        }
        return array == null ? 0 : (long) ((float[]) array).length * Float.BYTES;
    }
}
