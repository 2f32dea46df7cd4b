package org.softmax4j.nd4j;

import org.bytedeco.javacpp.BooleanPointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between Java arrays and native arrays, the cheapest way ND4J allows: one bulk JNI copy (JavaCPP
 * {@code Pointer.put/get(array, offset, length)}, a memcpy of the region) into an array allocated in the caller's
 * active workspace, so a warm call neither allocates native memory nor goes through {@code DataBuffer.setData}
 * (about 150 times slower, element by element).
 */
final class Buffers {

    private Buffers() {
    }

    static INDArray in(double[] a, int offset, long rows, long cols) {
        INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, rows, cols);
        ((DoublePointer) x.data().addressPointer()).put(a, offset, (int) (rows * cols));
        return x;
    }

    static INDArray in(float[] a, int offset, long rows, long cols) {
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, rows, cols);
        ((FloatPointer) x.data().addressPointer()).put(a, offset, (int) (rows * cols));
        return x;
    }

    static INDArray in(int[] a, int offset, long n) {
        INDArray x = Nd4j.createUninitialized(DataType.INT, n);
        ((IntPointer) x.data().addressPointer()).put(a, offset, (int) n);
        return x;
    }

    static INDArray in(boolean[] a, int offset, long rows, long cols) {
        INDArray x = Nd4j.createUninitialized(DataType.BOOL, rows, cols);
        ((BooleanPointer) x.data().addressPointer()).put(a, offset, (int) (rows * cols));
        return x;
    }

    /** Copies {@code x} (cast to float64 natively if needed) into {@code a[offset ..]}. */
    static void out(INDArray x, double[] a, int offset) {
        INDArray c = contiguous(x, DataType.DOUBLE);
        ((DoublePointer) c.data().addressPointer()).get(a, offset, (int) c.length());
    }

    /** Copies {@code x} (rounded to float32 natively if needed) into {@code a[offset ..]}. */
    static void out(INDArray x, float[] a, int offset) {
        INDArray c = contiguous(x, DataType.FLOAT);
        ((FloatPointer) c.data().addressPointer()).get(a, offset, (int) c.length());
    }

    /** Copies integer indices into {@code a[offset ..]}. */
    static void out(INDArray x, int[] a, int offset) {
        INDArray c = contiguous(x, DataType.INT);
        ((IntPointer) c.data().addressPointer()).get(a, offset, (int) c.length());
    }

    static void outLong(INDArray x, long[] a, int offset) {
        INDArray c = contiguous(x, DataType.LONG);
        ((LongPointer) c.data().addressPointer()).get(a, offset, (int) c.length());
    }

    /** @return {@code x} itself if it is a c-ordered, offset-0 array of {@code type}, else a native copy that is */
    private static INDArray contiguous(INDArray x, DataType type) {
        INDArray c = x.dataType() == type ? x : x.castTo(type);
        if (c.isView() || c.ordering() != 'c' || c.offset() != 0 || c.data().length() != c.length()) {
            c = c.dup('c');
        }
        return c;
    }
}
