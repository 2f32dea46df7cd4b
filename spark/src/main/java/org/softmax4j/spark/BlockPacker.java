package org.softmax4j.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Packs one partition's rows ({@code features, label[, weight]}) into {@link InstanceBlock}s of at most
 * {@code blockSize} rows, checking each row ({@link RowChecks}) as it is copied. Run once per fit; the blocks are
 * cached.
 */
final class BlockPacker implements Function2<Integer, Iterator<Row>, Iterator<InstanceBlock>> {

    private static final long serialVersionUID = 1L;

    private final int features;
    /** The classes labels must fall in; {@code Integer.MAX_VALUE} when they are inferred from the data. */
    private final int classes;
    private final int blockSize;
    private final boolean inFloat;
    private final boolean hasWeights;

    BlockPacker(int features, int classes, int blockSize, boolean inFloat, boolean hasWeights) {
        this.features = features;
        this.classes = classes;
        this.blockSize = blockSize;
        this.inFloat = inFloat;
        this.hasWeights = hasWeights;
    }

    @Override
    public Iterator<InstanceBlock> call(Integer partition, Iterator<Row> rows) {
        return new Iterator<>() {
            private long rowIndex;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public InstanceBlock next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                long first = rowIndex;
                InstanceBlock block = pack(rows, partition, first);
                rowIndex += block.rows;
                return block;
            }
        };
    }

    private InstanceBlock pack(Iterator<Row> rows, int partition, long firstRow) {
        float[] xf = inFloat ? new float[blockSize * features] : null;
        double[] xd = inFloat ? null : new double[blockSize * features];
        int[] labels = new int[blockSize];
        double[] weights = hasWeights ? new double[blockSize] : null;
        int n = 0;
        while (n < blockSize && rows.hasNext()) {
            Row row = rows.next();
            long index = firstRow + n;
            Vector v = RowChecks.features(row.get(0), features, index, partition);
            double rowSum = inFloat ? copy(v, xf, n * features) : copy(v, xd, n * features);
            if (!Double.isFinite(rowSum)) {
                RowChecks.finite(v, index, partition);
            }
            labels[n] = RowChecks.label(row.get(1), index, partition);
            if (hasWeights) {
                weights[n] = RowChecks.weight(row.get(2), index, partition);
            }
            n++;
        }
        RowChecks.classes(labels, n, classes, firstRow, partition);
        int[] l = n == blockSize ? labels : Arrays.copyOf(labels, n);
        double[] w = weights == null || n == blockSize ? weights : Arrays.copyOf(weights, n);
        return inFloat
                ? new FloatBlock(n, features, n == blockSize ? xf : Arrays.copyOf(xf, n * features), l, w)
                : new DoubleBlock(n, features, n == blockSize ? xd : Arrays.copyOf(xd, n * features), l, w);
    }

    /** Copies {@code v} into {@code x} at {@code offset} (zeros where sparse); @return the sum of its values */
    static double copy(Vector v, float[] x, int offset) {
        double sum = 0;
        if (v instanceof DenseVector) {
            double[] values = ((DenseVector) v).values();
            for (int j = 0; j < values.length; j++) {
                x[offset + j] = (float) values[j];
                sum += values[j];
            }
        } else {
            SparseVector s = (SparseVector) v;
            Arrays.fill(x, offset, offset + s.size(), 0f);
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) {
                x[offset + indices[i]] = (float) values[i];
                sum += values[i];
            }
        }
        return sum;
    }

    /** Double variant of {@link #copy(Vector, float[], int)}. */
    static double copy(Vector v, double[] x, int offset) {
        double sum = 0;
        if (v instanceof DenseVector) {
            double[] values = ((DenseVector) v).values();
            System.arraycopy(values, 0, x, offset, values.length);
            for (double value : values) {
                sum += value;
            }
        } else {
            SparseVector s = (SparseVector) v;
            Arrays.fill(x, offset, offset + s.size(), 0.0);
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) {
                x[offset + indices[i]] = values[i];
                sum += values[i];
            }
        }
        return sum;
    }
}
