package org.softmax4j.bench.jmh;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.report.Allocation;
import org.softmax4j.bench.report.WarmupCheck;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the bytes each benchmark method allocates per call exactly, with the thread's allocation counter around
 * many calls after a warm-up (the least of several rounds). JMH's -prof gc figure (gc.alloc.rate.norm) includes a few
 * KB of JMH's own per-iteration allocation spread over the calls of an iteration, which on a 4096x4096 op (a handful
 * of calls) swamps the op's own; this probe calls the very same {@code @Benchmark} methods on one small and one
 * mid-size shape instead.
 */
public final class AllocationProbe {

    private static final long WARMUP_NANOS = 500_000_000L;
    private static final long ROUND_NANOS = 50_000_000L;
    /**
     * Rounds run until one allocates nothing or this much time has passed; the least round wins. That drops one-off
     * allocations (a deoptimisation) and waits out code C2 has not compiled yet (Vector API code allocates a box per
     * vector until then).
     */
    private static final long ROUNDS_NANOS = 1_000_000_000L;
    /** The same for a backend whose ops allocate nothing once compiled: C2 may need seconds on busy cores. */
    private static final long ROUNDS_NANOS_ALLOCATION_FREE = 4_000_000_000L;
    private static final int MAX_CALLS = 100_000;

    private AllocationProbe() {
    }

    /**
     * @return per backend: the row ops on float32 100x10 and float64 256x1000 (those of the plan), the matrix
     * products and a training step with views; empty if this JVM cannot count allocated bytes
     */
    public static List<Allocation> measure(BenchPlan plan) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            return List.of();
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        List<Allocation> out = new ArrayList<>();
        for (String backend : plan.backends()) {
            for (Dtype dtype : plan.dtypes()) {
                SoftmaxBench b = new SoftmaxBench();
                b.backend = backend;
                b.dtype = dtype;
                b.shape = dtype == Dtype.FLOAT32 ? "100x10" : "256x1000";
                b.setUp();
                probe(plan, threads, out, Op.SOFTMAX, dtype, b.shape, backend, b::softmax);
                probe(plan, threads, out, Op.LOG_SOFTMAX, dtype, b.shape, backend, b::logSoftmax);
                probe(plan, threads, out, Op.SOFTMAX_BACKWARD, dtype, b.shape, backend, b::softmaxBackward);
                probe(plan, threads, out, Op.SPARSE_CROSS_ENTROPY, dtype, b.shape, backend, b::sparseCrossEntropy);
                probe(plan, threads, out, Op.DENSE_CROSS_ENTROPY, dtype, b.shape, backend, b::denseCrossEntropy);
            }
            MatmulBench m = new MatmulBench();
            m.backend = backend;
            m.dims = Op.MATMUL_DIMS;
            m.setUp();
            probe(plan, threads, out, Op.MATMUL, Dtype.FLOAT32, null, backend, m::matmul);
            probe(plan, threads, out, Op.MATMUL_TRANS_A, Dtype.FLOAT32, null, backend, m::matmulTransA);
            probe(plan, threads, out, Op.MATMUL_TRANS_B, Dtype.FLOAT32, null, backend, m::matmulTransB);
            if (plan.ops().contains(Op.TRAINING_STEP_VIEWS)) {
                TrainingStepProbe t = new TrainingStepProbe(backend);
                probe(plan, threads, out, Op.TRAINING_STEP_VIEWS, Dtype.FLOAT32, TrainingStepProbe.SHAPE, backend,
                        t::step);
            }
        }
        return out;
    }

    /** A benchmark method whose result is dropped: the ops write arrays, so the call cannot be removed. */
    @FunctionalInterface
    private interface Call {
        void run();
    }

    private static void probe(BenchPlan plan, com.sun.management.ThreadMXBean threads, List<Allocation> out, Op op,
                              Dtype dtype, String shape, String backend, Call call) {
        if (!plan.ops().contains(op)) {
            return;
        }
        long calls = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < WARMUP_NANOS && calls < MAX_CALLS) {
            call.run();
            calls++;
        }
        // As many calls per round as take about ROUND_NANOS at the warmed-up speed, at least 10.
        long measured = Math.max(10, Math.min(MAX_CALLS, calls * ROUND_NANOS / (System.nanoTime() - start)));
        long thread = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        long roundsStart = System.nanoTime();
        long rounds = WarmupCheck.ALLOCATION_FREE.contains(backend) ? ROUNDS_NANOS_ALLOCATION_FREE : ROUNDS_NANOS;
        do {
            long before = threads.getThreadAllocatedBytes(thread);
            for (long i = 0; i < measured; i++) {
                call.run();
            }
            least = Math.min(least, threads.getThreadAllocatedBytes(thread) - before);
        } while (least > 0 && System.nanoTime() - roundsStart < rounds);
        out.add(new Allocation(op, dtype, shape, backend, (double) least / measured));
    }
}
