package org.softmax4j.kernels;

/**
 * A per-thread float64 row, reused from call to call, so that float32 rows can keep their exponentials in float64
 * between two passes and round each result once, without allocating after a thread's first call at a given width.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private double[] row = new double[0];

    private Scratch() {
    }

    /** @return this thread's buffer of at least {@code n} doubles (contents undefined) */
    static double[] row(int n) {
        Scratch s = LOCAL.get();
        if (s.row.length < n) {
            s.row = new double[n];
        }
        return s.row;
    }
}
