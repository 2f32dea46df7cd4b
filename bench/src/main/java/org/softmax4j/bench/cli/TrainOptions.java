package org.softmax4j.bench.cli;

import org.softmax4j.bench.train.MnistData;
import org.softmax4j.bench.train.TrainingConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The training options shared by the train and bench commands. */
final class TrainOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the MNIST-format files (train-images-idx3-ubyte[.gz] etc., MNIST or"
                    + " Fashion-MNIST). Default: ${DEFAULT-VALUE} (Debian package " + MnistData.PACKAGE + ").")
    Path data = MnistData.DEFAULT_DIR;

    @Option(names = "--epochs", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    int epochs = TrainingConfig.DEFAULT.epochs();

    @Option(names = {"--lr", "--step-size"}, description = "SGD step size. Default: ${DEFAULT-VALUE}.")
    double learningRate = TrainingConfig.DEFAULT.learningRate();

    @Option(names = "--batch", description = "Images per SGD step. Default: ${DEFAULT-VALUE}.")
    int batch = TrainingConfig.DEFAULT.batch();

    @Option(names = "--seed", description = "Seed of the per-epoch shuffle. Default: ${DEFAULT-VALUE}.")
    long seed = TrainingConfig.DEFAULT.seed();

    @Option(names = "--warmup-seconds", description = "Before each backend's timed run, train throwaway models for at"
            + " least this long, so that the JIT has compiled the kernels (the Vector API kernels run 10 to 100 times"
            + " slower until C2 compiles them, several seconds on 2 cores). 0 times a cold JVM. Default:"
            + " ${DEFAULT-VALUE}.")
    double warmupSeconds = 5;

    TrainingConfig config() {
        return new TrainingConfig(epochs, learningRate, batch, seed);
    }
}
