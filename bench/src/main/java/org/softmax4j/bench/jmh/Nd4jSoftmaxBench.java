package org.softmax4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Shape;
import org.softmax4j.nd4j.Nd4jSoftmax;

/**
 * The nd4j backend's INDArray entry point ({@link Nd4jSoftmax}) on the INDArrays (float32 or float64)
 * {@link Nd4jNativeOpsBench} runs ND4J's own ops on (same inputs, outputs preallocated): the library's semantics at ND4J's data, no copies
 * between Java arrays and native memory. The report names it "nd4j INDArray".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Nd4jSoftmaxBench {

    @Param({"100x10", "256x1000", "64x32000", "4096x4096"})
    public String shape;

    @Param({"FLOAT32", "FLOAT64"})
    public Dtype dtype;

    private INDArray x;
    private INDArray y;
    private INDArray labels;
    private INDArray classes;
    private INDArray gradient;
    private CrossEntropyOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        Shape s = Shape.parse(shape);
        int rows = s.rows();
        int cols = s.cols();
        x = BenchInputs.logits(dtype, s);
        DataType type = x.dataType();
        y = Nd4j.createUninitialized(type, rows, cols);
        gradient = Nd4j.createUninitialized(type, rows, cols);
        labels = Nd4j.createUninitialized(type, rows, cols);
        Nd4jSoftmax.softmax(x, labels); // soft labels, as SoftmaxBench's
        classes = Nd4j.createFromArray(BenchInputs.classes(rows, cols, BenchInputs.SEED + 2));
        options = CrossEntropyOptions.DEFAULT;
    }

    @Benchmark
    public INDArray softmax() {
        Nd4jSoftmax.softmax(x, y);
        return y;
    }

    @Benchmark
    public INDArray logSoftmax() {
        Nd4jSoftmax.logSoftmax(x, y);
        return y;
    }

    @Benchmark
    public double sparseCrossEntropy() {
        return Nd4jSoftmax.sparseSoftmaxCrossEntropyWithLogits(x, classes, options, null, gradient);
    }

    @Benchmark
    public double denseCrossEntropy() {
        return Nd4jSoftmax.softmaxCrossEntropyWithLogits(x, labels, options, null, gradient);
    }

    /** @return the gradient the last cross-entropy call wrote (tests) */
    INDArray gradient() {
        return gradient;
    }
}
