package org.softmax4j.ejml;

import java.util.Random;

/** Seeded inputs and comparisons shared by the tests of this module. */
final class Arrays2 {

    private Arrays2() {
    }

    /** Logits of mixed magnitude (so that shifts of hundreds occur) with a few {@code -inf}. */
    static double[] logits(Random rnd, int n) {
        double[] x = new double[n];
        double spread = n > 2 ? 300 : 30;
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(8) == 0 ? rnd.nextGaussian() * spread : rnd.nextGaussian() * 3;
            if (n > 4 && rnd.nextInt(50) == 0) {
                x[i] = Double.NEGATIVE_INFINITY;
            }
        }
        return x;
    }

    static double[] gaussian(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    /** Non-negative values summing to about 1 per row. */
    static double[] distribution(Random rnd, int rows, int cols) {
        double[] p = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                double v = rnd.nextInt(5) == 0 ? 0 : rnd.nextDouble();
                p[r * cols + c] = v;
                s += v;
            }
            for (int c = 0; c < cols; c++) {
                p[r * cols + c] = s == 0 ? 1.0 / cols : p[r * cols + c] / s;
            }
        }
        return p;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
