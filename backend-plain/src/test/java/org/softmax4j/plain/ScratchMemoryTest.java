package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * Bounded per-thread memory (issue 17): many threads call huge shapes (rows of 100,000 classes, a product with an
 * inner dimension of 20,000, a batch of 100,000 rows), then small ones; each thread then keeps at most
 * {@link ScratchArrays#KEPT_BYTES} per scratch slot, the larger arrays go at the next garbage collection, and the
 * heap is back where it started while the threads still live.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScratchMemoryTest {

    private static final boolean EXPECT_SIMD = Boolean.getBoolean("softmax4j.test.expectSimd");
    private static final int THREADS = 6;
    private static final int WIDE = 100_000;
    private static final int K = 20_000;
    private static final int TALL = 100_000;

    private static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-10, 10);
        }
        return x;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void hugeThenSmallCallsOnManyThreadsLeaveBoundedScratch() throws Exception {
        PlainSoftmaxOps ops = new PlainSoftmaxOps(2); // the team's per-row losses of a huge batch too
        float[] wide = random(2 * WIDE, 1);
        int[] wideClasses = {3, WIDE - 1};
        float[] a = random(2 * K, 2);
        float[] b = random(K * 5, 3);
        float[] tall = random(TALL * 2, 4);
        int[] tallClasses = new int[TALL];
        float[] small = random(256 * 1000, 5);
        int[] smallClasses = new SplittableRandom(6).ints(256, 0, 10).toArray();
        float[] w = random(784 * 10, 7);
        long baseline = usedHeapAfterGc();

        List<ScratchArrays> scratches = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier done = new CyclicBarrier(THREADS + 1);
        CyclicBarrier checked = new CyclicBarrier(THREADS + 1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    float[] out = new float[2 * WIDE];
                    float[] lse = new float[2];
                    ops.logSoftmax(2, WIDE, wide, 0, out, 0);
                    ops.logSumExp(2, WIDE, wide, 0, lse, 0);
                    ops.sparseSoftmaxCrossEntropyWithLogits(2, WIDE, wide, 0, wideClasses, 0,
                            CrossEntropyOptions.DEFAULT, null, 0, null, 0); // the loss alone: a scratch gradient
                    ops.matmul(2, K, 5, 1f, a, 0, b, 0, 0f, new float[10], 0);
                    float[] g = new float[TALL * 2];
                    ops.sparseSoftmaxCrossEntropyWithLogits(TALL, 2, tall, 0, tallClasses, 0,
                            CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM), null, 0, g, 0);
                    out = null;
                    g = null;
                    if (EXPECT_SIMD) {
                        // the huge calls went past the kept arrays
                        assertTrue(VectorFloatKernels.threadScratch().keptBytes() <= 4L * ScratchArrays.KEPT_BYTES);
                        assertTrue(VectorFloatProducts.threadScratch().keptBytes() <= ScratchArrays.KEPT_BYTES);
                    }
                    for (int i = 0; i < 3; i++) {
                        float[] y = new float[256 * 1000];
                        ops.softmax(100, 10, small, 0, y, 0);
                        ops.sparseSoftmaxCrossEntropyWithLogits(100, 10, small, 0, smallClasses, 0,
                                CrossEntropyOptions.DEFAULT, null, 0, y, 0);
                        ops.logSoftmax(256, 1000, small, 0, y, 0);
                        ops.matmul(100, 784, 10, 1f, small, 0, w, 0, 0f, y, 0);
                    }
                    if (EXPECT_SIMD) {
                        synchronized (scratches) {
                            scratches.add(VectorFloatKernels.threadScratch());
                            scratches.add(VectorFloatProducts.threadScratch());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                try {
                    done.await();
                    checked.await(); // alive, with its thread-locals, until the main thread has measured
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "scratch-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        done.await(100, TimeUnit.SECONDS);
        try {
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            if (EXPECT_SIMD) {
                assertEquals(2 * THREADS, scratches.size());
                for (ScratchArrays s : scratches) {
                    assertTrue(s.keptBytes() <= 4L * ScratchArrays.KEPT_BYTES, s.keptBytes() + " bytes kept");
                }
            }
            long used = usedHeapAfterGc();
            if (EXPECT_SIMD) {
                for (ScratchArrays s : scratches) {
                    assertEquals(0, s.weaklyHeldBytes(), "released by the collection");
                }
            }
            // keeping the largest arrays (the policy before) kept 1.2 MB per thread (a row, a gradient, B^T) and
            // 0.8 MB of per-row losses: 8 MB
            long retained = used - baseline;
            assertTrue(retained < 3L << 20, "retained after the calls: " + (retained >> 10) + " KiB");
            System.out.println("[scratch] " + THREADS + " threads after huge then small calls: heap "
                    + (retained >> 10) + " KiB above the baseline");
        } finally {
            checked.await(30, TimeUnit.SECONDS);
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
