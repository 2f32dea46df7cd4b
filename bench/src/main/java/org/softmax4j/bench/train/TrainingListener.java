package org.softmax4j.bench.train;

/** Hears how training goes; called on the training thread, so it must be cheap. */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Training of {@code backend} starts: {@code epochs * batchesPerEpoch} steps follow. */
    default void started(String backend, int epochs, int batchesPerEpoch) {
    }

    /** One SGD step is done. */
    default void stepDone() {
    }

    /** Epoch {@code epoch} (from 1) is done; {@code meanLoss} is the mean of its batch losses. */
    default void epochDone(int epoch, double meanLoss) {
    }

    /** Training is over (also after a failure). */
    default void finished() {
    }
}
