package org.softmax4j.plain;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Validate;
import org.softmax4j.kernels.CrossEntropyKernels;
import org.softmax4j.kernels.RowSoftmax;
import org.softmax4j.kernels.SoftmaxGradients;

/**
 * The float64 kernels that have a SIMD twin ({@link VectorDoubleKernels}, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}); this base runs the shared exact scalar ones ({@code softmax4j-kernels}).
 * The float64 mirror of {@link FloatKernels}: every method works on a block of whole rows, so that {@link RowTeam}
 * can hand blocks of rows to threads; a row's result never depends on the block it is in. The cross-entropies return
 * the compensated sum of their rows' losses in row order ({@link #sumRows}'s steps), so a call split over threads,
 * which stores every row's loss and adds them afterwards with {@link #sumRows}, gets the same bits.
 */
class DoubleKernels {

    static final DoubleKernels SCALAR = new DoubleKernels();

    /** @return false if these kernels would be slower than the scalar ones on this machine */
    boolean useful() {
        return true;
    }

    /** @return "scalar kernels" or "SIMD float64 kernels (n double lanes, ...)" */
    String describe() {
        return "scalar kernels";
    }

    void softmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        RowSoftmax.softmax(rows, cols, x, xOffset, y, yOffset);
    }

    /** {@link Validate#labelsKept}: no label other than {@code +-0} on a masked class; writes nothing. */
    void checkLabelsKept(int rows, int cols, double[] labels, int labelsOffset, boolean[] mask, int maskOffset) {
        Validate.labelsKept(labels, labelsOffset, rows, cols, mask, maskOffset);
    }

    void logSoftmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        RowSoftmax.logSoftmax(rows, cols, x, xOffset, y, yOffset);
    }

    void logSumExp(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        RowSoftmax.logSumExp(rows, cols, x, xOffset, out, outOffset);
    }

    void maskedSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] y,
                       int yOffset) {
        RowSoftmax.maskedSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    void maskedLogSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] y,
                          int yOffset) {
        RowSoftmax.maskedLogSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    void maskedLogSumExp(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] out,
                         int outOffset) {
        RowSoftmax.maskedLogSumExp(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    void softmaxBackward(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset, double[] dx,
                         int dxOffset) {
        SoftmaxGradients.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    void logSoftmaxBackward(int rows, int cols, double[] logp, int logpOffset, double[] dlogp, int dlogpOffset,
                            double[] dx, int dxOffset) {
        SoftmaxGradients.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    /**
     * Sparse softmax cross-entropy with logits of a block of rows.
     *
     * @param loss if not null, row {@code r}'s loss goes to {@code loss[lossOffset + r]}
     * @return the rows' losses added in row order with compensation ({@link #sumRows})
     */
    double sparse(int rows, int cols, double[] x, int xOffset, int[] classes, int classesOffset,
                CrossEntropyOptions options, double scale, double[] loss, int lossOffset, double[] gradient,
                int gOffset) {
        return CrossEntropyKernels.sparse(rows, cols, x, xOffset, classes, classesOffset, options, scale, loss, lossOffset,
                gradient, gOffset);
    }

    /** Dense-label softmax cross-entropy with logits of a block of rows; as {@link #sparse}. */
    double dense(int rows, int cols, double[] x, int xOffset, double[] labels, int labelsOffset,
                 CrossEntropyOptions options, double scale, double[] loss, int lossOffset, double[] gradient,
                 int gOffset) {
        return CrossEntropyKernels.dense(rows, cols, x, xOffset, labels, labelsOffset, options, scale, loss, lossOffset,
                gradient, gOffset);
    }

    /** The masked sparse cross-entropy of a block of rows; as {@link #sparse}. */
    double maskedSparse(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, int[] classes,
                        int classesOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                        double[] gradient, int gOffset) {
        return CrossEntropyKernels.sparse(rows, cols, x, xOffset, mask, maskOffset, classes, classesOffset, options,
                scale, loss, lossOffset, gradient, gOffset);
    }

    /** The masked dense cross-entropy of a block of rows; as {@link #sparse}. */
    double maskedDense(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] labels,
                       int labelsOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                       double[] gradient, int gOffset) {
        return CrossEntropyKernels.dense(rows, cols, x, xOffset, mask, maskOffset, labels, labelsOffset, options,
                scale, loss, lossOffset, gradient, gOffset);
    }

    /**
     * The compensated (TwoSum) sum of {@code loss[offset .. offset + rows)} in row order: the same steps, hence the
     * same bits, as the total the scalar kernels return ({@code CrossEntropyKernels}).
     */
    static double sumRows(double[] loss, int offset, int rows) {
        double total = 0;
        double comp = 0;
        for (int r = 0; r < rows; r++) {
            double v = loss[offset + r];
            double t = total + v;
            double bp = t - total;
            comp += (total - (t - bp)) + (v - bp);
            total = t;
        }
        return Double.isFinite(total) ? total + comp : total;
    }
}
