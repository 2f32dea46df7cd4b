package org.softmax4j;

/**
 * The argument checks shared by every backend, so that every backend rejects the same inputs with the same message.
 * Each check throws {@link NullPointerException} for a null array and {@link IllegalArgumentException} otherwise,
 * naming the argument, the expected and the actual value. {@link AbstractSoftmaxOps} runs them all before a kernel
 * writes anything; a backend that implements {@link SoftmaxOps} directly should call them the same way.
 */
public final class Validate {

    private static final String EXPECTED = "%s: expected %s, actual %s";
    private static final String SHORT_ARRAY = "%s: expected length >= %sOffset + %s = %d + %d = %d, actual %d";
    private static final String OVERLAP =
            "%s[%d..%d) overlaps %s[%d..%d): an output may share an input's array only over exactly the same region%s";

    private Validate() {
    }

    /** @throws NullPointerException naming {@code name} if {@code value} is null */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /**
     * @return the error every check throws: {@code "name: expected E, actual A"} (for the checks of typed views, such
     *         as the shapes of EJML matrices, so that they read like the SPI's)
     */
    public static IllegalArgumentException bad(String name, String expected, Object actual) {
        return new IllegalArgumentException(String.format(EXPECTED, name, expected, actual));
    }

    /** Checks {@code n >= 0}. */
    public static void nonNegative(String name, int n) {
        if (n < 0) {
            throw bad(name, ">= 0", n);
        }
    }

    /**
     * Checks a {@code rows x cols} matrix shape: both non-negative and {@code rows * cols} representable as an int.
     *
     * @return {@code rows * cols}
     */
    public static int shape(int rows, int cols) {
        nonNegative("rows", rows);
        nonNegative("cols", cols);
        return product("rows * cols", rows, cols);
    }

    /** @return {@code a * b}, or an error naming {@code what} if it overflows int */
    public static int product(String what, int a, int b) {
        long p = (long) a * b;
        if (p > Integer.MAX_VALUE) {
            throw bad(what, "<= " + Integer.MAX_VALUE + " (Java arrays are int-indexed)", a + " * " + b + " = " + p);
        }
        return (int) p;
    }

    /**
     * Checks that a new array of {@code count} elements of {@code elementBytes} each can fit in this JVM's maximum
     * heap, so that a convenience method fails with a clear message instead of an {@link OutOfMemoryError}.
     *
     * @return {@code count}
     */
    public static int allocatable(String name, int count, int elementBytes) {
        long bytes = (long) count * elementBytes;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw bad(name, "an array that fits in the JVM's maximum heap of " + max + " bytes",
                    count + " elements = " + bytes + " bytes");
        }
        return count;
    }

    /** Checks that a cross-entropy has at least one class. */
    public static void hasClasses(int cols) {
        if (cols < 1) {
            throw bad("cols", ">= 1 (a cross-entropy needs at least one class to be a target)", cols);
        }
    }

    public static void region(String name, double[] a, int offset, long count) {
        checkRegion(name, notNull(name, a).length, offset, count);
    }

    public static void region(String name, float[] a, int offset, long count) {
        checkRegion(name, notNull(name, a).length, offset, count);
    }

    public static void region(String name, int[] a, int offset, long count) {
        checkRegion(name, notNull(name, a).length, offset, count);
    }

    public static void region(String name, boolean[] a, int offset, long count) {
        checkRegion(name, notNull(name, a).length, offset, count);
    }

    private static void checkRegion(String name, int length, int offset, long count) {
        String error = regionError(name, length, offset, count);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
    }

    /** @return why {@code [offset, offset + count)} is not a region of an array of {@code length}, or null */
    private static String regionError(String name, int length, int offset, long count) {
        if (offset < 0) {
            return String.format(EXPECTED, name + "Offset", ">= 0", offset);
        }
        if (offset + count > length) {
            return String.format(SHORT_ARRAY, name, name, "count", offset, count, offset + count, length);
        }
        return null;
    }

    /**
     * Checks one operand's region of a matrix product {@code C (m x n) = op(A) op(B)} whose {@code A} is stored
     * {@code aRows x aCols} and {@code B} {@code bRows x bCols}; the message names every operand's shape, e.g.
     * {@code "b: expected length >= bOffset + count = 0 + 20 = 20, actual 12 (a is 3x4, b is 4x5, c is 3x5)"}.
     */
    public static void productRegion(String name, int length, int offset, long count, int aRows, int aCols,
                                     int bRows, int bCols, int m, int n) {
        String error = regionError(name, length, offset, count);
        if (error != null) {
            throw new IllegalArgumentException(error + " (a is " + aRows + "x" + aCols + ", b is " + bRows + "x"
                    + bCols + ", c is " + m + "x" + n + ")");
        }
    }

    /**
     * Checks the block of a view ({@link FloatMatrix}, {@link DoubleMatrix}, {@link BooleanMatrix},
     * {@link ClassLabels}): sizes {@code >= 0}, {@code rows * cols} an int, {@code offset >= 0} and
     * {@code offset + rows * cols <= length}.
     */
    public static void block(int rows, int cols, int length, int offset) {
        int n = shape(rows, cols);
        if (offset < 0) {
            throw bad("offset", ">= 0", offset);
        }
        if ((long) offset + n > length) {
            throw bad("array", "length >= offset + rows * cols = " + offset + " + " + rows + " * " + cols + " = "
                    + ((long) offset + n), length);
        }
    }

    /** Checks the row range {@code [from, to)} of a view with {@code rows} rows: {@code 0 <= from <= to <= rows}. */
    public static void rowRange(int from, int to, int rows) {
        if (from < 0 || from > to || to > rows) {
            throw bad("rows(from, to)", "0 <= from <= to <= " + rows, "from = " + from + ", to = " + to);
        }
    }

    /** Checks the size of the mini-batches of a view: {@code >= 1}. */
    public static void batchSize(int size) {
        if (size < 1) {
            throw bad("size", ">= 1 (rows per batch)", size);
        }
    }

    /** Checks an element index {@code (r, c)} of a {@code rows x cols} view. */
    public static void element(int r, int c, int rows, int cols) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw bad("(r, c)", "in [0, " + rows + ") x [0, " + cols + ")", "(" + r + ", " + c + ")");
        }
    }

    /**
     * Checks that output region {@code out[outOffset, outOffset + outCount)} does not share elements with input region
     * {@code in[inOffset, inOffset + inCount)}. When {@code inPlaceAllowed}, exactly the same region is accepted.
     */
    public static void noOverlap(String outName, Object out, int outOffset, long outCount,
                                 String inName, Object in, int inOffset, long inCount, boolean inPlaceAllowed) {
        if (out != in || out == null || outCount == 0 || inCount == 0) {
            return;
        }
        long outEnd = outOffset + outCount;
        long inEnd = inOffset + inCount;
        if (outEnd <= inOffset || inEnd <= outOffset) {
            return;
        }
        if (inPlaceAllowed && outOffset == inOffset && outCount == inCount) {
            return;
        }
        throw new IllegalArgumentException(String.format(OVERLAP, outName, outOffset, outEnd, inName, inOffset, inEnd,
                inPlaceAllowed ? " (in-place use is allowed here)" : " (this op cannot run in place)"));
    }

    /** Checks a softmax temperature: finite and {@code > 0}. */
    public static void temperature(double t) {
        if (!(t > 0) || t == Double.POSITIVE_INFINITY) {
            throw bad("temperature", "finite and > 0", t);
        }
    }

    /** Checks the clipping epsilon of {@code crossEntropy}: in {@code [0, 0.5)}. */
    public static void epsilon(double eps) {
        if (!(eps >= 0 && eps < 0.5)) {
            throw bad("eps", "in [0, 0.5)", eps);
        }
    }

    /** Checks label smoothing: in {@code [0, 1]}. */
    public static void labelSmoothing(double e) {
        if (!(e >= 0 && e <= 1)) {
            throw bad("labelSmoothing", "in [0, 1]", e);
        }
    }

    /** Checks {@code k} of top-k: in {@code [0, cols]}. */
    public static void topK(int k, int cols) {
        if (k < 0 || k > cols) {
            throw bad("k", "in [0, cols] = [0, " + cols + "]", k);
        }
    }

    /** Checks each class weight is finite and {@code >= 0}. */
    public static void classWeights(double[] w) {
        for (int c = 0; c < w.length; c++) {
            double v = w[c];
            if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
                throw bad("classWeights[" + c + "]", "finite and >= 0", v);
            }
        }
    }

    /**
     * Checks that the options' class weights, if any, have one weight per class.
     *
     * @return the options, or {@link CrossEntropyOptions#DEFAULT} if they are null (null means the defaults)
     */
    public static CrossEntropyOptions options(CrossEntropyOptions options, int cols) {
        if (options == null) {
            return CrossEntropyOptions.DEFAULT;
        }
        if (options.hasClassWeights() && options.classWeightCount() != cols) {
            throw bad("classWeights.length", "cols = " + cols, options.classWeightCount());
        }
        return options;
    }

    /** Checks every class index is in {@code [0, cols)} or is the ignore index; the message names the row. */
    public static void classes(int[] classes, int offset, int rows, int cols, int ignoreIndex) {
        // a branch-free scan first (C2 vectorizes its OR): the sign bit of the term is set for a class t outside
        // [0, cols) ((t - cols) & ~t has it exactly for 0 <= t < cols, overflow included) other than the ignore index
        int bad = 0;
        for (int r = 0; r < rows; r++) {
            int t = classes[offset + r];
            int other = t ^ ignoreIndex;
            bad |= ~((t - cols) & ~t) & (other | -other);
        }
        if (bad >= 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int t = classes[offset + r];
            if ((t < 0 || t >= cols) && t != ignoreIndex) {
                throw bad("classes[" + (offset + r) + "] (row " + r + ")",
                        "a class in [0, " + cols + ") or the ignore index " + ignoreIndex, t);
            }
        }
    }

    /**
     * Checks the class index of a single-vector cross-entropy: in {@code [0, cols)} or the ignore index. The message
     * names {@code label}, the argument the caller passed.
     */
    public static void label(int label, int cols, int ignoreIndex) {
        if ((label < 0 || label >= cols) && label != ignoreIndex) {
            throw bad("label", "a class in [0, " + cols + ") or the ignore index " + ignoreIndex, label);
        }
    }

    /** Checks that a single vector the caller passed has at least one entry (a class to pick or to score). */
    public static int nonEmpty(String name, int length) {
        if (length < 1) {
            throw bad(name, "at least one entry", "an empty array");
        }
        return length;
    }

    /**
     * Checks that no target class of a masked sparse cross-entropy is masked (the ignore index is no target); the
     * message names the row, the class and the mask entry.
     */
    public static void targetsKept(int[] classes, int offset, int rows, int cols, int ignoreIndex, boolean[] mask,
                                   int maskOffset) {
        for (int r = 0; r < rows; r++) {
            int t = classes[offset + r];
            if (t != ignoreIndex && !mask[maskOffset + r * cols + t]) {
                throw bad("classes[" + (offset + r) + "] (row " + r + ")", "a class whose mask is true (a masked"
                        + " class takes no probability), but mask[" + (maskOffset + r * cols + t) + "] is false", t);
            }
        }
    }

    /**
     * Checks that a masked dense cross-entropy puts no target mass on a masked class: every label whose mask is false
     * is 0 (a masked class has probability 0, so a positive label would make the loss infinite, and a negative or NaN
     * one has no meaning there); the message names the row, the class and the label.
     */
    public static void labelsKept(double[] labels, int offset, int rows, int cols, boolean[] mask, int maskOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            // no compare per entry: with a random mask its branch misses often (the check took 2.5x the time of
            // plain's whole SIMD cross-entropy at 256x1000); the offending entry is looked for only in a row with one
            long bad = 0;
            for (int c = 0; c < cols; c++) {
                // the label's bits without the sign (0 for +-0, not for NaN), kept where the mask is false
                bad |= (Double.doubleToRawLongBits(labels[offset + o + c]) << 1)
                        & ((mask[maskOffset + o + c] ? 1L : 0) - 1);
            }
            if (bad != 0) {
                for (int c = 0; c < cols; c++) {
                    if (!mask[maskOffset + o + c] && labels[offset + o + c] != 0) {
                        throw maskedLabel(offset + o + c, r, c, maskOffset + o + c, labels[offset + o + c]);
                    }
                }
            }
        }
    }

    /** Float32 variant of {@link #labelsKept(double[], int, int, int, boolean[], int)}. */
    public static void labelsKept(float[] labels, int offset, int rows, int cols, boolean[] mask, int maskOffset) {
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            // no compare per entry: with a random mask its branch misses often (the check took 2.5x the time of
            // plain's whole SIMD cross-entropy at 256x1000); the offending entry is looked for only in a row with one
            int bad = 0;
            for (int c = 0; c < cols; c++) {
                // the label's bits without the sign (0 for +-0, not for NaN), kept where the mask is false
                bad |= (Float.floatToRawIntBits(labels[offset + o + c]) << 1)
                        & ((mask[maskOffset + o + c] ? 1 : 0) - 1);
            }
            if (bad != 0) {
                for (int c = 0; c < cols; c++) {
                    if (!mask[maskOffset + o + c] && labels[offset + o + c] != 0) {
                        throw maskedLabel(offset + o + c, r, c, maskOffset + o + c, labels[offset + o + c]);
                    }
                }
            }
        }
    }

    private static IllegalArgumentException maskedLabel(int index, int row, int col, int maskIndex, double label) {
        return bad("labels[" + index + "] (row " + row + ", class " + col + ")", "0 on a masked class (mask["
                + maskIndex + "] is false: it takes no probability)", label);
    }

    /** Checks a loss reduction: not null. */
    public static Reduction reduction(Reduction reduction) {
        return notNull("reduction", reduction);
    }

    /** Checks that argmax has something to choose from when there are rows. */
    public static void argmaxCols(int rows, int cols) {
        if (rows > 0 && cols < 1) {
            throw bad("cols", ">= 1 (argmax of an empty row is undefined)", cols);
        }
    }

    /**
     * @return {@code dtype} if it is {@code double.class} or {@code float.class}
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException otherwise
     */
    public static Class<?> dtype(Class<?> dtype) {
        notNull("dtype", dtype);
        if (dtype != double.class && dtype != float.class) {
            throw new IllegalArgumentException("dtype: expected double.class or float.class, actual " + dtype.getName());
        }
        return dtype;
    }
}
