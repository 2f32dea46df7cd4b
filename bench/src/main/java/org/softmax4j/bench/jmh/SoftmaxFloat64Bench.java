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
import org.softmax4j.bench.Shape;

import java.util.concurrent.TimeUnit;

/**
 * The row ops in float64 on a mid-size and a larger-than-cache batch. The backend is a name resolved through
 * {@link Softmax#ops(String)} (which fails listing the valid names); the command line passes every backend found.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SoftmaxFloat64Bench {

    @Param({"plain"})
    public String backend;

    @Param({"256x1000", "4096x4096"})
    public String shape;

    // Non-final so the JIT cannot constant-fold them (JMH sample 10).
    private SoftmaxOps ops;
    private int rows;
    private int cols;
    private double[] x;
    private double[] y;
    private double[] dy;
    private double[] dx;
    private double[] gradient;
    private int[] classes;
    private CrossEntropyOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        ops = Softmax.ops(backend);
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        x = BenchInputs.logitsDouble(s.elements(), BenchInputs.SEED);
        dy = BenchInputs.logitsDouble(s.elements(), BenchInputs.SEED + 1);
        classes = BenchInputs.classes(rows, cols, BenchInputs.SEED + 2);
        y = new double[s.elements()];
        dx = new double[s.elements()];
        gradient = new double[s.elements()];
        options = CrossEntropyOptions.DEFAULT;
        ops.softmax(rows, cols, x, 0, y, 0); // the softmax output the backward op consumes
    }

    @Benchmark
    public double[] softmax() {
        ops.softmax(rows, cols, x, 0, y, 0);
        return y;
    }

    @Benchmark
    public double[] logSoftmax() {
        ops.logSoftmax(rows, cols, x, 0, dx, 0);
        return dx;
    }

    @Benchmark
    public double[] softmaxBackward() {
        ops.softmaxBackward(rows, cols, y, 0, dy, 0, dx, 0);
        return dx;
    }

    /** The fused sparse softmax cross-entropy with logits, mean loss plus the gradient wrt the logits. */
    @Benchmark
    public double sparseCrossEntropy() {
        return ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, options, null, 0, gradient, 0);
    }
}
