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
 * @param warmupSeconds     wall time spent before the run training a throwaway model, so that the JIT had compiled
 *                          the kernels (0: the run started in a cold JVM)
 */
public record TrainingResult(String backend, int epochs, int batch, double learningRate, long seed, int trainExamples,
                             double trainSeconds, double examplesPerSecond, double finalTrainLoss,
                             double testAccuracy, double testLoss, double warmupSeconds) {

    /** @return this result, with the warm-up that preceded it */
    public TrainingResult withWarmupSeconds(double seconds) {
        return new TrainingResult(backend, epochs, batch, learningRate, seed, trainExamples, trainSeconds,
                examplesPerSecond, finalTrainLoss, testAccuracy, testLoss, seconds);
    }
}
