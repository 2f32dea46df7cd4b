package org.softmax4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The backends found on a class path, loaded once: usable ones sorted by descending priority (then name), and the
 * ones that were skipped with the reason. {@link Softmax} holds the registry of the application class path; tests
 * and applications with their own class loaders can build their own.
 */
public final class BackendRegistry {

    /** The system property that names the backend {@link #select()} returns. */
    public static final String BACKEND_PROPERTY = "softmax4j.backend";
    /** The environment variable that names the backend {@link #select()} returns (the property wins). */
    public static final String BACKEND_ENV = "SOFTMAX4J_BACKEND";

    /** The backends this project publishes, each as {@code org.softmax4j:softmax4j-backend-NAME}. */
    private static final List<String> PROJECT_BACKENDS = List.of("plain", "ejml", "nd4j");
    private static final String ARTIFACT_PREFIX = "org.softmax4j:softmax4j-backend-";

    private final List<SoftmaxOps> backends;
    private final List<String> skipped;

    private BackendRegistry(List<SoftmaxOps> backends, List<String> skipped) {
        this.backends = List.copyOf(backends);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Loads every {@link SoftmaxOps} provider visible to the class loader. A provider that fails to load or to
     * construct (a {@link ServiceConfigurationError} or {@link LinkageError}, a missing native library) or that
     * reports an {@linkplain SoftmaxOps#unavailableReason() unavailable reason} is skipped and recorded; it never
     * stops discovery.
     */
    public static BackendRegistry load(ClassLoader loader) {
        List<Supplier<SoftmaxOps>> suppliers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            ServiceLoader.load(SoftmaxOps.class, loader).stream().forEach(p -> suppliers.add(() -> p.get()));
        } catch (ServiceConfigurationError e) {
            skipped.add("a provider could not be listed: " + e.getMessage());
        }
        return of(suppliers, skipped);
    }

    /** Builds a registry from explicit providers (each called once); failures are recorded as for {@link #load}. */
    public static BackendRegistry of(List<Supplier<SoftmaxOps>> providers) {
        return of(providers, new ArrayList<>());
    }

    private static BackendRegistry of(List<Supplier<SoftmaxOps>> providers, List<String> skipped) {
        List<SoftmaxOps> found = new ArrayList<>();
        for (Supplier<SoftmaxOps> provider : providers) {
            try {
                SoftmaxOps ops = provider.get();
                String reason = ops.unavailableReason();
                if (reason != null) {
                    skipped.add(ops.name() + ": " + reason);
                } else if (found.stream().anyMatch(o -> o.name().equals(ops.name()))) {
                    skipped.add(ops.name() + ": a second provider with this name (" + ops.getClass().getName()
                            + ") was ignored");
                } else {
                    found.add(ops);
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                skipped.add("a provider failed to load: " + e);
            }
        }
        found.sort(Comparator.comparingInt(SoftmaxOps::priority).reversed().thenComparing(SoftmaxOps::name));
        return new BackendRegistry(found, skipped);
    }

    /** @return the usable backends, highest priority first */
    public List<SoftmaxOps> backends() {
        return backends;
    }

    /** @return one line per provider that was skipped, with the reason */
    public List<String> skipped() {
        return skipped;
    }

    /**
     * @return the backend named by the system property {@value #BACKEND_PROPERTY}, else by the environment variable
     * {@value #BACKEND_ENV}, else the one with the highest priority
     * @throws IllegalStateException if there is none, or the named one is absent (the message says which property or
     *                               variable named it, the closest name known and what was found)
     */
    public SoftmaxOps select() {
        return select(System.getProperty(BACKEND_PROPERTY), System.getenv(BACKEND_ENV));
    }

    /** {@link #select()} with the property's and the variable's values given (either may be null). */
    SoftmaxOps select(String property, String environment) {
        if (property != null && !property.isBlank()) {
            return named(property.trim(), "named by the system property -D" + BACKEND_PROPERTY + "=" + property);
        }
        if (environment != null && !environment.isBlank()) {
            return named(environment.trim(), "named by the environment variable " + BACKEND_ENV + "=" + environment);
        }
        if (backends.isEmpty()) {
            return fail("No softmax4j backend found: add a backend artifact to the class path, e.g. "
                    + ARTIFACT_PREFIX + "plain." + skippedText());
        }
        return backends.get(0);
    }

    /**
     * @return the backend with this name (case-insensitive)
     * @throws IllegalStateException if it is absent (the message lists what was found, suggests the closest name
     *                               and the artifact to add when it is one of this project's backends)
     */
    public SoftmaxOps named(String name) {
        return named(Validate.notNull("name", name), "asked for by name");
    }

    private SoftmaxOps named(String name, String source) {
        for (SoftmaxOps ops : backends) {
            if (ops.name().equalsIgnoreCase(name)) {
                return ops;
            }
        }
        return fail("No softmax4j backend named '" + name + "' (" + source + "); " + hint(name.toLowerCase(Locale.ROOT))
                + " Found: " + describe() + "." + skippedText());
    }

    /** What to do about an absent backend: add its artifact, or which name was probably meant. */
    private String hint(String name) {
        if (PROJECT_BACKENDS.contains(name)) {
            return "add " + ARTIFACT_PREFIX + name + " to the class path.";
        }
        List<String> known = new ArrayList<>(PROJECT_BACKENDS);
        for (SoftmaxOps ops : backends) {
            String found = ops.name().toLowerCase(Locale.ROOT);
            if (!known.contains(found)) {
                known.add(found);
            }
        }
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(name, k);
            if (d < best) {
                best = d;
                closest = k;
            }
        }
        if (closest != null && best <= Math.max(1, closest.length() / 2)) {
            return "did you mean '" + closest + "'?" + (isFound(closest) ? ""
                    : " (add " + ARTIFACT_PREFIX + closest + " to the class path)");
        }
        return "this project's backends are " + String.join(", ", PROJECT_BACKENDS) + " (artifacts " + ARTIFACT_PREFIX
                + "NAME); another backend needs its own artifact on the class path.";
    }
    private boolean isFound(String name) {
        return backends.stream().anyMatch(o -> o.name().equalsIgnoreCase(name));
    }

    private static SoftmaxOps fail(String message) {
        throw new IllegalStateException(message);
    }

    /** The Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** @return one line per usable backend: name, priority and description */
    public String describe() {
        if (backends.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (SoftmaxOps ops : backends) {
            sb.append(sb.length() == 0 ? "" : ", ").append(ops.name()).append(" (priority ").append(ops.priority())
                    .append(")");
        }
        return sb.toString();
    }

    private String skippedText() {
        return skipped.isEmpty() ? "" : " Skipped: " + String.join("; ", skipped);
    }
}
