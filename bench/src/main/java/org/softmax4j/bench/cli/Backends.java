package org.softmax4j.bench.cli;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns the backend options into names, checked against what discovery found. */
final class Backends {

    private Backends() {
    }

    /**
     * @param requested names, or null / empty / "all" for every backend found
     * @return the backend names, each checked through {@link Softmax#ops(String)}
     * @throws IllegalStateException if one is unknown (listing the valid names) or none is found
     */
    static List<String> resolve(List<String> requested) {
        List<String> names = new ArrayList<>();
        if (requested == null || requested.isEmpty()
                || requested.size() == 1 && requested.get(0).equalsIgnoreCase("all")) {
            for (SoftmaxOps ops : Softmax.available()) {
                names.add(ops.name());
            }
            if (names.isEmpty()) {
                Softmax.ops(); // throws with the artifact to add and what was skipped
            }
        } else {
            for (String name : requested) {
                names.add(Softmax.ops(name.trim()).name());
            }
        }
        return names;
    }

    /** @return one line per backend found: name, priority, description */
    static List<String> describeAvailable() {
        List<String> lines = new ArrayList<>();
        for (SoftmaxOps ops : Softmax.available()) {
            lines.add(String.format(Locale.ROOT, "%s (priority %d): %s", ops.name(), ops.priority(),
                    ops.description()));
        }
        return lines;
    }
}
