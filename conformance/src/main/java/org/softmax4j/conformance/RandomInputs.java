package org.softmax4j.conformance;

import java.util.SplittableRandom;

/**
 * Seeded generators of inputs exactly representable in a dtype. Every value is returned as a double; for
 * {@link Dtype#FLOAT32} it is a float widened exactly, so the same array feeds the reference and (through
 * {@link #toFloat}) the float32 op. Same seed, same values, on every machine.
 */
public final class RandomInputs {

    /** The kinds of logits the accuracy tests draw. */
    public enum Range {
        /** normal, standard deviation 3 */
        ORDINARY,
        /** uniform in +-1e4 */
        LARGE,
        /** uniform in +-3e38 (float32) or +-1e300 (float64): the shift must be exact */
        HUGE,
        /** a base value and neighbours a few ulps away: differences of one ulp */
        ULP_CLOSE,
        /** subnormal logits (and zeros): a near-uniform softmax from the tiniest inputs */
        SUBNORMAL_INPUTS,
        /** one 0 and the rest near the bottom of the dtype's exp range: subnormal probabilities that must survive */
        SUBNORMAL_RESULTS,
        /** values drawn from a set of four: many ties */
        TIES,
        /** ordinary values with about a third -inf (never a whole row) */
        NEG_INF,
        /** rows in turn: one with a NaN, one with +inf, one all -inf, one ordinary (the edge rows of the contract) */
        SPECIALS
    }

    private final SplittableRandom random;
    private final Dtype dtype;

    public RandomInputs(long seed, Dtype dtype) {
        this.random = new SplittableRandom(seed);
        this.dtype = dtype;
    }

    public Dtype dtype() {
        return dtype;
    }

    /** @return a value rounded to the dtype */
    private double r(double v) {
        return dtype.round(v);
    }

    /** @return {@code rows x cols} logits of the given kind */
    public double[] logits(Range range, int rows, int cols) {
        double[] x = new double[rows * cols];
        boolean f32 = dtype == Dtype.FLOAT32;
        for (int row = 0; row < rows; row++) {
            int off = row * cols;
            double base = r(random.nextGaussian() * 10);
            for (int c = 0; c < cols; c++) {
                x[off + c] = switch (range) {
                    case ORDINARY -> r(random.nextGaussian() * 3);
                    case LARGE -> r(random.nextDouble(-1e4, 1e4));
                    case HUGE -> r(random.nextDouble(-1, 1) * (f32 ? 3e38 : 1e300));
                    case ULP_CLOSE -> ulpsAway(base, random.nextInt(-2, 3));
                    case SUBNORMAL_INPUTS -> random.nextInt(8) == 0 ? 0.0
                            : (f32 ? Float.MIN_VALUE : Double.MIN_VALUE) * random.nextInt(-1000, 1000);
                    case SUBNORMAL_RESULTS -> c == 0 ? 0.0 : r(f32 ? random.nextDouble(-103, -87) : random.nextDouble(-745, -708));
                    case TIES -> new double[] {-1.5, 0.0, 0.25, 2.0}[random.nextInt(4)];
                    case NEG_INF -> c > 0 && random.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : r(random.nextGaussian() * 3);
                    case SPECIALS -> row % 4 == 2 ? Double.NEGATIVE_INFINITY : r(random.nextGaussian() * 3);
                };
            }
            if (range == Range.SPECIALS && row % 4 < 2) {
                x[off + random.nextInt(cols)] = row % 4 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
            }
            if (range == Range.NEG_INF && cols > 1) {
                // move the guaranteed finite entry to a random column
                int c = random.nextInt(cols);
                double t = x[off];
                x[off] = x[off + c];
                x[off + c] = t;
            }
        }
        return x;
    }

    private double ulpsAway(double v, int k) {
        double x = v;
        for (int i = 0; i < Math.abs(k); i++) {
            x = dtype == Dtype.FLOAT32
                    ? (k > 0 ? Math.nextUp((float) x) : Math.nextDown((float) x))
                    : (k > 0 ? Math.nextUp(x) : Math.nextDown(x));
        }
        return x;
    }

    /** @return {@code n} values uniform in {@code [lo, hi)}, rounded to the dtype */
    public double[] uniform(int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r(random.nextDouble(lo, hi));
        }
        return x;
    }

    /** @return {@code n} standard normal values rounded to the dtype */
    public double[] gaussian(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r(random.nextGaussian());
        }
        return x;
    }

    /** @return soft labels: non-negative, each row summing to about 1 (rounded to the dtype, so not exactly) */
    public double[] softLabels(int rows, int cols) {
        double[] l = new double[rows * cols];
        for (int row = 0; row < rows; row++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                l[row * cols + c] = random.nextDouble();
                sum += l[row * cols + c];
            }
            for (int c = 0; c < cols; c++) {
                l[row * cols + c] = r(l[row * cols + c] / sum);
            }
        }
        return l;
    }

    /** @return one-hot labels of the given classes */
    public static double[] oneHot(int cols, int[] classes) {
        double[] l = new double[classes.length * cols];
        for (int row = 0; row < classes.length; row++) {
            l[row * cols + classes[row]] = 1;
        }
        return l;
    }

    /** @return {@code rows} class indices in {@code [0, cols)} */
    public int[] classes(int rows, int cols) {
        int[] t = new int[rows];
        for (int row = 0; row < rows; row++) {
            t[row] = random.nextInt(cols);
        }
        return t;
    }

    /** @return a mask with at least one entry taking part in each row */
    public boolean[] mask(int rows, int cols) {
        boolean[] m = new boolean[rows * cols];
        for (int row = 0; row < rows; row++) {
            for (int c = 0; c < cols; c++) {
                m[row * cols + c] = random.nextInt(3) != 0;
            }
            m[row * cols + random.nextInt(cols)] = true;
        }
        return m;
    }

    /** @return class weights in {@code [0.25, 2)} (float64: weights are doubles in every dtype) */
    public double[] classWeights(int cols) {
        double[] w = new double[cols];
        for (int c = 0; c < cols; c++) {
            w[c] = random.nextDouble(0.25, 2);
        }
        return w;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
