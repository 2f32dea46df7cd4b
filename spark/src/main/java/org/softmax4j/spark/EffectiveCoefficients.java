package org.softmax4j.spark;

import java.io.Serializable;

/**
 * The coefficients the executors apply to the unscaled rows in one pass, broadcast once per evaluation:
 * {@code logits = x W + b} with {@code W} ({@code features x classes}, row-major) and {@code b} ({@code classes}).
 * The float copies are made once per executor, on first use.
 */
final class EffectiveCoefficients implements Serializable {

    private static final long serialVersionUID = 1L;

    final int classes;
    final double[] weights;
    final double[] intercepts;
    final boolean hasIntercepts;

    private transient volatile float[] floatWeights;
    private transient volatile float[] floatIntercepts;

    EffectiveCoefficients(int classes, double[] weights, double[] intercepts, boolean hasIntercepts) {
        this.classes = classes;
        this.weights = weights;
        this.intercepts = intercepts;
        this.hasIntercepts = hasIntercepts;
    }

    /** @return the weights in float (tasks on one executor may race to make them; each makes the same copy) */
    float[] floatWeights() {
        float[] f = floatWeights;
        if (f == null) {
            f = toFloat(weights);
            floatWeights = f;
        }
        return f;
    }

    /** @return the intercepts in float */
    float[] floatIntercepts() {
        float[] f = floatIntercepts;
        if (f == null) {
            f = toFloat(intercepts);
            floatIntercepts = f;
        }
        return f;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
