package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

/** Checks of {@link VectorOpCaches}, in a class of their own so that only the SIMD test run loads the Vector API. */
final class VectorOpCachesCheck {

    private VectorOpCachesCheck() {
    }

    /**
     * The fill reaches every kind of operator with a cache (unary, binary, ternary, associative) on the lane types
     * that have it, among them every operator the kernels use, skips operators a lane type does not have, and runs
     * once per JVM.
     */
    static void assertKernelsFillTheCaches() {
        Set<String> filled = VectorOpCaches.fill();
        for (String pair : List.of("float ADD", "float SUB", "float MUL", "float DIV", "float MAX", "float MIN",
                "float NEG", "float ABS", "float FMA", "double ADD", "double SUB", "double MUL", "double DIV",
                "double MAX", "double MIN", "double NEG", "double ABS", "double FMA", "int ADD", "int AND", "int OR",
                "int LSHL", "int ASHR", "long ADD", "long AND", "long OR", "long LSHR", "long LSHL")) {
            assertTrue(filled.contains(pair), () -> pair + " not filled: " + filled);
        }
        for (String absent : List.of("float AND", "double LSHL", "int FMA")) {
            assertFalse(filled.contains(absent), () -> absent + " filled: " + filled);
        }
        assertTrue(VectorOpCaches.fill() == filled, "filled once per JVM");
    }
}
