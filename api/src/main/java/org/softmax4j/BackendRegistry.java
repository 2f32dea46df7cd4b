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

    private static final String ARTIFACT_HINT =
            "add a backend artifact to the class path, e.g. org.softmax4j:softmax4j-backend-%s";

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
     * @throws IllegalStateException if there is none, or the named one is absent (the message lists what was found)
     */
    public SoftmaxOps select() {
        String name = System.getProperty(BACKEND_PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(BACKEND_ENV);
        }
        if (name != null && !name.isBlank()) {
            return named(name.trim());
        }
        if (backends.isEmpty()) {
            throw new IllegalStateException("No softmax4j backend found: " + String.format(ARTIFACT_HINT, "plain")
                    + "." + skippedText());
        }
        return backends.get(0);
    }

    /**
     * @return the backend with this name (case-insensitive)
     * @throws IllegalStateException if it is absent (the message lists what was found and the artifact to add)
     */
    public SoftmaxOps named(String name) {
        Validate.notNull("name", name);
        for (SoftmaxOps ops : backends) {
            if (ops.name().equalsIgnoreCase(name)) {
                return ops;
            }
        }
        throw new IllegalStateException("No softmax4j backend named '" + name + "'; found: " + describe() + "; "
                + String.format(ARTIFACT_HINT, name.toLowerCase(Locale.ROOT)) + "." + skippedText());
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
