package org.softmax4j.ejml;

import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.mult.MatrixMatrixMult_DDRM;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.plain.PlainSoftmaxOps;

/**
 * The microbenchmark behind the kernel choices of this backend (not a test; run by hand after
 * {@code ./mvnw -B -q -Dsoftmax4j.buildDir=target-ejml -pl backend-ejml -am test-compile}):
 * <pre>
 * java -cp backend-ejml/target-ejml/test-classes:backend-ejml/target-ejml/classes:api/target-ejml/classes:\
 *   backend-plain/target-ejml/classes:$HOME/.m2/repository/org/ejml/ejml-core/0.46.1/ejml-core-0.46.1.jar:\
 *   $HOME/.m2/repository/org/ejml/ejml-ddense/0.46.1/ejml-ddense-0.46.1.jar:\
 *   $HOME/.m2/repository/org/ejml/ejml-fdense/0.46.1/ejml-fdense-0.46.1.jar org.softmax4j.ejml.EjmlKernelChoice
 * </pre>
 * Each figure is the best of 12 interleaved batches of at least 40 ms after 200 ms of warm-up (best, not mean: the
 * machine is shared, and interference only ever adds time). Results feed a checksum that is printed, so no work is
 * dead.
 */
public final class EjmlKernelChoice {

    private static double sink;

    private EjmlKernelChoice() {
    }

    /**
     * Times the candidates of one scenario interleaved (round after round, each candidate one batch of at least
     * 40 ms per round), so that a burst of load elsewhere on the shared machine hits all of them alike. The time is
     * the calling thread's CPU time ({@code ThreadMXBean}), which a loaded machine inflates far less than wall time;
     * for the concurrent EJML kernels, whose work runs on pool threads, it is wall time (marked so in the output).
     *
     * @return per candidate, the best nanoseconds per call over the rounds
     */
    static double[] time(LongSupplier... bodies) {
        for (LongSupplier body : bodies) {
            long end = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < end) {
                sink += body.getAsLong();
            }
        }
        double[] best = new double[bodies.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < bodies.length; i++) {
                boolean wall = bodies[i] instanceof Concurrent;
                int calls = 0;
                long start = System.nanoTime();
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long now;
                do {
                    sink += bodies[i].getAsLong();
                    calls++;
                    now = System.nanoTime();
                } while (now - start < 40_000_000L);
                long spent = wall ? now - start : THREADS.getCurrentThreadCpuTime() - cpuStart;
                best[i] = Math.min(best[i], spent / (double) calls);
            }
        }
        return best;
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** A candidate whose work runs on other threads: timed by wall clock. */
    interface Concurrent extends LongSupplier {
    }

    /** @return {@code body}, timed by wall clock if {@code concurrent} */
    static LongSupplier wallIf(boolean concurrent, LongSupplier body) {
        return concurrent ? (Concurrent) body::getAsLong : body;
    }

    private static void print(String label, double[] ns, double divisor) {
        StringBuilder b = new StringBuilder(label);
        for (double v : ns) {
            b.append(String.format(Locale.ROOT, " %10.1f", v / divisor));
        }
        System.out.println(b);
    }

    public static void main(String[] args) {
        SoftmaxOps ejml = new EjmlSoftmaxOps();
        SoftmaxOps plain = new PlainSoftmaxOps();
        Random rnd = new Random(42);
        System.out.println("== exp, ns per element (100 x 784 values in [-10, 0]):"
                + " CommonOps_DDRM.elementExp, Math.exp loop");
        int count = 100 * 784;
        DMatrixRMaj in = new DMatrixRMaj(100, 784);
        for (int i = 0; i < count; i++) {
            in.data[i] = -10 * rnd.nextDouble();
        }
        DMatrixRMaj out = new DMatrixRMaj(100, 784);
        print("exp", time(() -> {
            CommonOps_DDRM.elementExp(in, out);
            return (long) out.data[7];
        }, () -> {
            for (int i = 0; i < count; i++) {
                out.data[i] = Math.exp(in.data[i]);
            }
            return (long) out.data[7];
        }), count);

        System.out.println("== softmax, us per call: ejml backend (fused rows), plain backend, EJML ops (maxRows,"
                + " own shift loop, elementExp, sumRows, divideRows); f64 then f32");
        for (int[] s : new int[][] {{100, 10}, {256, 1000}, {2, 32000}}) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            double[] x = Arrays2.logits(rnd, n);
            double[] y = new double[n];
            float[] xf = Arrays2.toFloat(x);
            float[] yf = new float[n];
            DMatrixRMaj mx = DMatrixRMaj.wrap(rows, cols, x);
            DMatrixRMaj my = DMatrixRMaj.wrap(rows, cols, y);
            DMatrixRMaj max = new DMatrixRMaj(rows, 1);
            DMatrixRMaj sums = new DMatrixRMaj(rows, 1);
            FMatrixRMaj fx = FMatrixRMaj.wrap(rows, cols, xf);
            FMatrixRMaj fy = FMatrixRMaj.wrap(rows, cols, yf);
            FMatrixRMaj fmax = new FMatrixRMaj(rows, 1);
            FMatrixRMaj fsums = new FMatrixRMaj(rows, 1);
            LongSupplier ejmlOps64 = () -> {
                CommonOps_DDRM.maxRows(mx, max);
                for (int r = 0; r < rows; r++) { // EJML has no broadcast row-subtract
                    double m = max.data[r];
                    for (int c = r * cols; c < (r + 1) * cols; c++) {
                        my.data[c] = mx.data[c] - m;
                    }
                }
                CommonOps_DDRM.elementExp(my, my);
                CommonOps_DDRM.sumRows(my, sums);
                CommonOps_DDRM.divideRows(sums.data, my);
                return (long) (y[1] * 1e6);
            };
            LongSupplier ejmlOps32 = () -> {
                CommonOps_FDRM.maxRows(fx, fmax);
                for (int r = 0; r < rows; r++) {
                    float m = fmax.data[r];
                    for (int c = r * cols; c < (r + 1) * cols; c++) {
                        fy.data[c] = fx.data[c] - m;
                    }
                }
                CommonOps_FDRM.elementExp(fy, fy);
                CommonOps_FDRM.sumRows(fy, fsums);
                CommonOps_FDRM.divideRows(fsums.data, fy);
                return (long) (yf[1] * 1e6);
            };
            print(rows + "x" + cols + " f64", time(() -> {
                ejml.softmax(rows, cols, x, 0, y, 0);
                return (long) (y[1] * 1e6);
            }, () -> {
                plain.softmax(rows, cols, x, 0, y, 0);
                return (long) (y[1] * 1e6);
            }, ejmlOps64), 1e3);
            // the accuracy the EJML-ops form gives up: max error in float64 ulps against this backend
            ejml.softmax(rows, cols, x, 0, y, 0);
            double[] exact = y.clone();
            ejmlOps64.getAsLong();
            double worst = 0;
            for (int i = 0; i < n; i++) {
                if (exact[i] != 0) {
                    worst = Math.max(worst, Math.abs(y[i] - exact[i]) / Math.ulp(exact[i]));
                }
            }
            System.out.printf(Locale.ROOT, "   EJML-ops f64 error: up to %.0f ulp (bound %.0f)%n", worst,
                    Arrays2.rowUlps(cols));
            print(rows + "x" + cols + " f32", time(() -> {
                ejml.softmax(rows, cols, xf, 0, yf, 0);
                return (long) (yf[1] * 1e6);
            }, () -> {
                plain.softmax(rows, cols, xf, 0, yf, 0);
                return (long) (yf[1] * 1e6);
            }, ejmlOps32), 1e3);
        }

        System.out.println("== C = A B, f64, us per call: ejml backend, plain backend, EJML mult_small, mult_reorder,"
                + " CommonOps_MT_DDRM.mult"
                + " (thread CPU time; wall time for MT, and for ejml from EjmlProducts.CONCURRENT_FLOPS)");
        for (int[] s : new int[][] {{100, 784, 10}, {1000, 1000, 10}, {64, 64, 64}, {128, 128, 128},
            {256, 256, 256}, {512, 512, 512}}) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = Arrays2.gaussian(rnd, m * k);
            double[] b = Arrays2.gaussian(rnd, k * n);
            double[] c = new double[m * n];
            DMatrixRMaj ma = DMatrixRMaj.wrap(m, k, a);
            DMatrixRMaj mb = DMatrixRMaj.wrap(k, n, b);
            DMatrixRMaj mc = DMatrixRMaj.wrap(m, n, c);
            print(m + "x" + k + "x" + n, time(wallIf((long) m * k * n >= EjmlProducts.CONCURRENT_FLOPS, () -> {
                ejml.matmul(m, k, n, 1, a, 0, b, 0, 0, c, 0);
                return (long) c[1];
            }), () -> {
                plain.matmul(m, k, n, 1, a, 0, b, 0, 0, c, 0);
                return (long) c[1];
            }, () -> {
                MatrixMatrixMult_DDRM.mult_small(1, ma, mb, mc);
                return (long) c[1];
            }, () -> {
                MatrixMatrixMult_DDRM.mult_reorder(1, ma, mb, mc);
                return (long) c[1];
            }, (Concurrent) () -> {
                CommonOps_MT_DDRM.mult(1, ma, mb, mc);
                return (long) c[1];
            }), 1e3);
        }

        System.out.println("== C = A^T B, f64 (A is k x m), us per call: ejml backend, plain backend, EJML"
                + " multTransA_small, multTransA_reorder, CommonOps_MT_DDRM.multTransA (same clocks)");
        for (int[] s : new int[][] {{784, 100, 10}, {1000, 1000, 10}, {64, 64, 64}, {128, 128, 128},
            {256, 256, 256}, {512, 512, 512}}) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            double[] a = Arrays2.gaussian(rnd, k * m);
            double[] b = Arrays2.gaussian(rnd, k * n);
            double[] c = new double[m * n];
            DMatrixRMaj ma = DMatrixRMaj.wrap(k, m, a);
            DMatrixRMaj mb = DMatrixRMaj.wrap(k, n, b);
            DMatrixRMaj mc = DMatrixRMaj.wrap(m, n, c);
            print(m + "x" + k + "x" + n, time(wallIf((long) m * k * n >= EjmlProducts.CONCURRENT_FLOPS, () -> {
                ejml.matmulTransA(m, k, n, 1, a, 0, b, 0, 0, c, 0);
                return (long) c[1];
            }), () -> {
                plain.matmulTransA(m, k, n, 1, a, 0, b, 0, 0, c, 0);
                return (long) c[1];
            }, () -> {
                MatrixMatrixMult_DDRM.multTransA_small(1, ma, mb, mc);
                return (long) c[1];
            }, () -> {
                MatrixMatrixMult_DDRM.multTransA_reorder(1, ma, mb, mc);
                return (long) c[1];
            }, (Concurrent) () -> {
                CommonOps_MT_DDRM.multTransA(1, ma, mb, mc);
                return (long) c[1];
            }), 1e3);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
