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
    /** Softmax with a temperature (0.7). The ops of kind {@link Kind#KERNELS} follow: {@code Float32OpsBench}. */
    SOFTMAX_TEMPERATURE("softmaxTemperature", Kind.KERNELS, 0),
    /** Softmax over the kept classes (a quarter of them masked, never a row's target). */
    MASKED_SOFTMAX("maskedSoftmax", Kind.KERNELS, 0),
    MASKED_LOG_SOFTMAX("maskedLogSoftmax", Kind.KERNELS, 0),
    MASKED_LOG_SUM_EXP("maskedLogSumExp", Kind.KERNELS, 0),
    MASKED_SPARSE_CROSS_ENTROPY("maskedSparseCrossEntropy", Kind.KERNELS, 0),
    MASKED_DENSE_CROSS_ENTROPY("maskedDenseCrossEntropy", Kind.KERNELS, 0),
    LOG_SOFTMAX_BACKWARD("logSoftmaxBackward", Kind.KERNELS, 0),
    /** The sparse cross-entropy with class weights and label smoothing 0.1. */
    SPARSE_CROSS_ENTROPY_WEIGHTED_SMOOTHED("sparseCrossEntropyWeightedSmoothed", Kind.KERNELS, 0),
    /** The dense-label cross-entropy with class weights and label smoothing 0.1. */
    DENSE_CROSS_ENTROPY_WEIGHTED_SMOOTHED("denseCrossEntropyWeightedSmoothed", Kind.KERNELS, 0),
    /** Keras' categorical cross-entropy from probabilities, soft labels. */
    CROSS_ENTROPY_FROM_PROBABILITIES("crossEntropyFromProbabilities", Kind.KERNELS, 0),
    /** The same with one-hot labels. */
    CROSS_ENTROPY_FROM_PROBABILITIES_ONE_HOT("crossEntropyFromProbabilitiesOneHot", Kind.KERNELS, 0),
    ARGMAX("argmax", Kind.KERNELS, 0),
    /** The 5 largest entries of each row, values and indices. */
    TOP_K5("topK5", Kind.KERNELS, 0),
    /** The Jacobian of one row's softmax, {@code cols x cols}. */
    JACOBIAN("jacobian", Kind.KERNELS, 0),
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
        TRAINING,
        /**
         * The other float32 ops of a training or inference loop, measured on plain's SIMD and on its scalar kernels
         * side by side ({@code Float32OpsBench}, 256x1000), with plain's softmax and dense cross-entropy: the
         * performance issue's "each newly vectorised op" targets. Not a comparison of backends.
         */
        KERNELS
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
