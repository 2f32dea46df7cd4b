package org.softmax4j.bench.cli;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.train.MnistData;
import org.softmax4j.bench.train.SoftmaxRegression;
import org.softmax4j.bench.train.TrainingConfig;
import org.softmax4j.bench.train.TrainingListener;
import org.softmax4j.bench.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads the data once and trains a fresh model on each backend in turn. */
public final class TrainingJob {

    private TrainingJob() {
    }

    /**
     * @param backends      backend names, each resolved through {@link Softmax#ops(String)}
     * @param warmupSeconds before each backend's timed run, train throwaway models (one epoch at a time, silently)
     *                      for at least this long, so that the JIT has compiled the kernels; 0 for a cold run
     * @throws org.softmax4j.bench.train.DataNotFoundException if the files are missing
     */
    public static List<TrainingResult> run(List<String> backends, Path dataDir, TrainingConfig config,
                                           double warmupSeconds, TrainingListener listener) throws IOException {
        List<SoftmaxOps> ops = new ArrayList<>();
        for (String name : backends) {
            ops.add(Softmax.ops(name));
        }
        MnistData.Split data = MnistData.load(dataDir);
        List<TrainingResult> results = new ArrayList<>();
        TrainingConfig oneEpoch = new TrainingConfig(1, config.learningRate(), config.batch(), config.seed());
        for (SoftmaxOps backend : ops) {
            long start = System.nanoTime();
            double warm = 0;
            while (warm < warmupSeconds) {
                new SoftmaxRegression(backend, data.train().features(), data.train().classes())
                        .train(data.train(), data.test(), oneEpoch, TrainingListener.NONE);
                warm = (System.nanoTime() - start) / 1e9;
            }
            SoftmaxRegression model = new SoftmaxRegression(backend, data.train().features(), data.train().classes());
            results.add(model.train(data.train(), data.test(), config, listener).withWarmupSeconds(warm));
        }
        return results;
    }
}
