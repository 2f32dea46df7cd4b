package org.softmax4j.bench.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

/**
 * The performance issues' targets, each as the ratio measured in this run: plain (the reference backend) against
 * ND4J's native ops on data already in INDArrays (present when the run had the {@code nd4j} backend), against the
 * memory copy, the fused cross-entropy against softmax, plain's float64 against its float32, and plain's SIMD kernels
 * against its scalar ones and its SIMD softmax. A target whose figures are not in the run (ND4J's ops in
 * a run without nd4j, a shape or op not selected) is left out, and one line counts those; a ratio built from a figure
 * taken before warm-up converged is not judged.
 */
final class TargetsTable {

    private static final String PLAIN = "plain";
    private static final String ND4J = "nd4j";
    private static final String[] SHAPES = {"100x10", "256x1000", "64x32000", "4096x4096"};

    private TargetsTable() {
    }

    /** @return the section in Markdown, empty if the run has the figures of no target */
    static String render(List<Measurement> all) {
        StringBuilder md = new StringBuilder();
        Measurement best = fastestBackend(all, Op.SOFTMAX, "4096x4096");
        Measurement nd4j = find(all, Op.SOFTMAX, "4096x4096", Measurement.ND4J_NATIVE);
        Measurement copy = find(all, Op.COPY_ALL_CORES, "4096x4096", Measurement.MEMORY);
        String who = best == null ? "best backend" : best.backend();
        ratio(md, "4096x4096 softmax, " + who + ": ND4J native op time / its time", ">= 6x", nd4j, best, 6, true);
        ratio(md, "4096x4096 softmax, " + who + ": its time / an all-cores copy of the same bytes", "<= 3x", best,
                copy, 3, false);
        for (String shape : new String[] {"256x1000", "64x32000"}) {
            ratio(md, shape + " softmax: ND4J native op / plain", ">= 4x",
                    find(all, Op.SOFTMAX, shape, Measurement.ND4J_NATIVE), find(all, Op.SOFTMAX, shape, PLAIN), 4,
                    true);
        }
        Measurement small = find(all, Op.SOFTMAX, "100x10", PLAIN);
        if (small != null) {
            md.append("| 100x10 softmax, plain, per call | <= 2 µs | ")
                    .append(String.format(Locale.ROOT, "%.2f µs", small.nsPerOp() / 1e3)).append(" | ")
                    .append(verdict(small.nsPerOp() <= 2000, small, small)).append(" |\n");
        }
        for (String shape : SHAPES) {
            ratio(md, shape + " fused sparse cross-entropy + gradient / softmax, plain", "<= 1.2x",
                    find(all, Op.SPARSE_CROSS_ENTROPY, shape, PLAIN), find(all, Op.SOFTMAX, shape, PLAIN), 1.2, false);
        }
        for (String shape : SHAPES) {
            ratio(md, shape + " sparse cross-entropy: ND4J native loss + gradient ops / plain", ">= 10x",
                    find(all, Op.SPARSE_CROSS_ENTROPY, shape, Measurement.ND4J_NATIVE),
                    find(all, Op.SPARSE_CROSS_ENTROPY, shape, PLAIN), 10, true);
        }
        ratio(md, "matmul 100x784 * 784x10: plain / ND4J BLAS", "<= 0.5x", find(all, Op.MATMUL, null, PLAIN),
                find(all, Op.MATMUL, null, Measurement.ND4J_NATIVE), 0.5, false);
        float64AgainstFloat32(md, all);
        kernels(md, all);
        nd4j(md, all);
        if (md.isEmpty()) {
            return "";
        }
        return "## Performance targets\n\n"
                + "Ratios of mean times in this run (float32 unless a row says float64). \"nd4j native op\" is ND4J's"
                + " own op on data already in INDArrays (2 OpenMP threads, no copies), run only with the nd4j backend."
                + " A target whose figures are not in this run (ND4J's ops without the nd4j backend, an op, shape or"
                + " dtype not selected) is left out; one built from a figure taken before warm-up converged is not"
                + " judged.\n\n| target | goal | measured | met |\n|---|---|---:|---|\n" + md + "\n";
    }

    /**
     * plain's float64 SIMD kernels within 2.5x of its float32 ones on the same op and shape (a double moves twice the
     * bytes): softmax, log-softmax and the fused sparse cross-entropy, at every shape the run has in both dtypes.
     */
    private static void float64AgainstFloat32(StringBuilder md, List<Measurement> all) {
        for (Op op : new Op[] {Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SPARSE_CROSS_ENTROPY}) {
            for (String shape : SHAPES) {
                ratio(md, "float64 " + shape + " " + op.method() + ", plain: float64 / float32", goal(2.5),
                        find(all, Dtype.FLOAT64, op, shape, PLAIN), find(all, Dtype.FLOAT32, op, shape, PLAIN), 2.5,
                        false);
            }
        }
    }

    /**
     * The float32 ops plain runs on SIMD since the second performance issue, from its kernels side by side
     * ({@code Float32OpsBench}, 256x1000): the scalar kernel's time over the SIMD kernel's at least 4x, and the SIMD
     * kernel's time over the SIMD softmax's of the same run at most 1.5x.
     */
    private static void kernels(StringBuilder md, List<Measurement> all) {
        String shape = "256x1000";
        Measurement softmax = find(all, Op.SOFTMAX, shape, Measurement.PLAIN_SIMD);
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.KERNELS || op == Op.DENSE_CROSS_ENTROPY) {
                Measurement simd = find(all, op, shape, Measurement.PLAIN_SIMD);
                String what = shape + " " + op.method() + ", plain";
                ratio(md, what + ": scalar kernel / SIMD kernel", ">= 4x",
                        find(all, op, shape, Measurement.PLAIN_SCALAR), simd, 4, true);
                ratio(md, what + ": SIMD kernel / SIMD softmax", goal(1.5), simd, softmax, 1.5, false);
            }
        }
    }

    /**
     * The nd4j backend against ND4J's own op on the same data. float32: through its INDArray entry point within 2x
     * (4x at 100x10), through the array SPI, copies included, within 2.5x (5x at 100x10). float64: both within 3x.
     */
    private static void nd4j(StringBuilder md, List<Measurement> all) {
        for (Dtype dtype : Dtype.values()) {
            boolean f64 = dtype == Dtype.FLOAT64;
            for (Op op : new Op[] {Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SPARSE_CROSS_ENTROPY, Op.DENSE_CROSS_ENTROPY}) {
                for (String shape : SHAPES) {
                    Measurement nativeOp = find(all, dtype, op, shape, Measurement.ND4J_NATIVE);
                    if (nativeOp == null) {
                        continue;
                    }
                    boolean small = shape.equals("100x10");
                    double indarray = f64 ? 3 : small ? 4 : 2;
                    double arrays = f64 ? 3 : small ? 5 : 2.5;
                    String what = (f64 ? "float64 " : "") + shape + " " + op.method();
                    ratio(md, what + ": nd4j INDArray / nd4j native op", goal(indarray),
                            find(all, dtype, op, shape, Measurement.ND4J_INDARRAY), nativeOp, indarray, false);
                    ratio(md, what + ": nd4j backend (arrays) / nd4j native op", goal(arrays),
                            find(all, dtype, op, shape, ND4J), nativeOp, arrays, false);
                }
            }
        }
    }

    /** @return "<= 2.5x" */
    private static String goal(double atMost) {
        return "<= " + (atMost == Math.rint(atMost) ? String.valueOf((int) atMost) : String.valueOf(atMost)) + "x";
    }

    /**
     * A row {@code a / b}: met if at least (or, with {@code atLeast} false, at most) the goal; no row if either figure
     * is not in the run.
     */
    private static void ratio(StringBuilder md, String what, String goal, Measurement a, Measurement b, double target,
                              boolean atLeast) {
        if (a == null || b == null) {
            return;
        }
        double r = a.nsPerOp() / b.nsPerOp();
        md.append("| ").append(what).append(" | ").append(goal).append(" | ")
                .append(String.format(Locale.ROOT, "%.2fx", r)).append(" | ")
                .append(verdict(atLeast ? r >= target : r <= target, a, b)).append(" |\n");
    }

    /** @return yes or no, or "not judged" when a figure was taken before warm-up converged */
    private static String verdict(boolean met, Measurement a, Measurement b) {
        if (a.unreliable() != null || b.unreliable() != null) {
            return "not judged (" + ReportWriter.UNRELIABLE + " figure)";
        }
        return met ? "yes" : "no";
    }

    /**
     * The fastest of the library's own kernels (not the nd4j backend, which runs ND4J's op and is judged against it
     * by {@link #nd4j}: a run of nd4j alone would otherwise hold it to plain's 6x over that same op).
     */
    private static Measurement fastestBackend(List<Measurement> all, Op op, String shape) {
        return all.stream().filter(m -> m.op() == op && m.dtype() == Dtype.FLOAT32 && shape.equals(m.shapeLabel())
                        && !Measurement.MEMORY.equals(m.backend()) && !Measurement.ND4J_NATIVE.equals(m.backend())
                        && !Measurement.ND4J_INDARRAY.equals(m.backend()) && !ND4J.equals(m.backend())
                        && !m.kernels())
                .min(Comparator.comparingDouble(Measurement::nsPerOp)).orElse(null);
    }

    /** @param shape null for the matrix products */
    private static Measurement find(List<Measurement> all, Op op, String shape, String backend) {
        return find(all, Dtype.FLOAT32, op, shape, backend);
    }

    private static Measurement find(List<Measurement> all, Dtype dtype, Op op, String shape, String backend) {
        return all.stream().filter(m -> m.op() == op && m.dtype() == dtype && backend.equals(m.backend())
                && (shape == null || shape.equals(m.shapeLabel()))).findFirst().orElse(null);
    }
}
