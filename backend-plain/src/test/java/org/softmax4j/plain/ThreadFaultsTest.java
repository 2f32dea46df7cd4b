package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.softmax4j.CrossEntropyOptions;

/**
 * The row team under the executors of real applications (issue 17): a call from inside a single-thread executor, an
 * executor whose threads are all busy, a shut-down or rejecting executor, an interrupted caller, a helper that
 * throws. Each test has a time limit, so a regression to a hang fails instead of blocking the build, and every
 * result must be the bits of the single-thread call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // ends a hang too
class ThreadFaultsTest {

    /** The shape: 512 x 1000 float32, above the threshold (about 0.2-0.6 ms alone). */
    private static final int ROWS = 512;
    private static final int COLS = 1000;
    private static final float[] X = logits(ROWS * COLS, 17);
    private static final int[] CLASSES = new SplittableRandom(3).ints(ROWS, 0, COLS).toArray();
    private static final PlainSoftmaxOps ONE = new PlainSoftmaxOps(1);
    private static final float[] SOFTMAX = new float[ROWS * COLS];
    private static final float[] GRADIENT = new float[ROWS * COLS];
    private static final float LOSS;

    static {
        ONE.softmax(ROWS, COLS, X, 0, SOFTMAX, 0);
        LOSS = ONE.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, X, 0, CLASSES, 0, CrossEntropyOptions.DEFAULT,
                null, 0, GRADIENT, 0);
    }

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(RowTeam.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        log.addHandler(handler);
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void releaseWarnings() {
        log.removeHandler(handler);
        log.setUseParentHandlers(true);
    }

    private int warningCount() {
        synchronized (warnings) {
            return warnings.size();
        }
    }

    private static float[] logits(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-20, 20);
        }
        return x;
    }

    /** A softmax and a fused cross-entropy with gradient on {@code ops}, checked bit for bit. */
    private static void assertSameBits(PlainSoftmaxOps ops) {
        float[] y = new float[ROWS * COLS];
        ops.softmax(ROWS, COLS, X, 0, y, 0);
        assertArrayEquals(SOFTMAX, y, ops.description());
        float[] g = new float[ROWS * COLS];
        float loss = ops.sparseSoftmaxCrossEntropyWithLogits(ROWS, COLS, X, 0, CLASSES, 0,
                CrossEntropyOptions.DEFAULT, null, 0, g, 0);
        assertEquals(Float.floatToIntBits(LOSS), Float.floatToIntBits(loss), ops.description());
        assertArrayEquals(GRADIENT, g, ops.description());
    }

    @Test
    void callFromInsideASingleThreadExecutorDoesNotDeadlock() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            PlainSoftmaxOps ops = new PlainSoftmaxOps(2, pool);
            Future<?> inside = pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    assertSameBits(ops);
                }
            });
            inside.get(30, TimeUnit.SECONDS);
            // and from outside afterwards: the instance is fine, the queued task did no harm
            assertSameBits(ops);
            assertEquals(0, warningCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void callsFromInsideASmallPoolNestedInEachOtherDoNotDeadlock() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            PlainSoftmaxOps ops = new PlainSoftmaxOps(4, pool);
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                calls.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        assertSameBits(ops);
                    }
                }));
            }
            for (int i = 0; i < 10; i++) {
                assertSameBits(ops); // the test thread competes for the team too
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBusyExecutorCostsNoWaiting() throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                started.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS); // the executor's only thread, busy with other work
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(started.await(30, TimeUnit.SECONDS));
            PlainSoftmaxOps ops = new PlainSoftmaxOps(2, pool);
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertSameBits(ops);
            }
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            // done while the executor is still busy (before: each call waited for the busy task to end)
            assertEquals(1, release.getCount());
            assertTrue(elapsedMs < 30_000, elapsedMs + " ms");
            // no pile-up in the executor's queue: parallelism - 1 of the team's tasks wait there, plus as many again
            // per retry delay (for executors that drop tasks silently)
            int queued = pool.getQueue().size();
            assertTrue(queued <= 1 + elapsedMs / RowTeam.RETRY_AFTER_MS, queued + " queued in " + elapsedMs + " ms");
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aShutDownExecutorDegradesToTheCallerWithOneWarning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        PlainSoftmaxOps ops = new PlainSoftmaxOps(3, pool);
        assertSameBits(ops); // works while the executor runs
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            assertSameBits(ops); // no RejectedExecutionException, not broken afterwards
        }
        assertEquals(1, warningCount());
        assertTrue(warnings.get(0).getMessage().contains("shut down"), warnings.get(0).getMessage());
    }

    @Test
    void aRejectingExecutorDegradesToTheCallerWithOneWarning() throws Exception {
        AtomicInteger offered = new AtomicInteger();
        PlainSoftmaxOps ops = new PlainSoftmaxOps(2, task -> {
            offered.incrementAndGet();
            throw new RejectedExecutionException("full");
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertSameBits(ops);
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, warningCount());
        // not asked again within the retry delay: one exception per delay, not one per call
        assertTrue(offered.get() <= 1 + elapsedMs / RowTeam.RETRY_AFTER_MS, offered + " in " + elapsedMs + " ms");
        int before = offered.get();
        Thread.sleep(RowTeam.RETRY_AFTER_MS + 100);
        assertSameBits(ops);
        assertTrue(offered.get() > before); // asked again after it
        assertEquals(1, warningCount());
    }

    @Test
    void anExecutorThatThrowsSomethingElseOrDropsOrFailsTasksDegradesToo() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> { }); // the failing tasks below, expected
            return thread;
        });
        try {
            PlainSoftmaxOps throwing = new PlainSoftmaxOps(2, task -> {
                throw new IllegalStateException("not now");
            });
            PlainSoftmaxOps dropping = new PlainSoftmaxOps(2, task -> { });
            PlainSoftmaxOps failing = new PlainSoftmaxOps(2, task -> pool.execute(() -> {
                throw new IllegalStateException("a task of the executor's own failing instead of ours");
            }));
            PlainSoftmaxOps direct = new PlainSoftmaxOps(2, Runnable::run);
            for (int i = 0; i < 5; i++) {
                assertSameBits(throwing);
                assertSameBits(dropping);
                assertSameBits(failing);
                assertSameBits(direct);
            }
            assertEquals(1, warningCount()); // the throwing one, once
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterruptedCallerGetsItsResultAndKeepsItsInterrupt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            for (PlainSoftmaxOps ops : new PlainSoftmaxOps[] {new PlainSoftmaxOps(2), new PlainSoftmaxOps(2, pool)}) {
                Thread.currentThread().interrupt();
                try {
                    for (int i = 0; i < 5; i++) {
                        assertSameBits(ops);
                        assertTrue(Thread.currentThread().isInterrupted());
                    }
                } finally {
                    assertTrue(Thread.interrupted());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A job whose block on a helper thread throws: the caller holds its first block until a helper has one. */
    private static final class ThrowingJob extends RowTeam.Job {
        final Thread caller = Thread.currentThread();
        final CountDownLatch helperIn = new CountDownLatch(1);
        final AtomicInteger thrown = new AtomicInteger();

        @Override
        void run(int from, int to) {
            if (Thread.currentThread() != caller) {
                helperIn.countDown();
                thrown.incrementAndGet();
                throw new IllegalStateException("helper failed");
            }
            try {
                helperIn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts how often each row is computed. */
    private static final class CountingJob extends RowTeam.Job {
        final AtomicInteger[] runs;

        CountingJob(int rows) {
            runs = new AtomicInteger[rows];
            for (int r = 0; r < rows; r++) {
                runs[r] = new AtomicInteger();
            }
        }

        @Override
        void run(int from, int to) {
            for (int r = from; r < to; r++) {
                runs[r].incrementAndGet();
            }
        }
    }

    @Test
    void aHelperThatThrowsReachesTheCallerOnceAndTheTeamStaysUsable() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (RowTeam team : new RowTeam[] {new RowTeam(3, null), new RowTeam(3, pool)}) {
                assertTrue(team.tryAcquire());
                try {
                    ThrowingJob job = new ThrowingJob();
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> team.run(job, 1000, 1000));
                    assertEquals("helper failed", e.getMessage());
                    assertTrue(job.thrown.get() >= 1);
                    // the next call neither rethrows it nor loses rows: each row exactly once
                    for (int rows : new int[] {2, 17, 1000, 4099}) {
                        CountingJob counting = new CountingJob(rows);
                        team.run(counting, rows, 1000);
                        for (int r = 0; r < rows; r++) {
                            assertEquals(1, counting.runs[r].get(), "row " + r + " of " + rows);
                        }
                    }
                } finally {
                    team.release();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingCallerBlockReachesTheCallerOnce() {
        RowTeam team = new RowTeam(2, null);
        assertTrue(team.tryAcquire());
        try {
            Thread caller = Thread.currentThread();
            CountDownLatch callerIn = new CountDownLatch(1);
            RowTeam.Job job = new RowTeam.Job() {
                @Override
                void run(int from, int to) {
                    if (Thread.currentThread() == caller) {
                        callerIn.countDown();
                        throw new ArithmeticException("caller failed");
                    }
                    try {
                        callerIn.await(30, TimeUnit.SECONDS); // the helper's blocks wait: the caller gets one
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            assertSame(ArithmeticException.class, assertThrows(RuntimeException.class,
                    () -> team.run(job, 100, 1000)).getClass());
            CountingJob counting = new CountingJob(100);
            team.run(counting, 100, 1000);
            for (AtomicInteger runs : counting.runs) {
                assertEquals(1, runs.get());
            }
        } finally {
            team.release();
        }
    }

    @Test
    void everyThreadCountAndSchedulingGivesEveryRowOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int parallelism : new int[] {2, 3, 8}) {
                for (RowTeam team : new RowTeam[] {new RowTeam(parallelism, null), new RowTeam(parallelism, pool)}) {
                    assertTrue(team.tryAcquire());
                    try {
                        for (int rows : new int[] {2, 15, 16, 33, 512, 100_000}) {
                            for (int cols : new int[] {1, 10, 1000}) {
                                CountingJob counting = new CountingJob(rows);
                                team.run(counting, rows, cols);
                                for (int r = 0; r < rows; r++) {
                                    assertEquals(1, counting.runs[r].get());
                                }
                            }
                        }
                    } finally {
                        team.release();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondCallerWhileTheTeamIsHeldRunsAlone() throws Exception {
        PlainSoftmaxOps ops = new PlainSoftmaxOps(2);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                calls.add(callers.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        assertSameBits(ops);
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
            assertFalse(Thread.currentThread().isInterrupted());
        } finally {
            callers.shutdownNow();
        }
    }
}
