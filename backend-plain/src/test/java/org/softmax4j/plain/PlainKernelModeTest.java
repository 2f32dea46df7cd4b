package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/**
 * The build runs this module's tests, the conformance kit among them, twice (backend-plain/pom.xml): without
 * {@code jdk.incubator.vector}, where plain must use its scalar float32 kernels, and with it
 * ({@code softmax4j.test.expectSimd=true}), where it must use the SIMD ones. A flag lost on the way would otherwise run the kit twice on the same kernels.
 */
class PlainKernelModeTest {

    @Test
    void plainUsesTheKernelsThisExecutionPromises() {
        boolean expectSimd = Boolean.getBoolean("softmax4j.test.expectSimd");
        boolean moduleLoaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(expectSimd, moduleLoaded, "jdk.incubator.vector in this JVM");
        SoftmaxOps plain = Softmax.ops("plain");
        String d = plain.description();
        assertTrue(d.contains(expectSimd ? "float32: SIMD" : "float32: scalar"), d);
    }
}
