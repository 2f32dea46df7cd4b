package org.softmax4j.conformance;

import static org.softmax4j.conformance.RandomInputs.toDouble;
import static org.softmax4j.conformance.RandomInputs.toFloat;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * Calls a backend's op in one dtype on double inputs (exactly representable in that dtype) and returns the outputs
 * widened to double, so one test body serves float32 and float64. Offsets are 0 and outputs freshly allocated.
 */
public final class OpsInDtype {

    /** The per-row losses, the returned value and the gradient of a cross-entropy with logits. */
    public record LossOut(double[] loss, double reduced, double[] gradient) {
    }

    /** The values and indices of a top-k. */
    public record TopK(double[] values, int[] indices) {
    }

    private final SoftmaxOps ops;
    private final Dtype dtype;

    public OpsInDtype(SoftmaxOps ops, Dtype dtype) {
        this.ops = ops;
        this.dtype = dtype;
    }

    private boolean f32() {
        return dtype == Dtype.FLOAT32;
    }

    public double[] softmax(int rows, int cols, double[] x) {
        if (f32()) {
            float[] y = new float[x.length];
            ops.softmax(rows, cols, toFloat(x), 0, y, 0);
            return toDouble(y);
        }
        double[] y = new double[x.length];
        ops.softmax(rows, cols, x.clone(), 0, y, 0);
        return y;
    }

    public double[] softmax(int rows, int cols, double temperature, double[] x) {
        if (f32()) {
            float[] y = new float[x.length];
            ops.softmax(rows, cols, (float) temperature, toFloat(x), 0, y, 0);
            return toDouble(y);
        }
        double[] y = new double[x.length];
        ops.softmax(rows, cols, temperature, x.clone(), 0, y, 0);
        return y;
    }

    public double[] maskedSoftmax(int rows, int cols, double[] x, boolean[] mask) {
        if (f32()) {
            float[] y = new float[x.length];
            ops.maskedSoftmax(rows, cols, toFloat(x), 0, mask.clone(), 0, y, 0);
            return toDouble(y);
        }
        double[] y = new double[x.length];
        ops.maskedSoftmax(rows, cols, x.clone(), 0, mask.clone(), 0, y, 0);
        return y;
    }

    public double[] logSoftmax(int rows, int cols, double[] x) {
        if (f32()) {
            float[] y = new float[x.length];
            ops.logSoftmax(rows, cols, toFloat(x), 0, y, 0);
            return toDouble(y);
        }
        double[] y = new double[x.length];
        ops.logSoftmax(rows, cols, x.clone(), 0, y, 0);
        return y;
    }

    public double[] logSumExp(int rows, int cols, double[] x) {
        if (f32()) {
            float[] out = new float[rows];
            ops.logSumExp(rows, cols, toFloat(x), 0, out, 0);
            return toDouble(out);
        }
        double[] out = new double[rows];
        ops.logSumExp(rows, cols, x.clone(), 0, out, 0);
        return out;
    }

    public double[] softmaxBackward(int rows, int cols, double[] y, double[] dy) {
        if (f32()) {
            float[] dx = new float[y.length];
            ops.softmaxBackward(rows, cols, toFloat(y), 0, toFloat(dy), 0, dx, 0);
            return toDouble(dx);
        }
        double[] dx = new double[y.length];
        ops.softmaxBackward(rows, cols, y.clone(), 0, dy.clone(), 0, dx, 0);
        return dx;
    }

    public double[] logSoftmaxBackward(int rows, int cols, double[] logp, double[] dlogp) {
        if (f32()) {
            float[] dx = new float[logp.length];
            ops.logSoftmaxBackward(rows, cols, toFloat(logp), 0, toFloat(dlogp), 0, dx, 0);
            return toDouble(dx);
        }
        double[] dx = new double[logp.length];
        ops.logSoftmaxBackward(rows, cols, logp.clone(), 0, dlogp.clone(), 0, dx, 0);
        return dx;
    }

    public double[] jacobian(int cols, double[] y) {
        if (f32()) {
            float[] j = new float[cols * cols];
            ops.jacobian(cols, toFloat(y), 0, j, 0);
            return toDouble(j);
        }
        double[] j = new double[cols * cols];
        ops.jacobian(cols, y.clone(), 0, j, 0);
        return j;
    }

    public double[] crossEntropy(int rows, int cols, double[] p, double[] labels, double eps) {
        if (f32()) {
            float[] loss = new float[rows];
            ops.crossEntropy(rows, cols, toFloat(p), 0, toFloat(labels), 0, eps, loss, 0);
            return toDouble(loss);
        }
        double[] loss = new double[rows];
        ops.crossEntropy(rows, cols, p.clone(), 0, labels.clone(), 0, eps, loss, 0);
        return loss;
    }

    public LossOut softmaxCrossEntropy(int rows, int cols, double[] logits, double[] labels,
                                       CrossEntropyOptions options) {
        if (f32()) {
            float[] loss = new float[rows];
            float[] grad = new float[logits.length];
            float v = ops.softmaxCrossEntropyWithLogits(rows, cols, toFloat(logits), 0, toFloat(labels), 0, options,
                    loss, 0, grad, 0);
            return new LossOut(toDouble(loss), v, toDouble(grad));
        }
        double[] loss = new double[rows];
        double[] grad = new double[logits.length];
        double v = ops.softmaxCrossEntropyWithLogits(rows, cols, logits.clone(), 0, labels.clone(), 0, options,
                loss, 0, grad, 0);
        return new LossOut(loss, v, grad);
    }

    /** The reduced value alone (no loss, no gradient array), as a finite-difference probe calls it. */
    public double softmaxCrossEntropyValue(int rows, int cols, double[] logits, double[] labels,
                                           CrossEntropyOptions options) {
        return f32()
                ? ops.softmaxCrossEntropyWithLogits(rows, cols, toFloat(logits), 0, toFloat(labels), 0, options,
                        null, 0, null, 0)
                : ops.softmaxCrossEntropyWithLogits(rows, cols, logits.clone(), 0, labels.clone(), 0, options,
                        null, 0, null, 0);
    }

    public LossOut sparseSoftmaxCrossEntropy(int rows, int cols, double[] logits, int[] classes,
                                             CrossEntropyOptions options) {
        if (f32()) {
            float[] loss = new float[rows];
            float[] grad = new float[logits.length];
            float v = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, toFloat(logits), 0, classes.clone(), 0,
                    options, loss, 0, grad, 0);
            return new LossOut(toDouble(loss), v, toDouble(grad));
        }
        double[] loss = new double[rows];
        double[] grad = new double[logits.length];
        double v = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, logits.clone(), 0, classes.clone(), 0, options,
                loss, 0, grad, 0);
        return new LossOut(loss, v, grad);
    }

    public double sparseSoftmaxCrossEntropyValue(int rows, int cols, double[] logits, int[] classes,
                                                 CrossEntropyOptions options) {
        return f32()
                ? ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, toFloat(logits), 0, classes.clone(), 0, options,
                        null, 0, null, 0)
                : ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, logits.clone(), 0, classes.clone(), 0, options,
                        null, 0, null, 0);
    }

    public int[] argmax(int rows, int cols, double[] x) {
        int[] out = new int[rows];
        if (f32()) {
            ops.argmax(rows, cols, toFloat(x), 0, out, 0);
        } else {
            ops.argmax(rows, cols, x.clone(), 0, out, 0);
        }
        return out;
    }

    public TopK topK(int rows, int cols, int k, double[] x) {
        int[] idx = new int[rows * k];
        if (f32()) {
            float[] v = new float[rows * k];
            ops.topK(rows, cols, k, toFloat(x), 0, v, 0, idx, 0);
            return new TopK(toDouble(v), idx);
        }
        double[] v = new double[rows * k];
        ops.topK(rows, cols, k, x.clone(), 0, v, 0, idx, 0);
        return new TopK(v, idx);
    }

    /** {@code alpha op(A) B + beta C} with {@code op(A) = A^T} when {@code transA}. */
    public double[] matmul(boolean transA, int m, int k, int n, double alpha, double[] a, double[] b, double beta,
                           double[] c) {
        if (f32()) {
            float[] out = toFloat(c);
            if (transA) {
                ops.matmulTransA(m, k, n, (float) alpha, toFloat(a), 0, toFloat(b), 0, (float) beta, out, 0);
            } else {
                ops.matmul(m, k, n, (float) alpha, toFloat(a), 0, toFloat(b), 0, (float) beta, out, 0);
            }
            return toDouble(out);
        }
        double[] out = c.clone();
        if (transA) {
            ops.matmulTransA(m, k, n, alpha, a.clone(), 0, b.clone(), 0, beta, out, 0);
        } else {
            ops.matmul(m, k, n, alpha, a.clone(), 0, b.clone(), 0, beta, out, 0);
        }
        return out;
    }
}
