package org.softmax4j.conformance;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.softmax4j.SoftmaxOps;

/**
 * Names every test of the kit after the backend it runs on, so that console and XML reports (Surefire's phrased
 * names) say which backend failed: the kit subclass is "[plain] softmax4j conformance kit (PlainConformanceTest)", a
 * group "[plain] Bad input: ...", a test "[plain] rowsSumToOne()". The backend is found by instantiating the kit
 * subclass (as JUnit does to run it) and asking its {@code ops()}; the text after the name comes from
 * {@link KitName}, else JUnit's standard name.
 */
public class BackendDisplayNames extends DisplayNameGenerator.Standard {

    private static final Map<Class<?>, String> BACKENDS = new ConcurrentHashMap<>();

    @Override
    public String generateDisplayNameForClass(Class<?> testClass) {
        String standard = super.generateDisplayNameForClass(testClass);
        if (!isKit(testClass) || Modifier.isAbstract(testClass.getModifiers())) {
            return standard;
        }
        String what = SoftmaxOpsConformanceKit.class.isAssignableFrom(testClass) ? "softmax4j conformance kit"
                : "softmax4j differential fuzz kit";
        return "[" + backend(testClass) + "] " + what + " (" + testClass.getSimpleName() + ")";
    }

    @Override
    public String generateDisplayNameForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> nestedClass) {
        KitName name = nestedClass.getAnnotation(KitName.class);
        String text = name != null ? name.value()
                : super.generateDisplayNameForNestedClass(enclosingInstanceTypes, nestedClass);
        return prefix(enclosingInstanceTypes.isEmpty() ? null : enclosingInstanceTypes.get(0)) + text;
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                               Method testMethod) {
        KitName name = testMethod.getAnnotation(KitName.class);
        String text = name != null ? name.value()
                : super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod);
        return prefix(enclosingInstanceTypes.isEmpty() ? testClass : enclosingInstanceTypes.get(0)) + text;
    }

    private static String prefix(Class<?> kitClass) {
        return kitClass != null && isKit(kitClass) && !Modifier.isAbstract(kitClass.getModifiers())
                ? "[" + backend(kitClass) + "] " : "";
    }

    private static boolean isKit(Class<?> c) {
        return SoftmaxOpsConformanceKit.class.isAssignableFrom(c) || DifferentialFuzzKit.class.isAssignableFrom(c);
    }

    /** @return the name of the backend a kit subclass runs on, or what went wrong finding it */
    static String backend(Class<?> kitClass) {
        return BACKENDS.computeIfAbsent(kitClass, k -> {
            try {
                Constructor<?> ctor = k.getDeclaredConstructor();
                ctor.setAccessible(true);
                Object kit = ctor.newInstance();
                SoftmaxOps ops = kit instanceof SoftmaxOpsConformanceKit c ? c.ops()
                        : ((DifferentialFuzzKit) kit).ops();
                return ops.name();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the tests themselves report the failure in full; the name only says that it happened
                return "backend not found: " + e;
            }
        });
    }
}
