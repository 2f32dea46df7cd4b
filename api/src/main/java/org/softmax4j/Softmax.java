package org.softmax4j;

import java.util.List;

/**
 * Finds softmax4j backends on the class path with {@link java.util.ServiceLoader}, once, thread-safely.
 *
 * <pre>{@code
 * SoftmaxOps ops = Softmax.ops();            // -Dsoftmax4j.backend=..., $SOFTMAX4J_BACKEND, or highest priority
 * double[] p = ops.softmax(1.0, 2, 3, 4, 5); // [0.01166, 0.03168, 0.08613, 0.2341, 0.6364]
 * SoftmaxOps ejml = Softmax.ops("ejml");     // a named backend
 * }</pre>
 */
public final class Softmax {

    private Softmax() {
    }

    /** Initialization-on-demand holder: the JVM runs discovery exactly once, on first use, without locking after. */
    private static final class Holder {
        static final BackendRegistry REGISTRY = BackendRegistry.load(Softmax.class.getClassLoader());
    }

    /** @return the registry of the class path this library was loaded from */
    public static BackendRegistry registry() {
        return Holder.REGISTRY;
    }

    /**
     * @return the backend named by {@code -Dsoftmax4j.backend} or {@code SOFTMAX4J_BACKEND}, else the available
     * backend with the highest priority
     * @throws IllegalStateException if none is found (the message says which artifact to add)
     */
    public static SoftmaxOps ops() {
        return Holder.REGISTRY.select();
    }

    /**
     * @param name a backend name such as "plain", "ejml" or "nd4j" (case-insensitive)
     * @throws IllegalStateException if it is not on the class path (the message lists what was found)
     */
    public static SoftmaxOps ops(String name) {
        return Holder.REGISTRY.named(name);
    }

    /** @return the usable backends, highest priority first; each one's {@code toString()} gives priority and description */
    public static List<SoftmaxOps> available() {
        return Holder.REGISTRY.backends();
    }

    /** @return the providers that were found but skipped, with the reason */
    public static List<String> skipped() {
        return Holder.REGISTRY.skipped();
    }
}
