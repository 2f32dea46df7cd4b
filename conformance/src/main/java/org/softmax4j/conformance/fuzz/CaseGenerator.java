package org.softmax4j.conformance.fuzz;

import java.util.SplittableRandom;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;

/**
 * Random valid calls: shapes biased to the sizes that break vector loops (1, lane counts 4/8/16 and their
 * neighbours, primes) with large rows rare, and values mixing ordinary ranges with the special ones (NaN, +-inf,
 * +-max, subnormals, -0.0, ties, rows of one repeated value, huge spreads, large offsets). Every value is exact in
 * the case's dtype. Deterministic: the same random state gives the same case.
 */
public final class CaseGenerator {

    /** Column counts tried most: small, the lane counts of 128/256/512-bit vectors and their neighbours, primes. */
    private static final int[] SMALL_COLS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 19, 23, 24, 31, 32,
        33, 37, 47, 48, 63, 64, 65, 97, 127, 128, 129};
    /** Rarer wide rows. */
    private static final int[] LARGE_COLS = {255, 256, 257, 509, 1021, 1024, 1031, 2047, 4093, 4096};
    /** Element budget of an ordinary case; wide rows get at most a few rows. */
    private static final int MAX_ELEMENTS = 4096;

    private final SplittableRandom random;
    private final Dtype dtype;
    private final double max;
    private final double minSubnormal;
    private final double minNormal;

    private CaseGenerator(SplittableRandom random, Dtype dtype) {
        this.random = random;
        this.dtype = dtype;
        boolean f = dtype == Dtype.FLOAT32;
        max = f ? Float.MAX_VALUE : Double.MAX_VALUE;
        minSubnormal = f ? Float.MIN_VALUE : Double.MIN_VALUE;
        minNormal = f ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    }

    /** @return a random valid call of {@code op} in a random dtype */
    public static FuzzCase generate(Op op, SplittableRandom random) {
        Dtype dtype = random.nextBoolean() ? Dtype.FLOAT64 : Dtype.FLOAT32;
        return new CaseGenerator(random, dtype).generate(op);
    }

    /** @return a random valid call of {@code op} in {@code dtype} */
    public static FuzzCase generate(Op op, Dtype dtype, SplittableRandom random) {
        return new CaseGenerator(random, dtype).generate(op);
    }

    private FuzzCase generate(Op op) {
        FuzzCase.Builder s = FuzzCase.builder(op, dtype);
        int pad = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
        int inPlace = op.inPlaceInputs() > 0 && random.nextInt(4) == 0 ? 1 + random.nextInt(op.inPlaceInputs()) : 0;
        s.placement(pad, inPlace);
        if (op.isProduct()) {
            return product(s);
        }
        if (op == Op.JACOBIAN) {
            int cols = random.nextInt(10) == 0 ? 0 : pick(random.nextInt(20) == 0 ? LARGE_COLS : SMALL_COLS);
            cols = Math.min(cols, 257);
            return s.shape(1, cols, 0).a(probabilities(1, cols, false)).build();
        }
        int cols = cols(op);
        int rows = rows(cols);
        int n = rows * cols;
        switch (op) {
            case SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP -> s.a(logits(rows, cols));
            case SOFTMAX_TEMPERATURE -> s.a(logits(rows, cols)).temperature(temperature());
            case MASKED_SOFTMAX, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP -> s.a(logits(rows, cols))
                    .mask(mask(rows, cols));
            case SOFTMAX_BACKWARD -> s.a(random.nextInt(4) == 0 ? logits(rows, cols) : probabilities(rows, cols, false))
                    .b(upstream(n));
            case LOG_SOFTMAX_BACKWARD -> s.a(logProbabilities(rows, cols)).b(upstream(n));
            case CROSS_ENTROPY -> s.a(probabilities(rows, cols, true)).b(labels(rows, cols))
                    .eps(random.nextInt(4) == 0 ? pickD(0, 1e-3, 0.25, 0x1p-30) : 1e-7);
            case CROSS_ENTROPY_REDUCED -> s.a(probabilities(rows, cols, true)).b(labels(rows, cols))
                    .eps(random.nextInt(4) == 0 ? pickD(0, 1e-3, 0.25, 0x1p-30) : 1e-7)
                    .options(CrossEntropyOptions.DEFAULT.withReduction(Reduction.values()[random.nextInt(3)]),
                            random.nextBoolean(), false);
            case SOFTMAX_CROSS_ENTROPY -> s.a(logits(rows, cols)).b(labels(rows, cols))
                    .options(options(cols, false), random.nextInt(3) > 0, random.nextInt(3) > 0);
            case MASKED_SOFTMAX_CROSS_ENTROPY -> {
                boolean[] m = mask(rows, cols);
                double[] l = labels(rows, cols);
                for (int i = 0; i < l.length; i++) {
                    l[i] = m[i] ? l[i] : 0; // no target mass on a masked class (an error, checked by BadInputTests)
                }
                s.a(logits(rows, cols)).mask(m).b(l)
                        .options(options(cols, false), random.nextInt(3) > 0, random.nextInt(3) > 0);
            }
            case MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                CrossEntropyOptions o = options(cols, true);
                boolean[] m = mask(rows, cols);
                s.a(logits(rows, cols)).mask(m).classes(keptClasses(rows, cols, m, o.ignoreIndex()))
                        .options(o, random.nextInt(3) > 0, random.nextInt(3) > 0);
            }
            case SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                CrossEntropyOptions o = options(cols, true);
                s.a(logits(rows, cols)).classes(classes(rows, cols, o.ignoreIndex()))
                        .options(o, random.nextInt(3) > 0, random.nextInt(3) > 0);
            }
            case ARGMAX -> s.a(logits(rows, cols));
            case TOP_K -> {
                int k = random.nextInt(5) == 0 ? cols : random.nextInt(Math.min(cols, 9) + 1);
                s.a(logits(rows, cols)).withValues(random.nextBoolean());
                return s.shape(rows, cols, k).build();
            }
            default -> throw new AssertionError(op);
        }
        return s.shape(rows, cols, 0).build();
    }

    /**
     * @return a large call of ordinary values, for checks that must reach the size thresholds above which a backend
     * may switch to multi-threaded or blocked kernels: {@code rows x cols} for the row ops, {@code m = rows},
     * {@code k}, {@code n = cols} for the products
     */
    public static FuzzCase large(Op op, Dtype dtype, int rows, int cols, int k, SplittableRandom random) {
        CaseGenerator g = new CaseGenerator(random, dtype);
        FuzzCase.Builder s = FuzzCase.builder(op, dtype);
        switch (op) {
            case SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, ARGMAX -> s.shape(rows, cols, 0).a(g.matrix(rows, cols, Style.WIDE));
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                s.shape(rows, cols, 0).a(g.matrix(rows, cols, Style.WIDE));
                if (op == Op.SOFTMAX_CROSS_ENTROPY) {
                    s.b(g.labels(rows, cols));
                } else {
                    s.classes(g.classes(rows, cols, CrossEntropyOptions.DEFAULT_IGNORE_INDEX));
                }
                s.options(CrossEntropyOptions.DEFAULT, true, true);
            }
            case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B -> s.shape(rows, cols, k).alphaBeta(1, 0)
                    .a(g.matrix(rows, k, Style.ORDINARY)).b(g.matrix(k, cols, Style.ORDINARY)).c(new double[rows * cols]);
            default -> throw new IllegalArgumentException("op: expected a row op or a product, actual " + op);
        }
        return s.build();
    }

    // ------------------------------------------------------------------------------------------------- shapes

    private int cols(Op op) {
        boolean needsClass = op == Op.CROSS_ENTROPY || op == Op.CROSS_ENTROPY_REDUCED || op == Op.SOFTMAX_CROSS_ENTROPY
                || op == Op.SPARSE_SOFTMAX_CROSS_ENTROPY || op == Op.MASKED_SOFTMAX_CROSS_ENTROPY
                || op == Op.MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY || op == Op.ARGMAX;
        int roll = random.nextInt(100);
        if (roll < 3 && !needsClass) {
            return 0;
        }
        return roll < 8 ? pick(LARGE_COLS) : pick(SMALL_COLS);
    }

    private int rows(int cols) {
        int roll = random.nextInt(100);
        int rows;
        if (roll < 4) {
            rows = 0;
        } else if (roll < 60) {
            rows = 1 + random.nextInt(4);
        } else if (roll < 88) {
            rows = 5 + random.nextInt(12);
        } else {
            rows = 17 + random.nextInt(48);
        }
        int cap = Math.max(1, MAX_ELEMENTS / Math.max(cols, 1));
        return Math.min(rows, cols > 128 ? Math.min(cap, 3) : cap);
    }

    private FuzzCase product(FuzzCase.Builder s) {
        int m = productDim();
        int k = productDim();
        int n = productDim();
        double alpha = random.nextInt(3) == 0 ? pickD(0, 1, -1, 0.5, 3) : value(Style.ORDINARY);
        double beta = random.nextInt(2) == 0 ? 0 : pickD(1, -1, 0.5, value(Style.ORDINARY));
        double[] c = matrix(m, n, Style.ORDINARY);
        if (beta == 0 && random.nextBoolean()) {
            // beta = 0 must not read C: NaN there must not leak out
            java.util.Arrays.fill(c, Double.NaN);
        }
        Style style = random.nextInt(20) == 0 ? Style.SPECIALS : Style.ORDINARY;
        return s.shape(m, n, k).alphaBeta(dtype.round(alpha), dtype.round(beta))
                .a(matrix(m, k, style)).b(matrix(k, n, Style.ORDINARY)).c(c).build();
    }

    private int productDim() {
        int roll = random.nextInt(100);
        if (roll < 3) {
            return 0;
        }
        return roll < 85 ? pick(SMALL_COLS) % 40 + 1 : 40 + random.nextInt(40);
    }

    // ------------------------------------------------------------------------------------------------- values

    /** How the values of one row are drawn. */
    private enum Style {
        ORDINARY, WIDE, LARGE_OFFSET, ONE_VALUE, FEW_VALUES, HUGE_SPREAD, SPECIALS, ALL_NEG_INF, SUBNORMAL, EXTREMES
    }

    private Style logitStyle() {
        int roll = random.nextInt(100);
        if (roll < 45) {
            return Style.ORDINARY;
        } else if (roll < 55) {
            return Style.WIDE;
        } else if (roll < 63) {
            return Style.LARGE_OFFSET;
        } else if (roll < 69) {
            return Style.ONE_VALUE;
        } else if (roll < 76) {
            return Style.FEW_VALUES;
        } else if (roll < 83) {
            return Style.HUGE_SPREAD;
        } else if (roll < 92) {
            return Style.SPECIALS;
        } else if (roll < 94) {
            return Style.ALL_NEG_INF;
        } else if (roll < 97) {
            return Style.SUBNORMAL;
        }
        return Style.EXTREMES;
    }

    private double[] logits(int rows, int cols) {
        double[] x = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            fillRow(x, r * cols, cols, logitStyle());
        }
        return x;
    }

    private double[] matrix(int rows, int cols, Style style) {
        double[] x = new double[rows * cols];
        fillRow(x, 0, x.length, style);
        return x;
    }

    private void fillRow(double[] x, int from, int count, Style style) {
        double one = value(style);
        double base = pickD(1e4, -1e4, 1e6, -3e7, dtype == Dtype.FLOAT32 ? 1e30 : 1e300);
        for (int i = from; i < from + count; i++) {
            x[i] = switch (style) {
                case ONE_VALUE -> one;
                case LARGE_OFFSET -> dtype.round(base + (dtype == Dtype.FLOAT32 ? 64 : 1) * random.nextInt(-8, 9));
                default -> value(style);
            };
        }
    }

    private double value(Style style) {
        double v = switch (style) {
            case ORDINARY, ONE_VALUE, LARGE_OFFSET -> random.nextGaussian() * pickD(1, 3, 10);
            case WIDE -> random.nextDouble(-100, 100);
            case FEW_VALUES -> pickD(0, 1, 2, -1, -0.0, 0.5);
            case HUGE_SPREAD -> pickD(-1e4, -745, -104, -88, -30, 0, 30, 88, 700, 1e4) + random.nextInt(3);
            case SPECIALS -> random.nextInt(4) == 0 ? special() : random.nextGaussian() * 5;
            case ALL_NEG_INF -> Double.NEGATIVE_INFINITY;
            case SUBNORMAL -> minSubnormal * random.nextInt(-1000, 1000);
            case EXTREMES -> random.nextInt(3) == 0 ? special() : pickD(-max, max, -max / 2, max / 3, 0);
        };
        return dtype.round(v);
    }

    private double special() {
        return pickD(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, max, -max, minSubnormal,
                -minSubnormal, minNormal, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    /** Non-negative rows: softmax outputs (sum 1) or, for {@code crossEntropy}, unnormalised weights with zeros. */
    private double[] probabilities(int rows, int cols, boolean unnormalised) {
        double[] p = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int roll = random.nextInt(10);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = switch (roll) {
                    case 0 -> 0;                                      // all-zero row
                    case 1 -> c == 0 ? 1 : 0;                         // one-hot
                    case 2 -> random.nextInt(3) == 0 ? minSubnormal * random.nextInt(1, 100) : random.nextDouble();
                    case 3 -> Math.exp(-random.nextDouble(0, 800));   // tiny tails
                    default -> random.nextDouble();
                };
                p[r * cols + c] = v;
                sum += v;
            }
            if (!unnormalised && sum > 0 && roll != 0) {
                for (int c = 0; c < cols; c++) {
                    p[r * cols + c] /= sum;
                }
            }
            for (int c = 0; c < cols; c++) {
                p[r * cols + c] = dtype.round(p[r * cols + c]);
            }
            if (unnormalised && random.nextInt(4) == 0) {
                for (int c = 0; c < cols; c++) {
                    p[r * cols + c] = dtype.round(p[r * cols + c] * pickD(1e-30, 1e3, 7));
                }
            }
        }
        return p;
    }

    /** Log-probabilities: mostly a true log-softmax, sometimes -inf entries or arbitrary non-positive values. */
    private double[] logProbabilities(int rows, int cols) {
        double[] p = probabilities(rows, cols, false);
        double[] logp = new double[p.length];
        boolean arbitrary = random.nextInt(5) == 0;
        for (int i = 0; i < p.length; i++) {
            logp[i] = dtype.round(arbitrary ? -Math.abs(random.nextGaussian() * 20) : Math.log(p[i]));
        }
        return logp;
    }

    private double[] upstream(int n) {
        double[] d = new double[n];
        int roll = random.nextInt(10);
        for (int i = 0; i < n; i++) {
            d[i] = dtype.round(switch (roll) {
                case 0 -> 1;                                           // all-ones: the gradient sums cancel
                case 1 -> random.nextInt(5) == 0 ? special() : random.nextGaussian();
                case 2 -> random.nextGaussian() * 1e6;
                default -> random.nextGaussian();
            });
        }
        return d;
    }

    /** Dense labels: one-hot, soft (summing to 1), or not summing to 1; never negative. */
    private double[] labels(int rows, int cols) {
        double[] l = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int roll = random.nextInt(4);
            if (roll == 0) {
                l[r * cols + random.nextInt(cols)] = 1;
                continue;
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = random.nextInt(3) == 0 ? 0 : random.nextDouble();
                l[r * cols + c] = v;
                sum += v;
            }
            for (int c = 0; c < cols; c++) {
                double v = roll == 1 && sum > 0 ? l[r * cols + c] / sum : l[r * cols + c] * (roll == 2 ? 1 : 3);
                l[r * cols + c] = dtype.round(v);
            }
        }
        return l;
    }

    private boolean[] mask(int rows, int cols) {
        boolean[] m = new boolean[rows * cols];
        for (int r = 0; r < rows; r++) {
            int roll = random.nextInt(8);
            double p = roll == 0 ? 0 : roll == 1 ? 1 : random.nextDouble();
            for (int c = 0; c < cols; c++) {
                m[r * cols + c] = random.nextDouble() < p;
            }
        }
        return m;
    }

    private int[] classes(int rows, int cols, int ignoreIndex) {
        int[] t = new int[rows];
        boolean allIgnored = random.nextInt(20) == 0;
        for (int r = 0; r < rows; r++) {
            t[r] = allIgnored || random.nextInt(6) == 0 ? ignoreIndex : random.nextInt(cols);
        }
        return t;
    }

    /** Classes of {@link #classes}, each a kept class of its row, or the ignore index (always for a fully masked row). */
    private int[] keptClasses(int rows, int cols, boolean[] mask, int ignoreIndex) {
        int[] t = classes(rows, cols, ignoreIndex);
        for (int r = 0; r < rows; r++) {
            if (t[r] == ignoreIndex || mask[r * cols + t[r]]) {
                continue;
            }
            int start = random.nextInt(cols);
            t[r] = ignoreIndex;
            for (int i = 0; i < cols; i++) {
                int c = (start + i) % cols;
                if (mask[r * cols + c]) {
                    t[r] = c;
                    break;
                }
            }
        }
        return t;
    }

    private CrossEntropyOptions options(int cols, boolean sparse) {
        CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(Reduction.values()[random.nextInt(3)]);
        if (random.nextInt(3) == 0) {
            double[] w = new double[cols];
            for (int c = 0; c < cols; c++) {
                w[c] = random.nextInt(6) == 0 ? 0 : pickD(1, 0.5, 2, random.nextDouble() * 3);
            }
            o = o.withClassWeights(w);
        }
        if (random.nextInt(3) == 0) {
            o = o.withLabelSmoothing(pickD(0.1, 1, random.nextDouble(), 1e-6));
        }
        if (sparse && random.nextInt(4) == 0) {
            // a custom ignore index, sometimes a valid class
            o = o.withIgnoreIndex(random.nextBoolean() ? random.nextInt(cols) : -1);
        }
        return o;
    }

    private double temperature() {
        return dtype.round(switch (random.nextInt(8)) {
            case 0 -> 1;
            case 1 -> pickD(1e-3, 1e-30, dtype == Dtype.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE);
            case 2 -> pickD(1e3, 1e30, max);
            default -> Math.exp(random.nextDouble(-5, 5));
        });
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }

    private double pickD(double... values) {
        return values[random.nextInt(values.length)];
    }
}
