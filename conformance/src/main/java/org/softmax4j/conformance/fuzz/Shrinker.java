package org.softmax4j.conformance.fuzz;

import org.softmax4j.conformance.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * Smaller variants of a failing case, simplest first: no offset or aliasing, fewer rows, fewer columns (a column
 * removed from every input, class indices and weights renumbered), plainer options, and simpler values (0, 1, a
 * rounded value). Every variant is a valid call.
 */
final class Shrinker {

    private Shrinker() {
    }

    static List<FuzzCase> candidates(FuzzCase c) {
        List<FuzzCase> out = new ArrayList<>();
        if (c.pad != 0 || c.inPlace != 0) {
            out.add(c.toBuilder().placement(0, 0).build());
        }
        if (c.op.isProduct()) {
            products(c, out);
        } else if (c.op == Op.JACOBIAN) {
            for (int j : columnsToDrop(c.cols)) {
                out.add(c.toBuilder().shape(1, c.cols - 1, 0).a(dropColumn(c.a, 1, c.cols, j)).build());
            }
        } else {
            rows(c, out);
            columns(c, out);
            options(c, out);
        }
        values(c, out);
        return out;
    }

    private static void rows(FuzzCase c, List<FuzzCase> out) {
        if (c.rows <= 1) {
            return;
        }
        int half = c.rows / 2;
        out.add(keepRows(c, 0, half));
        out.add(keepRows(c, half, c.rows));
        for (int r = 0; r < c.rows; r += Math.max(1, c.rows / 16)) {
            out.add(keepRows(c, r, r + 1));
        }
    }

    private static FuzzCase keepRows(FuzzCase c, int from, int to) {
        int cols = c.cols;
        FuzzCase.Builder s = c.toBuilder().shape(to - from, cols, c.k);
        s.a(Arrays.copyOfRange(c.a, from * cols, to * cols));
        if (c.b != null) {
            s.b(Arrays.copyOfRange(c.b, from * cols, to * cols));
        }
        if (c.mask != null) {
            s.mask(Arrays.copyOfRange(c.mask, from * cols, to * cols));
        }
        if (c.classes != null) {
            s.classes(Arrays.copyOfRange(c.classes, from, to));
        }
        return s.build();
    }

    private static int[] columnsToDrop(int cols) {
        if (cols <= 1) {
            return new int[0];
        }
        return cols == 2 ? new int[] {0, 1} : new int[] {cols - 1, 0, cols / 2};
    }

    private static void columns(FuzzCase c, List<FuzzCase> out) {
        int cols = c.cols;
        if (cols <= 1 || c.rows == 0) {
            return;
        }
        // delta debugging: drop chunks of half, a quarter, ... of the columns before single ones
        for (int chunk = cols / 2; chunk >= 2; chunk /= 2) {
            for (int from = 0; from + chunk <= cols && from / chunk < 8; from += chunk) {
                out.add(dropColumns(c, from, from + chunk));
            }
        }
        for (int j : columnsToDrop(cols)) {
            out.add(dropColumn(c, j));
        }
    }

    /** Drops columns {@code [from, to)}, last first so that indices stay valid. */
    private static FuzzCase dropColumns(FuzzCase c, int from, int to) {
        FuzzCase cur = c;
        for (int j = to - 1; j >= from; j--) {
            cur = dropColumn(cur, j);
        }
        return cur;
    }

    private static FuzzCase dropColumn(FuzzCase c, int j) {
        int rows = c.rows;
        int cols = c.cols;
        FuzzCase.Builder s = c.toBuilder().shape(rows, cols - 1, Math.min(c.k, cols - 1));
        s.a(dropColumn(c.a, rows, cols, j));
        if (c.b != null) {
            s.b(dropColumn(c.b, rows, cols, j));
        }
        if (c.mask != null) {
            boolean[] m = new boolean[rows * (cols - 1)];
            for (int r = 0, i = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    if (k != j) {
                        m[i++] = c.mask[r * cols + k];
                    }
                }
            }
            s.mask(m);
        }
        if (c.options != null) {
            CrossEntropyOptions o = c.options;
            double[] w = o.classWeights();
            if (w != null) {
                o = o.withClassWeights(dropColumn(w, 1, cols, j));
            }
            if (c.classes != null) {
                int[] t = c.classes.clone();
                for (int r = 0; r < rows; r++) {
                    if (t[r] != o.ignoreIndex()) {
                        t[r] = t[r] > j ? t[r] - 1 : t[r] == j ? 0 : t[r];
                    }
                }
                if (o.ignoreIndex() >= cols - 1) {
                    o = o.withIgnoreIndex(CrossEntropyOptions.DEFAULT_IGNORE_INDEX);
                    for (int r = 0; r < rows; r++) {
                        if (t[r] == c.options.ignoreIndex()) {
                            t[r] = CrossEntropyOptions.DEFAULT_IGNORE_INDEX;
                        }
                    }
                }
                s.classes(t);
            }
            s.options(o, c.withLoss, c.withGradient);
        }
        return s.build();
    }

    private static double[] dropColumn(double[] v, int rows, int cols, int j) {
        double[] out = new double[rows * (cols - 1)];
        for (int r = 0, i = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                if (k != j) {
                    out[i++] = v[r * cols + k];
                }
            }
        }
        return out;
    }

    private static void options(FuzzCase c, List<FuzzCase> out) {
        if (c.options != null) {
            CrossEntropyOptions o = c.options;
            if (o.hasClassWeights()) {
                out.add(c.toBuilder().options(o.withClassWeights((double[]) null), c.withLoss, c.withGradient).build());
            }
            if (o.labelSmoothing() != 0) {
                out.add(c.toBuilder().options(o.withLabelSmoothing(0), c.withLoss, c.withGradient).build());
            }
            if (o.reduction() != Reduction.SUM) {
                out.add(c.toBuilder().options(o.withReduction(Reduction.SUM), c.withLoss, c.withGradient).build());
            }
            if (c.withLoss && c.withGradient) {
                out.add(c.toBuilder().options(o, false, true).build());
                out.add(c.toBuilder().options(o, true, false).build());
            }
        }
        if (c.op == Op.TOP_K && c.k > 1) {
            out.add(c.toBuilder().shape(c.rows, c.cols, c.k - 1).build());
        }
        if (c.op == Op.SOFTMAX_TEMPERATURE && c.temperature != 1) {
            out.add(c.toBuilder().temperature(1).build());
        }
    }

    private static void products(FuzzCase c, List<FuzzCase> out) {
        int m = c.rows;
        int k = c.k;
        int n = c.cols;
        if (m > 1) {
            out.add(product(c, m / 2, k, n));
        }
        if (k > 1) {
            out.add(product(c, m, k / 2, n));
        }
        if (n > 1) {
            out.add(product(c, m, k, n / 2));
        }
        if (c.beta != 0) {
            out.add(c.toBuilder().alphaBeta(c.alpha, 0).build());
        }
        if (c.alpha != 1) {
            out.add(c.toBuilder().alphaBeta(1, c.beta).build());
        }
    }

    /** The leading {@code m x k x n} corner of a product (A's and B's stored layouts depend on the transpose). */
    private static FuzzCase product(FuzzCase c, int m, int k, int n) {
        int[] aNew = c.op.aShape(m, k);
        int[] bNew = c.op.bShape(k, n);
        double[] a = corner(c.a, c.op.aShape(c.rows, c.k)[1], aNew[0], aNew[1]);
        double[] b = corner(c.b, c.op.bShape(c.k, c.cols)[1], bNew[0], bNew[1]);
        double[] cc = corner(c.c, c.cols, m, n);
        return c.toBuilder().shape(m, n, k).a(a).b(b).c(cc).build();
    }

    private static double[] corner(double[] v, int cols, int rows, int newCols) {
        double[] out = new double[rows * newCols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols, out, r * newCols, newCols);
        }
        return out;
    }

    private static void values(FuzzCase c, List<FuzzCase> out) {
        int limit = Math.min(c.a.length, 12);
        for (int i = 0; i < limit; i++) {
            double v = c.a[i];
            for (double w : new double[] {0, 1, Math.rint(v)}) {
                // strictly simpler only, so shrinking cannot cycle; probabilities stay non-negative
                if (rank(w) < rank(v) && !((c.op == Op.CROSS_ENTROPY || c.op == Op.CROSS_ENTROPY_REDUCED) && w < 0)) {
                    double[] a = c.a.clone();
                    a[i] = c.dtype.round(w);
                    out.add(c.toBuilder().a(a).build());
                }
            }
        }
    }

    /** 0 simplest, then 1, then other integers, then other finite values, then NaN and infinities. */
    private static int rank(double v) {
        if (v == 0) {
            return 0;
        }
        if (v == 1) {
            return 1;
        }
        if (!Double.isFinite(v)) {
            return 4;
        }
        return v == Math.rint(v) ? 2 : 3;
    }
}
