package org.softmax4j.spark;

import org.softmax4j.SoftmaxOps;

/** A training block in float32: the products and the fused cross-entropy run in float, sums are kept in double. */
final class FloatBlock extends InstanceBlock {

    private static final long serialVersionUID = 1L;

    /** {@code rows x features}, row-major. */
    final float[] x;

    FloatBlock(int rows, int features, float[] x, int[] labels, double[] weights) {
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
        GradientSum.FloatScratch s = sum.floatScratch(rows, features, k);
        ops.matmul(rows, features, k, 1f, x, 0, c.floatWeights(), 0, 0f, s.logits, 0);
        if (c.hasIntercepts) {
            float[] b = c.floatIntercepts();
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
                float fw = (float) w;
                int base = r * k;
                for (int j = 0; j < k; j++) {
                    s.logits[base + j] *= fw;
                }
            }
        }
        ops.matmulTransA(features, rows, k, 1f, x, 0, s.logits, 0, 0f, s.weightGradient, 0);
        sum.add(loss, weightSum, s.weightGradient, s.logits, rows);
    }
}
