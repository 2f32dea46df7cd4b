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
 * The float64 masked ops (a quarter of the classes masked, never a row's target) next to the float64 softmax,
 * log-softmax and sparse cross-entropy, for side-by-side ratios; the float32 ones are in {@link Float32OpsBench}.
 * Not part of the main job; run it with JMH's own main: {@code java -cp bench/target/softmax4j-bench.jar
 * org.openjdk.jmh.Main Float64MaskedBench -f 1 -wi 5 -w 1 -i 5 -r 1 -jvmArgsAppend
 * '--add-modules jdk.incubator.vector'}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Float64MaskedBench {

    @Param({"plain"})
    public String backend;

    @Param({"100x10", "256x1000"})
    public String shape;

    /** plain's float64 kernels, "simd" or "scalar" ({@link BenchInputs#opsWithKernels}). */
    @Param({"simd", "scalar"})
    public String kernels;

    private SoftmaxOps ops;
    private int rows;
    private int cols;
    private double[] x;
    private double[] out;
    private double[] rowOut;
    private boolean[] mask;
    private int[] classes;
    private double[] maskedLabels;

    @Setup(Level.Trial)
    public void setUp() {
        ops = BenchInputs.opsWithKernels(backend, kernels);
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        int n = s.elements();
        x = BenchInputs.logitsDouble(n, BenchInputs.SEED);
        out = new double[n];
        rowOut = new double[rows];
        SplittableRandom random = new SplittableRandom(BenchInputs.SEED + 3);
        mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = random.nextInt(4) != 0;
        }
        classes = BenchInputs.classes(rows, cols, BenchInputs.SEED + 2);
        for (int r = 0; r < rows; r++) {
            mask[r * cols + classes[r]] = true; // a row's target class takes part
        }
        maskedLabels = new double[n];
        double[] z = BenchInputs.logitsDouble(n, BenchInputs.SEED + 1);
        ops.maskedSoftmax(rows, cols, z, 0, mask, 0, maskedLabels, 0); // soft labels, 0 on the masked classes
    }

    @Benchmark
    public double[] softmax() {
        ops.softmax(rows, cols, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public double[] logSoftmax() {
        ops.logSoftmax(rows, cols, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public double sparseCrossEntropy() {
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, CrossEntropyOptions.DEFAULT, null,
                0, out, 0);
    }

    @Benchmark
    public double[] maskedSoftmax() {
        ops.maskedSoftmax(rows, cols, x, 0, mask, 0, out, 0);
        return out;
    }

    @Benchmark
    public double[] maskedLogSoftmax() {
        ops.maskedLogSoftmax(rows, cols, x, 0, mask, 0, out, 0);
        return out;
    }

    @Benchmark
    public double[] maskedLogSumExp() {
        ops.maskedLogSumExp(rows, cols, x, 0, mask, 0, rowOut, 0);
        return rowOut;
    }

    @Benchmark
    public double maskedSparseCrossEntropy() {
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, classes, 0,
                CrossEntropyOptions.DEFAULT, null, 0, out, 0);
    }

    @Benchmark
    public double maskedDenseCrossEntropy() {
        return ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, maskedLabels, 0,
                CrossEntropyOptions.DEFAULT, null, 0, out, 0);
    }
}
