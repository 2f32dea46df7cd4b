package org.softmax4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;

/**
 * Calls every kind of op in a loop for a fixed time and checks that neither the process's resident memory nor
 * JavaCPP's off-heap counters grow after warm-up: per-call temporaries live in the per-thread workspace, which is
 * sized once and reused. The budget is 30 s by default; {@code -Dsoftmax4j.soak.seconds=600} runs longer.
 *
 * <p>Bounds: after a warm-up of half the budget, JavaCPP's {@code totalBytes} (native memory it tracks: workspaces
 * and buffers) may not grow by more than 4 MB, and the native part of the resident set (RSS minus the JVM's committed
 * heap and non-heap: libnd4j's and glibc's allocations) by more than 96 MB. The whole resident set also holds the
 * Java heap and the JIT's code cache, which keep growing for about a minute on a loaded 2-core machine (measured:
 * 120 MB at start, about 280 MB after 60 s, then flat at 270-290 MB up to 90 s); JavaCPP's tracked bytes stay below
 * 1 MB throughout.
 */
class Nd4jSoakTest {

    private static final long OFF_HEAP_MARGIN = 4L << 20;
    private static final long RSS_MARGIN = 96L << 20;

    /** The resident set minus the JVM's committed heap and non-heap (metaspace, code cache): native memory. */
    private static long nativeBytes() throws IOException {
        java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory.getMemoryMXBean();
        return rssBytes() - m.getHeapMemoryUsage().getCommitted() - m.getNonHeapMemoryUsage().getCommitted();
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    @Test
    void memoryStaysFlatAfterWarmUp() throws IOException {
        double seconds = Double.parseDouble(System.getProperty("softmax4j.soak.seconds", "30"));
        long budget = (long) (seconds * 1e9);
        long warmUp = budget / 2;
        SoftmaxOps ops = new Nd4jSoftmaxOps();
        Random random = new Random(42);
        int rows = 64;
        int cols = 100;
        double[] x = new double[rows * cols];
        float[] xf = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian() * 5;
            xf[i] = (float) x[i];
        }
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            classes[r] = random.nextInt(cols);
        }
        double[] y = new double[x.length];
        float[] yf = new float[x.length];
        double[] g = new double[x.length];
        double[] loss = new double[rows];
        double[] w = new double[cols * 10];
        double[] xw = new double[rows * 10];
        int[] top = new int[rows * 3];
        CrossEntropyOptions options = CrossEntropyOptions.DEFAULT.withReduction(Reduction.MEAN);

        long start = System.nanoTime();
        long baseRss = -1;
        long baseNative = -1;
        long baseOffHeap = -1;
        long basePhysical = -1;
        long calls = 0;
        while (System.nanoTime() - start < budget) {
            ops.softmax(rows, cols, x, 0, y, 0);
            ops.softmax(rows, cols, xf, 0, yf, 0);
            ops.logSoftmax(rows, cols, x, 0, y, 0);
            ops.sparseSoftmaxCrossEntropyWithLogits(rows, cols, x, 0, classes, 0, options, loss, 0, g, 0);
            ops.softmaxCrossEntropyWithLogits(rows, cols, x, 0, y, 0, options, loss, 0, g, 0);
            ops.topK(rows, cols, 3, x, 0, null, 0, top, 0);
            ops.matmul(rows, cols, 10, 1.0, x, 0, w, 0, 0.0, xw, 0);
            calls += 7;
            if (baseRss < 0 && System.nanoTime() - start > warmUp) {
                System.gc();
                baseRss = rssBytes();
                baseNative = nativeBytes();
                baseOffHeap = Pointer.totalBytes();
                basePhysical = Pointer.physicalBytes();
            }
        }
        System.gc();
        long rss = rssBytes();
        long nativeNow = nativeBytes();
        long offHeap = Pointer.totalBytes();
        long physical = Pointer.physicalBytes();
        String report = String.format("soak %.0f s, %d calls: RSS %d -> %d MB, RSS - JVM heap/non-heap %d -> %d MB, "
                        + "JavaCPP totalBytes %d -> %d KB, physicalBytes %d -> %d MB", seconds, calls, baseRss >> 20,
                rss >> 20, baseNative >> 20, nativeNow >> 20, baseOffHeap >> 10, offHeap >> 10, basePhysical >> 20,
                physical >> 20);
        System.err.println(report);
        assertTrue(baseRss > 0, "warm-up did not finish within the budget: " + report);
        assertTrue(offHeap - baseOffHeap <= OFF_HEAP_MARGIN, "off-heap grew: " + report);
        assertTrue(nativeNow - baseNative <= RSS_MARGIN, "native memory grew: " + report);
    }
}
