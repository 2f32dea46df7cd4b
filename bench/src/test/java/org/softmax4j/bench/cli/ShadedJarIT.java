package org.softmax4j.bench.cli;

import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.report.Measurement;
import org.softmax4j.bench.report.ResultsFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar a user runs ({@code java -jar softmax4j-bench.jar}), made by the shade plugin, in a JVM of its own with
 * JMH forking from it: every op of every backend runs once on 100x10. {@link BenchSmokeTest} runs the same harness on
 * Maven's test class path, which also holds the {@code provided} and test dependencies; only this test sees a
 * dependency the shaded jar lacks (as it once lacked commons-io, which ND4J loads on its first dense loss).
 */
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("softmax4j.bench.jar", "target/softmax4j-bench.jar"));
    private static final Path OUTPUT = Path.of(System.getProperty("softmax4j.test.outputDir", "target"),
            "shaded-jar-it");

    @Test
    void everyOpOfEveryBackendRunsFromTheShadedJar() throws IOException, InterruptedException {
        Path out = OUTPUT.resolve("results");
        String text = runBench(out, "console.txt", 10, "--shapes", "100x10");

        List<Measurement> measurements = new ResultsFolder(out).readMeasurements();
        List<String> backends = Softmax.available().stream().map(SoftmaxOps::name).toList();
        assertEquals(List.of("plain", "ejml", "nd4j"), backends.stream().sorted((a, b) -> order(a) - order(b))
                .toList(), "the backends this module depends on");
        for (String backend : backends) {
            for (Op op : List.of(Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SOFTMAX_BACKWARD, Op.SPARSE_CROSS_ENTROPY,
                    Op.DENSE_CROSS_ENTROPY, Op.MATMUL, Op.MATMUL_TRANS_A, Op.MATMUL_TRANS_B)) {
                assertTrue(measurements.stream().anyMatch(m -> m.op() == op && m.backend().equals(backend)
                                && m.dtype() == Dtype.FLOAT32 && m.nsPerOp() > 0),
                        () -> "no " + op.method() + " on " + backend + " from the shaded jar; console:\n" + text);
            }
        }
    }

    /**
     * plain's kernels side by side: {@code Float32OpsBench}'s SIMD trial forks with the Vector API module (its setup
     * fails otherwise) and its scalar trial runs the scalar kernels; both figures reach the report's own table and
     * the targets.
     */
    @Test
    void plainsKernelsRunSideBySideFromTheShadedJar() throws IOException, InterruptedException {
        Path out = OUTPUT.resolve("kernels");
        String text = runBench(out, "kernels-console.txt", 5, "--backends", "plain", "--ops", "maskedSoftmax",
                "--shapes", "256x1000");

        List<Measurement> measurements = new ResultsFolder(out).readMeasurements();
        for (Op op : List.of(Op.MASKED_SOFTMAX, Op.SOFTMAX)) {
            for (String kernels : List.of(Measurement.PLAIN_SIMD, Measurement.PLAIN_SCALAR)) {
                assertTrue(measurements.stream().anyMatch(m -> m.op() == op && m.backend().equals(kernels)
                                && m.shapeLabel().equals("256x1000") && m.nsPerOp() > 0),
                        () -> "no " + op.method() + " on " + kernels + "; console:\n" + text);
            }
        }
        String report = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(report.contains("## plain's float32 kernels, SIMD and scalar side by side"), report);
        assertTrue(report.contains("| 256x1000 maskedSoftmax, plain: scalar kernel / SIMD kernel | >= 4x |"), report);
        assertTrue(report.contains("| 256x1000 maskedSoftmax, plain: SIMD kernel / SIMD softmax | <= 1.5x |"), report);
    }

    /**
     * Runs {@code java --add-modules jdk.incubator.vector -jar <shaded jar> bench} with the selection given, float32,
     * one fork, one 50 ms warm-up and measured iteration, no re-runs, no gc profiler and no training, into
     * {@code out}; asserts that it finished within the minutes given with exit code 0.
     *
     * @return the console's text
     */
    private static String runBench(Path out, String consoleFile, int minutes, String... selection)
            throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), () -> "no shaded jar at " + JAR.toAbsolutePath());
        Path console = OUTPUT.resolve(consoleFile);
        Files.createDirectories(OUTPUT);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-jar",
                JAR.toString(), "bench"));
        command.addAll(List.of(selection));
        command.addAll(List.of("--dtypes", "float32", "--forks", "1", "--warmup-iterations", "1", "--warmup-ms", "50",
                "--iterations", "1", "--iteration-ms", "50", "--warmup-retries", "0", "--no-gc", "--no-train",
                "--quiet", "--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile())
                .start();
        boolean finished = process.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(console, StandardCharsets.UTF_8);
        assertTrue(finished, () -> "still running after " + minutes + " minutes; console:\n" + text);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + "\nconsole:\n" + text);
        return text;
    }

    private static int order(String backend) {
        return List.of("plain", "ejml", "nd4j").indexOf(backend);
    }
}
