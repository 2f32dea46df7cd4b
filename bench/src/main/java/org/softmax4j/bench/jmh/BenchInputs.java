package org.softmax4j.bench.jmh;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Shape;
import org.softmax4j.plain.PlainSoftmaxOps;

/** Seeded inputs for the benchmarks: the same numbers on every backend and every run. */
final class BenchInputs {

    /** The seed of every benchmark input. */
    static final long SEED = 20261121L;

    private BenchInputs() {
    }

    /** @return {@code n} logits uniform in {@code [-8, 8)} (a trained classifier's spread; cheap for 16M values) */
    static float[] logitsFloat(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-8, 8);
        }
        return x;
    }

    /** @return {@code n} logits uniform in {@code [-8, 8)} */
    static double[] logitsDouble(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble(-8, 8);
        }
        return x;
    }

    /**
     * @return the logits of {@link #logitsFloat} or {@link #logitsDouble} (seed {@link #SEED}) as a {@code c}-order
     *     INDArray of the shape and dtype: the input of ND4J's own ops and of the INDArray entry point
     */
    static INDArray logits(Dtype dtype, Shape shape) {
        long[] dims = {shape.rows(), shape.cols()};
        return dtype == Dtype.FLOAT32 ? Nd4j.create(logitsFloat(shape.elements(), SEED), dims, 'c')
                : Nd4j.create(logitsDouble(shape.elements(), SEED), dims, 'c');
    }

    /** @return {@code rows} class indices uniform in {@code [0, cols)} */
    static int[] classes(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            classes[r] = random.nextInt(cols);
        }
        return classes;
    }

    /**
     * The backend of a benchmark whose {@code kernels} parameter picks plain's kernels: "simd" (the JVM needs
     * {@code --add-modules jdk.incubator.vector}) or "scalar" (set through {@code -Dsoftmax4j.plain.scalar=true} in
     * this trial's own JVM fork before the backend is loaded), so one JMH run measures both side by side. Other
     * backends ignore it.
     *
     * @throws IllegalStateException if plain does not run the kernels asked for (no flag, or not a fork of its own)
     */
    static SoftmaxOps opsWithKernels(String backend, String kernels) {
        boolean simd = kernels.equals("simd");
        if (!simd && !kernels.equals("scalar")) {
            throw new IllegalArgumentException("kernels: expected simd or scalar, got '" + kernels + "'");
        }
        if (!simd) {
            System.setProperty(PlainSoftmaxOps.SCALAR_PROPERTY, "true");
        }
        SoftmaxOps ops = Softmax.ops(backend);
        if (ops instanceof PlainSoftmaxOps plain && plain.usesSimd() != simd) {
            throw new IllegalStateException("kernels=" + kernels + " but plain runs " + plain.description()
                    + (simd ? ": start the JVM with --add-modules jdk.incubator.vector"
                    : ": its kernels were chosen before this trial (run each trial in a fork of its own, -f 1 or more)"));
        }
        return ops;
    }
}
