package org.softmax4j.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.Shape;

/**
 * The float32 ops of a training or inference loop that {@link SoftmaxBench} does not cover (temperature and masked
 * softmax, the masked log-softmax, logsumexp and cross-entropies (a quarter of the classes masked, never a row's
 * target), log-softmax backward, the dense and from-probabilities cross-entropies, class weights with label smoothing,
 * argmax, top-k, the Jacobian of one row of {@code cols} classes), next to softmax, for side-by-side ratios. The main
 * job ({@link BenchRunner}) runs it at 256x1000 when plain is a backend (the report's table of plain's kernels and
 * their targets); for other shapes or settings run it with JMH's own main:
 * {@code java -cp bench/target/softmax4j-bench.jar org.openjdk.jmh.Main
 * Float32OpsBench -f 1 -wi 3 -w 1 -i 3 -r 1 -jvmArgsAppend '--add-modules jdk.incubator.vector'}: each trial runs
 * plain's SIMD and scalar kernels ({@link #kernels}) in forks of their own, side by side in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Float32OpsBench {

    @Param({"plain"})
    public String backend;

    @Param({"100x10", "256x1000"})
    public String shape;

    /** plain's float32 kernels, "simd" or "scalar" ({@link BenchInputs#opsWithKernels}). */
    @Param({"simd", "scalar"})
    public String kernels;

    private SoftmaxOps ops;
    private int rows;
    private int cols;
    private float[] x;
    private float[] y;
    private float[] logp;
    private float[] dy;
    private float[] out;
    private float[] labels;
    private float[] maskedLabels;
    private float[] oneHot;
    private float[] rowOut;
    private float[] loss;
    private float[] jacobian;
    private float[] values;
    private boolean[] mask;
    private int[] classes;
    private int[] indices;
    private CrossEntropyOptions options;
    private CrossEntropyOptions weightedSmoothed;
    private float temperature;

    @Setup(Level.Trial)
    public void setUp() {
        ops = BenchInputs.opsWithKernels(backend, kernels);
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        int n = s.elements();
        x = BenchInputs.logitsFloat(n, BenchInputs.SEED);
        dy = BenchInputs.logitsFloat(n, BenchInputs.SEED + 1);
        y = new float[n];
        out = new float[n];
        labels = new float[n];
        loss = new float[rows];
        jacobian = new float[cols * cols];
        values = new float[rows * 5];
        indices = new int[rows * 5];
        ops.softmax(rows, cols, x, 0, y, 0);
        logp = new float[n];
        ops.logSoftmax(rows, cols, x, 0, logp, 0);
        ops.softmax(rows, cols, dy, 0, labels, 0); // soft labels
        SplittableRandom random = new SplittableRandom(BenchInputs.SEED + 3);
        mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = random.nextInt(4) != 0;
        }
        classes = BenchInputs.classes(rows, cols, BenchInputs.SEED + 2);
        maskedLabels = new float[n];
        oneHot = new float[n];
        for (int r = 0; r < rows; r++) {
            oneHot[r * cols + classes[r]] = 1;
        }
        for (int r = 0; r < rows; r++) {
            mask[r * cols + classes[r]] = true; // a row's target class takes part
        }
        ops.maskedSoftmax(rows, cols, dy, 0, mask, 0, maskedLabels, 0); // soft labels, 0 on the masked classes
        rowOut = new float[rows];
        options = CrossEntropyOptions.DEFAULT;
        double[] w = new double[cols];
        for (int c = 0; c < cols; c++) {
            w[c] = 0.5 + random.nextDouble();
        }
        weightedSmoothed = options.withClassWeights(w).withLabelSmoothing(0.1);
        temperature = 0.7f;
    }

    @Benchmark
    public float[] softmax() {
        ops.softmax(rows, cols, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] softmaxTemperature() {
        ops.softmax(rows, cols, temperature, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] maskedSoftmax() {
        ops.maskedSoftmax(rows, cols, x, 0, mask, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] maskedLogSoftmax() {
        ops.maskedLogSoftmax(rows, cols, x, 0, mask, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] maskedLogSumExp() {
        ops.maskedLogSumExp(rows, cols, x, 0, mask, 0, rowOut, 0);
        return rowOut;
    }

    @Benchmark
    public double maskedSparseCrossEntropy() {
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, classes, 0, options, null, 0, out,
                0);
    }

    @Benchmark
    public double maskedDenseCrossEntropy() {
        return ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, maskedLabels, 0, options, null, 0, out,
                0);
    }

    @Benchmark
    public float[] softmaxBackward() {
        ops.softmaxBackward(rows, cols, y, 0, dy, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] logSoftmaxBackward() {
        ops.logSoftmaxBackward(rows, cols, logp, 0, dy, 0, out, 0);
        return out;
    }

    @Benchmark
    public double sparseCrossEntropy() {
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, options, null, 0, out, 0);
    }

    @Benchmark
    public double sparseCrossEntropyWeightedSmoothed() {
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, weightedSmoothed, null, 0, out,
                0);
    }

    @Benchmark
    public double denseCrossEntropy() {
        return ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, options, null, 0, out, 0);
    }

    @Benchmark
    public double denseCrossEntropyWeightedSmoothed() {
        return ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, weightedSmoothed, null, 0, out, 0);
    }

    @Benchmark
    public float[] crossEntropyFromProbabilities() {
        ops.crossEntropy(rows, cols, y, 0, labels, 0, 1e-7, loss, 0);
        return loss;
    }

    /** Keras' usual case: one-hot labels (the probabilities those of {@link #crossEntropyFromProbabilities}). */
    @Benchmark
    public float[] crossEntropyFromProbabilitiesOneHot() {
        ops.crossEntropy(rows, cols, y, 0, oneHot, 0, 1e-7, loss, 0);
        return loss;
    }

    @Benchmark
    public int[] argmax() {
        ops.argmax(rows, cols, x, 0, indices, 0);
        return indices;
    }

    @Benchmark
    public int[] topK5() {
        ops.topK(rows, cols, 5, x, 0, values, 0, indices, 0);
        return indices;
    }

    /** The Jacobian of the first row: {@code cols x cols}. */
    @Benchmark
    public float[] jacobian() {
        ops.jacobian(cols, y, 0, jacobian, 0);
        return jacobian;
    }
}
