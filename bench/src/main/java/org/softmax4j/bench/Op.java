package org.softmax4j.bench;

/**
 * The measured operations, named after their {@code @Benchmark} methods, with the memory traffic each must cause
 * at least: the number of {@code rows x cols} arrays it reads or writes once (softmax reads {@code x} and writes
 * {@code y}: 2, i.e. 8 bytes per float32 element).
 */
public enum Op {
    SOFTMAX("softmax", Kind.ROW_WISE, 2),
    LOG_SOFTMAX("logSoftmax", Kind.ROW_WISE, 2),
    /** Reads {@code y} and {@code dy}, writes {@code dx}. */
    SOFTMAX_BACKWARD("softmaxBackward", Kind.ROW_WISE, 3),
    /** The fused sparse softmax cross-entropy with logits + gradient: reads the logits, writes the gradient. */
    SPARSE_CROSS_ENTROPY("sparseCrossEntropy", Kind.ROW_WISE, 2),
    /** The fused dense-label softmax cross-entropy with logits + gradient: reads logits and labels, writes the gradient. */
    DENSE_CROSS_ENTROPY("denseCrossEntropy", Kind.ROW_WISE, 3),
    /** {@code C = A B}, 100x784 times 784x10 (the logits of a training batch). */
    MATMUL("matmul", Kind.MATRIX_PRODUCT, 0),
    /** {@code C = A^T B}, (100x784)^T times 100x10 (the weight gradient of a training batch). */
    MATMUL_TRANS_A("matmulTransA", Kind.MATRIX_PRODUCT, 0),
    /** {@code C = A B^T}, 100x784 times (10x784)^T (the logits with weights stored classes x features). */
    MATMUL_TRANS_B("matmulTransB", Kind.MATRIX_PRODUCT, 0),
    /**
     * One SGD step of the README's 2-layer classifier with views (two products forward, the fused loss, three
     * products back): measured by the allocation probe only, to show that a step with views allocates nothing.
     */
    TRAINING_STEP_VIEWS("trainingStepViews", Kind.TRAINING, 0),
    /** The memory-bandwidth reference: {@code System.arraycopy} of the same bytes on one thread. */
    COPY_ONE_THREAD("copyOneThread", Kind.REFERENCE, 2),
    /** The memory-bandwidth reference: the same copy split by rows over one thread per core. */
    COPY_ALL_CORES("copyAllCores", Kind.REFERENCE, 2);

    /** What a figure of the op is compared with. */
    public enum Kind {
        /** Memory-bound row ops: reported in GB/s and as a fraction of the copy reference. */
        ROW_WISE,
        /** Reported in GFLOP/s. */
        MATRIX_PRODUCT,
        /** The copy the row ops are compared with. */
        REFERENCE,
        /** A whole training step: no JMH benchmark, only the allocation probe's figure. */
        TRAINING
    }

    /** The matrix product the MATMUL ops measure: m x k times k x n. */
    public static final int MATMUL_M = 100;
    public static final int MATMUL_K = 784;
    public static final int MATMUL_N = 10;
    /** The same as {@code MatmulBench}'s default {@code dims}: "MxKxN". */
    public static final String MATMUL_DIMS = MATMUL_M + "x" + MATMUL_K + "x" + MATMUL_N;

    private final String method;
    private final Kind kind;
    private final int arraysMoved;

    Op(String method, Kind kind, int arraysMoved) {
        this.method = method;
        this.kind = kind;
        this.arraysMoved = arraysMoved;
    }

    /** @return the {@code @Benchmark} method name, also the name used on the command line */
    public String method() {
        return method;
    }

    public Kind kind() {
        return kind;
    }

    /** @return the least number of bytes the op must move for one element of the given type */
    public long bytesPerElement(Dtype dtype) {
        return (long) arraysMoved * dtype.bytes();
    }

    /** @return the floating-point operations of one call of a matrix-product op */
    public static long matmulFlops() {
        return 2L * MATMUL_M * MATMUL_K * MATMUL_N;
    }

    /** @return the op whose method name is given, case-insensitive */
    public static Op parse(String text) {
        for (Op op : values()) {
            if (op.method.equalsIgnoreCase(text.trim()) || op.name().equalsIgnoreCase(text.trim())) {
                return op;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Op op : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(op.method);
        }
        throw new IllegalArgumentException("op: expected one of " + names + ", got '" + text + "'");
    }
}
