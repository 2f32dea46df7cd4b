package org.softmax4j.plain;

import java.lang.ref.WeakReference;

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

    private final float[][] kept;
    private final WeakReference<?>[] large;

    ScratchArrays(int slots) {
        kept = new float[slots][];
        large = new WeakReference<?>[slots];
    }

    /** @return an array of at least {@code size} floats for {@code slot} (contents undefined) */
    float[] floats(int slot, int size) {
        float[] s = kept[slot];
        if (s != null && s.length >= size) {
            return s;
        }
        if (size <= KEPT_FLOATS) {
            s = new float[size];
            kept[slot] = s;
            return s;
        }
        WeakReference<?> ref = large[slot];
        s = ref == null ? null : (float[]) ref.get();
        if (s == null || s.length < size) {
            s = new float[size];
            large[slot] = new WeakReference<>(s);
        }
        return s;
    }

    /** For tests: the bytes of the arrays this thread keeps (strongly reachable). */
    long keptBytes() {
        long bytes = 0;
        for (float[] s : kept) {
            bytes += s == null ? 0 : (long) s.length * Float.BYTES;
        }
        return bytes;
    }

    /** For tests: the bytes of the larger arrays still held weakly (not yet collected). */
    long weaklyHeldBytes() {
        long bytes = 0;
        for (WeakReference<?> ref : large) {
            float[] s = ref == null ? null : (float[]) ref.get();
            bytes += s == null ? 0 : (long) s.length * Float.BYTES;
        }
        return bytes;
    }
}
