package org.softmax4j.bench.jmh;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

import java.util.List;
import java.util.Set;

/**
 * What to measure and how long.
 *
 * @param backends          backend names, each resolved through {@code Softmax.ops(name)} in the forked JVM
 * @param ops               the ops; the copy references run for every selected dtype and shape whatever this says
 * @param shapes            shapes such as "256x1000"; each dtype runs the ones it has among them
 * @param dtypes            element types of the row ops and copies (matrix products are float32 only)
 * @param forks             JVM forks per benchmark (0 runs in this JVM: for tests only)
 * @param warmupIterations  warm-up iterations per fork
 * @param warmupMillis      the length of one warm-up iteration
 * @param iterations        measured iterations per fork
 * @param iterationMillis   the length of one measured iteration
 * @param gcProfiler        run JMH's -prof gc to measure the allocation per op
 * @param quiet             run JMH silently (tests)
 */
public record BenchPlan(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes, int forks,
                        int warmupIterations, int warmupMillis, int iterations, int iterationMillis,
                        boolean gcProfiler, boolean quiet) {

    /**
     * The quick profile: 1 fork, one 500 ms warm-up (long enough for C2 to compile Vector API kernels, which run
     * orders of magnitude slower before) and 2 measured iterations of 150 ms: under 5 minutes on 2 idle cores.
     */
    public static BenchPlan quick(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes) {
        return new BenchPlan(backends, ops, shapes, dtypes, 1, 1, 500, 2, 150, true, false);
    }

    /** The full profile: 2 forks, 3 warm-up and 5 measured iterations of 1 s (about 30 minutes for 3 backends). */
    public static BenchPlan full(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes) {
        return new BenchPlan(backends, ops, shapes, dtypes, 2, 3, 1000, 5, 1000, true, false);
    }

    /** @return the settings in words, for the report */
    public String describe() {
        return forks + " fork(s), " + warmupIterations + " warm-up iteration(s) of " + warmupMillis + " ms + "
                + iterations + " measured iteration(s) of " + iterationMillis + " ms, average time"
                + (gcProfiler ? ", -prof gc" : "");
    }

    /** @return a copy with other iteration settings */
    public BenchPlan withTiming(int forks, int warmupIterations, int warmupMillis, int iterations,
                                int iterationMillis) {
        return new BenchPlan(backends, ops, shapes, dtypes, forks, warmupIterations, warmupMillis, iterations,
                iterationMillis, gcProfiler, quiet);
    }

    /** @return a copy with the gc profiler on or off */
    public BenchPlan withGcProfiler(boolean on) {
        return new BenchPlan(backends, ops, shapes, dtypes, forks, warmupIterations, warmupMillis, iterations,
                iterationMillis, on, quiet);
    }

    /** @return a copy that runs JMH silently or not */
    public BenchPlan withQuiet(boolean on) {
        return new BenchPlan(backends, ops, shapes, dtypes, forks, warmupIterations, warmupMillis, iterations,
                iterationMillis, gcProfiler, on);
    }
}
