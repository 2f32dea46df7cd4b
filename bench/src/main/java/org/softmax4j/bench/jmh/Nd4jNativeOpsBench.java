package org.softmax4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
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
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Shape;

/**
 * ND4J's own native ops on data already in {@link INDArray}s (no copy from or to Java arrays, outputs
 * preallocated): the reference the SIMD plain backend is measured against. Not a softmax4j backend: it bypasses
 * the contract (no max-shift guarantees, no edge rows; its log_softmax is log(softmax), -inf where a probability
 * underflows), so it is the best case for ND4J. Not measured: ND4J's dense {@code softmax_cross_entropy_loss_with_logits},
 * which in 1.0.0-M2.1 prints its labels ("Labels plus eps: ...") to standard output on every call. The inputs are those of {@link SoftmaxBench}, in float32
 * or float64 ({@code dtype}; ND4J's ops run in the arrays' dtype); {@link Nd4jNativeMatmulBench} has the product. The bench command runs both when {@code nd4j} is among its backends;
 * the report names them "nd4j native op".
 *
 * <p>Run next to the backends in one JMH run, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp softmax4j-bench.jar org.openjdk.jmh.Main
 * 'SoftmaxFloat32Bench|Nd4jNative|MatmulBench|CopyFloat32Bench' -jvmArgsAppend '--add-modules jdk.incubator.vector'}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Nd4jNativeOpsBench {

    @Param({"100x10", "256x1000", "64x32000", "4096x4096"})
    public String shape;

    @Param({"FLOAT32", "FLOAT64"})
    public Dtype dtype;

    private INDArray x;
    private INDArray y;
    private INDArray labels;
    private INDArray rowLoss;
    private INDArray gradient;
    private DynamicCustomOp softmaxOp;
    private DynamicCustomOp logSoftmaxOp;
    private DynamicCustomOp lossOp;
    private DynamicCustomOp gradientOp;

    @Setup(Level.Trial)
    public void setUp() {
        Shape s = Shape.parse(shape);
        int rows = s.rows();
        int cols = s.cols();
        x = BenchInputs.logits(dtype, s);
        DataType type = x.dataType();
        y = Nd4j.createUninitialized(type, rows, cols);
        int[] classes = BenchInputs.classes(rows, cols, BenchInputs.SEED + 2);
        labels = Nd4j.createFromArray(classes);
        rowLoss = Nd4j.createUninitialized(type, rows);
        gradient = Nd4j.createUninitialized(type, rows, cols);
        softmaxOp = new SoftMax(x, y, 1);
        logSoftmaxOp = DynamicCustomOp.builder("log_softmax").addInputs(x).addOutputs(gradient).addIntegerArguments(1)
                .build();
        lossOp = DynamicCustomOp.builder("sparse_softmax_cross_entropy_loss_with_logits")
                .addInputs(labels, x).addOutputs(rowLoss).build();
        gradientOp = DynamicCustomOp.builder("sparse_softmax_cross_entropy_loss_with_logits_grad")
                .addInputs(labels, x).addOutputs(gradient).build();
    }

    /** The native softmax op along the class axis. */
    @Benchmark
    public INDArray softmax() {
        Nd4j.exec(softmaxOp);
        return y;
    }

    /** The native log_softmax op (which is log(softmax): -inf where a probability underflows). */
    @Benchmark
    public INDArray logSoftmax() {
        Nd4j.exec(logSoftmaxOp);
        return gradient;
    }

    /** The native sparse softmax cross-entropy: per-row loss op plus its gradient op (the fused plain op's work). */
    @Benchmark
    public INDArray sparseCrossEntropy() {
        Nd4j.exec(lossOp);
        Nd4j.exec(gradientOp);
        return gradient;
    }

    /** @return the per-row losses the last {@link #sparseCrossEntropy()} wrote (tests) */
    INDArray rowLoss() {
        return rowLoss;
    }
}
