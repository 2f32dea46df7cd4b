package org.softmax4j.bench.jmh;

import java.util.SplittableRandom;

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

    /** @return {@code rows} class indices uniform in {@code [0, cols)} */
    static int[] classes(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            classes[r] = random.nextInt(cols);
        }
        return classes;
    }
}
