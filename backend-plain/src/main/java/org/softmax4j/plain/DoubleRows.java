package org.softmax4j.plain;

import org.softmax4j.CrossEntropyOptions;

/**
 * The float64 row ops of {@link PlainSoftmaxOps} (softmax, log-softmax, logsumexp, each masked or not, both backward
 * ops, the sparse and dense cross-entropies with logits, masked or not): each call runs on the row team when
 * {@link PlainSoftmaxOps} grants it (large enough, team free), else on the calling thread, on the SIMD ({@link VectorDoubleKernels}) or scalar
 * ({@link DoubleKernels}) kernels. Each row is computed whole by one thread, and the cross-entropies' losses are
 * stored per row and added in row order ({@link DoubleKernels#sumRows}), so results are the same bits for any thread
 * count. The jobs' fields are set by the one caller holding the team; nothing is allocated per call.
 */
final class DoubleRows {

    /** Grants the team to a call of {@code rows x cols} (then the caller must release it), or not. */
    interface TeamGate {
        boolean acquire(int rows, int cols);
    }

    private final DoubleKernels kernels;
    private final RowTeam team;
    private final TeamGate gate;
    private final MapJob map = new MapJob();
    private final LossJob lossJob = new LossJob();
    /** The rows' losses of a cross-entropy on the team whose caller did not ask for them (only while it is held). */
    private final ScratchArrays rowLosses = new ScratchArrays(1);

    DoubleRows(DoubleKernels kernels, RowTeam team, TeamGate gate) {
        this.kernels = kernels;
        this.team = team;
        this.gate = gate;
    }

    String describe() {
        return kernels.describe();
    }

    /** {@link DoubleKernels#checkLabelsKept}, on the calling thread. */
    void checkLabelsKept(int rows, int cols, double[] labels, int labelsOffset, boolean[] mask, int maskOffset) {
        kernels.checkLabelsKept(rows, cols, labels, labelsOffset, mask, maskOffset);
    }

    boolean simd() {
        return kernels != DoubleKernels.SCALAR;
    }

    void softmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        map(RowMap.SOFTMAX, rows, cols, x, xOffset, null, 0, y, yOffset);
    }

    void logSoftmax(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        map(RowMap.LOG_SOFTMAX, rows, cols, x, xOffset, null, 0, y, yOffset);
    }

    void logSumExp(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        map(RowMap.LOG_SUM_EXP, rows, cols, x, xOffset, null, 0, out, outOffset);
    }

    void maskedSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] y,
                       int yOffset) {
        map(RowMap.MASKED_SOFTMAX, rows, cols, x, xOffset, null, 0, mask, maskOffset, y, yOffset);
    }

    void maskedLogSoftmax(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] y,
                          int yOffset) {
        map(RowMap.MASKED_LOG_SOFTMAX, rows, cols, x, xOffset, null, 0, mask, maskOffset, y, yOffset);
    }

    void maskedLogSumExp(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] out,
                         int outOffset) {
        map(RowMap.MASKED_LOG_SUM_EXP, rows, cols, x, xOffset, null, 0, mask, maskOffset, out, outOffset);
    }

    void softmaxBackward(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset, double[] dx,
                         int dxOffset) {
        map(RowMap.SOFTMAX_BACKWARD, rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    void logSoftmaxBackward(int rows, int cols, double[] logp, int logpOffset, double[] dlogp, int dlogpOffset,
                            double[] dx, int dxOffset) {
        map(RowMap.LOG_SOFTMAX_BACKWARD, rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    /** Runs a row map on the team if the gate grants it, else on this thread. */
    private void map(RowMap op, int rows, int cols, double[] a, int aOffset, double[] b, int bOffset, double[] out,
                     int outOffset) {
        map(op, rows, cols, a, aOffset, b, bOffset, null, 0, out, outOffset);
    }

    /** As above, with a mask for the maps that take one. */
    private void map(RowMap op, int rows, int cols, double[] a, int aOffset, double[] b, int bOffset, boolean[] mask,
                     int maskOffset, double[] out, int outOffset) {
        if (gate.acquire(rows, cols)) {
            try {
                map.set(op, cols, a, aOffset, b, bOffset, mask, maskOffset, out, outOffset);
                team.run(map, rows, cols);
            } finally {
                map.set(null, 0, null, 0, null, 0, null, 0, null, 0);
                team.release();
            }
            return;
        }
        op.run(kernels, rows, cols, a, aOffset, b, bOffset, mask, maskOffset, out, outOffset);
    }

    /** @return the sum of the rows' losses (compensated, in row order) */
    double sparse(int rows, int cols, double[] x, int xOffset, int[] classes, int classesOffset,
                  CrossEntropyOptions options, double scale, double[] loss, int lossOffset, double[] gradient,
                  int gOffset) {
        return crossEntropy(rows, cols, x, xOffset, null, 0, null, classes, classesOffset, options, scale, loss,
                lossOffset, gradient, gOffset);
    }

    /** @return the sum of the rows' losses (compensated, in row order) */
    double maskedSparse(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, int[] classes,
                        int classesOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                        double[] gradient, int gOffset) {
        return crossEntropy(rows, cols, x, xOffset, mask, maskOffset, null, classes, classesOffset, options, scale,
                loss, lossOffset, gradient, gOffset);
    }

    /** @return the sum of the rows' losses (compensated, in row order) */
    double maskedDense(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] labels,
                       int labelsOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                       double[] gradient, int gOffset) {
        return crossEntropy(rows, cols, x, xOffset, mask, maskOffset, labels, null, labelsOffset, options, scale,
                loss, lossOffset, gradient, gOffset);
    }

    /** @return the sum of the rows' losses (compensated, in row order) */
    double dense(int rows, int cols, double[] x, int xOffset, double[] labels, int labelsOffset,
                 CrossEntropyOptions options, double scale, double[] loss, int lossOffset, double[] gradient,
                 int gOffset) {
        return crossEntropy(rows, cols, x, xOffset, null, 0, labels, null, labelsOffset, options, scale, loss,
                lossOffset, gradient, gOffset);
    }

    /** Dense labels when {@code labels != null}, else class indices; masked when {@code mask != null}. */
    private double crossEntropy(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                double[] labels, int[] classes, int labelsOffset, CrossEntropyOptions options,
                                double scale, double[] loss, int lossOffset, double[] gradient, int gOffset) {
        if (gate.acquire(rows, cols)) {
            try {
                double[] l = loss != null ? loss : rowLosses.doubles(0, rows);
                int lo = loss != null ? lossOffset : 0;
                lossJob.set(cols, x, xOffset, mask, maskOffset, labels, classes, labelsOffset, options, scale, l, lo,
                        gradient, gOffset);
                team.run(lossJob, rows, cols);
                return DoubleKernels.sumRows(l, lo, rows);
            } finally {
                lossJob.set(0, null, 0, null, 0, null, null, 0, null, 0, null, 0, null, 0);
                team.release();
            }
        }
        return crossEntropyBlock(kernels, rows, cols, x, xOffset, mask, maskOffset, labels, classes, labelsOffset,
                options, scale, loss, lossOffset, gradient, gOffset);
    }

    /** The cross-entropy of a block of rows on {@code k}: dense or sparse, masked or not. */
    private static double crossEntropyBlock(DoubleKernels k, int rows, int cols, double[] x, int xOffset,
                                            boolean[] mask, int maskOffset, double[] labels, int[] classes,
                                            int labelsOffset, CrossEntropyOptions options, double scale,
                                            double[] loss, int lossOffset, double[] gradient, int gOffset) {
        if (mask != null && labels != null) {
            return k.maskedDense(rows, cols, x, xOffset, mask, maskOffset, labels, labelsOffset, options, scale,
                    loss, lossOffset, gradient, gOffset);
        } else if (mask != null) {
            return k.maskedSparse(rows, cols, x, xOffset, mask, maskOffset, classes, labelsOffset, options, scale,
                    loss, lossOffset, gradient, gOffset);
        } else if (labels != null) {
            return k.dense(rows, cols, x, xOffset, labels, labelsOffset, options, scale, loss, lossOffset,
                    gradient, gOffset);
        }
        return k.sparse(rows, cols, x, xOffset, classes, labelsOffset, options, scale, loss, lossOffset,
                gradient, gOffset);
    }

    /** The float64 ops that map rows of one or two inputs to rows of an output (logsumexp: one value per row). */
    private enum RowMap {
        SOFTMAX {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.softmax(rows, cols, a, ao, out, oo);
            }
        },
        LOG_SOFTMAX {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.logSoftmax(rows, cols, a, ao, out, oo);
            }
        },
        LOG_SUM_EXP {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.logSumExp(rows, cols, a, ao, out, oo);
            }

            @Override
            int outWidth(int cols) {
                return 1;
            }
        },
        MASKED_SOFTMAX {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.maskedSoftmax(rows, cols, a, ao, mask, mo, out, oo);
            }
        },
        MASKED_LOG_SOFTMAX {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.maskedLogSoftmax(rows, cols, a, ao, mask, mo, out, oo);
            }
        },
        MASKED_LOG_SUM_EXP {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.maskedLogSumExp(rows, cols, a, ao, mask, mo, out, oo);
            }

            @Override
            int outWidth(int cols) {
                return 1;
            }
        },
        /** {@code a} is y, {@code b} is dy. */
        SOFTMAX_BACKWARD {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.softmaxBackward(rows, cols, a, ao, b, bo, out, oo);
            }
        },
        /** {@code a} is logp, {@code b} is dlogp. */
        LOG_SOFTMAX_BACKWARD {
            @Override
            void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                     int mo, double[] out, int oo) {
                k.logSoftmaxBackward(rows, cols, a, ao, b, bo, out, oo);
            }
        };

        abstract void run(DoubleKernels k, int rows, int cols, double[] a, int ao, double[] b, int bo, boolean[] mask,
                          int mo, double[] out, int oo);

        /** The output's elements per row. */
        int outWidth(int cols) {
            return cols;
        }
    }

    /** A row map of a block of rows; fields set by the caller holding the team. */
    private final class MapJob extends RowTeam.Job {
        private RowMap op;
        private int cols;
        private double[] a;
        private int aOffset;
        private double[] b;
        private int bOffset;
        private boolean[] mask;
        private int maskOffset;
        private double[] out;
        private int outOffset;

        void set(RowMap op, int cols, double[] a, int aOffset, double[] b, int bOffset, boolean[] mask, int maskOffset,
                 double[] out, int outOffset) {
            this.op = op;
            this.cols = cols;
            this.a = a;
            this.aOffset = aOffset;
            this.b = b;
            this.bOffset = bOffset;
            this.mask = mask;
            this.maskOffset = maskOffset;
            this.out = out;
            this.outOffset = outOffset;
        }

        @Override
        void run(int from, int to) {
            int skip = from * cols;
            op.run(kernels, to - from, cols, a, aOffset + skip, b, b == null ? 0 : bOffset + skip, mask,
                    mask == null ? 0 : maskOffset + skip, out, outOffset + from * op.outWidth(cols));
        }
    }

    /** A cross-entropy of a block of rows; each row's loss goes to {@link #loss}. */
    private final class LossJob extends RowTeam.Job {
        private int cols;
        private double[] x;
        private int xOffset;
        private boolean[] mask;
        private int maskOffset;
        private double[] labels;
        private int[] classes;
        private int labelsOffset;
        private CrossEntropyOptions options;
        private double scale;
        private double[] loss;
        private int lossOffset;
        private double[] gradient;
        private int gOffset;

        void set(int cols, double[] x, int xOffset, boolean[] mask, int maskOffset, double[] labels, int[] classes,
                 int labelsOffset, CrossEntropyOptions options, double scale, double[] loss, int lossOffset,
                 double[] gradient, int gOffset) {
            this.cols = cols;
            this.x = x;
            this.xOffset = xOffset;
            this.mask = mask;
            this.maskOffset = maskOffset;
            this.labels = labels;
            this.classes = classes;
            this.labelsOffset = labelsOffset;
            this.options = options;
            this.scale = scale;
            this.loss = loss;
            this.lossOffset = lossOffset;
            this.gradient = gradient;
            this.gOffset = gOffset;
        }

        @Override
        void run(int from, int to) {
            int skip = from * cols;
            crossEntropyBlock(kernels, to - from, cols, x, xOffset + skip, mask, mask == null ? 0 : maskOffset + skip,
                    labels, classes, labels != null ? labelsOffset + skip : labelsOffset + from, options, scale,
                    loss, lossOffset + from, gradient, gradient == null ? 0 : gOffset + skip);
        }
    }
}
