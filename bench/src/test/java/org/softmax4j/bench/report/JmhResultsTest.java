package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

/** The precision of a row-op or copy measurement comes from the benchmark's {@code dtype} parameter. */
class JmhResultsTest {

    @Test
    void theDtypeParameterGivesTheDtype() {
        Measurement f64 = JmhResults.measurement("org.softmax4j.bench.jmh.SoftmaxBench.softmax", "plain", null, "FLOAT64",
                "256x1000", 2, 0.1, "us/op", 0, null);
        assertEquals(Dtype.FLOAT64, f64.dtype());
        assertEquals(Op.SOFTMAX, f64.op());
        assertEquals(2000, f64.nsPerOp(), 1e-9);
        Measurement copy = JmhResults.measurement("org.softmax4j.bench.jmh.CopyBench.copyAllCores", null, null, "FLOAT32",
                "100x10", 5, 0, "ns/op", 0, null);
        assertEquals(Dtype.FLOAT32, copy.dtype());
        assertEquals(Measurement.MEMORY, copy.backend());
    }

    @Test
    void theJsonGivesTheWarmupAndItsVerdict(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, """
                [{"benchmark": "org.softmax4j.bench.jmh.SoftmaxBench.softmax", "warmupIterations": 4,
                  "warmupTime": "500 ms", "measurementTime": "200 ms",
                  "params": {"backend": "plain", "dtype": "FLOAT32", "shape": "100x10"},
                  "primaryMetric": {"score": 2.5, "scoreError": 0.5, "scoreUnit": "us/op",
                                    "rawData": [[3.0, 2.5, 2.0]]}},
                 {"benchmark": "org.softmax4j.bench.jmh.SoftmaxBench.softmax", "warmupIterations": 8,
                  "warmupTime": "500 ms", "measurementTime": "200 ms",
                  "params": {"backend": "ejml", "dtype": "FLOAT32", "shape": "100x10"},
                  "primaryMetric": {"score": 2.0, "scoreError": 0.1, "scoreUnit": "us/op",
                                    "rawData": [[2.0, 2.01, 1.99]]}}]
                """);
        List<Measurement> ms = JmhResults.fromJson(json);
        assertEquals("4 x 500 ms", ms.get(0).warmup());
        assertTrue(ms.get(0).unreliable().startsWith("iterations still speeding up (-33%"), ms.get(0).unreliable());
        assertEquals("8 x 500 ms", ms.get(1).warmup());
        assertNull(ms.get(1).unreliable());
        RunInfo info = new RunInfo("now", "cpu", 2, 1, 0, "jdk", "os", "cmd", "settings", List.of(), List.of(),
                "4 x 500 ms");
        assertEquals("ok after a warm-up of 8 x 500 ms", ReportWriter.check(ms.get(1), info));
        assertTrue(ReportWriter.check(ms.get(0), info).startsWith(ReportWriter.UNRELIABLE + ": iterations still"),
                ReportWriter.check(ms.get(0), info));
    }

    @Test
    void float32OpsBenchGivesPlainsKernelsApartFromTheBackends() {
        Measurement scalar = JmhResults.measurement("org.softmax4j.bench.jmh.Float32OpsBench.maskedSoftmax", "plain",
                "scalar", null, "256x1000", 1900, 10, "us/op", 0, null);
        assertEquals(Op.MASKED_SOFTMAX, scalar.op());
        assertEquals(Dtype.FLOAT32, scalar.dtype());
        assertEquals(Measurement.PLAIN_SCALAR, scalar.backend());
        assertTrue(scalar.kernels());
        Measurement simd = JmhResults.measurement("org.softmax4j.bench.jmh.Float32OpsBench.softmax", "plain", "simd",
                null, "256x1000", 100, 1, "us/op", 0, null);
        assertEquals(Op.SOFTMAX, simd.op());
        assertEquals(Measurement.PLAIN_SIMD, simd.backend());
        assertTrue(simd.kernels());
        Measurement plain = JmhResults.measurement("org.softmax4j.bench.jmh.SoftmaxBench.softmax", "plain", null,
                "FLOAT32", "256x1000", 100, 1, "us/op", 0, null);
        assertFalse(plain.kernels());
    }

    @Test
    void resultsOfThePerDtypeClassesStillRead() {
        Measurement old = JmhResults.measurement("org.softmax4j.bench.jmh.SoftmaxFloat64Bench.logSoftmax", "ejml", null,
                null, "4096x4096", 1, 0, "ms/op", Double.NaN, null);
        assertEquals(Dtype.FLOAT64, old.dtype());
        assertNull(JmhResults.measurement("org.example.OtherBench.softmax", "plain", null, "FLOAT32", "1x1", 1, 0, "ns/op",
                0, null));
    }
}
