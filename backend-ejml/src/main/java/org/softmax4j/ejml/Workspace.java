package org.softmax4j.ejml;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Per-thread matrices and buffers, reused from call to call so that no op allocates after a thread's first calls
 * at a given size.
 *
 * <p>Two kinds of matrix: <em>views</em> are EJML matrices re-pointed at a caller's array (offset 0: EJML indexes
 * {@code data} from 0, so only an array region starting at 0 can be wrapped); <em>scratch</em> matrices own a growing
 * array into which a region at a non-zero offset is copied. A view is cleared after use with {@link #release()} so
 * that the thread does not keep the caller's array alive.
 */
final class Workspace {

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);
    private static final double[] NO_DOUBLES = new double[0];
    private static final float[] NO_FLOATS = new float[0];

    // views: data set to the caller's array, never reallocated (the callers validated the lengths)
    private final DMatrixRMaj viewA64 = new DMatrixRMaj(0, 0);
    private final DMatrixRMaj viewB64 = new DMatrixRMaj(0, 0);
    private final DMatrixRMaj viewC64 = new DMatrixRMaj(0, 0);
    private final FMatrixRMaj viewA32 = new FMatrixRMaj(0, 0);
    private final FMatrixRMaj viewB32 = new FMatrixRMaj(0, 0);
    private final FMatrixRMaj viewC32 = new FMatrixRMaj(0, 0);
    // scratch: own arrays that grow to the largest shape seen
    private final DMatrixRMaj scratchA64 = new DMatrixRMaj(0, 0);
    private final DMatrixRMaj scratchB64 = new DMatrixRMaj(0, 0);
    private final DMatrixRMaj scratchC64 = new DMatrixRMaj(0, 0);
    private final FMatrixRMaj scratchA32 = new FMatrixRMaj(0, 0);
    private final FMatrixRMaj scratchB32 = new FMatrixRMaj(0, 0);
    private final FMatrixRMaj scratchC32 = new FMatrixRMaj(0, 0);

    private final DMatrixRMaj product64 = new DMatrixRMaj(0, 0);
    private final FMatrixRMaj product32 = new FMatrixRMaj(0, 0);

    private Workspace() {
    }

    /** @return this thread's workspace */
    static Workspace get() {
        return LOCAL.get();
    }

    /** @return a scratch {@code rows x cols} matrix for an intermediate product (contents undefined) */
    DMatrixRMaj product64(int rows, int cols) {
        product64.reshape(rows, cols, false);
        return product64;
    }

    /** Float32 variant of {@link #product64(int, int)}. */
    FMatrixRMaj product32(int rows, int cols) {
        product32.reshape(rows, cols, false);
        return product32;
    }

    /** Operand slots: each op uses at most three matrices at once. */
    enum Slot { A, B, C }

    /**
     * @return {@code rows x cols} starting at {@code data[offset]}: a view of {@code data} itself when
     *         {@code offset == 0}, else this slot's scratch matrix holding a copy (or, when {@code copyIn} is false,
     *         undefined contents to be written and then copied out with {@link #copyOut})
     */
    DMatrixRMaj matrix(Slot slot, double[] data, int offset, int rows, int cols, boolean copyIn) {
        DMatrixRMaj m;
        if (offset == 0) {
            m = slot == Slot.A ? viewA64 : slot == Slot.B ? viewB64 : viewC64;
            m.data = data;
            m.numRows = rows;
            m.numCols = cols;
        } else {
            m = slot == Slot.A ? scratchA64 : slot == Slot.B ? scratchB64 : scratchC64;
            m.reshape(rows, cols, false);
            if (copyIn) {
                System.arraycopy(data, offset, m.data, 0, rows * cols);
            }
        }
        return m;
    }

    /** Float32 variant of {@link #matrix(Slot, double[], int, int, int, boolean)}. */
    FMatrixRMaj matrix(Slot slot, float[] data, int offset, int rows, int cols, boolean copyIn) {
        FMatrixRMaj m;
        if (offset == 0) {
            m = slot == Slot.A ? viewA32 : slot == Slot.B ? viewB32 : viewC32;
            m.data = data;
            m.numRows = rows;
            m.numCols = cols;
        } else {
            m = slot == Slot.A ? scratchA32 : slot == Slot.B ? scratchB32 : scratchC32;
            m.reshape(rows, cols, false);
            if (copyIn) {
                System.arraycopy(data, offset, m.data, 0, rows * cols);
            }
        }
        return m;
    }

    /** Copies a result computed in a scratch matrix to {@code data[offset..]}; nothing to do for a view. */
    static void copyOut(DMatrixRMaj m, double[] data, int offset) {
        if (m.data != data) {
            System.arraycopy(m.data, 0, data, offset, m.numRows * m.numCols);
        }
    }

    /** Float32 variant of {@link #copyOut(DMatrixRMaj, double[], int)}. */
    static void copyOut(FMatrixRMaj m, float[] data, int offset) {
        if (m.data != data) {
            System.arraycopy(m.data, 0, data, offset, m.numRows * m.numCols);
        }
    }

    /** Detaches the views from the callers' arrays. */
    void release() {
        viewA64.data = NO_DOUBLES;
        viewB64.data = NO_DOUBLES;
        viewC64.data = NO_DOUBLES;
        viewA32.data = NO_FLOATS;
        viewB32.data = NO_FLOATS;
        viewC32.data = NO_FLOATS;
    }
}
