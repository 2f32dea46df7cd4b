package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Every test the kit reports says which backend it ran on: the class name, the groups, the tests, the JSON cases. */
class KitDisplayNameTest {

    /** A kit subclass as a backend module writes it; static nested, so Surefire does not run it a second time. */
    static class PlainKit extends SoftmaxOpsConformanceKit {
        @Override
        protected SoftmaxOps ops() {
            return Softmax.ops("plain");
        }
    }

    /** A fuzz kit subclass. */
    static class PlainFuzz extends DifferentialFuzzKit {
        @Override
        protected SoftmaxOps ops() {
            return Softmax.ops("plain");
        }
    }

    @Test
    void theKitClassIsNamedAfterItsBackend() {
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(PlainKit.class)).build());
        List<String> names = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            plan.getChildren(root).forEach(t -> names.add(t.getDisplayName()));
        }
        assertEquals(List.of("[plain] softmax4j conformance kit (PlainKit)"), names);
    }

    @Test
    void everyGroupAndTestOfBothKitsStartsWithTheBackend() {
        for (Class<?> kit : List.of(PlainKit.class, PlainFuzz.class)) {
            TestPlan plan = LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(kit)).build());
            List<String> names = new ArrayList<>();
            for (TestIdentifier root : plan.getRoots()) {
                collect(plan, root, names);
            }
            assertTrue(names.size() >= 4, names::toString);
            assertTrue(names.stream().allMatch(n -> n.startsWith("[plain] ")), names::toString);
        }
    }

    private static void collect(TestPlan plan, TestIdentifier id, List<String> names) {
        for (TestIdentifier child : plan.getChildren(id)) {
            names.add(child.getDisplayName());
            collect(plan, child, names);
        }
    }

    @Test
    void everyJsonCaseIsNamedBackendIdOpDtype() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectNestedClass(List.of(PlainKit.class),
                        SoftmaxOpsConformanceKit.JsonCases.class))
                .build();
        List<String> names = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    names.add(id.getDisplayName());
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        failed.add(id.getDisplayName());
                    }
                }
            }
        });
        assertTrue(names.contains("[plain] S1 softmax float32"), () -> names.subList(0, 5).toString());
        assertTrue(names.contains("[plain] subnormal softmax float64 softmax float64"), names::toString);
        assertTrue(names.stream().allMatch(n -> n.startsWith("[plain] ")), names::toString);
        assertEquals(List.of(), failed);
    }
}
