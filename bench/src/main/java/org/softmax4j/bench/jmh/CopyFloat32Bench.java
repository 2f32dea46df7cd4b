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
 * The memory-bandwidth reference for {@link SoftmaxFloat32Bench}: read one {@code rows x cols} float32 array, write
 * another of the same size (the least traffic a softmax can cause), on one thread and on one thread per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CopyFloat32Bench {

    @Param({"100x10", "256x1000", "64x32000", "4096x4096"})
    public String shape;

    private int rows;
    private int cols;
    private float[] source;
    private float[] target;
    private RowSplitCopier copier;

    @Setup(Level.Trial)
    public void setUp() {
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        source = BenchInputs.logitsFloat(s.elements(), BenchInputs.SEED);
        target = new float[s.elements()];
        copier = new RowSplitCopier(Runtime.getRuntime().availableProcessors());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        copier.close();
    }

    @Benchmark
    public float[] copyOneThread() {
        System.arraycopy(source, 0, target, 0, rows * cols);
        return target;
    }

    @Benchmark
    public float[] copyAllCores() {
        copier.copy(source, target, rows, cols);
        return target;
    }
}
