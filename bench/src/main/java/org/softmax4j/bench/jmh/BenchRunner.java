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
import java.util.Set;
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
     * @param requires the backend that must be selected for the group to run, null for none: {@code nd4j} for ND4J's
     *                 own ops and the INDArray entry point, {@code plain} for its kernels side by side
     */
    private record Group(Class<?> benchmark, Dtype dtype, List<Op> ops, boolean hasBackend, String requires,
                         List<String> shapes) {

        /** A group that runs the shapes its class declares. */
        Group(Class<?> benchmark, Dtype dtype, List<Op> ops, boolean hasBackend, String requires) {
            this(benchmark, dtype, ops, hasBackend, requires, declaredShapes(benchmark));
        }
    }

    /** The shapes float64 runs: a mid-size and a larger-than-cache batch (float32 runs every declared shape). */
    static final List<String> FLOAT64_SHAPES = List.of("256x1000", "4096x4096");

    /** The backend name whose presence also runs ND4J's native ops as a reference. */
    public static final String ND4J = "nd4j";

    /** The backend name whose presence also runs its float32 SIMD and scalar kernels side by side. */
    static final String PLAIN = "plain";

    /**
     * The shape of the kernels' side-by-side run ({@link Float32OpsBench} in the main job): the performance issue's
     * for those targets. (Its 100x10 runs with JMH's own main.)
     */
    static final List<String> KERNELS_SHAPES = List.of("256x1000");

    private static final List<Group> GROUPS = groups();

    private static List<Group> groups() {
        List<Group> groups = new ArrayList<>(List.of(
                new Group(SoftmaxBench.class, Dtype.FLOAT32, rowOps(), true, null),
                new Group(SoftmaxBench.class, Dtype.FLOAT64, rowOps(), true, null, FLOAT64_SHAPES),
                new Group(CopyBench.class, Dtype.FLOAT32, copies(), false, null),
                new Group(CopyBench.class, Dtype.FLOAT64, copies(), false, null, FLOAT64_SHAPES),
                new Group(MatmulBench.class, Dtype.FLOAT32, List.of(Op.MATMUL, Op.MATMUL_TRANS_A, Op.MATMUL_TRANS_B), true,
                        null)));
        // ND4J's own ops, and the nd4j backend's INDArray entry point, on the same INDArrays
        List<Op> nativeOps = List.of(Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SPARSE_CROSS_ENTROPY);
        groups.add(new Group(Nd4jNativeOpsBench.class, Dtype.FLOAT32, nativeOps, false, ND4J));
        groups.add(new Group(Nd4jNativeOpsBench.class, Dtype.FLOAT64, nativeOps, false, ND4J, FLOAT64_SHAPES));
        groups.add(new Group(Nd4jSoftmaxBench.class, Dtype.FLOAT32, nd4jOps(), false, ND4J));
        groups.add(new Group(Nd4jSoftmaxBench.class, Dtype.FLOAT64, nd4jOps(), false, ND4J, FLOAT64_SHAPES));
        groups.add(new Group(Nd4jNativeMatmulBench.class, Dtype.FLOAT32, List.of(Op.MATMUL), false, ND4J));
        // plain's float32 SIMD and scalar kernels of the other loop ops, with its softmax and dense cross-entropy
        groups.add(new Group(Float32OpsBench.class, Dtype.FLOAT32, kernelOps(), false, PLAIN, KERNELS_SHAPES));
        return List.copyOf(groups);
    }

    /** @return the ops of kind {@code KERNELS}, then softmax (their reference) and the dense cross-entropy */
    private static List<Op> kernelOps() {
        List<Op> ops = new ArrayList<>(Arrays.stream(Op.values()).filter(op -> op.kind() == Op.Kind.KERNELS).toList());
        ops.add(Op.SOFTMAX);
        ops.add(Op.DENSE_CROSS_ENTROPY);
        return List.copyOf(ops);
    }

    /**
     * @param kernels whether the group is plain's kernels side by side ({@link Float32OpsBench})
     * @return the ops of a group to run: the selected ones; for the kernels' group only when one of kind
     *         {@code KERNELS} is selected, and then with softmax, their reference, whether selected or not
     */
    static List<Op> selectedOps(List<Op> groupOps, Set<Op> selected, boolean kernels) {
        if (!kernels) {
            return groupOps.stream().filter(selected::contains).toList();
        }
        if (selected.stream().noneMatch(op -> op.kind() == Op.Kind.KERNELS)) {
            return List.of();
        }
        return groupOps.stream().filter(op -> op == Op.SOFTMAX || selected.contains(op)).toList();
    }

    /**
     * Why plain's float32 kernels side by side ({@link Float32OpsBench}) are not measured although the plan asks for
     * them (plain among the backends, float32 and an op of kind {@code KERNELS} selected). They need each trial in a
     * fork of its own (the scalar kernels are chosen by a system property when the backend loads), the Vector API
     * module in this JVM, whose flags the forks inherit (without it their SIMD trials fail), and their shape.
     *
     * @param vectorModule whether this JVM has {@code jdk.incubator.vector} ({@link #hasVectorModule})
     * @return the reason, for the report and the console, or null when they run or are not asked for
     */
    public static String kernelsSkipped(BenchPlan plan, boolean vectorModule) {
        if (!plan.backends().contains(PLAIN) || !plan.dtypes().contains(Dtype.FLOAT32)
                || plan.ops().stream().noneMatch(op -> op.kind() == Op.Kind.KERNELS)) {
            return null;
        }
        String what = "plain's float32 kernels side by side (their table and targets rows): ";
        if (!vectorModule) {
            return what + "this JVM lacks the Vector API module; run `java --add-modules jdk.incubator.vector -jar"
                    + " softmax4j-bench.jar bench ...`";
        }
        if (plan.forks() == 0) {
            return what + "each trial needs a fork of its own, and --forks is 0";
        }
        if (KERNELS_SHAPES.stream().noneMatch(plan.shapes()::contains)) {
            return what + "they run at " + String.join(", ", KERNELS_SHAPES) + ", which --shapes leaves out";
        }
        return null;
    }

    /** @return whether this JVM has the Vector API module ({@code --add-modules jdk.incubator.vector}) */
    public static boolean hasVectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
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

    /** @return how many values the class's {@code @Param} field of that name declares, 1 if it has none */
    private static int declaredValues(Class<?> benchmark, String name) {
        try {
            return benchmark.getField(name).getAnnotation(Param.class).value().length;
        } catch (NoSuchFieldException e) {
            return 1;
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
            if (!plan.dtypes().contains(group.dtype())
                    || group.requires() != null && !plan.backends().contains(group.requires())
                    || group.benchmark() == Float32OpsBench.class && kernelsSkipped(plan, hasVectorModule()) != null) {
                continue;
            }
            boolean reference = group.ops().contains(Op.COPY_ONE_THREAD);
            List<Op> ops = reference ? group.ops()
                    : selectedOps(group.ops(), plan.ops(), group.benchmark() == Float32OpsBench.class);
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
            benchmarks += ops.size() * Math.max(1, shapes.size()) * (group.hasBackend() ? plan.backends().size() : 1)
                    * declaredValues(group.benchmark(), "kernels");
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
