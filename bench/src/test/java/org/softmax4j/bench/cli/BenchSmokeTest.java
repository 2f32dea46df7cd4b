package org.softmax4j.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.report.Allocation;
import org.softmax4j.bench.report.Measurement;
import org.softmax4j.bench.report.ResultsFolder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the harness end to end with the shortest settings JMH takes (in this JVM, one 100 ms iteration, one shape)
 * so that it cannot rot: every benchmark method runs on every backend found, and the report and chart appear. The
 * console output and the results stay in {@code target/bench-smoke-test/} for a look after the build, out of the
 * test log.
 */
class BenchSmokeTest {

    private static final Path OUTPUT = Path.of(System.getProperty("softmax4j.test.outputDir", "target"),
            "bench-smoke-test");

    @TempDir
    Path dir;

    @Test
    void tinyRunWritesJsonReportAndChartForEveryBackend() throws IOException {
        Path out = OUTPUT.resolve("results");
        Path consoleFile = OUTPUT.resolve("console.txt");
        Files.createDirectories(OUTPUT);
        int code;
        // No re-runs: a 100 ms warm-up leaves figures unconverged, which the report must then mark.
        try (PrintWriter console = new PrintWriter(Files.newBufferedWriter(consoleFile, StandardCharsets.UTF_8))) {
            code = Main.execute(console, console, "bench", "--shapes", "100x10", "--dtypes", "float32", "--forks",
                    "0", "--warmup-iterations", "1", "--warmup-ms", "100", "--iterations", "1", "--iteration-ms",
                    "100", "--warmup-retries", "0", "--no-train", "--quiet", "--out", out.toString());
        }
        String console = Files.readString(consoleFile, StandardCharsets.UTF_8);
        assertEquals(0, code, () -> "exit code; console:\n" + console);

        ResultsFolder folder = new ResultsFolder(out);
        List<Measurement> measurements = folder.readMeasurements();
        List<String> backends = Softmax.available().stream().map(SoftmaxOps::name).toList();
        for (String backend : backends) {
            for (Op op : List.of(Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SOFTMAX_BACKWARD, Op.SPARSE_CROSS_ENTROPY,
                    Op.DENSE_CROSS_ENTROPY, Op.MATMUL, Op.MATMUL_TRANS_A, Op.MATMUL_TRANS_B)) {
                assertTrue(measurements.stream().anyMatch(m -> m.op() == op && m.backend().equals(backend)
                        && m.dtype() == Dtype.FLOAT32 && m.nsPerOp() > 0 && !Double.isNaN(m.allocBytesPerOp())),
                        () -> "no " + op.method() + " measurement with -prof gc for " + backend + " in " + measurements);
            }
        }
        for (Op copy : List.of(Op.COPY_ONE_THREAD, Op.COPY_ALL_CORES)) {
            assertTrue(measurements.stream().anyMatch(m -> m.op() == copy && m.shapeLabel().equals("100x10")),
                    () -> "no " + copy.method() + " reference in " + measurements);
        }
        // with nd4j: ND4J's own 4 row ops and its sgemm, and the 4 row ops through Nd4jSoftmax on INDArrays
        assertEquals(backends.contains("nd4j") ? 1 : 0, measurements.stream()
                .filter(m -> m.op() == Op.DENSE_CROSS_ENTROPY && m.backend().equals(Measurement.ND4J_INDARRAY)).count(),
                () -> "the INDArray entry point's dense cross-entropy in " + measurements);
        // (ND4J's own dense loss op is not measured: it prints its labels on every call)
        int nd4jReferences = backends.contains("nd4j") ? 3 + 1 + 4 : 0;
        // per backend 5 row ops (softmax, log-softmax, softmax backward, sparse and dense CE) and 3 products
        // (matmul, matmulTransA, matmulTransB); the two copy references
        assertEquals(8 * backends.size() + 2 + nd4jReferences, measurements.size(),
                () -> "measurements: " + measurements);

        List<Allocation> allocations = folder.readAllocations();
        // the 8 ops of every backend and a training step with views
        assertEquals(9 * backends.size(), allocations.size(), () -> "allocation probe: " + allocations);
        assertEquals(backends.size(), allocations.stream().filter(a -> a.op() == Op.TRAINING_STEP_VIEWS).count(),
                () -> "the training step with views in " + allocations);
        assertTrue(allocations.stream().allMatch(a -> a.bytesPerCall() >= 0), () -> "allocations: " + allocations);

        String report = Files.readString(folder.report(), StandardCharsets.UTF_8);
        // The console has the report and not JMH's log, which is in jmh.log.
        assertTrue(console.contains(report.lines().filter(l -> l.startsWith("| softmax | 100x10 |")).findFirst()
                .orElseThrow()), () -> "the report is not on the console:\n" + console);
        assertFalse(console.contains("# Warmup Iteration"), () -> "JMH's log on the console:\n" + console);
        assertTrue(Files.readString(folder.jmhLog(), StandardCharsets.UTF_8).contains("# Warmup Iteration"),
                "JMH's log in jmh.log");
        // Each row op and product row has its warm-up verdict: ok, or marked with the reason.
        assertTrue(report.lines().filter(l -> l.startsWith("| softmax | 100x10 |")
                        || l.startsWith("| matmul | 100x784 * 784x10 |"))
                .allMatch(l -> l.endsWith("| ok |") || l.contains("| ⚠ unreliable: ")), report);
        for (String backend : backends) {
            assertTrue(report.contains("| softmax | 100x10 | " + backend + " |"), report);
            assertTrue(report.contains("| matmul | 100x784 * 784x10 | " + backend + " |"), report);
        }
        assertTrue(report.contains("## Memory-bandwidth reference"), report);
        assertTrue(report.contains("## Heap bytes allocated per call (exact)"), report);
        assertTrue(report.contains("| cores | " + Runtime.getRuntime().availableProcessors() + " |"), report);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'},
                Arrays.copyOf(Files.readAllBytes(folder.chart()), 4), "throughput.png is a PNG");

        // The report command renders the same report again from the JSON JMH wrote.
        Files.delete(folder.report());
        Files.delete(folder.chart());
        StringWriter reportConsole = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(reportConsole, true), new PrintWriter(reportConsole, true),
                "report", out.toString()), reportConsole::toString);
        assertTrue(reportConsole.toString().startsWith("Wrote "), reportConsole::toString);
        assertEquals(report, Files.readString(folder.report(), StandardCharsets.UTF_8));
        assertTrue(Files.size(folder.chart()) > 0);
    }

    @Test
    void unknownBackendFailsListingTheValidNames() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "bench", "--backends", "no-such-backend", "--out",
                dir.toString());
        assertEquals(2, code);
        String first = Softmax.available().get(0).name();
        assertTrue(err.toString().contains("no-such-backend") && err.toString().contains(first), err.toString());
    }

    @Test
    void missingDataNamesThePackageAndTheOption() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "train", "--data", dir.resolve("nothing").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("dataset-fashion-mnist") && err.toString().contains("--data"),
                err.toString());
        assertTrue(!err.toString().contains("\tat "), () -> "a stack trace: " + err);
    }
}
