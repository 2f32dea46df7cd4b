package org.softmax4j.nd4j;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * This thread's native buffers, reused from call to call: a warm call of the same shape allocates no native memory
 * and creates no {@link INDArray}. Buffers are detached (never in a workspace, even when the caller has one open),
 * c-ordered and keyed by dtype, shape and slot.
 *
 * <p>Memory policy: a call takes what it needs; when it ends ({@link #close()}), the least recently used buffers that
 * the call did not touch are closed (their native memory freed at once, {@link INDArray#close()}) until the thread
 * retains at most {@link #RETAINED_BYTES} (64 MB by default, {@code -Dsoftmax4j.nd4j.scratchBytes=N}), so a thread
 * retains at most {@code max(RETAINED_BYTES, its last call's working set)}. Java scratch arrays follow the same rule.
 * A thread that ends leaves its buffers to ND4J's deallocator (freed when the garbage collector finds them).
 */
final class Scratch implements AutoCloseable {

    /** What a thread may keep between calls, in bytes. */
    static final long RETAINED_BYTES = Long.getLong("softmax4j.nd4j.scratchBytes", 64L << 20);

    static {
        Nd4jRuntime.start();
    }

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    /** The slot of {@link #broadcastOperand}: negative, as the constants' (-1, -2), apart from the callers' slots. */
    private static final int BROADCAST_OPERAND = -3;

    private record Key(DataType type, long rows, long cols, int slot) {
    }

    private static final class Entry {
        final Object buffer;
        final long bytes;
        long generation;

        Entry(Object buffer, long bytes) {
            this.buffer = buffer;
            this.bytes = bytes;
        }
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private INDArray scalar;
    private INDArray count;
    private long bytes;
    private long generation;
    private int depth;

    private Scratch() {
    }

    /** @return this thread's scratch, opened for one call; close it when the call's results are copied out */
    static Scratch open() {
        Scratch s = LOCAL.get();
        if (s.depth++ == 0) {
            s.generation++;
        }
        return s;
    }

    /** The bytes this thread retains (for tests). */
    static long retainedBytes() {
        return LOCAL.get().bytes;
    }

    /** @return a float64 {@code rows x cols} buffer, contents undefined */
    INDArray matrix(int slot, long rows, long cols) {
        return array(DataType.DOUBLE, rows, cols, slot);
    }

    /** @return a float32 {@code rows x cols} buffer, contents undefined */
    INDArray floats(int slot, long rows, long cols) {
        return array(DataType.FLOAT, rows, cols, slot);
    }

    /** @return a boolean {@code rows x cols} buffer, contents undefined */
    INDArray booleans(long rows, long cols) {
        return array(DataType.BOOL, rows, cols, 0);
    }

    /** @return a float64 vector of {@code n} values (one per row: a row reduction's output), contents undefined */
    INDArray column(int slot, long n) {
        return array(DataType.DOUBLE, n, -1, slot);
    }

    /**
     * @return a float64 {@code n x 1} matrix, the per-row operand of {@link LegacyOps#broadcastColumn}, contents
     *         undefined. Not a vector of {@code n}: libnd4j's broadcast along the columns ran 10 to 20 times slower
     *         with one (64x32000 float64: 8.9 against 0.46 ms), which made log-softmax 4x ND4J's own op at that shape.
     *         (Row reductions keep their vector output: into an {@code n x 1} output, the row maximum of an
     *         {@code n x 1} matrix is a copy in libnd4j, NaN kept where its maximum skips NaN.)
     */
    INDArray broadcastOperand(long n) {
        return array(DataType.DOUBLE, n, 1, BROADCAST_OPERAND);
    }
    /** @return a float64 vector of {@code n} values (the row operand of a broadcast along the rows), contents undefined */
    INDArray vector(int slot, long n) {
        return array(DataType.DOUBLE, n, -1, slot);
    }

    /** @return this thread's float64 scalar, the operand of {@link LegacyOps#scalar} (its value is overwritten) */
    INDArray scalar() {
        if (scalar == null) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                scalar = Nd4j.scalar(0.0);
            }
        }
        return scalar;
    }

    /** @return this thread's int64 scalar, the count of {@link LegacyOps#countFinite} (its value is overwritten) */
    INDArray count() {
        if (count == null) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                count = Nd4j.scalar(0L);
            }
        }
        return count;
    }

    /** @return a float64 {@code rows x cols} buffer of {@code -inf} (kept filled: never write it) */
    INDArray negativeInfinities(long rows, long cols) {
        return constant(-1, Double.NEGATIVE_INFINITY, rows, cols);
    }

    /** @return a float64 {@code rows x cols} buffer of zeros (kept filled: never write it) */
    INDArray zeros(long rows, long cols) {
        return constant(-2, 0.0, rows, cols);
    }

    private INDArray constant(int slot, double value, long rows, long cols) {
        Key key = new Key(DataType.DOUBLE, rows, cols, slot);
        Entry e = entries.get(key);
        if (e == null) {
            INDArray a = create(DataType.DOUBLE, rows, cols);
            a.assign(value);
            e = put(key, a, rows * cols * 8);
        }
        e.generation = generation;
        return (INDArray) e.buffer;
    }

    /** @return a Java scratch array of at least {@code n} doubles, contents undefined */
    double[] doubles(int slot, int n) {
        Key key = new Key(DataType.DOUBLE, n, -2, slot);
        Entry e = entries.get(key);
        if (e == null) {
            e = put(key, new double[n], 8L * n);
        }
        e.generation = generation;
        return (double[]) e.buffer;
    }

    /** @return a Java scratch array of at least {@code n} floats, contents undefined */
    float[] floats(int slot, int n) {
        Key key = new Key(DataType.FLOAT, n, -2, slot);
        Entry e = entries.get(key);
        if (e == null) {
            e = put(key, new float[n], 4L * n);
        }
        e.generation = generation;
        return (float[]) e.buffer;
    }

    private INDArray array(DataType type, long rows, long cols, int slot) {
        Key key = new Key(type, rows, cols, slot);
        Entry e = entries.get(key);
        if (e == null) {
            long n = cols < 0 ? rows : rows * cols;
            e = put(key, create(type, rows, cols), n * type.width());
        }
        e.generation = generation;
        return (INDArray) e.buffer;
    }

    private static INDArray create(DataType type, long rows, long cols) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return cols < 0 ? Nd4j.createUninitializedDetached(type, rows)
                    : Nd4j.createUninitializedDetached(type, 'c', rows, cols);
        }
    }

    private Entry put(Key key, Object buffer, long size) {
        Entry e = new Entry(buffer, size);
        entries.put(key, e);
        bytes += size;
        return e;
    }

    /** Ends the call: frees the least recently used buffers it did not use while over the budget. */
    @Override
    public void close() {
        if (--depth > 0) {
            return;
        }
        Iterator<Entry> it = entries.values().iterator();
        while (bytes > RETAINED_BYTES && it.hasNext()) {
            Entry e = it.next();
            if (e.generation == generation) {
                continue;
            }
            it.remove();
            bytes -= e.bytes;
            if (e.buffer instanceof INDArray a && a.closeable()) {
                a.close();
            }
        }
    }
}
