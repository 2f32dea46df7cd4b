package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages of backend selection: who named the backend, the closest name, and only artifacts that exist. */
class BackendRegistryTest {

    private final BackendRegistry plainOnly = BackendRegistry.of(List.of(() -> fake("plain", 100)));

    private String failure(Runnable call) {
        return assertThrows(IllegalStateException.class, call::run).getMessage();
    }

    @Test
    void aMisspeltPropertyNamesThePropertyAndTheClosestBackend() {
        assertEquals("No softmax4j backend named 'ejmll' (named by the system property -Dsoftmax4j.backend=ejmll); "
                        + "did you mean 'ejml'? (add org.softmax4j:softmax4j-backend-ejml to the class path) "
                        + "Found: plain (priority 100).",
                failure(() -> plainOnly.select("ejmll", null)));
    }

    @Test
    void aMisspeltVariableNamesTheVariableAndABackendFound() {
        assertEquals("No softmax4j backend named 'plian' (named by the environment variable SOFTMAX4J_BACKEND=plian); "
                        + "did you mean 'plain'? Found: plain (priority 100).",
                failure(() -> plainOnly.select(null, "plian")));
    }

    @Test
    void thePropertyWinsOverTheVariable() {
        BackendRegistry two = BackendRegistry.of(List.of(() -> fake("plain", 100), () -> fake("ejml", 50)));
        assertEquals("ejml", two.select("ejml", "plain").name());
        assertEquals("plain", two.select(" ", "PLAIN ").name());
        assertEquals("plain", two.select(null, null).name());
    }

    @Test
    void aProjectBackendThatIsAbsentNamesItsArtifact() {
        assertEquals("No softmax4j backend named 'nd4j' (asked for by name); add org.softmax4j:softmax4j-backend-nd4j "
                + "to the class path. Found: plain (priority 100).", failure(() -> plainOnly.named("nd4j")));
    }

    @Test
    void anUnknownNameSuggestsNoArtifactThatDoesNotExist() {
        assertEquals("No softmax4j backend named 'tensorflow' (asked for by name); this project's backends are plain, "
                        + "ejml, nd4j (artifacts org.softmax4j:softmax4j-backend-NAME); another backend needs its own "
                        + "artifact on the class path. Found: plain (priority 100).",
                failure(() -> plainOnly.named("tensorflow")));
    }

    @Test
    void noBackendAtAllNamesTheDefaultArtifact() {
        assertEquals("No softmax4j backend found: add a backend artifact to the class path, e.g. "
                + "org.softmax4j:softmax4j-backend-plain.", failure(() -> BackendRegistry.of(List.of()).select(null, null)));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(1, BackendRegistry.editDistance("ejmll", "ejml"));
        assertEquals(2, BackendRegistry.editDistance("plian", "plain"));
        assertEquals(0, BackendRegistry.editDistance("nd4j", "nd4j"));
        assertEquals(4, BackendRegistry.editDistance("", "ejml"));
    }

    /** A backend that only has a name and a priority; its ops are never called. */
    private static SoftmaxOps fake(String name, int priority) {
        return (SoftmaxOps) Proxy.newProxyInstance(SoftmaxOps.class.getClassLoader(), new Class<?>[] {SoftmaxOps.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "name" -> name;
                    case "priority" -> priority;
                    case "description" -> "fake " + name;
                    case "unavailableReason" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new AssertionError("selection must not call a backend's ops: " + m.getName());
                });
    }
}
