package org.softmax4j.conformance;

import java.lang.reflect.Proxy;
import org.softmax4j.SoftmaxOps;

/**
 * A kit subclass on a backend that has a name and nothing else, for the tests of the kit's own machinery (its name
 * does not end in Test: Surefire does not run it as a test class; only {@link KitGuardTest} launches it).
 */
class FakeBackendKit extends SoftmaxOpsConformanceKit {

    static final SoftmaxOps FAKE = (SoftmaxOps) Proxy.newProxyInstance(SoftmaxOps.class.getClassLoader(),
            new Class<?>[] {SoftmaxOps.class}, (proxy, m, args) -> switch (m.getName()) {
                case "name" -> "fake";
                case "priority" -> 0;
                case "description" -> "a name only";
                case "toString" -> "fake";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(m.getName());
            });

    @Override
    protected SoftmaxOps ops() {
        return FAKE;
    }
}
