package org.softmax4j.conformance;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.cases.CaseEvaluator;
import org.softmax4j.conformance.cases.CaseFiles;
import org.softmax4j.conformance.cases.CaseResult;
import org.softmax4j.conformance.cases.ConformanceCase;

/**
 * Runs JSON conformance cases against the backends on the class path, without JUnit:
 * <pre>
 *   java -jar conformance-all/target/softmax4j-conformance-runner.jar [--backend NAME|all] [--verbose] [case files...]
 *   java -cp ... org.softmax4j.conformance.ConformanceRunner [--backend NAME|all] [--verbose] [case files...]
 * </pre>
 * With no files it runs the shipped cases; {@code --backend} defaults to {@code all}. Prints the backends found (and
 * the providers skipped, with the reason), one line per failed case (and the case's note, if any), and
 * {@code N passed, N failed} per backend; a case file that is not there gives {@code file not found: X}.
 * Exit code 0 if every case passed, 1 if any failed, 2 for a usage error (an unknown backend or unreadable file).
 */
public final class ConformanceRunner {

    private static final String USAGE = "usage: ConformanceRunner [--backend NAME|all] [--verbose] [case files...]";

    private ConformanceRunner() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** @return the exit code: 0 all passed, 1 some failed, 2 usage error */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String backend = "all";
        boolean verbose = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--backend") && i + 1 < args.length) {
                backend = args[++i];
            } else if (a.startsWith("--backend=")) {
                backend = a.substring("--backend=".length());
            } else if (a.equals("--verbose")) {
                verbose = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (a.startsWith("--")) {
                err.println("unknown option " + a + "\n" + USAGE);
                return 2;
            } else {
                files.add(Path.of(a));
            }
        }

        out.println("softmax4j conformance runner");
        out.println("backends found (highest priority first):");
        for (SoftmaxOps ops : Softmax.available()) {
            out.println("  " + ops.name() + " (priority " + ops.priority() + "): " + ops.description());
        }
        if (Softmax.available().isEmpty()) {
            out.println("  none");
        }
        for (String skipped : Softmax.skipped()) {
            out.println("  skipped: " + skipped);
        }

        List<SoftmaxOps> backends;
        try {
            backends = backend.equalsIgnoreCase("all") ? Softmax.available() : List.of(Softmax.ops(backend));
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (backends.isEmpty()) {
            err.println("no backend to run: add a backend artifact to the class path");
            return 2;
        }

        List<ConformanceCase> cases = new ArrayList<>();
        try {
            if (files.isEmpty()) {
                for (String resource : CaseFiles.SHIPPED) {
                    List<ConformanceCase> loaded = CaseFiles.resource(resource);
                    out.println("cases: " + resource + " (" + loaded.size() + ")");
                    cases.addAll(loaded);
                }
            } else {
                for (Path file : files) {
                    List<ConformanceCase> loaded = CaseFiles.file(file);
                    out.println("cases: " + file + " (" + loaded.size() + ")");
                    cases.addAll(loaded);
                }
            }
        } catch (RuntimeException e) {
            err.println("cannot read the cases: " + e.getMessage());
            return 2;
        }

        boolean anyFailed = false;
        for (SoftmaxOps ops : backends) {
            int passed = 0;
            int failed = 0;
            for (ConformanceCase c : cases) {
                for (Dtype dtype : c.dtypes()) {
                    CaseResult r = CaseEvaluator.evaluate(ops, c, dtype);
                    if (r.passed()) {
                        passed++;
                        if (verbose) {
                            out.println("PASS " + r.name());
                        }
                    } else {
                        failed++;
                        out.println("FAIL " + r.message());
                        if (c.note() != null) {
                            out.println("  note: " + c.note());
                        }
                    }
                }
            }
            anyFailed |= failed > 0;
            out.println(String.format(Locale.ROOT, "[%s] %d passed, %d failed", ops.name(), passed, failed));
        }
        return anyFailed ? 1 : 0;
    }
}
