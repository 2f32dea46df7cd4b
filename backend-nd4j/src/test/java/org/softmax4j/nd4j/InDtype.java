package org.softmax4j.nd4j;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * Runs an op of a backend in float64 or float32 on double inputs (rounded to float32 first when {@code f32}), and
 * returns double results: lets one test body cover both dtypes.
 */
final class InDtype {

    record Loss(double[] loss, double value, double[] gradient) {
    }

    private final SoftmaxOps ops;
    final boolean f32;

    InDtype(SoftmaxOps ops, boolean f32) {
        this.ops = ops;
        this.f32 = f32;
    }

    static float[] f(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    static double[] d(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    /** @return the inputs as this dtype holds them */
    double[] round(double[] a) {
        return f32 ? d(f(a)) : a.clone();
    }

    double[] softmax(int rows, int cols, double[] x) {
        return f32 ? d(ops.softmax(rows, cols, f(x))) : ops.softmax(rows, cols, x);
    }

    double[] softmax(int rows, int cols, double t, double[] x) {
        if (f32) {
            float[] y = new float[x.length];
            ops.softmax(rows, cols, (float) t, f(x), 0, y, 0);
            return d(y);
        }
        double[] y = new double[x.length];
        ops.softmax(rows, cols, t, x, 0, y, 0);
        return y;
    }

    double[] maskedSoftmax(int rows, int cols, double[] x, boolean[] mask) {
        if (f32) {
            float[] y = new float[x.length];
            ops.maskedSoftmax(rows, cols, f(x), 0, mask, 0, y, 0);
            return d(y);
        }
        double[] y = new double[x.length];
        ops.maskedSoftmax(rows, cols, x, 0, mask, 0, y, 0);
        return y;
    }

    double[] logSoftmax(int rows, int cols, double[] x) {
        return f32 ? d(ops.logSoftmax(rows, cols, f(x))) : ops.logSoftmax(rows, cols, x);
    }

    double[] logSumExp(int rows, int cols, double[] x) {
        if (f32) {
            float[] o = new float[rows];
            ops.logSumExp(rows, cols, f(x), 0, o, 0);
            return d(o);
        }
        double[] o = new double[rows];
        ops.logSumExp(rows, cols, x, 0, o, 0);
        return o;
    }

    double[] softmaxBackward(int rows, int cols, double[] y, double[] dy) {
        if (f32) {
            float[] o = new float[y.length];
            ops.softmaxBackward(rows, cols, f(y), 0, f(dy), 0, o, 0);
            return d(o);
        }
        double[] o = new double[y.length];
        ops.softmaxBackward(rows, cols, y, 0, dy, 0, o, 0);
        return o;
    }

    double[] logSoftmaxBackward(int rows, int cols, double[] logp, double[] dlogp) {
        if (f32) {
            float[] o = new float[logp.length];
            ops.logSoftmaxBackward(rows, cols, f(logp), 0, f(dlogp), 0, o, 0);
            return d(o);
        }
        double[] o = new double[logp.length];
        ops.logSoftmaxBackward(rows, cols, logp, 0, dlogp, 0, o, 0);
        return o;
    }

    double[] jacobian(double[] y) {
        return f32 ? d(ops.jacobian(f(y))) : ops.jacobian(y);
    }

    double[] crossEntropy(int rows, int cols, double[] p, double[] labels, double eps) {
        if (f32) {
            float[] o = new float[rows];
            ops.crossEntropy(rows, cols, f(p), 0, f(labels), 0, eps, o, 0);
            return d(o);
        }
        double[] o = new double[rows];
        ops.crossEntropy(rows, cols, p, 0, labels, 0, eps, o, 0);
        return o;
    }

    Loss dense(int rows, int cols, double[] x, double[] labels, CrossEntropyOptions o) {
        if (f32) {
            float[] loss = new float[rows];
            float[] g = new float[x.length];
            float v = ops.softmaxCrossEntropyWithLogits(rows, cols, f(x), 0, f(labels), 0, o, loss, 0, g, 0);
            return new Loss(d(loss), v, d(g));
        }
        double[] loss = new double[rows];
        double[] g = new double[x.length];
        double v = ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, o, loss, 0, g, 0);
        return new Loss(loss, v, g);
    }

    Loss sparse(int rows, int cols, double[] x, int[] classes, CrossEntropyOptions o) {
        if (f32) {
            float[] loss = new float[rows];
            float[] g = new float[x.length];
            float v = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, f(x), 0, classes, 0, o, loss, 0, g, 0);
            return new Loss(d(loss), v, d(g));
        }
        double[] loss = new double[rows];
        double[] g = new double[x.length];
        double v = ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, o, loss, 0, g, 0);
        return new Loss(loss, v, g);
    }

    int[] argmax(int rows, int cols, double[] x) {
        int[] o = new int[rows];
        if (f32) {
            ops.argmax(rows, cols, f(x), 0, o, 0);
        } else {
            ops.argmax(rows, cols, x, 0, o, 0);
        }
        return o;
    }

    /** @return the indices, then the values as doubles, of the row-wise top-k */
    Object[] topK(int rows, int cols, int k, double[] x) {
        int[] idx = new int[rows * k];
        if (f32) {
            float[] v = new float[rows * k];
            ops.topK(rows, cols, k, f(x), 0, v, 0, idx, 0);
            return new Object[] {idx, d(v)};
        }
        double[] v = new double[rows * k];
        ops.topK(rows, cols, k, x, 0, v, 0, idx, 0);
        return new Object[] {idx, v};
    }

    double[] matmul(boolean transA, int m, int k, int n, double alpha, double[] a, double[] b, double beta,
                    double[] c) {
        if (f32) {
            float[] cc = f(c);
            if (transA) {
                ops.matmulTransA(m, k, n, (float) alpha, f(a), 0, f(b), 0, (float) beta, cc, 0);
            } else {
                ops.matmul(m, k, n, (float) alpha, f(a), 0, f(b), 0, (float) beta, cc, 0);
            }
            return d(cc);
        }
        double[] cc = c.clone();
        if (transA) {
            ops.matmulTransA(m, k, n, alpha, a, 0, b, 0, beta, cc, 0);
        } else {
            ops.matmul(m, k, n, alpha, a, 0, b, 0, beta, cc, 0);
        }
        return cc;
    }
}
