package org.softmax4j.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.TimeValue;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns JMH results into {@link Measurement}s: from the {@link RunResult}s {@code Runner.run} returns, or from the
 * JSON JMH wrote ({@code ResultFormatType.JSON}) when a report is rendered again later.
 */
public final class JmhResults {

    /** The -prof gc figure: bytes allocated per benchmark call. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private JmhResults() {
    }

    /** @return one measurement per run result of this module's benchmarks (others are ignored) */
    public static List<Measurement> fromRunResults(Collection<RunResult> results) {
        List<Measurement> out = new ArrayList<>();
        for (RunResult result : results) {
            Measurement m = fromRunResult(result);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** @return the measurement of one run result, its warm-up verdict included; null if not this module's */
    public static Measurement fromRunResult(RunResult result) {
        BenchmarkParams params = result.getParams();
        Result<?> primary = result.getPrimaryResult();
        double alloc = Double.NaN;
        for (String key : result.getSecondaryResults().keySet()) {
            if (key.endsWith(ALLOC_NORM)) {
                Result<?> norm = result.getSecondaryResults().get(key); // a raw type in JMH's signature
                alloc = norm.getScore();
            }
        }
        List<double[]> forks = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            forks.add(fork.getIterationResults().stream().mapToDouble(i -> i.getPrimaryResult().getScore())
                    .toArray());
        }
        return measurement(params.getBenchmark(), params.getParam("backend"), params.getParam("kernels"),
                params.getParam("dtype"),
                params.getParam("shape"), primary.getScore(), primary.getScoreError(), primary.getScoreUnit(), alloc,
                new Timing(params.getWarmup().getCount(), params.getWarmup().getTime(),
                        params.getMeasurement().getTime(), forks));
    }

    /** @return one measurement per entry of a JMH JSON result file of this module's benchmarks */
    public static List<Measurement> fromJson(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Measurement> out = new ArrayList<>();
        for (JsonNode run : root) {
            JsonNode params = run.path("params");
            JsonNode primary = run.path("primaryMetric");
            double alloc = Double.NaN;
            Iterator<Map.Entry<String, JsonNode>> secondary = run.path("secondaryMetrics").fields();
            while (secondary.hasNext()) {
                Map.Entry<String, JsonNode> e = secondary.next();
                if (e.getKey().endsWith(ALLOC_NORM)) {
                    alloc = e.getValue().path("score").asDouble(Double.NaN);
                }
            }
            List<double[]> forks = new ArrayList<>();
            for (JsonNode fork : primary.path("rawData")) {
                double[] ns = new double[fork.size()];
                for (int i = 0; i < ns.length; i++) {
                    ns[i] = fork.get(i).asDouble();
                }
                forks.add(ns);
            }
            Timing timing = run.has("warmupTime") ? new Timing(run.path("warmupIterations").asInt(),
                    TimeValue.fromString(run.path("warmupTime").asText()),
                    TimeValue.fromString(run.path("measurementTime").asText()), forks) : null;
            Measurement m = measurement(run.path("benchmark").asText(), text(params, "backend"),
                    text(params, "kernels"), text(params, "dtype"), text(params, "shape"), primary.path("score").asDouble(Double.NaN),
                    primary.path("scoreError").asDouble(Double.NaN), primary.path("scoreUnit").asText(), alloc,
                    timing);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * How a figure was measured, for its warm-up verdict.
     *
     * @param warmupIterations warm-up iterations per fork
     * @param warmupTime       the length of one
     * @param iterationTime    the length of one measured iteration
     * @param scoresByFork     each fork's measured iterations, in the score unit
     */
    record Timing(int warmupIterations, TimeValue warmupTime, TimeValue iterationTime, List<double[]> scoresByFork) {
    }

    private static String text(JsonNode params, String name) {
        JsonNode node = params.get(name);
        return node == null || node.isNull() ? null : node.asText();
    }

    /**
     * @param kernels the {@code kernels} parameter of {@code Float32OpsBench} ("simd" or "scalar"), null elsewhere
     * @param timing  null where unknown (no verdict then)
     * @return the measurement, or null for a benchmark that is not one of this module's
     */
    static Measurement measurement(String benchmark, String backend, String kernels, String dtypeParam, String shape,
                                   double score,
                                   double error, String unit, double alloc, Timing timing) {
        int dot = benchmark.lastIndexOf('.');
        String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
        Op op;
        try {
            op = Op.parse(benchmark.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Dtype dtype;
        Shape s;
        switch (className) {
            case "SoftmaxBench", "CopyBench" -> dtype = Dtype.parse(dtypeParam);
            // the per-dtype classes of runs before the dtype became a parameter (older jmh.json files)
            case "SoftmaxFloat32Bench", "CopyFloat32Bench" -> dtype = Dtype.FLOAT32;
            case "SoftmaxFloat64Bench", "CopyFloat64Bench" -> dtype = Dtype.FLOAT64;
            case "MatmulBench" -> dtype = Dtype.FLOAT32;
            case "Float32OpsBench" -> {
                dtype = Dtype.FLOAT32;
                backend = "scalar".equals(kernels) ? Measurement.PLAIN_SCALAR : Measurement.PLAIN_SIMD;
            }
            // ND4J's own ops and the INDArray entry point: float32 only in runs before they took a dtype
            case "Nd4jNativeOpsBench", "Nd4jNativeMatmulBench" -> {
                dtype = dtypeParam == null ? Dtype.FLOAT32 : Dtype.parse(dtypeParam);
                backend = Measurement.ND4J_NATIVE;
            }
            case "Nd4jSoftmaxBench" -> {
                dtype = dtypeParam == null ? Dtype.FLOAT32 : Dtype.parse(dtypeParam);
                backend = Measurement.ND4J_INDARRAY;
            }
            default -> {
                return null;
            }
        }
        if (op.kind() == Op.Kind.MATRIX_PRODUCT) {
            s = null;
        } else {
            s = Shape.parse(shape);
        }
        double factor = nanosPer(unit);
        String name = op.kind() == Op.Kind.REFERENCE ? Measurement.MEMORY : backend;
        String warmup = null;
        String unreliable = null;
        if (timing != null) {
            warmup = Measurement.warmup(timing.warmupIterations(),
                    timing.warmupTime().convertTo(TimeUnit.MILLISECONDS));
            List<double[]> ns = timing.scoresByFork().stream()
                    .map(f -> Arrays.stream(f).map(v -> v * factor).toArray()).toList();
            unreliable = WarmupCheck.problem(name, ns, alloc,
                    timing.iterationTime().convertTo(TimeUnit.NANOSECONDS));
        }
        return new Measurement(op, dtype, s, name, score * factor, error * factor, alloc, warmup, unreliable);
    }

    /** @return the nanoseconds in one unit of an average-time score such as "ns/op" or "us/op" */
    private static double nanosPer(String unit) {
        String u = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        for (TimeUnit t : TimeUnit.values()) {
            if (u.equals(abbreviation(t))) {
                return t.toNanos(1);
            }
        }
        throw new IllegalArgumentException("JMH score unit: expected a time per op such as ns/op, got '" + unit + "'");
    }

    private static String abbreviation(TimeUnit t) {
        return switch (t) {
            case NANOSECONDS -> "ns";
            case MICROSECONDS -> "us";
            case MILLISECONDS -> "ms";
            case SECONDS -> "s";
            case MINUTES -> "min";
            case HOURS -> "hr";
            case DAYS -> "day";
        };
    }
}
