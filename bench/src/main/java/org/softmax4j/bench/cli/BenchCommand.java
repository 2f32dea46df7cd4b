package org.softmax4j.bench.cli;

import org.openjdk.jmh.results.RunResult;
import org.softmax4j.Softmax;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;
import org.softmax4j.bench.jmh.AllocationProbe;
import org.softmax4j.bench.jmh.BenchListener;
import org.softmax4j.bench.jmh.BenchPlan;
import org.softmax4j.bench.jmh.BenchRunner;
import org.softmax4j.bench.report.Allocation;
import org.softmax4j.bench.report.JmhResults;
import org.softmax4j.bench.report.Measurement;
import org.softmax4j.bench.report.ReportWriter;
import org.softmax4j.bench.report.ResultsFolder;
import org.softmax4j.bench.report.RunInfo;
import org.softmax4j.bench.train.DataNotFoundException;
import org.softmax4j.bench.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** The {@code bench} command: JMH microbenchmarks of every backend, then the training job, then the report. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the JMH microbenchmarks (softmax, logSoftmax, softmaxBackward, sparseCrossEntropy on"
                + " 100x10, 256x1000, 64x32000, 4096x4096 in float32 and 256x1000, 4096x4096 in float64; the"
                + " matmul/matmulTransA/matmulTransB of a training step; a copy of the same bytes as the memory-bandwidth"
                + " reference) on every backend found, then trains softmax regression on Fashion-MNIST with each,"
                + " and writes jmh.json, training.json, report.md and throughput.png to the results folder.",
                "Full profile (default): 2 forks, 5 warm-up + 5 measured iterations of 1 s: about an hour for 3"
                        + " backends on 2 cores. --quick: 1 fork, 4 warm-up iterations of 500 ms + 3 of 200 ms:"
                        + " about 14 minutes with nd4j, ND4J's own ops and plain's kernels side by side, re-runs"
                        + " included (no training). A figure"
                        + " whose iterations still drift, or"
                        + " that allocates in a backend that allocates nothing once compiled, is measured again with"
                        + " twice the warm-up (--warmup-retries times), then marked unreliable in the report."
                        + " JMH's own log goes to jmh.log; the console shows a progress bar, then the report."
                        + " Run with java --add-modules jdk.incubator.vector to measure the Vector API"
                        + " kernels (the JMH forks inherit the flag)."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "The quick profile (about 14 minutes on 2 cores with every backend,"
            + " plain's kernels side by side included).")
    boolean quick;

    @Option(names = "--backends", split = ",", paramLabel = "NAME",
            description = "Backends to measure (default: all found).")
    List<String> backends;

    @Option(names = "--ops", split = ",", paramLabel = "OP",
            description = "Ops to measure (default: all): softmax, logSoftmax, softmaxBackward, sparseCrossEntropy,"
                    + " denseCrossEntropy, matmul, matmulTransA, matmulTransB, trainingStepViews; and plain's float32"
                    + " SIMD and scalar kernels side by side at 256x1000 (with plain among the backends and"
                    + " --add-modules jdk.incubator.vector): softmaxTemperature, maskedSoftmax, maskedLogSoftmax,"
                    + " maskedLogSumExp, maskedSparseCrossEntropy, maskedDenseCrossEntropy, logSoftmaxBackward,"
                    + " sparseCrossEntropyWeightedSmoothed, denseCrossEntropyWeightedSmoothed,"
                    + " crossEntropyFromProbabilities, crossEntropyFromProbabilitiesOneHot, argmax, topK5, jacobian.")
    List<String> ops;

    @Option(names = "--shapes", split = ",", paramLabel = "RxC",
            description = "Shapes of the row ops (default: all): 100x10, 256x1000, 64x32000, 4096x4096.")
    List<String> shapes;

    @Option(names = "--dtypes", split = ",", paramLabel = "DTYPE",
            description = "float32 and/or float64 (default: both).")
    List<String> dtypes;

    @Option(names = "--forks", description = "Overrides the profile's JVM forks per benchmark.")
    Integer forks;

    @Option(names = "--warmup-iterations", description = "Overrides the profile's warm-up iterations.")
    Integer warmupIterations;

    @Option(names = "--warmup-ms", description = "Overrides the profile's warm-up iteration length in milliseconds.")
    Integer warmupMillis;

    @Option(names = "--iterations", description = "Overrides the profile's measured iterations.")
    Integer iterations;

    @Option(names = "--iteration-ms", description = "Overrides the profile's measured iteration length in milliseconds.")
    Integer iterationMillis;

    @Option(names = "--warmup-retries", description = "Overrides how many times a figure taken before warm-up"
            + " converged is measured again, each time with twice the warm-up iterations (default: 2).")
    Integer warmupRetries;

    @Option(names = "--gc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run JMH's -prof gc for the allocation per op (default: on).")
    boolean gcProfiler;

    @Option(names = "--train", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the training job on every backend (default: on; skipped with a message when"
                    + " the data is missing).")
    boolean train;

    @Mixin
    TrainOptions training;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: results/<timestamp>).")
    Path out;

    @Option(names = "--quiet", description = "No progress on the console (the report is still printed; JMH's log"
            + " goes to jmh.log as always).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        List<String> names = Backends.resolve(backends);
        Set<Op> opSet = ops == null ? EnumSet.allOf(Op.class) : EnumSet.noneOf(Op.class);
        if (ops != null) {
            ops.forEach(o -> opSet.add(Op.parse(o)));
        }
        Set<String> shapeSet = new LinkedHashSet<>();
        for (String s : shapes == null ? BenchRunner.allShapes() : shapes) {
            shapeSet.add(Shape.parse(s).toString());
        }
        Set<Dtype> dtypeSet = dtypes == null ? EnumSet.allOf(Dtype.class) : EnumSet.noneOf(Dtype.class);
        if (dtypes != null) {
            dtypes.forEach(d -> dtypeSet.add(Dtype.parse(d)));
        }
        BenchPlan plan = quick ? BenchPlan.quick(names, opSet, shapeSet, dtypeSet)
                : BenchPlan.full(names, opSet, shapeSet, dtypeSet);
        plan = plan.withTiming(forks != null ? forks : plan.forks(),
                        warmupIterations != null ? warmupIterations : plan.warmupIterations(),
                        warmupMillis != null ? warmupMillis : plan.warmupMillis(),
                        iterations != null ? iterations : plan.iterations(),
                        iterationMillis != null ? iterationMillis : plan.iterationMillis(),
                        warmupRetries != null ? warmupRetries : plan.warmupRetries())
                .withGcProfiler(gcProfiler).withQuiet(quiet);
        training.config(); // validate before hours of benchmarking

        ResultsFolder folder = (out == null ? ResultsFolder.timestamped() : new ResultsFolder(out)).create();
        List<String> skipped = new ArrayList<>(Softmax.skipped());
        String kernels = BenchRunner.kernelsSkipped(plan, BenchRunner.hasVectorModule());
        if (kernels != null) {
            skipped.add(kernels);
            System.err.println("Skipped: " + kernels);
        }
        RunInfo info = RunInfo.here(Main.commandLine(spec), plan.describe(), plan.warmup(),
                Backends.describeAvailable(), skipped);
        folder.writeRunInfo(info);

        ConsoleProgress progress = ConsoleProgress.forThisConsole();
        List<RunResult> results = BenchRunner.run(plan, folder.jmhJson(), folder.jmhLog(),
                plan.quiet() ? BenchListener.SILENT : progress);
        List<Measurement> measurements = JmhResults.fromRunResults(results);
        List<Allocation> allocations = List.of();
        if (plan.gcProfiler()) {
            allocations = AllocationProbe.measure(plan);
            folder.writeAllocations(allocations);
        }

        List<TrainingResult> trained = List.of();
        if (train) {
            try {
                trained = TrainingJob.run(names, training.data, training.config(), training.warmupSeconds,
                        progress);
                folder.writeTraining(trained);
            } catch (DataNotFoundException e) {
                System.err.println("Training skipped: " + e.getMessage());
            }
        }
        ReportWriter.write(folder, info, measurements, allocations, trained);
        PrintWriter console = spec.commandLine().getOut();
        console.println();
        console.println(ReportWriter.render(info, measurements, allocations, trained, null));
        console.println("Results in " + folder.dir().toAbsolutePath() + ": " + ResultsFolder.REPORT_MD + ", "
                + ResultsFolder.CHART_PNG + ", " + ResultsFolder.JMH_JSON + ", " + ResultsFolder.JMH_LOG + ", "
                + ResultsFolder.RUN_JSON + (trained.isEmpty() ? "" : ", " + ResultsFolder.TRAINING_JSON));
        console.flush();
        return 0;
    }
}
