package org.softmax4j.nd4j;

import org.bytedeco.javacpp.BooleanPointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies between Java arrays and native buffers the cheapest way ND4J allows: one bulk JNI copy (JavaCPP
 * {@code Pointer.put/get(array, offset, length)}, a memcpy of the region), never {@code DataBuffer.setData} (about 150
 * times slower, element by element). The native side is a c-ordered, contiguous array of the matching dtype (the
 * {@link Scratch} buffers, or a caller's array that {@link #isDense} accepts).
 */
final class Buffers {

    private Buffers() {
    }

    /**
     * @return true if {@code x} has {@code type}, starts at the beginning of its buffer and holds its elements as one
     * contiguous row-major run: then native ops and pointers may use it directly
     */
    static boolean isDense(INDArray x, DataType type) {
        if (x.dataType() != type || x.offset() != 0) {
            return false;
        }
        long expected = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            if (x.size(d) != 1 && x.stride(d) != expected) {
                return false;
            }
            expected *= x.size(d);
        }
        return true;
    }

    /**
     * The first element of a buffer, without the garbage of {@link DataBuffer#addressPointer()} (which asks libnd4j for
     * the address and wraps it in three new objects on every call: most of this backend's heap allocation per op, when
     * each native op's shape went through it): the buffer's own typed pointer where it is one (not a view of another
     * buffer, no offset). That pointer is ND4J's: never move it or write through it here; {@link #doubles} and
     * {@link #floats} wrap it in a pointer of the caller's.
     */
    static Pointer address(DataBuffer b) {
        DataBuffer under = b.underlyingDataBuffer();
        Pointer own = b.pointer();
        return (under == null || under == b) && b.offset() == 0 && own != null ? own : b.addressPointer();
    }

    /** @return the native shape information of {@code a}, as libnd4j's ops take it (ND4J's pointer: never move it) */
    static LongPointer shape(INDArray a) {
        Pointer p = address(a.shapeInfoDataBuffer());
        return p instanceof LongPointer l ? l : new LongPointer(p);
    }

    /** @return a new pointer to the first element of {@code x} ({@link #isDense} float64), free to move */
    static DoublePointer doubles(INDArray x) {
        return new DoublePointer(address(x.data()));
    }

    /** @return a new pointer to the first element of {@code x} ({@link #isDense} int64), free to move */
    static LongPointer longs(INDArray x) {
        return new LongPointer(address(x.data()));
    }

    /** @return a new pointer to the first element of {@code x} ({@link #isDense} float32), free to move */
    static FloatPointer floats(INDArray x) {
        return new FloatPointer(address(x.data()));
    }

    static void in(double[] a, int offset, INDArray dst) {
        doubles(dst).put(a, offset, (int) dst.length());
    }

    static void in(float[] a, int offset, INDArray dst) {
        floats(dst).put(a, offset, (int) dst.length());
    }

    static void in(boolean[] a, int offset, INDArray dst) {
        ((BooleanPointer) dst.data().addressPointer()).put(a, offset, (int) dst.length());
    }

    static void out(INDArray src, double[] a, int offset) {
        doubles(src).get(a, offset, (int) src.length());
    }

    static void out(INDArray src, float[] a, int offset) {
        floats(src).get(a, offset, (int) src.length());
    }

    /** Copies any float64 array (a view, f-ordered, another dtype: made dense by a native copy first) into {@code a}. */
    static void outAny(INDArray x, double[] a, int offset) {
        out(dense(x, DataType.DOUBLE), a, offset);
    }

    /** Copies any array of indices into {@code a}. */
    static void outAny(INDArray x, int[] a, int offset) {
        INDArray c = dense(x, DataType.INT32);
        ((IntPointer) c.data().addressPointer()).get(a, offset, (int) c.length());
    }

    private static INDArray dense(INDArray x, DataType type) {
        INDArray c = x.dataType() == type ? x : x.castTo(type);
        return isDense(c, type) ? c : c.dup('c');
    }

    /** Reads row {@code r} of a dense float64 matrix into {@code dst} (its first {@code cols} entries). */
    static void row(INDArray m, int r, double[] dst) {
        long cols = m.size(1);
        doubles(m).position(r * cols).get(dst, 0, (int) cols);
    }

    /** Writes {@code src} (its first {@code cols} entries) into row {@code r} of a dense float64 matrix. */
    static void putRow(INDArray m, int r, double[] src) {
        long cols = m.size(1);
        doubles(m).position(r * cols).put(src, 0, (int) cols);
    }

    /** Reads {@code n} doubles of a dense float64 vector into {@code a}. */
    static void out(INDArray src, double[] a, int offset, int n) {
        doubles(src).get(a, offset, n);
    }
}
