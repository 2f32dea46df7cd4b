package org.softmax4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;

/**
 * Mixed calls on both entry points (the array SPI and {@link Nd4jSoftmax} on INDArrays, both dtypes, two shapes) for a
 * fixed time, and the process's memory must reach a plateau: over the second half of the run the resident set may grow
 * by at most {@value #RSS_MARGIN_MB} MB. The build's surefire runs it with a fixed heap ({@code -Xms} = {@code -Xmx}),
 * so that the heap G1 would otherwise grow under garbage cannot pass for a native leak, and with Native Memory Tracking,
 * so that the report splits the resident set into what the JVM itself committed (heap, GC, code, threads: NMT's total)
 * and the rest (libnd4j, OpenBLAS and glibc's arenas). The budget is 30 s by default,
 * {@code -Dsoftmax4j.soak.seconds=600} runs longer.
 */
class Nd4jSoakTest {

    private static final long RSS_MARGIN_MB = 24;

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** @return the JVM's own committed memory by Native Memory Tracking, or -1 when NMT is off */
    private static long jvmCommittedBytes() {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(text.toString());
            return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private record Sample(long calls, long rss, long jvm, long javacpp) {
        static Sample now(long calls) throws IOException {
            // twice, with a pause: ND4J frees the native memory of collected arrays on its deallocator thread
            for (int i = 0; i < 2; i++) {
                System.gc();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Sample(calls, rssBytes(), jvmCommittedBytes(), Pointer.physicalBytes());
        }

        String describe() {
            return String.format("%d calls: RSS %d MB (JVM by NMT %s, the rest %s), JavaCPP physical %d MB", calls,
                    rss >> 20, jvm < 0 ? "n/a" : (jvm >> 20) + " MB", jvm < 0 ? "n/a" : ((rss - jvm) >> 20) + " MB",
                    javacpp >> 20);
        }
    }

    @Test
    void memoryReachesAPlateau() throws IOException {
        double seconds = Double.parseDouble(System.getProperty("softmax4j.soak.seconds", "30"));
        long budget = (long) (seconds * 1e9);
        SoftmaxOps ops = new Nd4jSoftmaxOps();
        Random random = new Random(42);
        int[][] shapes = {{64, 100}, {100, 10}};
        long start = System.nanoTime();
        long calls = 0;
        Sample half = null;
        int shape = 0;
        while (System.nanoTime() - start < budget) {
            int rows = shapes[shape][0];
            int cols = shapes[shape][1];
            shape = (shape + 1) % shapes.length;
            calls += round(ops, random, rows, cols);
            if (half == null && System.nanoTime() - start > budget / 2) {
                half = Sample.now(calls);
            }
        }
        Sample end = Sample.now(calls);
        String report = "soak " + seconds + " s, " + (calls * 1e9 / (System.nanoTime() - start)) + " calls/s; at half "
                + (half == null ? "-" : half.describe()) + "; at the end " + end.describe();
        System.err.println(report);
        assertTrue(half != null, "the first half did not end within the budget: " + report);
        assertTrue(end.rss - half.rss <= RSS_MARGIN_MB << 20, "resident memory still grows: " + report);
    }

    /** @return the number of calls made: every kind of op on both entry points, both dtypes */
    private static int round(SoftmaxOps ops, Random random, int rows, int cols) {
        double[] x = new double[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian() * 5;
        }
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            classes[r] = random.nextInt(cols);
        }
        double[] y = new double[x.length];
        float[] yf = new float[x.length];
        double[] loss = new double[rows];
        double[] w = new double[cols * 10];
        double[] xw = new double[rows * 10];
        int[] top = new int[rows * 3];
        CrossEntropyOptions mean = CrossEntropyOptions.DEFAULT.withReduction(Reduction.MEAN);
        CrossEntropyOptions smooth = mean.withLabelSmoothing(0.1);
        ops.softmax(rows, cols, x, 0, y, 0);
        ops.softmax(rows, cols, xf, 0, yf, 0);
        ops.logSoftmax(rows, cols, x, 0, y, 0);
        ops.logSumExp(rows, cols, xf, 0, yf, 0);
        ops.softmaxBackward(rows, cols, y, 0, x, 0, y, 0);
        ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, mean, loss, 0, y, 0);
        ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, xf, 0, classes, 0, smooth, null, 0, yf, 0);
        ops.softmax(rows, cols, x, 0, y, 0);
        double[] g = new double[x.length];
        ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, y, 0, mean, loss, 0, g, 0);
        ops.topK(rows, cols, 3, x, 0, null, 0, top, 0);
        ops.argmax(rows, cols, xf, 0, top, 0);
        ops.matmul(rows, cols, 10, 1.0, x, 0, w, 0, 0.0, xw, 0);
        INDArray xa = Nd4j.create(xf, new long[] {rows, cols}, 'c');
        INDArray cls = Nd4j.createFromArray(classes);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, rows, cols);
        INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, rows, cols);
        Nd4jSoftmax.softmax(xa, out);
        Nd4jSoftmax.logSoftmax(xa, out);
        Nd4jSoftmax.sparseSoftmaxCrossEntropyWithLogits(xa, cls, mean, null, grad);
        Nd4jSoftmax.softmax(xa, out);
        Nd4jSoftmax.softmaxCrossEntropyWithLogits(xa, out, smooth, null, grad);
        // the test's own arrays are freed now, so that only the backend's memory is measured
        xa.close();
        cls.close();
        out.close();
        grad.close();
        return 17;
    }
}
