package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

    @Test
    void withoutTheVectorModulePlainSaysOnceHowToEnableIt() throws Exception {
        boolean expectSimd = Boolean.getBoolean("softmax4j.test.expectSimd");
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(PlainSoftmaxOps.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (FreshPlainLoader loader = new FreshPlainLoader()) {
            // a second initialisation of the class, as in a fresh JVM, and a first ServiceLoader-style construction
            Class.forName(PlainSoftmaxOps.class.getName(), true, loader).getConstructor().newInstance();
            Class.forName(PlainSoftmaxOps.class.getName(), true, loader).getConstructor().newInstance();
        } finally {
            logger.removeHandler(handler);
        }
        if (expectSimd) {
            assertEquals(List.of(), records.stream().map(LogRecord::getMessage).toList(), "SIMD runs: no notice");
        } else {
            assertEquals(1, records.size(), () -> "one notice: " + records);
            assertEquals(Level.INFO, records.get(0).getLevel());
            assertEquals("softmax4j plain: float32 kernels run scalar because the module jdk.incubator.vector is not"
                    + " in the boot layer; start the JVM with --add-modules jdk.incubator.vector for the SIMD kernels"
                    + " (3x to 35x faster on float32), or set -Dsoftmax4j.plain.scalar=true to choose scalar kernels"
                    + " without this notice", records.get(0).getMessage());
        }
        assertNull(PlainSoftmaxOps.scalarNotice(true, false), "scalar chosen: no notice");
        assertNull(PlainSoftmaxOps.scalarNotice(false, true), "SIMD: no notice");
    }

    /** Loads this module's classes again (child first), so that PlainSoftmaxOps is initialised as in a fresh JVM. */
    private static final class FreshPlainLoader extends URLClassLoader {

        FreshPlainLoader() {
            super(new URL[] {PlainSoftmaxOps.class.getProtectionDomain().getCodeSource().getLocation()},
                    PlainKernelModeTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.softmax4j.plain.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }
}
