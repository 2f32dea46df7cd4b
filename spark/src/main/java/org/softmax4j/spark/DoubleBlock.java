package org.softmax4j.spark;

import org.softmax4j.SoftmaxOps;

/** A training block in float64: the products and the fused cross-entropy run in double. */
final class DoubleBlock extends InstanceBlock {

    private static final long serialVersionUID = 1L;

    /** {@code rows x features}, row-major. */
    final double[] x;

    DoubleBlock(int rows, int features, double[] x, int[] labels, double[] weights) {
        super(rows, features, labels, weights);
        this.x = x;
    }

    @Override
    double value(int index) {
        return x[index];
    }

    @Override
    void addGradient(SoftmaxOps ops, EffectiveCoefficients c, GradientSum sum) {
        int k = c.classes;
        GradientSum.DoubleScratch s = sum.doubleScratch(rows, features, k);
        ops.matmul(rows, features, k, 1.0, x, 0, c.weights, 0, 0.0, s.logits, 0);
        if (c.hasIntercepts) {
            double[] b = c.intercepts;
            for (int r = 0; r < rows; r++) {
                int base = r * k;
                for (int j = 0; j < k; j++) {
                    s.logits[base + j] += b[j];
                }
            }
        }
        // the gradient overwrites the logits (the op allows the same region)
        ops.sparseSoftmaxCrossEntropyWithLogits(rows, k, s.logits, 0, labels, 0, GradientSum.PER_ROW, s.loss, 0,
                s.logits, 0);
        double loss = 0;
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            double w = weight(r);
            loss += w * s.loss[r];
            weightSum += w;
            if (weights != null) {
                int base = r * k;
                for (int j = 0; j < k; j++) {
                    s.logits[base + j] *= w;
                }
            }
        }
        ops.matmulTransA(features, rows, k, 1.0, x, 0, s.logits, 0, 0.0, s.weightGradient, 0);
        sum.add(loss, weightSum, s.weightGradient, s.logits, rows);
    }
}
