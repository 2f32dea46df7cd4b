package org.softmax4j.plain;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * Heap bytes per call of every plain op, float32 and float64, at 256x1000, 100x10, 256x7 and 64x32000 (wide rows,
 * the narrow blocks, narrow rows below a block's width, and long rows whose width is a multiple of 4 vectors; the
 * Jacobian up to 4096 classes; one JVM runs every shape, so C2 compiles from all their profiles: boxing that only a
 * JVM running one shape shows, as the long rows' accumulators once did, is the bench's forks to find), through the array API on the default row team: the thread's
 * allocation counter around 50 calls after 1.2 s of calls (C2 must have compiled the Vector API code, which boxes
 * every vector until then), best of 3. Prints only the ops that allocated; every op should print nothing. Vector API
 * code allocates once compiled when C2 cannot keep a vector in registers: a vector passed to or returned from a call
 * it does not inline, a vector or mask chosen by a branch or carried in a loop through one (JDK 17), a
 * {@code VectorMask.toLong} (no intrinsic on JDK 17), or type profiles polluted by a second vector shape. Run from
 * the module's test classes with {@code --add-modules jdk.incubator.vector}: {@code java --add-modules
 * jdk.incubator.vector -cp <test and main classes, api, kernels> org.softmax4j.plain.AllocationPerCall [op-name regex]}.
 */
final class AllocationPerCall {
    static com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static double perCall(Runnable op) {
        long t = System.nanoTime();
        while (System.nanoTime() - t < 1_200_000_000L) op.run();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long b = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 50; i++) op.run();
            best = Math.min(best, (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - b) / 50.0);
        }
        return best;
    }
    public static void main(String[] a) {
        SoftmaxOps ops = new PlainSoftmaxOps();
        for (int[] sh : new int[][]{{256, 1000}, {100, 10}, {256, 7}, {64, 32000}}) {
            int rows = sh[0], cols = sh[1], n = rows * cols;
            Random r = new Random(3);
            float[] x = new float[n], dy = new float[n], y = new float[n], out = new float[n], labels = new float[n], logp = new float[n], loss = new float[rows], jac = new float[cols <= 4096 ? cols * cols : 0], vals = new float[rows * 5];
            double[] xd = new double[n], dyd = new double[n], yd = new double[n], outd = new double[n], labelsd = new double[n], logpd = new double[n], lossd = new double[rows], jacd = new double[cols <= 4096 ? cols * cols : 0], valsd = new double[rows * 5];
            boolean[] mask = new boolean[n]; int[] cls = new int[rows], idx = new int[rows * 5];
            for (int i = 0; i < n; i++) { x[i] = r.nextFloat() * 20 - 10; dy[i] = (float) r.nextGaussian(); mask[i] = r.nextInt(4) != 0; xd[i] = x[i]; dyd[i] = dy[i]; }
            for (int i = 0; i < rows; i++) { cls[i] = r.nextInt(cols); mask[i * cols + cls[i]] = true; }
            float[] mlabels = new float[n], oneHot = new float[n];
            for (int i = 0; i < rows; i++) { oneHot[i * cols + cls[i]] = 1; }
            ops.maskedSoftmax(rows, cols, dy, 0, mask, 0, mlabels, 0);
            double[] mlabelsd = new double[n];
            ops.maskedSoftmax(rows, cols, dyd, 0, mask, 0, mlabelsd, 0);
            ops.softmax(rows, cols, x, 0, y, 0); ops.logSoftmax(rows, cols, x, 0, logp, 0); ops.softmax(rows, cols, dy, 0, labels, 0);
            ops.softmax(rows, cols, xd, 0, yd, 0); ops.logSoftmax(rows, cols, xd, 0, logpd, 0); ops.softmax(rows, cols, dyd, 0, labelsd, 0);
            double[] w = new double[cols]; for (int c = 0; c < cols; c++) w[c] = 0.5 + r.nextDouble();
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT, ws = o.withClassWeights(w).withLabelSmoothing(0.1), sm = o.withLabelSmoothing(0.1), wo = o.withClassWeights(w);
            int k = Math.min(5, cols);
            Map<String, Runnable> m = new LinkedHashMap<>();
            m.put("softmax", () -> ops.softmax(rows, cols, x, 0, out, 0));
            m.put("softmaxT", () -> ops.softmax(rows, cols, 0.7f, x, 0, out, 0));
            m.put("masked", () -> ops.maskedSoftmax(rows, cols, x, 0, mask, 0, out, 0));
            m.put("logSoftmax", () -> ops.logSoftmax(rows, cols, x, 0, out, 0));
            m.put("maskedLogSoftmax", () -> ops.maskedLogSoftmax(rows, cols, x, 0, mask, 0, out, 0));
            m.put("maskedLogSumExp", () -> ops.maskedLogSumExp(rows, cols, x, 0, mask, 0, loss, 0));
            m.put("maskedSparse", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, cls, 0, o, null, 0, out, 0));
            m.put("maskedSparseLossOnly", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, cls, 0, o, loss, 0, null, 0));
            m.put("maskedSparseW+S", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, cls, 0, ws, null, 0, out, 0));
            m.put("maskedDense", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, mlabels, 0, o, null, 0, out, 0));
            m.put("maskedDenseWS", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, mask, 0, mlabels, 0, ws, null, 0, out, 0));
            m.put("logSumExp", () -> ops.logSumExp(rows, cols, x, 0, loss, 0));
            m.put("softmaxBackward", () -> ops.softmaxBackward(rows, cols, y, 0, dy, 0, out, 0));
            m.put("logSoftmaxBackward", () -> ops.logSoftmaxBackward(rows, cols, logp, 0, dy, 0, out, 0));
            m.put("sparse", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, cls, 0, o, null, 0, out, 0));
            m.put("sparseLossOnly", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, cls, 0, o, loss, 0, null, 0));
            m.put("sparseW+S", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, cls, 0, ws, null, 0, out, 0));
            m.put("sparseW", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, cls, 0, wo, null, 0, out, 0));
            m.put("denseWS", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, ws, null, 0, out, 0));
            m.put("dense", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, o, null, 0, out, 0));
            m.put("denseS", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, sm, null, 0, out, 0));
            m.put("denseW", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, labels, 0, wo, null, 0, out, 0));
            m.put("crossEntropy", () -> ops.crossEntropy(rows, cols, y, 0, labels, 0, 1e-7, loss, 0));
            m.put("crossEntropyOneHot", () -> ops.crossEntropy(rows, cols, y, 0, oneHot, 0, 1e-7, loss, 0));
            m.put("argmax", () -> ops.argmax(rows, cols, x, 0, cls, 0));
            m.put("topK", () -> ops.topK(rows, cols, k, x, 0, vals, 0, idx, 0));
            if (cols <= 4096) {
                m.put("jacobian", () -> ops.jacobian(cols, y, 0, jac, 0));
            }
            m.put("d softmax", () -> ops.softmax(rows, cols, xd, 0, outd, 0));
            m.put("d logSoftmax", () -> ops.logSoftmax(rows, cols, xd, 0, outd, 0));
            m.put("d logSumExp", () -> ops.logSumExp(rows, cols, xd, 0, lossd, 0));
            m.put("d softmaxBackward", () -> ops.softmaxBackward(rows, cols, yd, 0, dyd, 0, outd, 0));
            m.put("d logSoftmaxBackward", () -> ops.logSoftmaxBackward(rows, cols, logpd, 0, dyd, 0, outd, 0));
            m.put("d sparse", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xd, 0, cls, 0, o, null, 0, outd, 0));
            m.put("d dense", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, xd, 0, labelsd, 0, o, null, 0, outd, 0));
            m.put("d denseW", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, xd, 0, labelsd, 0, wo, null, 0, outd, 0));
            m.put("d sparseW+S", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xd, 0, cls, 0, ws, null, 0, outd, 0));
            m.put("d denseS", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, xd, 0, labelsd, 0, sm, null, 0, outd, 0));
            m.put("d masked", () -> ops.maskedSoftmax(rows, cols, xd, 0, mask, 0, outd, 0));
            m.put("d maskedLogSoftmax", () -> ops.maskedLogSoftmax(rows, cols, xd, 0, mask, 0, outd, 0));
            m.put("d maskedLogSumExp", () -> ops.maskedLogSumExp(rows, cols, xd, 0, mask, 0, lossd, 0));
            m.put("d maskedSparse", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xd, 0, mask, 0, cls, 0, o, null, 0, outd, 0));
            m.put("d maskedSparseW+S", () -> ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xd, 0, mask, 0, cls, 0, ws, null, 0, outd, 0));
            m.put("d maskedDenseWS", () -> ops.softmaxCrossEntropyWithLogits(rows, cols, xd, 0, mask, 0, mlabelsd, 0, ws, null, 0, outd, 0));
            StringBuilder sb = new StringBuilder(rows + "x" + cols + ":");
            for (var e : m.entrySet()) {
                if (a.length > 0 && !e.getKey().matches(a[0])) continue;
                for (int i = 0; i < rows; i++) { cls[i] = r.nextInt(cols); mask[i * cols + cls[i]] = true; }
                double b = perCall(e.getValue());
                if (b > 0) sb.append(" ").append(e.getKey()).append("=").append(b);
            }
            System.out.println(sb);
        }
    }
}
