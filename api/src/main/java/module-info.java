/**
 * The softmax4j API: the {@link org.softmax4j.SoftmaxOps} SPI, backend discovery ({@link org.softmax4j.Softmax}),
 * the shared argument validation and the numeric contract (see the package documentation).
 *
 * <p>Backends are found with {@link java.util.ServiceLoader}: on the module path a backend module
 * {@code provides org.softmax4j.SoftmaxOps}; on the class path it lists its class in
 * {@code META-INF/services/org.softmax4j.SoftmaxOps}. An application module needs only
 * {@code requires org.softmax4j.api;} and a backend on the module path (or the class path).
 */
module org.softmax4j.api {
    exports org.softmax4j;

    uses org.softmax4j.SoftmaxOps;
}
