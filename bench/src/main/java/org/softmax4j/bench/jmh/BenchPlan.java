package org.softmax4j.bench.jmh;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.report.Measurement;

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
 * @param warmupRetries     how many times a figure taken before warm-up converged ({@code WarmupCheck}) is measured
 *                          again, each time with twice the warm-up iterations, before the report marks it unreliable
 * @param gcProfiler        run JMH's -prof gc to measure the allocation per op
 * @param quiet             no progress on the console (tests); JMH's log still goes to its file
 */
public record BenchPlan(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes, int forks,
                        int warmupIterations, int warmupMillis, int iterations, int iterationMillis,
                        int warmupRetries, boolean gcProfiler, boolean quiet) {

    /** Re-runs of an unconverged figure in both profiles: 2x, then 4x the warm-up. */
    static final int WARMUP_RETRIES = 2;

    /**
     * The quick profile: 1 fork, 4 warm-up iterations of 500 ms and 3 measured iterations of 200 ms. On 2 cores C2
     * needs about 2 s of calls to compile a Vector API kernel (before, it runs one to three orders of magnitude
     * slower and allocates a box per vector); the 3 measured iterations let {@code WarmupCheck} see a trend, and a
     * figure that still drifts is measured again with a longer warm-up. On 2 idle cores with plain, ejml, nd4j and
     * ND4J's own ops: 154 benchmarks and 21 re-runs in 11.7 minutes (the iterations plus a JVM start per benchmark),
     * before training; plain's kernels side by side ({@code Float32OpsBench}, 32 trials) add about 2 minutes.
     */
    public static BenchPlan quick(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes) {
        return new BenchPlan(backends, ops, shapes, dtypes, 1, 4, 500, 3, 200, WARMUP_RETRIES, true, false);
    }

    /** The full profile: 2 forks, 5 warm-up and 5 measured iterations of 1 s (about an hour for 3 backends). */
    public static BenchPlan full(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes) {
        return new BenchPlan(backends, ops, shapes, dtypes, 2, 5, 1000, 5, 1000, WARMUP_RETRIES, true, false);
    }

    /** @return the settings in words, for the report */
    public String describe() {
        return forks + " fork(s), " + warmupIterations + " warm-up iteration(s) of " + warmupMillis + " ms + "
                + iterations + " measured iteration(s) of " + iterationMillis + " ms, average time"
                + (gcProfiler ? ", -prof gc" : "") + "; a figure taken before warm-up converged is measured again"
                + " with twice the warm-up, up to " + warmupRetries + " time(s)"
                + (iterations < 2 ? "; with one measured iteration the drift of a figure cannot be seen, only its"
                + " allocation is checked" : "");
    }

    /** @return the warm-up per fork in the words of {@code Measurement.warmup} */
    public String warmup() {
        return Measurement.warmup(warmupIterations, warmupMillis);
    }

    /** @return JMH iterations (warm-up and measured, every fork) of one benchmark */
    long iterationsPerBenchmark() {
        return (long) Math.max(1, forks) * (warmupIterations + iterations);
    }

    /** @return a copy with other iteration settings */
    public BenchPlan withTiming(int forks, int warmupIterations, int warmupMillis, int iterations,
                                int iterationMillis, int warmupRetries) {
        return new BenchPlan(backends, ops, shapes, dtypes, forks, warmupIterations, warmupMillis, iterations,
                iterationMillis, warmupRetries, gcProfiler, quiet);
    }

    /** @return a copy with the gc profiler on or off */
    public BenchPlan withGcProfiler(boolean on) {
        return new BenchPlan(backends, ops, shapes, dtypes, forks, warmupIterations, warmupMillis, iterations,
                iterationMillis, warmupRetries, on, quiet);
    }

    /** @return a copy with progress on the console or not */
    public BenchPlan withQuiet(boolean on) {
        return new BenchPlan(backends, ops, shapes, dtypes, forks, warmupIterations, warmupMillis, iterations,
                iterationMillis, warmupRetries, gcProfiler, on);
    }
}
