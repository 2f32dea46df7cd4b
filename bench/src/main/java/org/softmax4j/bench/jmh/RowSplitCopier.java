package org.softmax4j.bench.jmh;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies a {@code rows x cols} array with a fixed set of threads, each taking a contiguous block of rows: the
 * multi-threaded memory-bandwidth reference. The calling thread copies the first block and {@code threads - 1}
 * parked daemon workers copy the rest, so a copy allocates nothing and starts no thread (an executor would allocate a
 * future per task, which -prof gc would charge to the reference).
 */
final class RowSplitCopier implements AutoCloseable {

    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    // Written by the caller before the volatile increment of generation, which publishes them to the workers.
    private Object source;
    private Object target;
    private int rows;
    private int cols;
    private Thread caller;
    private volatile int generation;
    private volatile boolean closed;

    /** @param threads the number of threads taking part, the caller included ({@code >= 1}) */
    RowSplitCopier(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = new Thread(() -> work(part), "row-split-copier-" + part);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** @return the number of threads a copy uses, the caller included */
    int threads() {
        return workers.length + 1;
    }

    /**
     * Copies {@code rows * cols} elements of {@code source} into {@code target} (two arrays of the same primitive
     * type), split by rows over the threads; returns when every block is done. Not reentrant: one caller at a time.
     */
    void copy(Object source, Object target, int rows, int cols) {
        this.source = source;
        this.target = target;
        this.rows = rows;
        this.cols = cols;
        this.caller = Thread.currentThread();
        pending.set(workers.length);
        generation = generation + 1;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        copyPart(0);
        while (pending.get() != 0) {
            LockSupport.park(this);
        }
    }

    private void work(int part) {
        int seen = 0;
        while (true) {
            while (generation == seen && !closed) {
                LockSupport.park(this);
            }
            if (closed) {
                return;
            }
            seen = generation;
            copyPart(part);
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void copyPart(int part) {
        int parts = threads();
        int first = (int) ((long) rows * part / parts);
        int end = (int) ((long) rows * (part + 1) / parts);
        if (end > first) {
            System.arraycopy(source, first * cols, target, first * cols, (end - first) * cols);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
