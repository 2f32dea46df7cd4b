package org.softmax4j.bench.jmh;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.report.JmhResults;
import org.softmax4j.bench.report.Measurement;
import org.softmax4j.bench.report.WarmupCheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs a {@link BenchPlan} with JMH's Java API. Each benchmark class runs once per selected dtype, with that dtype's
 * shapes among the selected ones (float64: {@link #FLOAT64_SHAPES}), so an invalid (dtype, shape) pair is never
 * started; the results of all classes are written to one
 * JMH JSON file by JMH's own formatter.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    /**
     * The benchmark classes and what they hold.
     *
     * @param nd4jReference ND4J's own ops, and the INDArray entry point: run only when {@code nd4j} is a backend
     */
    private record Group(Class<?> benchmark, Dtype dtype, List<Op> ops, boolean hasBackend, boolean nd4jReference,
                         List<String> shapes) {

        /** A group that runs the shapes its class declares. */
        Group(Class<?> benchmark, Dtype dtype, List<Op> ops, boolean hasBackend, boolean nd4jReference) {
            this(benchmark, dtype, ops, hasBackend, nd4jReference, declaredShapes(benchmark));
        }
    }

    /** The shapes float64 runs: a mid-size and a larger-than-cache batch (float32 runs every declared shape). */
    static final List<String> FLOAT64_SHAPES = List.of("256x1000", "4096x4096");

    /** The backend name whose presence also runs ND4J's native ops as a reference. */
    public static final String ND4J = "nd4j";

    private static final List<Group> GROUPS = groups();

    private static List<Group> groups() {
        List<Group> groups = new ArrayList<>(List.of(
                new Group(SoftmaxBench.class, Dtype.FLOAT32, rowOps(), true, false),
                new Group(SoftmaxBench.class, Dtype.FLOAT64, rowOps(), true, false, FLOAT64_SHAPES),
                new Group(CopyBench.class, Dtype.FLOAT32, copies(), false, false),
                new Group(CopyBench.class, Dtype.FLOAT64, copies(), false, false, FLOAT64_SHAPES),
                new Group(MatmulBench.class, Dtype.FLOAT32, List.of(Op.MATMUL, Op.MATMUL_TRANS_A, Op.MATMUL_TRANS_B), true,
                        false)));
        // ND4J's own ops, and the nd4j backend's INDArray entry point, on the same INDArrays
        List<Op> nativeOps = List.of(Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SPARSE_CROSS_ENTROPY);
        groups.add(new Group(Nd4jNativeOpsBench.class, Dtype.FLOAT32, nativeOps, false, true));
        groups.add(new Group(Nd4jNativeOpsBench.class, Dtype.FLOAT64, nativeOps, false, true, FLOAT64_SHAPES));
        groups.add(new Group(Nd4jSoftmaxBench.class, Dtype.FLOAT32, nd4jOps(), false, true));
        groups.add(new Group(Nd4jSoftmaxBench.class, Dtype.FLOAT64, nd4jOps(), false, true, FLOAT64_SHAPES));
        groups.add(new Group(Nd4jNativeMatmulBench.class, Dtype.FLOAT32, List.of(Op.MATMUL), false, true));
        return List.copyOf(groups);
    }

    private static List<Op> nd4jOps() {
        return List.of(Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SPARSE_CROSS_ENTROPY, Op.DENSE_CROSS_ENTROPY);
    }

    private static List<Op> copies() {
        return List.of(Op.COPY_ONE_THREAD, Op.COPY_ALL_CORES);
    }

    private static List<Op> rowOps() {
        return Arrays.stream(Op.values()).filter(op -> op.kind() == Op.Kind.ROW_WISE).toList();
    }

    /** @return every shape some benchmark declares, in declaration order */
    public static List<String> allShapes() {
        List<String> shapes = new ArrayList<>();
        for (Group g : GROUPS) {
            for (String s : g.shapes()) {
                if (!shapes.contains(s)) {
                    shapes.add(s);
                }
            }
        }
        return shapes;
    }

    /** @return the shapes a benchmark class declares in its {@code @Param shape}, none if it has no shape */
    static List<String> declaredShapes(Class<?> benchmark) {
        try {
            return List.of(benchmark.getField("shape").getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            return List.of();
        }
    }

    private static boolean hasField(Class<?> benchmark, String name) {
        try {
            benchmark.getField(name);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /**
     * Runs the plan: JMH's JSON to {@code json}, JMH's own log to {@code log}, progress to {@code listener}. A figure
     * {@link WarmupCheck} finds taken before warm-up converged is measured again with twice the warm-up iterations,
     * up to {@link BenchPlan#warmupRetries()} times; the last figure stays, and the report marks it if it still
     * had not converged.
     *
     * @return JMH's results, in run order
     * @throws RunnerException if a benchmark fails (a backend name unknown in the fork, an exception in an op)
     */
    public static List<RunResult> run(BenchPlan plan, Path json, Path log, BenchListener listener)
            throws RunnerException, IOException {
        if (plan.backends().isEmpty()) {
            throw new IllegalArgumentException("backends: expected at least one backend name, got none");
        }
        List<ChainedOptionsBuilder> runs = new ArrayList<>();
        int benchmarks = 0;
        for (Group group : GROUPS) {
            if (!plan.dtypes().contains(group.dtype()) || group.nd4jReference() && !plan.backends().contains(ND4J)) {
                continue;
            }
            boolean reference = group.ops().contains(Op.COPY_ONE_THREAD);
            List<Op> ops = reference ? group.ops() : group.ops().stream().filter(plan.ops()::contains).toList();
            if (ops.isEmpty() || reference && plan.ops().stream().noneMatch(op -> op.kind() == Op.Kind.ROW_WISE)) {
                continue;
            }
            List<String> declared = group.shapes();
            List<String> shapes = declared.stream().filter(plan.shapes()::contains).toList();
            if (!declared.isEmpty() && shapes.isEmpty()) {
                continue;
            }
            ChainedOptionsBuilder options = options(plan, plan.warmupIterations())
                    .include("^" + Pattern.quote(group.benchmark().getName()) + "\\.("
                            + ops.stream().map(Op::method).collect(Collectors.joining("|")) + ")$");
            if (!declared.isEmpty()) {
                options.param("shape", shapes.toArray(String[]::new));
            }
            if (group.hasBackend()) {
                options.param("backend", plan.backends().toArray(String[]::new));
            }
            if (hasField(group.benchmark(), "dtype")) {
                options.param("dtype", group.dtype().name());
            }
            runs.add(options);
            benchmarks += ops.size() * Math.max(1, shapes.size()) * (group.hasBackend() ? plan.backends().size() : 1);
        }
        List<RunResult> results = new ArrayList<>();
        Files.createDirectories(json.toAbsolutePath().getParent());
        try (PrintStream logFile = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            JmhLog out = new JmhLog(logFile, listener);
            listener.started(benchmarks * plan.iterationsPerBenchmark(), benchmarks);
            for (ChainedOptionsBuilder options : runs) {
                for (RunResult result : new Runner(options.build(), out).run()) {
                    results.add(untilWarm(plan, result, out, listener));
                }
            }
        } finally {
            listener.finished();
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(json), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
        }
        return results;
    }

    /** @return the result, or that of a re-run with a longer warm-up while the figure has not converged */
    private static RunResult untilWarm(BenchPlan plan, RunResult result, JmhLog out, BenchListener listener)
            throws RunnerException {
        Measurement m = JmhResults.fromRunResult(result);
        int warmup = plan.warmupIterations();
        for (int retry = 0; retry < plan.warmupRetries() && m != null && m.unreliable() != null; retry++) {
            warmup = Math.max(1, 2 * warmup);
            BenchmarkParams params = result.getParams();
            String label = JmhLog.label(params);
            out.println("# softmax4j: " + label + ": " + m.unreliable() + "; measuring again with " + warmup
                    + " warm-up iterations");
            listener.remeasuring(label, m.unreliable(), (long) Math.max(1, plan.forks()) * (warmup
                    + plan.iterations()));
            ChainedOptionsBuilder again = options(plan, warmup).include("^" + Pattern.quote(params.getBenchmark())
                    + "$");
            for (String key : params.getParamsKeys()) {
                again.param(key, params.getParam(key));
            }
            result = new Runner(again.build(), out).runSingle();
            m = JmhResults.fromRunResult(result);
        }
        return result;
    }

    private static ChainedOptionsBuilder options(BenchPlan plan, int warmupIterations) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(plan.forks())
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.milliseconds(plan.warmupMillis()))
                .measurementIterations(plan.iterations())
                .measurementTime(TimeValue.milliseconds(plan.iterationMillis()))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        if (plan.gcProfiler()) {
            options.addProfiler(GCProfiler.class);
        }
        return options;
    }
}
