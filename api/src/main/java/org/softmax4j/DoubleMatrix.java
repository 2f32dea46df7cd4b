package org.softmax4j;

import java.util.List;

/**
 * An immutable view of a row-major {@code rows x cols} block of a {@code double[]}: element {@code (r, c)} is
 * {@code array()[offset() + r * cols() + c]}. The ops of {@link SoftmaxOps} take views so that a training step reads
 * like its math ({@code ops.matmul(x, w, z)}); a view holds no copy, so the ops read and write the array itself.
 *
 * <p>Checked once, when made: the array is not null, the sizes are {@code >= 0}, {@code rows * cols} fits in an int
 * and the block lies inside the array. A view of a row range ({@link #rows(int, int)}) shares the array; a mini-batch
 * is a row range of the whole data set.
 *
 * <pre>{@code
 * DoubleMatrix x = DoubleMatrix.of(60000, 784, pixels);   // the whole data set
 * DoubleMatrix batch = x.rows(6400, 6464);                // rows [6400, 6464): 64 x 784, same array
 * }</pre>
 *
 * <p>The float variant is {@link FloatMatrix}; class labels are {@link ClassLabels}.
 */
public final class DoubleMatrix implements Shaped {

    private final int rows;
    private final int cols;
    private final double[] array;
    private final int offset;

    private DoubleMatrix(int rows, int cols, double[] array, int offset) {
        this.rows = rows;
        this.cols = cols;
        this.array = array;
        this.offset = offset;
    }

    /**
     * @param array  the elements (not copied; the view reads and the ops write it)
     * @param offset the index of element {@code (0, 0)}
     * @return a view of {@code array[offset, offset + rows * cols)} as {@code rows x cols}
     * @throws NullPointerException     if {@code array} is null
     * @throws IllegalArgumentException if a size or the offset is negative, {@code rows * cols} overflows int or the
     *                                  block does not fit in the array
     */
    public static DoubleMatrix of(int rows, int cols, double[] array, int offset) {
        Validate.block(rows, cols, Validate.notNull("array", array).length, offset);
        return new DoubleMatrix(rows, cols, array, offset);
    }

    /** @return a view of {@code array[0, rows * cols)} as {@code rows x cols} (the array may be longer) */
    public static DoubleMatrix of(int rows, int cols, double[] array) {
        return of(rows, cols, array, 0);
    }

    /** @return a view of a new zero-filled {@code rows x cols} array */
    public static DoubleMatrix zeros(int rows, int cols) {
        int n = Validate.shape(rows, cols);
        return new DoubleMatrix(rows, cols, new double[Validate.allocatable("array", n, Double.BYTES)], 0);
    }

    /**
     * @return the rows {@code [from, to)} as a {@code (to - from) x cols} view of the same array (a mini-batch)
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= rows()}
     */
    public DoubleMatrix rows(int from, int to) {
        Validate.rowRange(from, to, rows);
        return new DoubleMatrix(to - from, cols, array, offset + from * cols);
    }

    /** @return row {@code r} as a {@code 1 x cols} view (a vector) */
    public DoubleMatrix row(int r) {
        return rows(r, r + 1);
    }

    /**
     * The mini-batches of this view, made once: views of rows {@code [0, size)}, {@code [size, 2 size)}, ... of the
     * same array, the last one shorter when {@code size} does not divide {@code rows()}. A training loop that walks
     * this list (by index) makes no object per step, whatever the JIT inlines.
     *
     * @param size the rows of a batch, {@code >= 1}
     * @return an immutable list of {@code ceil(rows() / size)} views
     */
    public List<DoubleMatrix> batches(int size) {
        Validate.batchSize(size);
        DoubleMatrix[] batches = new DoubleMatrix[(int) (((long) rows + size - 1) / size)];
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
    public double[] array() {
        return array;
    }

    /** @return the index of element {@code (0, 0)} in {@link #array()} */
    public int offset() {
        return offset;
    }

    /** @return {@code rows * cols} */
    public int size() {
        return rows * cols;
    }

    /** @return element {@code (r, c)} */
    public double get(int r, int c) {
        return array[index(r, c)];
    }

    /** Writes element {@code (r, c)}. */
    public void set(int r, int c, double value) {
        array[index(r, c)] = value;
    }

    private int index(int r, int c) {
        Validate.element(r, c, rows, cols);
        return offset + r * cols + c;
    }

    /** @return e.g. {@code "64x784 double at offset 6400 of double[47040000]"} */
    @Override
    public String toString() {
        return shape() + " double at offset " + offset + " of double[" + array.length + "]";
    }
}
