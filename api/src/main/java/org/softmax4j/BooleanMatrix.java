package org.softmax4j;

import java.util.List;

/**
 * An immutable view of a row-major {@code rows x cols} block of a {@code boolean[]}, the mask of the masked ops
 * ({@code true} = the entry takes part): element {@code (r, c)} is {@code array()[offset() + r * cols() + c]}. Checked
 * once when made, like {@link FloatMatrix}; {@link #rows(int, int)} is the mask of a mini-batch.
 *
 * <pre>{@code
 * BooleanMatrix legal = BooleanMatrix.of(1, actions, legalActions);
 * ops.maskedSoftmax(scores, legal, p);
 * }</pre>
 */
public final class BooleanMatrix implements Shaped {

    private final int rows;
    private final int cols;
    private final boolean[] array;
    private final int offset;

    private BooleanMatrix(int rows, int cols, boolean[] array, int offset) {
        this.rows = rows;
        this.cols = cols;
        this.array = array;
        this.offset = offset;
    }

    /**
     * @param array  the mask (not copied)
     * @param offset the index of element {@code (0, 0)}
     * @return a view of {@code array[offset, offset + rows * cols)} as {@code rows x cols}
     * @throws NullPointerException     if {@code array} is null
     * @throws IllegalArgumentException if a size or the offset is negative, {@code rows * cols} overflows int or the
     *                                  block does not fit in the array
     */
    public static BooleanMatrix of(int rows, int cols, boolean[] array, int offset) {
        Validate.block(rows, cols, Validate.notNull("array", array).length, offset);
        return new BooleanMatrix(rows, cols, array, offset);
    }

    /** @return a view of {@code array[0, rows * cols)} as {@code rows x cols} (the array may be longer) */
    public static BooleanMatrix of(int rows, int cols, boolean[] array) {
        return of(rows, cols, array, 0);
    }

    /**
     * @return the rows {@code [from, to)} as a {@code (to - from) x cols} view of the same array
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= rows()}
     */
    public BooleanMatrix rows(int from, int to) {
        Validate.rowRange(from, to, rows);
        return new BooleanMatrix(to - from, cols, array, offset + from * cols);
    }

    /**
     * The mini-batches of this view, made once: views of rows {@code [0, size)}, {@code [size, 2 size)}, ... of the
     * same array, the last one shorter when {@code size} does not divide {@code rows()}. A training loop that walks
     * this list (by index) makes no object per step, whatever the JIT inlines.
     *
     * @param size the rows of a batch, {@code >= 1}
     * @return an immutable list of {@code ceil(rows() / size)} views
     */
    public List<BooleanMatrix> batches(int size) {
        Validate.batchSize(size);
        BooleanMatrix[] batches = new BooleanMatrix[(int) (((long) rows + size - 1) / size)];
        for (int b = 0; b < batches.length; b++) {
            int from = b * size;
            batches[b] = rows(from, (int) Math.min((long) from + size, rows));
        }
        return List.of(batches);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** @return the array viewed (not a copy) */
    public boolean[] array() {
        return array;
    }

    /** @return the index of element {@code (0, 0)} in {@link #array()} */
    public int offset() {
        return offset;
    }

    /** @return e.g. {@code "1x40 boolean at offset 0 of boolean[40]"} */
    @Override
    public String toString() {
        return shape() + " boolean at offset " + offset + " of boolean[" + array.length + "]";
    }
}
