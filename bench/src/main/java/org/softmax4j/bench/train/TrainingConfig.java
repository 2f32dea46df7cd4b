package org.softmax4j.bench.train;

/**
 * The settings of one softmax-regression run.
 *
 * @param epochs       passes over the training set, {@code >= 1}
 * @param learningRate the SGD step size, finite and {@code > 0}
 * @param batch        images per step, {@code >= 1}
 * @param seed         seeds the per-epoch shuffle
 */
public record TrainingConfig(int epochs, double learningRate, int batch, long seed) {

    /** The recipe of the seed cases: 10 epochs of batch 100 at step 0.1 (reaches about 0.84 on Fashion-MNIST). */
    public static final TrainingConfig DEFAULT = new TrainingConfig(10, 0.1, 100, 42);

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: expected >= 1, got " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate: expected finite and > 0, got " + learningRate);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch: expected >= 1, got " + batch);
        }
    }
}
