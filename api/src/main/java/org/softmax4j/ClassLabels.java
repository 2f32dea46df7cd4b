package org.softmax4j;

import java.util.List;

/**
 * An immutable view of {@code rows} class indices in an {@code int[]}: label {@code r} is
 * {@code array()[offset() + r]}. The targets of {@link SoftmaxOps#sparseSoftmaxCrossEntropyWithLogits(FloatMatrix,
 * ClassLabels, CrossEntropyOptions, FloatMatrix)} and the output of {@link SoftmaxOps#argmax(FloatMatrix, ClassLabels)}.
 * Checked once when made, like {@link FloatMatrix}; {@link #rows(int, int)} is the labels of a mini-batch.
 *
 * <pre>{@code
 * ClassLabels y = ClassLabels.of(60000, targets);   // one class per example
 * ClassLabels batch = y.rows(6400, 6464);            // the labels of rows [6400, 6464), same array
 * }</pre>
 */
public final class ClassLabels {

    private final int rows;
    private final int[] array;
    private final int offset;

    private ClassLabels(int rows, int[] array, int offset) {
        this.rows = rows;
        this.array = array;
        this.offset = offset;
    }

    /**
     * @param array  the labels (not copied; read by the losses, written by argmax)
     * @param offset the index of the label of row 0
     * @return a view of {@code array[offset, offset + rows)}
     * @throws NullPointerException     if {@code array} is null
     * @throws IllegalArgumentException if {@code rows} or the offset is negative or the labels do not fit in the array
     */
    public static ClassLabels of(int rows, int[] array, int offset) {
        Validate.block(rows, 1, Validate.notNull("array", array).length, offset);
        return new ClassLabels(rows, array, offset);
    }

    /** @return a view of {@code array[0, rows)} (the array may be longer) */
    public static ClassLabels of(int rows, int[] array) {
        return of(rows, array, 0);
    }

    /** @return a view of a new zero-filled array of {@code rows} labels (for argmax) */
    public static ClassLabels zeros(int rows) {
        Validate.nonNegative("rows", rows);
        return new ClassLabels(rows, new int[Validate.allocatable("array", rows, Integer.BYTES)], 0);
    }

    /**
     * @return the labels of rows {@code [from, to)}, a view of the same array
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= rows()}
     */
    public ClassLabels rows(int from, int to) {
        Validate.rowRange(from, to, rows);
        return new ClassLabels(to - from, array, offset + from);
    }

    /**
     * The mini-batches of this view, made once: views of rows {@code [0, size)}, {@code [size, 2 size)}, ... of the
     * same array, the last one shorter when {@code size} does not divide {@code rows()}. A training loop that walks
     * this list (by index) makes no object per step, whatever the JIT inlines.
     *
     * @param size the rows of a batch, {@code >= 1}
     * @return an immutable list of {@code ceil(rows() / size)} views
     */
    public List<ClassLabels> batches(int size) {
        Validate.batchSize(size);
        ClassLabels[] batches = new ClassLabels[(int) (((long) rows + size - 1) / size)];
        for (int b = 0; b < batches.length; b++) {
            int from = b * size;
            batches[b] = rows(from, (int) Math.min((long) from + size, rows));
        }
        return List.of(batches);
    }

    /** @return the number of labels */
    public int rows() {
        return rows;
    }

    /** @return the array viewed (not a copy) */
    public int[] array() {
        return array;
    }

    /** @return the index of the label of row 0 in {@link #array()} */
    public int offset() {
        return offset;
    }

    /** @return the label of row {@code r} */
    public int get(int r) {
        Validate.element(r, 0, rows, 1);
        return array[offset + r];
    }

    /** @return e.g. {@code "64 labels at offset 6400 of int[60000]"} */
    @Override
    public String toString() {
        return rows + " labels at offset " + offset + " of int[" + array.length + "]";
    }
}
