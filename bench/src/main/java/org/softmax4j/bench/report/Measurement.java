package org.softmax4j.bench.report;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;

/**
 * One JMH figure: an op on one backend, dtype and shape.
 *
 * @param op              the op
 * @param dtype           its element type
 * @param shape           {@code rows x cols} of a row op or a copy; null for a matrix product (its shape is fixed)
 * @param backend         the backend's name, {@value #MEMORY} for the copy reference
 * @param nsPerOp         mean time per call in nanoseconds
 * @param nsError         the 99.9% confidence half-width JMH gives, NaN with too few iterations
 * @param allocBytesPerOp bytes allocated per call ({@code -prof gc}'s gc.alloc.rate.norm), NaN if not profiled
 * @param warmup          the warm-up it had per fork, as {@link #warmup(int, long)} words it, null if unknown
 * @param unreliable      why the figure was taken before warm-up converged ({@link WarmupCheck}), null if it was not
 */
public record Measurement(Op op, Dtype dtype, Shape shape, String backend, double nsPerOp, double nsError,
                          double allocBytesPerOp, String warmup, String unreliable) {

    /** A figure with no warm-up facts (tests). */
    public Measurement(Op op, Dtype dtype, Shape shape, String backend, double nsPerOp, double nsError,
                       double allocBytesPerOp) {
        this(op, dtype, shape, backend, nsPerOp, nsError, allocBytesPerOp, null, null);
    }

    /** @return a warm-up in words, "3 x 600 ms": the same words for the plan (the report) and each figure */
    public static String warmup(int iterations, long millisEach) {
        return iterations + " x " + millisEach + " ms";
    }

    /** The backend name of the memory-bandwidth reference rows. */
    public static final String MEMORY = "memory";
    /** The backend name of ND4J's own native ops on data already in INDArrays (the performance issue's reference). */
    public static final String ND4J_NATIVE = "nd4j native op";
    /** The nd4j backend's INDArray entry point, {@code Nd4jSoftmax}, on the same INDArrays. */
    public static final String ND4J_INDARRAY = "nd4j INDArray";

    /** plain's float32 SIMD kernels in {@code Float32OpsBench} (the same backend as "plain", in a fork of its own). */
    public static final String PLAIN_SIMD = "plain SIMD kernels";
    /** plain's float32 scalar kernels in {@code Float32OpsBench} ({@code -Dsoftmax4j.plain.scalar=true}). */
    public static final String PLAIN_SCALAR = "plain scalar kernels";

    /**
     * @return whether this is a figure of plain's SIMD or scalar kernels ({@code Float32OpsBench}), which the report
     *         keeps out of the comparison of backends (their own table and the targets)
     */
    public boolean kernels() {
        return PLAIN_SIMD.equals(backend) || PLAIN_SCALAR.equals(backend);
    }

    /** @return the shape as the report prints it */
    public String shapeLabel() {
        if (shape != null) {
            return shape.toString();
        }
        String product = Op.MATMUL_M + "x" + Op.MATMUL_K;
        return switch (op) {
            case MATMUL -> product + " * " + Op.MATMUL_K + "x" + Op.MATMUL_N;
            case MATMUL_TRANS_B -> product + " * (" + Op.MATMUL_N + "x" + Op.MATMUL_K + ")^T";
            default -> "(" + product + ")^T * " + Op.MATMUL_M + "x" + Op.MATMUL_N;
        };
    }

    /** @return nanoseconds per matrix element (row ops and copies) */
    public double nsPerElement() {
        return nsPerOp / shape.elements();
    }

    /** @return the least bytes the op must move divided by its time, in GB/s (1e9 bytes per second) */
    public double gigabytesPerSecond() {
        return (double) op.bytesPerElement(dtype) * shape.elements() / nsPerOp;
    }

    /** @return GFLOP/s of a matrix product */
    public double gigaflopsPerSecond() {
        return Op.matmulFlops() / nsPerOp;
    }
}
