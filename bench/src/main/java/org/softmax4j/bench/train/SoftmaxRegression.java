package org.softmax4j.bench.train;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Multinomial logistic (softmax) regression trained with plain mini-batch SGD, every numeric step done by one
 * {@link SoftmaxOps} backend in float32, so a run measures that backend end to end:
 * <pre>
 *   logits = 1 b^T + X W                 two matmul calls: the bias broadcast as a ones column, then beta = 1
 *   loss, G = sparseSoftmaxCrossEntropyWithLogits(logits, y)   mean over the batch, so G is already divided by it
 *   W = W - lr X^T G                     one matmulTransA call: alpha = -lr, beta = 1
 *   b = b - lr 1^T G                     one matmulTransA call with the ones column
 * </pre>
 * W ({@code features x classes}) and b start at zero; the training set is reshuffled every epoch from the seed.
 */
public final class SoftmaxRegression {

    private final SoftmaxOps ops;
    private final int features;
    private final int classes;
    private final float[] weights;
    private final float[] bias;

    /** A zero-initialised model. */
    public SoftmaxRegression(SoftmaxOps ops, int features, int classes) {
        this.ops = ops;
        this.features = features;
        this.classes = classes;
        this.weights = new float[features * classes];
        this.bias = new float[classes];
    }

    /** The test-set figures of a model. */
    public record Evaluation(double accuracy, double loss) {
    }

    /** @return the weights, {@code features x classes} row-major (the model's own array) */
    public float[] weights() {
        return weights;
    }

    /** @return the bias, {@code classes} values (the model's own array) */
    public float[] bias() {
        return bias;
    }

    /**
     * Trains on {@code train} then evaluates on {@code test}.
     *
     * @throws IllegalArgumentException if the data sets do not match the model's features and classes
     */
    public TrainingResult train(Dataset train, Dataset test, TrainingConfig config, TrainingListener listener) {
        checkShape("train", train);
        checkShape("test", test);
        int batch = config.batch();
        int batchesPerEpoch = (train.count() + batch - 1) / batch;
        float[] x = new float[batch * features];
        int[] y = new int[batch];
        float[] logits = new float[batch * classes];
        float[] gradient = new float[batch * classes];
        float[] ones = new float[batch];
        Arrays.fill(ones, 1f);
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        float alpha = (float) -config.learningRate();
        CrossEntropyOptions options = CrossEntropyOptions.DEFAULT;
        double lastEpochLoss = Double.NaN;

        listener.started(ops.name(), config.epochs(), batchesPerEpoch);
        long start = System.nanoTime();
        try {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                shuffle(order, random);
                double lossSum = 0;
                for (int first = 0; first < order.length; first += batch) {
                    int rows = Math.min(batch, order.length - first);
                    for (int i = 0; i < rows; i++) {
                        int image = order[first + i];
                        System.arraycopy(train.images(), image * features, x, i * features, features);
                        y[i] = train.labels()[image];
                    }
                    ops.matmul(rows, 1, classes, 1f, ones, 0, bias, 0, 0f, logits, 0);
                    ops.matmul(rows, features, classes, 1f, x, 0, weights, 0, 1f, logits, 0);
                    lossSum += ops.sparseSoftmaxCrossEntropyWithLogits(rows, classes, logits, 0, y, 0, options,
                            null, 0, gradient, 0);
                    ops.matmulTransA(features, rows, classes, alpha, x, 0, gradient, 0, 1f, weights, 0);
                    ops.matmulTransA(1, rows, classes, alpha, ones, 0, gradient, 0, 1f, bias, 0);
                    listener.stepDone();
                }
                lastEpochLoss = lossSum / batchesPerEpoch;
                listener.epochDone(epoch, lastEpochLoss);
            }
        } finally {
            listener.finished();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation evaluation = evaluate(test);
        return new TrainingResult(ops.name(), config.epochs(), batch, config.learningRate(), config.seed(),
                train.count(), seconds, (double) config.epochs() * train.count() / seconds, lastEpochLoss,
                evaluation.accuracy(), evaluation.loss(), 0);
    }

    /** @return the accuracy and the mean cross-entropy of the model on {@code data} */
    public Evaluation evaluate(Dataset data) {
        checkShape("data", data);
        int n = data.count();
        float[] logits = new float[n * classes];
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        ops.matmul(n, 1, classes, 1f, ones, 0, bias, 0, 0f, logits, 0);
        ops.matmul(n, features, classes, 1f, data.images(), 0, weights, 0, 1f, logits, 0);
        double loss = ops.sparseSoftmaxCrossEntropyWithLogits(n, classes, logits, 0, data.labels(), 0,
                CrossEntropyOptions.DEFAULT, null, 0, null, 0);
        int[] predicted = new int[n];
        ops.argmax(n, classes, logits, 0, predicted, 0);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] == data.labels()[i]) {
                correct++;
            }
        }
        return new Evaluation((double) correct / n, loss);
    }

    private void checkShape(String name, Dataset data) {
        if (data.features() != features || data.classes() != classes) {
            throw new IllegalArgumentException(name + ": expected " + features + " features and " + classes
                    + " classes, got " + data.features() + " and " + data.classes());
        }
    }

    /** Fisher-Yates. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
