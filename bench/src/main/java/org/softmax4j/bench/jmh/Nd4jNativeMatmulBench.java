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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.softmax4j.bench.Op;

/**
 * ND4J's BLAS sgemm ({@code Nd4j.gemm}, OpenBLAS) of the training step's logits, 100x784 times 784x10, on data already
 * in {@link INDArray}s with the output preallocated: the reference of {@link MatmulBench}'s {@code matmul} (same
 * inputs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Nd4jNativeMatmulBench {

    private INDArray images;
    private INDArray weights;
    private INDArray logits;

    @Setup(Level.Trial)
    public void setUp() {
        images = Nd4j.create(BenchInputs.logitsFloat(Op.MATMUL_M * Op.MATMUL_K, BenchInputs.SEED),
                new long[] {Op.MATMUL_M, Op.MATMUL_K}, 'c');
        weights = Nd4j.create(BenchInputs.logitsFloat(Op.MATMUL_K * Op.MATMUL_N, BenchInputs.SEED + 1),
                new long[] {Op.MATMUL_K, Op.MATMUL_N}, 'c');
        logits = Nd4j.createUninitialized(DataType.FLOAT, Op.MATMUL_M, Op.MATMUL_N);
    }

    @Benchmark
    public INDArray matmul() {
        Nd4j.gemm(images, weights, logits, false, false, 1.0, 0.0);
        return logits;
    }
}
