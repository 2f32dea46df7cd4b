package org.softmax4j.bench.train;

/**
 * What one training run of one backend achieved.
 *
 * @param backend           the backend's name
 * @param epochs            passes over the training set
 * @param batch             images per step
 * @param learningRate      the SGD step size
 * @param seed              the shuffle seed
 * @param trainExamples     the size of the training set
 * @param trainSeconds      wall time of the training loop (no loading, no evaluation)
 * @param examplesPerSecond {@code epochs * trainExamples / trainSeconds}
 * @param finalTrainLoss    the mean batch loss of the last epoch
 * @param testAccuracy      the fraction of test images whose largest logit is the true class
 * @param testLoss          the mean cross-entropy on the test set
 */
public record TrainingResult(String backend, int epochs, int batch, double learningRate, long seed, int trainExamples,
                             double trainSeconds, double examplesPerSecond, double finalTrainLoss,
                             double testAccuracy, double testLoss) {
}
