package org.softmax4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.softmax4j.BackendRegistry;
import org.softmax4j.SoftmaxOps;

/**
 * Discovery must stay cheap: finding the provider, constructing it and asking {@code unavailableReason()} must not
 * load ND4J (let alone unpack and load its natives). Checked in a fresh class loader over this test's class path, so
 * what other tests in this JVM have started does not matter: after discovery, neither ND4J's {@code Nd4j} nor this
 * module's lazy {@code Nd4jRuntime} may even have been loaded by it.
 */
class DiscoveryDoesNotLoadNativesTest {

    /** Loads every class itself (child first) except the JDK's, and tells which classes it has loaded. */
    static final class IsolatedLoader extends URLClassLoader {
        IsolatedLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        boolean hasLoaded(String className) {
            return findLoadedClass(className) != null;
        }
    }

    private static URL[] testClassPath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    @Test
    void serviceLoaderFindsTheProviderWithoutLoadingNd4j() throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader(testClassPath())) {
            long t0 = System.nanoTime();
            Class<?> spi = Class.forName("org.softmax4j.SoftmaxOps", false, loader);
            String name = null;
            String reason = "not found";
            for (Object provider : ServiceLoader.load(spi, loader)) {
                String n = (String) spi.getMethod("name").invoke(provider);
                if (n.equals("nd4j")) {
                    name = n;
                    reason = (String) spi.getMethod("unavailableReason").invoke(provider);
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("nd4j", name, "the nd4j provider is registered in META-INF/services");
            assertNull(reason, "natives for this platform are on the test class path");
            assertTrue(!loader.hasLoaded("org.nd4j.linalg.factory.Nd4j"), "discovery loaded org.nd4j...Nd4j");
            assertTrue(!loader.hasLoaded("org.softmax4j.nd4j.Nd4jRuntime"), "discovery loaded Nd4jRuntime");
            assertTrue(!loader.hasLoaded("org.bytedeco.javacpp.Loader"), "discovery loaded JavaCPP's Loader");
            // ND4J's own start takes 0.4 s warm and ~3 s cold; discovery takes milliseconds (class loading)
            assertTrue(millis < 2_000, "discovery took " + millis + " ms");
        }
    }

    @Test
    void aMissingPlatformIsAReasonNotACrash() {
        String before = System.getProperty(NativeLibraries.PLATFORM_PROPERTY);
        try {
            System.setProperty(NativeLibraries.PLATFORM_PROPERTY, "plan9-mips");
            String reason = new Nd4jSoftmaxOps().unavailableReason();
            assertNotNull(reason);
            assertTrue(reason.contains("plan9-mips") && reason.contains("nd4j-native"), reason);
            BackendRegistry registry = BackendRegistry.of(List.of(Nd4jSoftmaxOps::new));
            assertTrue(registry.backends().isEmpty());
            assertTrue(registry.skipped().get(0).startsWith("nd4j: "), registry.skipped().toString());
        } finally {
            if (before == null) {
                System.clearProperty(NativeLibraries.PLATFORM_PROPERTY);
            } else {
                System.setProperty(NativeLibraries.PLATFORM_PROPERTY, before);
            }
        }
    }

    @Test
    void thePlatformNameIsJavaCppsForThisMachine() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (os.startsWith("linux") && arch.equals("amd64")) {
            assertEquals("linux-x86_64", NativeLibraries.platform());
        }
        SoftmaxOps ops = new Nd4jSoftmaxOps();
        assertNull(ops.unavailableReason());
        assertEquals(50, ops.priority());
    }
}
