package org.softmax4j.conformance;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestFactory;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.cases.CaseEvaluator;
import org.softmax4j.conformance.cases.CaseFiles;
import org.softmax4j.conformance.cases.CaseResult;
import org.softmax4j.conformance.cases.ConformanceCase;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The conformance kit: every check a softmax4j backend must pass, as an abstract JUnit 5 class in main scope (after
 * Micrometer's compatibility kit). A backend runs it all with a subclass that supplies its instance:
 * <pre>{@code
 * class MyConformanceTest extends SoftmaxOpsConformanceKit {
 *     @Override
 *     protected SoftmaxOps ops() {
 *         return Softmax.ops("mine");
 *     }
 * }
 * }</pre>
 * The groups: the shipped JSON cases (the worked examples, the edge-case table of the package documentation, and
 * random and extreme inputs with expected values from 400-digit mpmath; one dynamic test per case and dtype, named
 * "[backend] id op dtype"), accuracy against a high-precision reference, properties, bad input, concurrency,
 * reproducibility and huge (int-overflowing) input. The class display name carries the backend name. Add cases of your own with {@link #additionalCaseResources()}.
 */
@DisplayNameGeneration(SoftmaxOpsConformanceKit.BackendDisplayNames.class)
public abstract class SoftmaxOpsConformanceKit {

    /** @return the backend under test; called once per test, so return a shared instance */
    protected abstract SoftmaxOps ops();

    /**
     * @return absolute class-path resource names of further JSON case files to run with the shipped ones (same
     * format, see {@code conformance/CASES.md}); none by default
     */
    protected List<String> additionalCaseResources() {
        return List.of();
    }

    @Nested
    @DisplayName("Accuracy against a 45-digit reference on random and extreme inputs")
    class ReferenceAccuracy extends ReferenceAccuracyTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @DisplayName("Mathematical properties: sums, invariances, identities and finite differences")
    class Properties extends PropertyTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @DisplayName("Bad input: the documented exception, naming the argument, before anything is written")
    class BadInput extends BadInputTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @DisplayName("Concurrency: one instance shared by many threads gives every thread the single-thread bits")
    class Concurrency extends ConcurrencyTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @DisplayName("Reproducibility: the same call gives the same bits, repeated and across JIT tiers")
    class Reproducibility extends ReproducibilityTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @DisplayName("Huge input: sizes and offsets that overflow int are rejected before anything is written")
    class HugeInput extends HugeInputTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @DisplayName("JSON cases: worked examples, edge cases and mpmath references")
    class JsonCases {

        @TestFactory
        @DisplayName("every shipped case in float32 and float64")
        Stream<DynamicNode> shippedCases() {
            SoftmaxOps ops = ops();
            List<String> resources = new ArrayList<>(CaseFiles.SHIPPED);
            resources.addAll(additionalCaseResources());
            return resources.stream().map(resource -> DynamicContainer.dynamicContainer(
                    "[" + ops.name() + "] " + resource.substring(resource.lastIndexOf('/') + 1),
                    CaseFiles.resource(resource).stream().flatMap(c -> tests(ops, c))));
        }
    }

    private static Stream<DynamicTest> tests(SoftmaxOps ops, ConformanceCase c) {
        return c.dtypes().stream().map(dtype -> DynamicTest.dynamicTest(c.displayName(ops.name(), dtype), () -> {
            CaseResult result = CaseEvaluator.evaluate(ops, c, dtype);
            if (!result.passed()) {
                fail(result.message() + (c.note() == null ? "" : " [case note: " + c.note() + "]"));
            }
        }));
    }

    /**
     * Names a kit subclass after the backend it runs, e.g. "[plain] softmax4j conformance kit (PlainConformanceTest)",
     * so that every reported test says which backend it ran on. The backend is found by instantiating the subclass
     * (as JUnit does to run it) and asking its {@code ops()}.
     */
    public static class BackendDisplayNames extends DisplayNameGenerator.Standard {

        @Override
        public String generateDisplayNameForClass(Class<?> testClass) {
            String plain = super.generateDisplayNameForClass(testClass);
            if (!SoftmaxOpsConformanceKit.class.isAssignableFrom(testClass)
                    || Modifier.isAbstract(testClass.getModifiers())) {
                return plain;
            }
            String backend;
            try {
                Constructor<?> ctor = testClass.getDeclaredConstructor();
                ctor.setAccessible(true);
                backend = ((SoftmaxOpsConformanceKit) ctor.newInstance()).ops().name();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the tests themselves report the failure in full; the name only says that it happened
                backend = "backend not found: " + e;
            }
            return "[" + backend + "] softmax4j conformance kit (" + testClass.getSimpleName() + ")";
        }
    }
}
