package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.softmax4j.BackendRegistry;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/** Discovery finds exactly the backends this module depends on, and copes with broken and unavailable ones. */
class BackendDiscoveryTest {

    /**
     * The backends on this module's test class path (its test-scope dependencies in conformance-all/pom.xml, whose
     * property softmax4j.expectedBackends names them; -Pnd4j adds "nd4j"). A backend module that adds itself there
     * adds its name there too, so a backend that is present but not discovered (a missing or misspelt services file)
     * fails loudly.
     */
    private static final Set<String> EXPECTED = Set.of(System.getProperty("softmax4j.expectedBackends",
            "the property softmax4j.expectedBackends, set by conformance-all/pom.xml").split(","));

    @Test
    void serviceLoaderFindsExactlyTheBackendsOnTheClassPath() {
        Set<String> names = Softmax.available().stream().map(SoftmaxOps::name).collect(Collectors.toSet());
        assertEquals(EXPECTED, names, () -> "skipped: " + Softmax.skipped());
        assertEquals(List.of(), Softmax.skipped());
        Set<String> raw = new TreeSet<>();
        ServiceLoader.load(SoftmaxOps.class).forEach(ops -> raw.add(ops.name()));
        assertEquals(new TreeSet<>(EXPECTED), raw);
    }

    @Test
    void opsReturnsTheHighestPriorityUnlessOneIsNamed() {
        List<SoftmaxOps> all = Softmax.available();
        SoftmaxOps best = all.stream().max(Comparator.comparingInt(SoftmaxOps::priority)).orElseThrow();
        assertEquals(best.priority(), all.get(0).priority(), "available() is sorted by descending priority");
        String named = System.getProperty(BackendRegistry.BACKEND_PROPERTY);
        if (named == null || named.isBlank()) {
            named = System.getenv(BackendRegistry.BACKEND_ENV);
        }
        SoftmaxOps expected = named == null || named.isBlank() ? all.get(0) : Softmax.ops(named.trim());
        assertSame(expected, Softmax.ops());
        for (SoftmaxOps ops : all) {
            assertSame(ops, Softmax.ops(ops.name().toUpperCase(java.util.Locale.ROOT)), "names are case-insensitive");
        }
    }

    @Test
    void anUnknownNameFailsListingWhatWasFound() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Softmax.ops("nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        for (SoftmaxOps ops : Softmax.available()) {
            assertTrue(e.getMessage().contains(ops.name() + " (priority " + ops.priority() + ")"), e.getMessage());
        }
    }

    @Test
    void theSystemPropertySelectsABackend() {
        BackendRegistry registry = BackendRegistry.of(List.of(() -> fake("alpha", 10, null),
                () -> fake("beta", 5, null)));
        String saved = System.getProperty(BackendRegistry.BACKEND_PROPERTY);
        try {
            System.setProperty(BackendRegistry.BACKEND_PROPERTY, "beta");
            assertEquals("beta", registry.select().name());
            System.setProperty(BackendRegistry.BACKEND_PROPERTY, " ALPHA ");
            assertEquals("alpha", registry.select().name());
            System.setProperty(BackendRegistry.BACKEND_PROPERTY, "gamma");
            IllegalStateException e = assertThrows(IllegalStateException.class, registry::select);
            assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("alpha (priority 10)")
                    && e.getMessage().contains("beta (priority 5)"), e.getMessage());
            System.clearProperty(BackendRegistry.BACKEND_PROPERTY);
            String env = System.getenv(BackendRegistry.BACKEND_ENV);
            if (env == null || env.isBlank()) {
                assertEquals("alpha", registry.select().name(), "without a name: the highest priority");
            }
        } finally {
            if (saved == null) {
                System.clearProperty(BackendRegistry.BACKEND_PROPERTY);
            } else {
                System.setProperty(BackendRegistry.BACKEND_PROPERTY, saved);
            }
        }
    }

    @Test
    void brokenAndUnavailableProvidersAreSkippedAndReported() {
        List<Supplier<SoftmaxOps>> providers = new ArrayList<>();
        providers.add(() -> {
            throw new IllegalStateException("constructor exploded");
        });
        providers.add(() -> fake("native", 100, "no native library for this platform"));
        providers.add(() -> {
            throw new UnsatisfiedLinkError("libfoo.so");
        });
        providers.add(() -> fake("good", 1, null));
        providers.add(() -> fake("good", 7, null));
        BackendRegistry registry = BackendRegistry.of(providers);
        assertEquals(List.of("good"), registry.backends().stream().map(SoftmaxOps::name).toList());
        assertEquals(1, registry.backends().get(0).priority(), "the first provider of a name wins");
        assertEquals("good", registry.select().name());
        List<String> skipped = registry.skipped();
        assertEquals(4, skipped.size(), skipped::toString);
        assertTrue(skipped.get(0).contains("constructor exploded"), skipped::toString);
        assertTrue(skipped.get(1).contains("native") && skipped.get(1).contains("no native library"),
                skipped::toString);
        assertTrue(skipped.get(2).contains("libfoo.so"), skipped::toString);
        assertTrue(skipped.get(3).contains("good"), skipped::toString);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> registry.named("native"));
        assertTrue(e.getMessage().contains("no native library"), e.getMessage());
    }

    @Test
    void concurrentFirstUseYieldsOneInstancePerBackend() throws Exception {
        // a fresh class loader, so that this really is the first use of its Softmax class
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        try (URLClassLoader fresh = new URLClassLoader(urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> softmax = Class.forName("org.softmax4j.Softmax", false, fresh);
            assertTrue(softmax != Softmax.class, "the fresh loader must load its own Softmax");
            Method named = softmax.getMethod("ops", String.class);
            Method available = softmax.getMethod("available");
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (String name : EXPECTED) {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Object>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return named.invoke(null, name);
                        }));
                    }
                    start.countDown();
                    Object first = results.get(0).get();
                    for (Future<Object> f : results) {
                        assertSame(first, f.get(), "every thread gets the one instance of " + name);
                    }
                    List<?> all = (List<?>) available.invoke(null);
                    assertTrue(all.stream().anyMatch(o -> o == first), "available() holds that same instance");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A backend that only has a name, a priority and perhaps a reason it cannot run; its ops are never called. */
    private static SoftmaxOps fake(String name, int priority, String unavailableReason) {
        return (SoftmaxOps) Proxy.newProxyInstance(SoftmaxOps.class.getClassLoader(), new Class<?>[] {SoftmaxOps.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "name" -> name;
                    case "priority" -> priority;
                    case "description" -> "fake " + name;
                    case "unavailableReason" -> unavailableReason;
                    case "toString" -> name + " (priority " + priority + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new AssertionError("discovery must not call a backend's ops: " + m.getName());
                });
    }
}
