package org.softmax4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * reproducibility and huge (int-overflowing) input. Every reported name starts with the backend's ("[plain] ...",
 * {@link BackendDisplayNames}). Add cases of your own with {@link #additionalCaseResources()}.
 *
 * <p>The kit cannot pass silently: the groups are {@code @Nested} classes, and a runner that runs the kit's top-level
 * test without them fails the kit ({@link KitGuard}); a pre-JUnit-Platform Surefire (2.12, Maven 3.8's default),
 * which runs public {@code test*} methods of a public class as plain-object tests, fails on
 * {@link #testKitNeedsTheJUnitPlatform()}. The floor: Surefire or Failsafe 3.0.0.
 */
@DisplayNameGeneration(BackendDisplayNames.class)
@ExtendWith(KitGuard.class)
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

    @Test
    @KitName("the runner runs every group of the kit (checked after the last group)")
    void everyGroupRuns() {
        KitGuard.wholeKitRequested(getClass());
    }

    /**
     * Not a JUnit test: a trap for test runners older than the JUnit Platform. Surefire before 2.22 (2.12 is Maven
     * 3.8's default) runs the public {@code test*} methods of a public test class with a public constructor as a
     * plain-object test, and would otherwise report a kit subclass as passing with none of the kit run.
     */
    public void testKitNeedsTheJUnitPlatform() {
        throw new AssertionError("the softmax4j conformance kit is a JUnit 5 (JUnit Platform) test: this runner ran "
                + "none of it. Use Maven Surefire or Failsafe 3.0.0 or later (or Gradle with useJUnitPlatform()).");
    }

    @Nested
    @KitName("Accuracy against a 45-digit reference on random and extreme inputs")
    class ReferenceAccuracy extends ReferenceAccuracyTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @KitName("Mathematical properties: sums, invariances, identities and finite differences")
    class Properties extends PropertyTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @KitName("Bad input: the documented exception, naming the argument, before anything is written")
    class BadInput extends BadInputTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @KitName("Concurrency: one instance shared by many threads gives every thread the single-thread bits")
    class Concurrency extends ConcurrencyTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @KitName("Reproducibility: the same call gives the same bits, repeated and across JIT tiers")
    class Reproducibility extends ReproducibilityTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @KitName("Huge input: sizes and offsets that overflow int are rejected before anything is written")
    class HugeInput extends HugeInputTests {
        @Override
        protected SoftmaxOps ops() {
            return SoftmaxOpsConformanceKit.this.ops();
        }
    }

    @Nested
    @KitName("JSON cases: worked examples, edge cases and mpmath references")
    class JsonCases {

        @TestFactory
        @KitName("every shipped case in float32 and float64")
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
}
