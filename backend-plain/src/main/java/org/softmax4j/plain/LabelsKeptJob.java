package org.softmax4j.plain;

/**
 * The masked cross-entropies' label check ({@code checkLabelsKept}: no label other than {@code +-0} on a masked class)
 * over the row team, for either dtype: each block of rows is scanned by the kernels' own check. It reads two arrays
 * and computes almost nothing, so on one thread it ran at memory speed and took a quarter of a masked dense
 * cross-entropy at 256x1000 float32 (60 of 250 µs). A block that finds an offending label only marks the call:
 * its message would number rows from the block's start, so the caller then scans the whole call on its own thread
 * to name the first one. Fields are set by the caller holding the team.
 */
final class LabelsKeptJob extends RowTeam.Job {
    private final FloatKernels f32;
    private final DoubleKernels f64;
    private int cols;
    private float[] floats;
    private double[] doubles;
    private int labelsOffset;
    private boolean[] mask;
    private int maskOffset;
    private volatile boolean kept;

    LabelsKeptJob(FloatKernels f32, DoubleKernels f64) {
        this.f32 = f32;
        this.f64 = f64;
    }

    /**
     * Scans the call's rows on {@code team}, which the caller holds; exactly one of {@code floats} and
     * {@code doubles} is not null.
     *
     * @return true if every label on a masked class is {@code +-0}; false if the caller must scan again to name one
     */
    boolean scan(RowTeam team, int rows, int cols, float[] floats, double[] doubles, int labelsOffset, boolean[] mask,
                 int maskOffset) {
        this.cols = cols;
        this.floats = floats;
        this.doubles = doubles;
        this.labelsOffset = labelsOffset;
        this.mask = mask;
        this.maskOffset = maskOffset;
        kept = true;
        try {
            team.run(this, rows, cols);
            return kept;
        } finally {
            this.floats = null;
            this.doubles = null;
            this.mask = null;
        }
    }

    @Override
    void run(int from, int to) {
        int skip = from * cols;
        try {
            if (floats != null) {
                f32.checkLabelsKept(to - from, cols, floats, labelsOffset + skip, mask, maskOffset + skip);
            } else {
                f64.checkLabelsKept(to - from, cols, doubles, labelsOffset + skip, mask, maskOffset + skip);
            }
        } catch (IllegalArgumentException e) {
            kept = false; // named by the caller's scan of the whole call
        }
    }
}
