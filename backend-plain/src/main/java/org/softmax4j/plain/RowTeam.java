package org.softmax4j.plain;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits the rows of one call into {@code parallelism} contiguous blocks: the calling thread runs the first, helpers
 * the others. A row is always computed whole by one thread with the same code, so results do not depend on the
 * number of threads. Nothing is allocated per call: the job and the helpers' {@link Runnable}s are reused, and the
 * helpers are daemon threads started on first use (or tasks of the {@link Executor} the user supplied).
 *
 * <p>One call at a time holds the team ({@link #tryAcquire}); a second thread calling meanwhile runs its rows alone
 * (same results).
 */
final class RowTeam {

    /** A call's work: rows {@code [from, to)} of whatever the caller set up. */
    abstract static class Job {
        abstract void run(int from, int to);
    }

    /** Spins before parking: a helper woken again within this many spins skips the park/unpark round trip. */
    private static final int SPINS = 1 << 10;

    private final int parallelism;
    private final Executor executor;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private final Runnable[] tasks;
    private Thread[] helpers;
    private volatile int generation;
    private volatile Thread caller;
    private volatile Throwable failure;
    private Job job;
    private int rows;

    /**
     * @param parallelism threads per call, {@code >= 2}
     * @param executor    runs the helper blocks; null for the team's own daemon threads
     */
    RowTeam(int parallelism, Executor executor) {
        this.parallelism = parallelism;
        this.executor = executor;
        this.tasks = new Runnable[parallelism - 1];
        for (int w = 0; w < tasks.length; w++) {
            int block = w + 1;
            tasks[w] = () -> runBlock(block);
        }
    }

    int parallelism() {
        return parallelism;
    }

    /** @return true if this thread now holds the team (then it must {@link #release} it); false if it is busy */
    boolean tryAcquire() {
        return busy.compareAndSet(false, true);
    }

    void release() {
        job = null;
        busy.set(false);
    }

    /** Runs {@code job} over {@code rows} rows split between the threads; the caller holds the team. */
    void run(Job job, int rows) {
        this.job = job;
        this.rows = rows;
        this.failure = null;
        this.caller = Thread.currentThread();
        pending.set(tasks.length);
        if (executor != null) {
            for (Runnable task : tasks) {
                executor.execute(task);
            }
        } else {
            startHelpers();
            generation++; // publishes job and rows to the helpers
            for (Thread helper : helpers) {
                LockSupport.unpark(helper);
            }
        }
        Throwable t = null;
        try {
            runBlock0();
        } catch (RuntimeException | Error e) {
            t = e;
        }
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        if (t == null) {
            t = failure;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private void runBlock0() {
        job.run(0, rows / parallelism);
    }

    private void runBlock(int block) {
        try {
            int from = (int) ((long) rows * block / parallelism);
            int to = (int) ((long) rows * (block + 1) / parallelism);
            job.run(from, to);
        } catch (Throwable t) {
            failure = t;
        } finally {
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    private synchronized void startHelpers() {
        if (helpers != null) {
            return;
        }
        Thread[] threads = new Thread[tasks.length];
        int start = generation; // before the caller's increment: the first job is not missed
        for (int w = 0; w < threads.length; w++) {
            Runnable task = tasks[w];
            Thread thread = new Thread(() -> helperLoop(task, start), "softmax4j-plain-" + (w + 1));
            thread.setDaemon(true);
            threads[w] = thread;
        }
        helpers = threads;
        for (Thread thread : threads) {
            thread.start();
        }
    }

    private void helperLoop(Runnable task, int start) {
        int seen = start;
        while (true) {
            for (int spin = 0; generation == seen; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = generation;
            task.run();
        }
    }
}
