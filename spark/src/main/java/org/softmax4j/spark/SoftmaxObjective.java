package org.softmax4j.spark;

import breeze.linalg.DenseVector;
import breeze.linalg.DenseVector$mcD$sp;
import java.util.Arrays;
import java.util.function.Function;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.softmax4j.Softmax;
import scala.Tuple2;

/**
 * The objective L-BFGS minimises, as MLlib's multinomial {@code LogisticRegression} defines it: the weighted mean
 * cross-entropy {@code (1/W) sum_r w_r CE(softmax(x_r B + c), y_r)} plus {@code lambda/2 * sum B_orig^2}, in MLlib's
 * scaled and (with an intercept) virtually centred space: the optimiser's vector is {@code [B_s (features x classes,
 * row-major), c_s (classes)]} with {@code B = diag(1/std) B_s} and {@code c = c_s - (mean/std)^T B_s}, so that the
 * L-BFGS steps are MLlib's. Each evaluation broadcasts {@code B, c}, sums the blocks' losses and gradients on the
 * executors through the library with {@code treeAggregate}, and maps the gradient back:
 * {@code dB_s = diag(1/std) X^T G - (mean/std) colsum(G)^T}, {@code dc_s = colsum(G)}. The last value is cached
 * (the line search asks for the same point again).
 */
final class SoftmaxObjective implements Function<DenseVector<Object>, Tuple2<Object, DenseVector<Object>>> {

    private final JavaSparkContext context;
    private final JavaRDD<InstanceBlock> blocks;
    private final int features;
    private final int classes;
    private final double[] inverseStd;
    private final double[] scaledMean;
    private final boolean fitIntercept;
    private final double regParam;
    private final int depth;

    private double[] lastPoint;
    private Tuple2<Object, DenseVector<Object>> lastResult;

    SoftmaxObjective(JavaRDD<InstanceBlock> blocks, int features, int classes, double[] inverseStd,
                     double[] scaledMean, boolean fitIntercept, double regParam, int depth) {
        this.context = JavaSparkContext.fromSparkContext(blocks.context());
        this.blocks = blocks;
        this.features = features;
        this.classes = classes;
        this.inverseStd = inverseStd;
        this.scaledMean = scaledMean;
        this.fitIntercept = fitIntercept;
        this.regParam = regParam;
        this.depth = depth;
    }

    /** @return the optimiser's vector over {@code x} (not copied) */
    static DenseVector<Object> vector(double[] x) {
        return new DenseVector$mcD$sp(x);
    }

    /** @return the values of {@code v}, without a copy when it is contiguous */
    static double[] values(DenseVector<Object> v) {
        double[] data = v.data$mcD$sp();
        if (v.offset() == 0 && v.stride() == 1 && v.length() == data.length) {
            return data;
        }
        double[] copy = new double[v.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = data[v.offset() + i * v.stride()];
        }
        return copy;
    }

    /** @return the number of values of the optimiser's vector */
    static int size(int features, int classes, boolean fitIntercept) {
        return features * classes + (fitIntercept ? classes : 0);
    }

    /** @return {@code B = diag(1/std) B_s} and {@code c = c_s - (mean/std)^T B_s} of the scaled point {@code x} */
    EffectiveCoefficients effective(double[] x) {
        int n = features * classes;
        double[] w = new double[n];
        double[] c = new double[classes];
        for (int j = 0; j < features; j++) {
            int base = j * classes;
            for (int k = 0; k < classes; k++) {
                w[base + k] = inverseStd[j] * x[base + k];
            }
        }
        if (fitIntercept) {
            for (int k = 0; k < classes; k++) {
                c[k] = x[n + k];
            }
            for (int j = 0; j < features; j++) {
                int base = j * classes;
                for (int k = 0; k < classes; k++) {
                    c[k] -= scaledMean[j] * x[base + k];
                }
            }
        }
        return new EffectiveCoefficients(classes, w, c, fitIntercept);
    }

    /** @return the objective and its gradient at {@code point} (Breeze's {@code DiffFunction.calculate}) */
    @Override
    public Tuple2<Object, DenseVector<Object>> apply(DenseVector<Object> point) {
        double[] x = values(point);
        if (lastPoint != null && Arrays.equals(lastPoint, x)) {
            return lastResult;
        }
        Broadcast<EffectiveCoefficients> coefficients = context.broadcast(effective(x));
        GradientSum total = blocks.treeAggregate(new GradientSum(features, classes),
                (sum, block) -> {
                    block.addGradient(Softmax.ops(), coefficients.value(), sum);
                    return sum;
                },
                GradientSum::merge, depth);
        coefficients.destroy();

        int n = features * classes;
        double[] gradient = new double[x.length];
        double scale = 1.0 / total.weightSum;
        for (int j = 0; j < features; j++) {
            int base = j * classes;
            for (int k = 0; k < classes; k++) {
                double g = inverseStd[j] * total.gradient[base + k];
                if (fitIntercept) {
                    g -= scaledMean[j] * total.gradient[n + k];
                }
                gradient[base + k] = g * scale;
            }
        }
        if (fitIntercept) {
            for (int k = 0; k < classes; k++) {
                gradient[n + k] = total.gradient[n + k] * scale;
            }
        }
        double loss = total.loss * scale + regularize(x, gradient);
        lastPoint = x.clone();
        lastResult = new Tuple2<>(loss, vector(gradient));
        return lastResult;
    }

    /**
     * Adds the L2 gradient {@code lambda B_s / std^2} to {@code gradient}; @return {@code lambda/2 sum (B_s/std)^2},
     * which is {@code lambda/2 sum B^2} in the original space (features of zero std are not penalised, as in MLlib)
     */
    private double regularize(double[] x, double[] gradient) {
        if (regParam == 0) {
            return 0;
        }
        double sum = 0;
        for (int j = 0; j < features; j++) {
            double inv2 = inverseStd[j] * inverseStd[j];
            int base = j * classes;
            for (int k = 0; k < classes; k++) {
                double t = x[base + k] * inv2;
                sum += x[base + k] * t;
                gradient[base + k] += regParam * t;
            }
        }
        return 0.5 * regParam * sum;
    }
}
