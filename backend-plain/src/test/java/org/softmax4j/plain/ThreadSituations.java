package org.softmax4j.plain;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Not a test: the measuring harness behind the backend README's table of executor situations (issue 17). Float32
 * softmax per call, median of rounds interleaved with the single-thread reference, after a JIT warm-up:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp api/target/classes:backend-plain/target/classes:backend-plain/target/test-classes \
 *      org.softmax4j.plain.ThreadSituations [rows cols [rounds]]
 * </pre>
 */
public final class ThreadSituations {

    private ThreadSituations() {
    }

    private static int rows = 512;
    private static int cols = 1000;
    private static int rounds = 15;
    private static float[] x;
    private static float[] expected;

    public static void main(String[] args) throws Exception {
        if (args.length >= 2) {
            rows = Integer.parseInt(args[0]);
            cols = Integer.parseInt(args[1]);
        }
        if (args.length >= 3) {
            rounds = Integer.parseInt(args[2]);
        }
        SplittableRandom random = new SplittableRandom(1);
        x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-20, 20);
        }
        PlainSoftmaxOps one = new PlainSoftmaxOps(1);
        expected = new float[x.length];
        one.softmax(rows, cols, x, 0, expected, 0);
        System.out.printf("%dx%d float32 softmax, %s, %d processors%n", rows, cols, one.description(),
                Runtime.getRuntime().availableProcessors());
        warm(one);
        warm(new PlainSoftmaxOps(2));

        double single = median(one);
        System.out.printf("single thread: %.1f us per call%n", single);

        row("own daemon helpers (parallelism 2)", new PlainSoftmaxOps(2), one);

        // the other core busy with a spinning thread: the own helper is rarely scheduled
        AtomicBoolean spin = new AtomicBoolean(true);
        Thread spinner = new Thread(() -> {
            long v = 0;
            while (spin.get()) {
                v += System.nanoTime() & 1;
            }
            if (v == 42) {
                System.out.print("");
            }
        });
        spinner.setDaemon(true);
        spinner.start();
        row("own daemon helpers, the other core busy (a spinning thread)", new PlainSoftmaxOps(2), one);
        spin.set(false);
        spinner.join();

        ExecutorService single1 = Executors.newSingleThreadExecutor();
        PlainSoftmaxOps inside = new PlainSoftmaxOps(2, single1);
        single1.submit(() -> {
            row("single-thread executor, called from inside it", inside, one);
            return null;
        }).get(10, TimeUnit.MINUTES);
        single1.shutdown();

        ExecutorService busy = Executors.newFixedThreadPool(1);
        CountDownLatch release = new CountDownLatch(1);
        busy.execute(() -> {
            try {
                release.await(); // busy for the whole measurement (3 s in the issue; here until released)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        row("executor's only thread busy", new PlainSoftmaxOps(2, busy), one);
        release.countDown();
        busy.shutdown();

        ExecutorService down = Executors.newFixedThreadPool(1);
        down.shutdown();
        row("executor shut down", new PlainSoftmaxOps(2, down), one);

        row("executor throws RejectedExecutionException", new PlainSoftmaxOps(2, task -> {
            throw new RejectedExecutionException("full");
        }), one);

        PlainSoftmaxOps two = new PlainSoftmaxOps(2);
        Thread.currentThread().interrupt();
        float[] y = new float[x.length];
        two.softmax(rows, cols, x, 0, y, 0);
        boolean kept = Thread.interrupted();
        System.out.printf("interrupted caller: %s result, interrupt flag %s%n",
                Arrays.equals(y, expected) ? "same" : "DIFFERENT", kept ? "kept" : "LOST");
    }

    private static void warm(PlainSoftmaxOps ops) {
        float[] y = new float[x.length];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
            ops.softmax(rows, cols, x, 0, y, 0);
        }
    }

    /** Median over rounds of the mean time per call of a round (about 20 ms of calls), in microseconds. */
    private static double median(PlainSoftmaxOps ops) {
        float[] y = new float[x.length];
        ops.softmax(rows, cols, x, 0, y, 0);
        if (!Arrays.equals(y, expected)) {
            throw new AssertionError("different bits: " + ops.description());
        }
        long t0 = System.nanoTime();
        ops.softmax(rows, cols, x, 0, y, 0);
        long one = Math.max(1, System.nanoTime() - t0);
        int calls = (int) Math.max(3, Math.min(1000, 20_000_000 / one));
        double[] perCall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                ops.softmax(rows, cols, x, 0, y, 0);
            }
            perCall[r] = (System.nanoTime() - start) / 1e3 / calls;
        }
        Arrays.sort(perCall);
        return perCall[rounds / 2];
    }

    /** Measures {@code ops} and the single-thread reference alternately, 3 times, and reports the medians. */
    private static void row(String situation, PlainSoftmaxOps ops, PlainSoftmaxOps one) {
        double[] a = new double[3];
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            a[i] = median(ops);
            b[i] = median(one);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        report(situation, a[1], b[1], "same bits, no hang");
    }

    private static void report(String situation, double us, double singleUs, String note) {
        System.out.printf("| %s | %.1f us | %.1f us | %.2fx | %s |%n", situation, us, singleUs, us / singleUs, note);
    }
}
