package org.softmax4j.bench.jmh;

import java.util.SplittableRandom;

/** Seeded inputs for the benchmarks: the same numbers on every backend and every run. */
final class BenchInputs {

    /** The seed of every benchmark input. */
    static final long SEED = 20261121L;

    private BenchInputs() {
    }

    /** @return {@code n} logits, roughly normal with standard deviation 3 (a trained classifier's spread) */
    static float[] logitsFloat(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (3 * gaussian(random));
        }
        return x;
    }

    /** @return {@code n} logits, roughly normal with standard deviation 3 */
    static double[] logitsDouble(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 3 * gaussian(random);
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

    /** Irwin-Hall approximation of a standard normal: cheap for 16M values and plenty for logits. */
    private static double gaussian(SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += random.nextDouble();
        }
        return sum - 6;
    }
}
