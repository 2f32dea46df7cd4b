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
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.Op;

import java.util.concurrent.TimeUnit;

/**
 * The three float32 matrix products, by default on a softmax-regression step's batch of 100 images of 784 pixels
 * and 10 classes ({@code dims = "MxKxN"} = "100x784x10"): the logits {@code X W} (M x K times K x N), the weight
 * gradient {@code X^T G} ((M x K)^T times M x N), and the logits {@code X W^T} of weights stored N x K (the layout of
 * PyTorch's {@code Linear}, and the {@code dZ W^T} of back-propagation into a layer): M x K times (N x K)^T, the same
 * flops as {@code X W}, so the two are compared directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MatmulBench {

    @Param({"plain"})
    public String backend;

    /** {@code M x K x N}: the batch, the features and the classes. */
    @Param({Op.MATMUL_DIMS})
    public String dims;

    private SoftmaxOps ops;
    private int m;
    private int k;
    private int n;
    private float[] images;
    private float[] weights;
    private float[] logits;
    private float[] gradient;
    private float[] weightGradient;
    private float one;
    private float zero;

    @Setup(Level.Trial)
    public void setUp() {
        ops = Softmax.ops(backend);
        String[] mkn = dims.split("x");
        if (mkn.length != 3) {
            throw new IllegalArgumentException("dims: expected MxKxN such as " + Op.MATMUL_DIMS + ", got '" + dims
                    + "'");
        }
        m = Integer.parseInt(mkn[0]);
        k = Integer.parseInt(mkn[1]);
        n = Integer.parseInt(mkn[2]);
        images = BenchInputs.logitsFloat(m * k, BenchInputs.SEED);
        weights = BenchInputs.logitsFloat(k * n, BenchInputs.SEED + 1);
        gradient = BenchInputs.logitsFloat(m * n, BenchInputs.SEED + 2);
        logits = new float[m * n];
        weightGradient = new float[k * n];
        one = 1f;
        zero = 0f;
    }

    /** {@code logits = X W}: M x K times K x N. */
    @Benchmark
    public float[] matmul() {
        ops.matmul(m, k, n, one, images, 0, weights, 0, zero, logits, 0);
        return logits;
    }

    /** {@code dW = X^T G}: (M x K)^T times M x N. */
    @Benchmark
    public float[] matmulTransA() {
        ops.matmulTransA(k, m, n, one, images, 0, gradient, 0, zero, weightGradient, 0);
        return weightGradient;
    }

    /** {@code logits = X W^T}, W stored N x K: M x K times (N x K)^T. */
    @Benchmark
    public float[] matmulTransB() {
        ops.matmulTransB(m, k, n, one, images, 0, weights, 0, zero, logits, 0);
        return logits;
    }
}
