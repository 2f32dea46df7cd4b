package org.softmax4j.plain;

import java.util.SplittableRandom;
import org.softmax4j.CrossEntropyOptions;

/**
 * Scalar against SIMD float32 kernels side by side in one JVM ({@code FloatKernels.SCALAR} and {@link VectorFloatKernels}
 * called directly, one thread), per call in thread CPU time, best of 25 rounds after a discarded warm-up round: robust
 * on a loaded machine where wall-clock JMH runs measure the Vector API code before C2 has compiled it. The figures in
 * this module's README. Run from the module's test classes with {@code --add-modules jdk.incubator.vector}:
 * {@code java --add-modules jdk.incubator.vector -cp <test and main classes> org.softmax4j.plain.KernelTimes 256 1000 40}
 * (rows, cols, SIMD calls per round; the scalar kernels make an eighth as many).
 */
final class KernelTimes {
    static final java.lang.management.ThreadMXBean B = java.lang.management.ManagementFactory.getThreadMXBean();
    static double time(Runnable r, int n) {
        double best = 1e18;
        for (int round = 0; round < 25; round++) {
            long t0 = B.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) r.run();
            best = Math.min(best, (B.getCurrentThreadCpuTime() - t0) / (double) n);
        }
        return best;
    }
    public static void main(String[] a) {
        int rows = Integer.parseInt(a[0]), cols = Integer.parseInt(a[1]);
        int n = Integer.parseInt(a[2]);
        int N = rows * cols;
        SplittableRandom rnd = new SplittableRandom(20261121L);
        float[] x = new float[N], dy = new float[N], y = new float[N], out = new float[N], lab = new float[N], lp = new float[N];
        for (int i = 0; i < N; i++) { x[i] = (float) rnd.nextDouble(-8, 8); dy[i] = (float) rnd.nextDouble(-8, 8); }
        boolean[] mask = new boolean[N];
        for (int i = 0; i < N; i++) mask[i] = rnd.nextInt(4) != 0;
        int[] cl = new int[rows]; for (int i = 0; i < rows; i++) cl[i] = rnd.nextInt(cols);
        int[] idx = new int[rows * 5]; float[] vals = new float[rows * 5]; float[] jac = new float[cols * cols];
        FloatKernels s = FloatKernels.SCALAR, v = new VectorFloatKernels();
        s.softmax(rows, cols, x, 0, y, 0); s.softmax(rows, cols, dy, 0, lab, 0); s.logSoftmax(rows, cols, x, 0, lp, 0);
        CrossEntropyOptions o = CrossEntropyOptions.DEFAULT;
        String[] names = {"softmax", "softmaxTemperature", "maskedSoftmax", "softmaxBackward", "logSoftmaxBackward",
            "sparseCrossEntropy", "denseCrossEntropy", "argmax", "topK5", "jacobian"};
        for (int pass = 0; pass < 2; pass++) {
            double[][] r = new double[names.length][2];
            for (int k = 0; k < 2; k++) {
                FloatKernels f = k == 0 ? s : v;
                Runnable[] ops = {
                    () -> f.softmax(rows, cols, x, 0, out, 0),
                    () -> f.softmax(rows, cols, 0.7f, x, 0, out, 0),
                    () -> f.maskedSoftmax(rows, cols, x, 0, mask, 0, out, 0),
                    () -> f.softmaxBackward(rows, cols, y, 0, dy, 0, out, 0),
                    () -> f.logSoftmaxBackward(rows, cols, lp, 0, dy, 0, out, 0),
                    () -> f.sparse(rows, cols, x, 0, cl, 0, o, 1.0 / rows, null, 0, out, 0, null, 0),
                    () -> f.dense(rows, cols, x, 0, lab, 0, o, 1.0 / rows, null, 0, out, 0, null, 0),
                    () -> f.argmax(rows, cols, x, 0, idx, 0),
                    () -> f.topK(rows, cols, 5, x, 0, vals, 0, idx, 0),
                    () -> f.jacobian(cols, 0, cols, y, 0, jac, 0)};
                for (int i = 0; i < ops.length; i++) r[i][k] = time(ops[i], k == 0 ? Math.max(1, n / 8) : n);
            }
            if (pass == 1) {
                System.out.printf("%dx%d  (us per call, one thread, CPU time, best of 25)%n", rows, cols);
                System.out.printf("%-20s %10s %10s %9s %12s%n", "op", "scalar", "SIMD", "speed-up", "vs softmax");
                for (int i = 0; i < names.length; i++) System.out.printf("%-20s %10.2f %10.2f %8.1fx %11.2fx%n", names[i], r[i][0] / 1e3, r[i][1] / 1e3, r[i][0] / r[i][1], r[i][1] / r[0][1]);
            }
        }
    }
}
