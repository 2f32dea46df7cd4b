package org.softmax4j.conformance.fuzz;

/** The ops of {@link org.softmax4j.SoftmaxOps} the fuzzer drives, each with its name in {@code ErrorBounds}. */
public enum Op {
    SOFTMAX("softmax", 1),
    SOFTMAX_TEMPERATURE("softmaxTemperature", 1),
    MASKED_SOFTMAX("maskedSoftmax", 1),
    LOG_SOFTMAX("logSoftmax", 1),
    LOG_SUM_EXP("logSumExp", 0),
    SOFTMAX_BACKWARD("softmaxBackward", 2),
    LOG_SOFTMAX_BACKWARD("logSoftmaxBackward", 2),
    JACOBIAN("jacobian", 0),
    CROSS_ENTROPY("crossEntropy", 0),
    SOFTMAX_CROSS_ENTROPY("softmaxCrossEntropyWithLogits", 1),
    SPARSE_SOFTMAX_CROSS_ENTROPY("sparseSoftmaxCrossEntropyWithLogits", 1),
    ARGMAX("argmax", 0),
    TOP_K("topK", 0),
    MATMUL("matmul", 0),
    MATMUL_TRANS_A("matmulTransA", 0);

    private final String boundName;
    private final int inPlaceInputs;

    Op(String boundName, int inPlaceInputs) {
        this.boundName = boundName;
        this.inPlaceInputs = inPlaceInputs;
    }

    /** @return the op's name as {@code ErrorBounds.of} and the JSON cases spell it */
    public String boundName() {
        return boundName;
    }

    /**
     * @return how many inputs the Javadoc lets the main output share exactly (0: none; 1: the first; 2: either of the
     * first two)
     */
    public int inPlaceInputs() {
        return inPlaceInputs;
    }

    /** @return true for the two matrix products, whose shape is {@code m x k} times {@code k x n} */
    public boolean isProduct() {
        return this == MATMUL || this == MATMUL_TRANS_A;
    }
}
