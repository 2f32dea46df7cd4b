package org.softmax4j.plain;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the rows of one call on the calling thread and up to {@code parallelism - 1} helpers, with the work claimed
 * dynamically: the rows are cut into blocks and every thread, the caller included, takes the next block from one
 * atomic counter until none is left. The caller never waits for a helper that has not started: it claims blocks as
 * long as there are any, then waits only for the blocks a running helper has claimed (and is computing). So a helper
 * that is never scheduled (a busy or single-thread executor, a call made from inside that executor, a loaded
 * machine) costs nothing but the caller doing all the blocks, and no call can deadlock.
 *
 * <p>A row is always computed whole by one thread with the same code, so results are the same bits for any number of
 * threads and any scheduling. Nothing is allocated per call: the job and the helpers' {@link Runnable} are reused,
 * and the helpers are daemon threads started on first use, or tasks of the {@link Executor} the user supplied.
 *
 * <p>The user's executor may refuse: a task it rejects ({@code execute} throws), or an {@link ExecutorService} that is
 * shut down, means the call runs on the caller alone (same result); the first time, one {@link System.Logger} warning
 * says so. Nothing is retried for {@value #RETRY_AFTER_MS} ms after a rejection (a rejecting executor would otherwise
 * cost an exception per call). At most {@code parallelism - 1} tasks of the team wait in the executor's queue at any
 * time (a task that starts late helps whatever call is running then, or returns at once), unless none has started
 * for {@value #RETRY_AFTER_MS} ms (an executor that drops tasks silently): then {@code parallelism - 1} more, with the
 * delay doubling up to {@value #MAX_STALE_MS} ms while none starts.
 *
 * <p>One call at a time holds the team ({@link #tryAcquire}); a second thread calling meanwhile runs its rows alone
 * (same results). A block that throws stops the call: the other threads skip the blocks left, and the first
 * exception is rethrown to the caller, once; the team stays usable.
 */
final class RowTeam {

    /** A call's work: rows {@code [from, to)} of whatever the caller set up. */
    abstract static class Job {
        abstract void run(int from, int to);
    }

    /** Spins before parking: a thread woken again within this many spins skips the park/unpark round trip. */
    private static final int SPINS = 1 << 10;
    /** Blocks per thread of a call: the most a late or preempted helper can hold up the caller is one block. */
    static final int BLOCKS_PER_THREAD = 8;
    /** The fewest elements of a block (fewer blocks for smaller calls): a claim costs an atomic update. */
    static final int MIN_BLOCK_ELEMENTS = 1 << 14;
    /** Rows narrower than this go 16 at a time in the SIMD kernels: blocks are then multiples of 16 rows. */
    private static final int NARROW_COLS = 32;
    /** The most blocks of a call (the state packs the block counter in 16 bits). */
    private static final int MAX_BLOCKS = 0xFFFF;
    /** After a rejection, the executor is not asked again for this long. */
    static final long RETRY_AFTER_MS = 1000;
    private static final long RETRY_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MS);
    /** The longest wait before handing over more tasks while none of those waiting has started. */
    static final long MAX_STALE_MS = 64_000;
    private static final long MAX_STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_STALE_MS);

    private static final System.Logger LOG = System.getLogger(RowTeam.class.getName());

    private final int parallelism;
    private final Executor executor;
    private final AtomicBoolean busy = new AtomicBoolean();
    /**
     * The call's claim state: {@code generation << 32 | blocks << 16 | next}. A claim is a CAS of {@code next} to
     * {@code next + 1} within the same generation, so a helper from an earlier call can never claim a later call's
     * block with stale bounds; once claimed, the call cannot end before that block is done, so the fields below
     * (written before the state is published) are the claimed call's.
     */
    private final AtomicLong state = new AtomicLong();
    /** Blocks of the current call that are done (or skipped after a failure). */
    private final AtomicInteger done = new AtomicInteger();
    /** The first exception of the current call. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Executor mode: tasks handed to the executor that have not started yet. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final Runnable task = this::executorTask;
    private Thread[] helpers;
    private boolean helpersFailed;
    /** Executor mode, only touched by the thread holding the team: when tasks were last handed over or refused. */
    private long lastSubmit;
    private long staleAfter = RETRY_AFTER_NANOS;
    private long refusedAt;
    private boolean refused;

    // the call's fields: written by the caller before it publishes the state
    private Job job;
    private int rows;
    private int blockRows;
    private Thread caller;

    /**
     * @param parallelism threads per call, {@code >= 2}
     * @param executor    runs the helper tasks; null for the team's own daemon threads
     */
    RowTeam(int parallelism, Executor executor) {
        this.parallelism = parallelism;
        this.executor = executor;
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
        caller = null;
        busy.set(false);
    }

    /**
     * Runs {@code job} over {@code rows} rows of {@code cols} elements, split into blocks claimed by this thread and
     * whichever helpers start in time; the caller holds the team. Returns when every block is done.
     */
    void run(Job job, int rows, int cols) {
        int per = Math.max(ceilDiv(rows, BLOCKS_PER_THREAD * parallelism),
                ceilDiv(MIN_BLOCK_ELEMENTS, Math.max(1, cols)));
        if (cols < NARROW_COLS) {
            per = (per + 15) & ~15;
        }
        per = Math.max(per, ceilDiv(rows, MAX_BLOCKS));
        int blocks = ceilDiv(rows, per);
        this.job = job;
        this.rows = rows;
        this.blockRows = per;
        this.caller = Thread.currentThread();
        done.set(0);
        failure.set(null);
        long generation = (state.get() >>> 32) + 1;
        state.set(generation << 32 | (long) blocks << 16); // publishes the fields above
        if (blocks > 1) {
            callHelpers();
        }
        work();
        for (int spin = 0; done.get() != blocks; spin++) {
            // only blocks a running helper has claimed are left
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            failure.set(null);
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new IllegalStateException(t);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    /** Claims and runs blocks of the current call until none is left; by the caller and the helpers alike. */
    private void work() {
        while (true) {
            long s = state.get();
            int blocks = (int) (s >>> 16) & 0xFFFF;
            int next = (int) s & 0xFFFF;
            if (next >= blocks) {
                return;
            }
            if (!state.compareAndSet(s, s + 1)) {
                continue;
            }
            // block `next` is ours: the call cannot end before we count it done, so these are its fields
            Thread waiting = caller;
            if (failure.get() == null) {
                try {
                    int from = next * blockRows;
                    job.run(from, Math.min(rows, from + blockRows));
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
            if (done.incrementAndGet() == blocks && waiting != Thread.currentThread()) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /** Wakes the own helpers, or hands tasks to the user's executor (unless it refuses). */
    private void callHelpers() {
        if (executor == null) {
            if (startHelpers()) {
                for (Thread helper : helpers) {
                    LockSupport.unpark(helper);
                }
            }
            return;
        }
        long now = System.nanoTime();
        if (refused && now - refusedAt < RETRY_AFTER_NANOS) {
            return;
        }
        refused = false;
        if (executor instanceof ExecutorService && ((ExecutorService) executor).isShutdown()) {
            refuse(now, "is shut down", null);
            return;
        }
        // at most parallelism - 1 of our tasks wait in its queue (they serve any later call), unless none has
        // started for a while (an executor that drops tasks silently): then parallelism - 1 more, counting the
        // waiting ones as lost, and the next such delay twice as long
        int wanted = parallelism - 1;
        int waiting = queued.get();
        int count;
        if (waiting < wanted) {
            count = wanted - waiting;
            staleAfter = RETRY_AFTER_NANOS;
        } else if (now - lastSubmit > staleAfter) {
            queued.addAndGet(-waiting);
            count = wanted;
            staleAfter = Math.min(2 * staleAfter, MAX_STALE_NANOS);
        } else {
            return;
        }
        for (int i = 0; i < count; i++) {
            queued.incrementAndGet();
            try {
                executor.execute(task);
            } catch (RuntimeException e) {
                queued.decrementAndGet();
                refuse(now, "refused a task (" + e + ")", e);
                return;
            }
            lastSubmit = now;
        }
    }

    private void refuse(long now, String why, Throwable e) {
        refused = true;
        refusedAt = now;
        if (warned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "softmax4j plain: the executor " + why
                    + "; large calls run on the calling thread alone (same results, no parallelism) while it"
                    + " refuses. This warning is given once.", e);
        }
    }

    private void executorTask() {
        queued.getAndUpdate(q -> q > 0 ? q - 1 : 0); // not below 0 if counted as lost before it started
        work();
    }

    /** @return true if the helper threads run (started now or before); false if they could not be started */
    private synchronized boolean startHelpers() {
        if (helpers != null) {
            return true;
        }
        if (helpersFailed) {
            return false;
        }
        Thread[] threads = new Thread[parallelism - 1];
        try {
            for (int w = 0; w < threads.length; w++) {
                Thread thread = new Thread(this::helperLoop, "softmax4j-plain-" + (w + 1));
                thread.setDaemon(true);
                thread.start();
                threads[w] = thread;
            }
        } catch (RuntimeException | Error e) { // e.g. OutOfMemoryError: unable to create native thread
            helpersFailed = true;
            if (warned.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "softmax4j plain: could not start its helper threads;"
                        + " large calls run on the calling thread alone (same results). This warning is given once.",
                        e);
            }
            Thread[] started = java.util.Arrays.stream(threads).filter(t -> t != null).toArray(Thread[]::new);
            if (started.length == 0) {
                return false;
            }
            threads = started;
        }
        helpers = threads;
        return true;
    }

    private void helperLoop() {
        while (true) {
            for (int spin = 0; !claimable(state.get()); spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    Thread.interrupted(); // our own thread: an interrupt must not turn the park into a spin
                }
            }
            work();
        }
    }

    private static boolean claimable(long s) {
        return (s & 0xFFFF) < ((s >>> 16) & 0xFFFF);
    }

    /** For tests: executor tasks handed over and not started yet. */
    int queuedTasks() {
        return queued.get();
    }
}
