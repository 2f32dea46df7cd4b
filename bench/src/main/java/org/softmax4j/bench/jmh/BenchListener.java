package org.softmax4j.bench.jmh;

/** Follows a {@link BenchRunner} run, for a progress display; JMH's own log goes to a file meanwhile. */
public interface BenchListener {

    /** Shows nothing. */
    BenchListener SILENT = new BenchListener() {
    };

    /** The run starts: about this many JMH iterations (warm-up and measured, every fork) in this many benchmarks. */
    default void started(long iterations, int benchmarks) {
    }

    /** A benchmark starts, named like "softmax plain FLOAT32 100x10". */
    default void benchmark(String label) {
    }

    /** One JMH iteration, warm-up or measured, is done. */
    default void iterationDone() {
    }

    /**
     * A figure taken before warm-up converged is measured again with a longer warm-up.
     *
     * @param label          the benchmark, as in {@link #benchmark(String)}
     * @param reason         why its figure did not count ({@code WarmupCheck})
     * @param moreIterations the iterations the re-run adds
     */
    default void remeasuring(String label, String reason, long moreIterations) {
    }

    /** The run is over. */
    default void finished() {
    }
}
