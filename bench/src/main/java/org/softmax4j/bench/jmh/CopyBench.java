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
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Shape;

import java.util.concurrent.TimeUnit;

/**
 * The memory-bandwidth reference for {@link SoftmaxBench}: read one {@code rows x cols} array of the dtype, write
 * another of the same size (the least traffic a softmax can cause), on one thread and on one thread per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CopyBench {

    @Param({"FLOAT32", "FLOAT64"})
    public Dtype dtype;

    @Param({"100x10", "256x1000", "64x32000", "4096x4096"})
    public String shape;

    private int rows;
    private int cols;
    /** A float[] or a double[]: System.arraycopy and the copier take either. */
    private Object source;
    private Object target;
    private RowSplitCopier copier;

    @Setup(Level.Trial)
    public void setUp() {
        Shape s = Shape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        boolean f32 = dtype == Dtype.FLOAT32;
        source = f32 ? BenchInputs.logitsFloat(s.elements(), BenchInputs.SEED)
                : BenchInputs.logitsDouble(s.elements(), BenchInputs.SEED);
        target = f32 ? new float[s.elements()] : new double[s.elements()];
        copier = new RowSplitCopier(Runtime.getRuntime().availableProcessors());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        copier.close();
    }

    @Benchmark
    public Object copyOneThread() {
        System.arraycopy(source, 0, target, 0, rows * cols);
        return target;
    }

    @Benchmark
    public Object copyAllCores() {
        copier.copy(source, target, rows, cols);
        return target;
    }
}
