package org.softmax4j.bench.jmh;

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
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Shape;

import java.util.concurrent.TimeUnit;

/**
 * The row ops on every shape, in float32 or float64. The backend is a name resolved through
 * {@link Softmax#ops(String)} (which fails listing the valid names); the command line passes every backend discovery
 * finds, and the shapes of each dtype ({@link BenchRunner}: float64 runs a mid-size and a larger-than-cache batch).
 * One set of arrays per dtype is allocated; each benchmark calls the overload of the trial's dtype.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SoftmaxBench {

    @Param({"plain"})
    public String backend;

    @Param({"FLOAT32", "FLOAT64"})
    public Dtype dtype;

    @Param({"100x10", "256x1000", "64x32000", "4096x4096"})
    public String shape;

    // Non-final so the JIT cannot constant-fold them (JMH sample 10).
    private SoftmaxOps ops;
    private boolean f32;
    private int rows;
    private int cols;
    private float[] xf;
    private float[] yf;
    private float[] dyf;
    private float[] dxf;
    private float[] gradientf;
    private double[] xd;
    private double[] yd;
    private double[] dyd;
    private double[] dxd;
    private double[] gradientd;
    private int[] classes;
    private CrossEntropyOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        ops = Softmax.ops(backend);
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        int n = s.elements();
        f32 = dtype == Dtype.FLOAT32;
        if (f32) {
            xf = BenchInputs.logitsFloat(n, BenchInputs.SEED);
            dyf = BenchInputs.logitsFloat(n, BenchInputs.SEED + 1);
            yf = new float[n];
            dxf = new float[n];
            gradientf = new float[n];
            ops.softmax(rows, cols, xf, 0, yf, 0); // the softmax output the backward op consumes
        } else {
            xd = BenchInputs.logitsDouble(n, BenchInputs.SEED);
            dyd = BenchInputs.logitsDouble(n, BenchInputs.SEED + 1);
            yd = new double[n];
            dxd = new double[n];
            gradientd = new double[n];
            ops.softmax(rows, cols, xd, 0, yd, 0);
        }
        classes = BenchInputs.classes(rows, cols, BenchInputs.SEED + 2);
        options = CrossEntropyOptions.DEFAULT;
    }

    @Benchmark
    public Object softmax() {
        if (f32) {
            ops.softmax(rows, cols, xf, 0, yf, 0);
            return yf;
        }
        ops.softmax(rows, cols, xd, 0, yd, 0);
        return yd;
    }

    @Benchmark
    public Object logSoftmax() {
        if (f32) {
            ops.logSoftmax(rows, cols, xf, 0, dxf, 0);
            return dxf;
        }
        ops.logSoftmax(rows, cols, xd, 0, dxd, 0);
        return dxd;
    }

    @Benchmark
    public Object softmaxBackward() {
        if (f32) {
            ops.softmaxBackward(rows, cols, yf, 0, dyf, 0, dxf, 0);
            return dxf;
        }
        ops.softmaxBackward(rows, cols, yd, 0, dyd, 0, dxd, 0);
        return dxd;
    }

    /** The fused sparse softmax cross-entropy with logits, mean loss plus the gradient wrt the logits. */
    @Benchmark
    public double sparseCrossEntropy() {
        if (f32) {
            return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xf, 0, classes, 0, options, null, 0,
                    gradientf, 0);
        }
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xd, 0, classes, 0, options, null, 0, gradientd, 0);
    }

    /** The fused dense-label softmax cross-entropy (soft labels: a softmax output), mean loss plus the gradient. */
    @Benchmark
    public double denseCrossEntropy() {
        if (f32) {
            return ops.softmaxCrossEntropyWithLogits(rows, cols, xf, 0, yf, 0, options, null, 0, gradientf, 0);
        }
        return ops.softmaxCrossEntropyWithLogits(rows, cols, xd, 0, yd, 0, options, null, 0, gradientd, 0);
    }
}
