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
import org.openjdk.jmh.annotations.TearDown;
import org.softmax4j.bench.Shape;

import java.util.concurrent.TimeUnit;

/**
 * The memory-bandwidth reference for {@link SoftmaxFloat64Bench}: read one {@code rows x cols} float64 array, write
 * another of the same size (the least traffic a softmax can cause), on one thread and on one thread per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CopyFloat64Bench {

    @Param({"256x1000", "4096x4096"})
    public String shape;

    private int rows;
    private int cols;
    private double[] source;
    private double[] target;
    private RowSplitCopier copier;

    @Setup(Level.Trial)
    public void setUp() {
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        source = BenchInputs.logitsDouble(s.elements(), BenchInputs.SEED);
        target = new double[s.elements()];
        copier = new RowSplitCopier(Runtime.getRuntime().availableProcessors());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        copier.close();
    }

    @Benchmark
    public double[] copyOneThread() {
        System.arraycopy(source, 0, target, 0, rows * cols);
        return target;
    }

    @Benchmark
    public double[] copyAllCores() {
        copier.copy(source, target, rows, cols);
        return target;
    }
}
