package org.softmax4j.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/**
 * Scores one partition block by block through the library: {@code logits = X W + b} ({@code matmul}), then
 * {@code softmax}, {@code argmax} and, when asked, {@code topK} (on the logits: the same order as the probabilities)
 * over the block; each block's rows are checked ({@link RowChecks}) before any of
 * its output rows is made. Per row it allocates only the output row and its vectors.
 */
final class BlockScorer implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final int features;
    private final int classes;
    private final double[] weights;
    private final double[] intercepts;
    private final boolean inFloat;
    private final int blockSize;
    private final int featuresIndex;
    private final boolean raw;
    private final boolean probability;
    private final boolean prediction;
    /** k of the top-k column, 0 when it is not written */
    private final int topK;

    BlockScorer(int features, int classes, double[] weights, double[] intercepts, boolean inFloat, int blockSize,
                int featuresIndex, boolean raw, boolean probability, boolean prediction, int topK) {
        this.features = features;
        this.classes = classes;
        this.weights = weights;
        this.intercepts = intercepts;
        this.inFloat = inFloat;
        this.blockSize = blockSize;
        this.featuresIndex = featuresIndex;
        this.raw = raw;
        this.probability = probability;
        this.prediction = prediction;
        this.topK = topK;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Scoring(rows);
    }

    /** The rows of one partition, scored a block at a time. */
    private final class Scoring implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final SoftmaxOps ops = Softmax.ops();
        private final int partition = TaskContext.getPartitionId();
        private final Row[] in = new Row[blockSize];
        private final Row[] out = new Row[blockSize];
        private final float[] wf = inFloat ? EffectiveCoefficients.toFloat(weights) : null;
        private final float[] bf = inFloat ? EffectiveCoefficients.toFloat(intercepts) : null;
        private final float[] xf = inFloat ? new float[blockSize * features] : null;
        private final float[] logitsF = inFloat ? new float[blockSize * classes] : null;
        private final float[] probF = inFloat ? new float[blockSize * classes] : null;
        private final double[] xd = inFloat ? null : new double[blockSize * features];
        private final double[] logitsD = inFloat ? null : new double[blockSize * classes];
        private final double[] probD = inFloat ? null : new double[blockSize * classes];
        private final int[] predicted = new int[blockSize];
        private final int[] top = new int[blockSize * topK];
        private long rowIndex;
        private int size;
        private int next;

        Scoring(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return next < size || rows.hasNext();
        }

        @Override
        public Row next() {
            if (next == size) {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                scoreBlock();
            }
            Row r = out[next];
            out[next] = null;
            next++;
            return r;
        }

        private void scoreBlock() {
            int n = 0;
            while (n < blockSize && rows.hasNext()) {
                Row row = rows.next();
                long index = rowIndex + n;
                Vector v = RowChecks.features(row.get(featuresIndex), features, index, partition);
                double sum = inFloat ? BlockPacker.copy(v, xf, n * features) : BlockPacker.copy(v, xd, n * features);
                if (!Double.isFinite(sum)) {
                    RowChecks.finite(v, index, partition);
                }
                in[n++] = row;
            }
            rowIndex += n;
            if (inFloat) {
                ops.matmul(n, features, classes, 1f, xf, 0, wf, 0, 0f, logitsF, 0);
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < classes; k++) {
                        logitsF[r * classes + k] += bf[k];
                    }
                }
                ops.softmax(n, classes, logitsF, 0, probF, 0);
                ops.argmax(n, classes, logitsF, 0, predicted, 0);
                if (topK > 0) {
                    ops.topK(n, classes, topK, logitsF, 0, null, 0, top, 0);
                }
            } else {
                ops.matmul(n, features, classes, 1.0, xd, 0, weights, 0, 0.0, logitsD, 0);
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < classes; k++) {
                        logitsD[r * classes + k] += intercepts[k];
                    }
                }
                ops.softmax(n, classes, logitsD, 0, probD, 0);
                ops.argmax(n, classes, logitsD, 0, predicted, 0);
                if (topK > 0) {
                    ops.topK(n, classes, topK, logitsD, 0, null, 0, top, 0);
                }
            }
            for (int r = 0; r < n; r++) {
                out[r] = output(in[r], r);
                in[r] = null;
            }
            size = n;
            next = 0;
        }

        private Row output(Row row, int r) {
            int width = row.size();
            Object[] values = new Object[width + (raw ? 1 : 0) + (probability ? 1 : 0) + (prediction ? 1 : 0)
                    + (topK > 0 ? 1 : 0)];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            int at = width;
            if (raw) {
                values[at++] = new DenseVector(inFloat ? widen(logitsF, r) : slice(logitsD, r));
            }
            if (probability) {
                values[at++] = new DenseVector(inFloat ? widen(probF, r) : slice(probD, r));
            }
            if (prediction) {
                values[at++] = (double) predicted[r];
            }
            if (topK > 0) {
                values[at] = Arrays.copyOfRange(top, r * topK, (r + 1) * topK);
            }
            return RowFactory.create(values);
        }

        private double[] widen(float[] block, int r) {
            double[] v = new double[classes];
            for (int k = 0; k < classes; k++) {
                v[k] = block[r * classes + k];
            }
            return v;
        }

        private double[] slice(double[] block, int r) {
            double[] v = new double[classes];
            System.arraycopy(block, r * classes, v, 0, classes);
            return v;
        }
    }
}
