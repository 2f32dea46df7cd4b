package org.softmax4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The kit cannot pass silently: when a runner ran the kit's top-level test (so it meant to run the kit subclass) but
 * not every {@code @Nested} group of it, the kit subclass fails after its last test, naming the groups that did not
 * run. That is what a runner without support for nested classes (or with a class-name filter that drops them) does:
 * it would otherwise report the few top-level tests as a passing kit. A runner that selects one group on purpose (an
 * IDE) does not run the top-level test and is not checked.
 */
final class KitGuard implements BeforeEachCallback, AfterAllCallback {

    /** Per kit subclass: the groups in which at least one test started. */
    private static final Map<Class<?>, Set<Class<?>>> RAN = new ConcurrentHashMap<>();
    /** The kit subclasses whose top-level test ran. */
    private static final Set<Class<?>> WHOLE = ConcurrentHashMap.newKeySet();

    /** Called by the kit's top-level test. */
    static void wholeKitRequested(Class<?> kitClass) {
        WHOLE.add(kitClass);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        Class<?> kit = instances.get(0).getClass();
        Class<?> group = context.getRequiredTestClass();
        if (group.getEnclosingClass() == SoftmaxOpsConformanceKit.class) {
            RAN.computeIfAbsent(kit, k -> ConcurrentHashMap.newKeySet()).add(group);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> kit = context.getRequiredTestClass();
        if (!SoftmaxOpsConformanceKit.class.isAssignableFrom(kit) || !WHOLE.contains(kit)) {
            return; // a nested group's end, or a run that selected part of the kit on purpose
        }
        Set<Class<?>> ran = RAN.getOrDefault(kit, Set.of());
        List<String> missing = new ArrayList<>();
        for (Class<?> group : groups()) {
            if (!ran.contains(group)) {
                KitName name = group.getAnnotation(KitName.class);
                missing.add(name == null ? group.getSimpleName() : name.value());
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("[" + BackendDisplayNames.backend(kit) + "] " + kit.getName()
                    + ": the test runner ran the kit's top-level test but not its nested groups " + missing
                    + ", so the backend was NOT checked. Run the kit on the JUnit Platform with @Nested classes"
                    + " (Maven Surefire or Failsafe 3.0.0 or later, without an include/exclude pattern that drops"
                    + " inner classes; Gradle with useJUnitPlatform()).");
        }
    }

    /** @return the kit's nested groups: every {@code @Nested} member class of {@link SoftmaxOpsConformanceKit} */
    static List<Class<?>> groups() {
        List<Class<?>> groups = new ArrayList<>();
        for (Class<?> c : SoftmaxOpsConformanceKit.class.getDeclaredClasses()) {
            if (c.isAnnotationPresent(Nested.class)) {
                groups.add(c);
            }
        }
        return groups;
    }
}
