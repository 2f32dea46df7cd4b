package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The kit cannot pass silently: a runner that skips its nested groups fails the kit, loudly. */
class KitGuardTest {

    @Test
    void aRunnerThatDropsTheNestedGroupsFailsTheKit() {
        List<String> ran = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(FakeBackendKit.class))
                // what a runner without nested classes does: it keeps the top-level class and drops its inner ones
                .filters((PostDiscoveryFilter) d -> FilterResult.includedIf(!inNestedClass(d)))
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            ran.add(id.getDisplayName());
                        }
                        result.getThrowable().ifPresent(failures::add);
                    }
                });
        assertEquals(List.of("[fake] the runner runs every group of the kit (checked after the last group)"), ran);
        assertEquals(1, failures.size(), failures::toString);
        String message = failures.get(0).getMessage();
        assertTrue(message.contains("[fake]") && message.contains("NOT checked")
                && message.contains("Bad input") && message.contains("JSON cases")
                && message.contains("Surefire or Failsafe 3.0.0"), message);
    }

    private static boolean inNestedClass(TestDescriptor d) {
        return d.getSource().map(s -> s instanceof ClassSource c ? c.getClassName().contains("$")
                : s instanceof MethodSource m && m.getClassName().contains("$")).orElse(false);
    }

    @Test
    void theKitHasAllItsGroups() {
        assertEquals(7, KitGuard.groups().size(), KitGuard.groups()::toString);
    }

    @Test
    void aPlainObjectRunnerHitsTheTrap() {
        // Surefire before the JUnit Platform runs public test* methods of a public class as a plain-object test
        AssertionError e = assertThrows(AssertionError.class, () -> new FakeBackendKit().testKitNeedsTheJUnitPlatform());
        assertTrue(e.getMessage().contains("Surefire or Failsafe 3.0.0"), e.getMessage());
    }
}
