package org.softmax4j.spark;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.softmax4j.Validate;

/**
 * The checks of one input row, shared by training and scoring; each throws the library's
 * {@link Validate#bad(String, String, Object)} error naming the row before any output of its block is written.
 */
final class RowChecks {

    /** The ignore index given to the library: no whole-number label can take it (labels are checked {@code > } it). */
    static final int NO_IGNORE_INDEX = Integer.MIN_VALUE;

    private RowChecks() {
    }

    /** @return where a row is, for messages: {@code "row 17 of partition 2"} */
    static String where(long row, int partition) {
        return "row " + row + " of partition " + partition;
    }

    /** @return the vector, checked non-null and of {@code features} values */
    static Vector features(Object value, int features, long row, int partition) {
        if (!(value instanceof Vector)) {
            throw Validate.bad("features of " + where(row, partition), "an ML Vector of " + features + " values",
                    value);
        }
        Vector v = (Vector) value;
        if (v.size() != features) {
            throw Validate.bad("features of " + where(row, partition), "a vector of " + features + " values",
                    v.size() + " values");
        }
        return v;
    }

    /**
     * Called when the sum of a row's copied values is not finite: finds a NaN or infinite value and throws, or
     * returns if the sum only overflowed.
     */
    static void finite(Vector v, long row, int partition) {
        double[] values = v instanceof SparseVector ? ((SparseVector) v).values() : ((DenseVector) v).values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                int index = v instanceof SparseVector ? ((SparseVector) v).indices()[i] : i;
                throw Validate.bad("features of " + where(row, partition) + " at index " + index, "a finite value",
                        values[i]);
            }
        }
    }

    /** @return the label as a class index; it must be a whole number (its range is checked per block) */
    static int label(Object value, long row, int partition) {
        double label = value == null ? Double.NaN : ((Number) value).doubleValue();
        if (label != Math.rint(label) || label <= NO_IGNORE_INDEX || label > Integer.MAX_VALUE) {
            throw Validate.bad("label of " + where(row, partition), "a whole-number class index", value);
        }
        return (int) label;
    }

    /** @return the weight, checked finite and {@code >= 0} */
    static double weight(Object value, long row, int partition) {
        double w = value == null ? Double.NaN : ((Number) value).doubleValue();
        if (!(w >= 0) || w == Double.POSITIVE_INFINITY) {
            throw Validate.bad("weight of " + where(row, partition), "a finite value >= 0", value);
        }
        return w;
    }

    /** Checks the labels of a block are in {@code [0, classes)} with the library's message, prefixed by where. */
    static void classes(int[] labels, int rows, int classes, long firstRow, int partition) {
        try {
            Validate.classes(labels, 0, rows, classes, NO_IGNORE_INDEX);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("labels of the block from " + where(firstRow, partition) + ": "
                    + e.getMessage(), e);
        }
    }
}
