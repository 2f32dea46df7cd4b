package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.fuzz.CaseRunner;
import org.softmax4j.conformance.fuzz.FuzzCase;
import org.softmax4j.conformance.fuzz.Outcome;
import org.softmax4j.conformance.fuzz.ReproducibilityProbe;

/**
 * One backend instance shared by {@value #THREADS} threads, each making {@value #CALLS_PER_THREAD} mixed calls (or as
 * many as {@value #SECONDS} seconds allow)
 * (every op, both dtypes, random shapes, options, offsets and in-place use): every result must have the same bits as
 * the same call made on one thread, and no call may write outside its own output regions (checked with canaries).
 * The expected results are computed single-threaded after a warm-up, so that the comparison is between threads, not
 * between JIT tiers ({@link ReproducibilityTests} covers those).
 */
public abstract class ConcurrencyTests {

    static final int THREADS = 8;
    static final int CALLS_PER_THREAD = 10_000;
    /**
     * Seconds the threads may run before they stop short of their calls ({@code -Dsoftmax4j.concurrency.seconds},
     * 0 for none): plain and EJML make all 80,000 calls in a few seconds; a backend with a high cost per call (ND4J)
     * makes fewer, and the log line says how many.
     */
    static final double SECONDS = 30;
    /** Distinct calls in the pool the threads draw from. */
    static final int POOL = 600;

    /** @return the backend under test */
    protected abstract SoftmaxOps ops();

    @Test
    @KitName("8 threads sharing one instance get the single-threaded bits on 10,000 mixed calls each")
    void sharedInstanceGivesTheSingleThreadedBits() throws Exception {
        SoftmaxOps ops = ops();
        List<FuzzCase> pool = ReproducibilityProbe.pool(0x5EED_C0DEL, POOL);
        long warmDeadline = System.nanoTime() + 10_000_000_000L;
        for (int warm = 0; warm < 3 && System.nanoTime() < warmDeadline; warm++) {
            for (FuzzCase c : pool) {
                CaseRunner.run(ops, c);
            }
        }
        List<Outcome> expected = new ArrayList<>(pool.size());
        for (FuzzCase c : pool) {
            expected.add(CaseRunner.run(ops, c));
        }
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicLong calls = new AtomicLong();
        double seconds = Double.parseDouble(System.getProperty("softmax4j.concurrency.seconds", Double.toString(SECONDS)));
        long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 1000 + t;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    start.await(60, TimeUnit.SECONDS);
                    for (int i = 0; i < CALLS_PER_THREAD && firstFailure.get() == null
                            && (i < 1 || System.nanoTime() < deadline); i++) {
                        calls.incrementAndGet();
                        int index = random.nextInt(pool.size());
                        FuzzCase c = pool.get(index);
                        String diff = expected.get(index).firstBitDifference(CaseRunner.run(ops, c));
                        if (diff != null) {
                            firstFailure.compareAndSet(null, Thread.currentThread().getName() + " call " + i + ": "
                                    + diff + " (single-threaded vs concurrent) in\n  " + c);
                        }
                    }
                } catch (Throwable e) {
                    firstFailure.compareAndSet(null, Thread.currentThread().getName() + ": " + e);
                }
            }, ops.name() + "-concurrency-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(5));
            assertTrue(!thread.isAlive(), () -> thread.getName() + " did not finish within 5 minutes");
        }
        String failure = firstFailure.get();
        assertTrue(failure == null, () -> ops.name() + ": " + failure);
        System.out.println("[concurrency] " + ops.name() + ": " + calls + " of " + THREADS * CALLS_PER_THREAD
                + " calls on " + THREADS + " threads, all bitwise equal to the single-threaded results");
    }
}
