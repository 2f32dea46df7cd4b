package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

/** The precision of a row-op or copy measurement comes from the benchmark's {@code dtype} parameter. */
class JmhResultsTest {

    @Test
    void theDtypeParameterGivesTheDtype() {
        Measurement f64 = JmhResults.measurement("org.softmax4j.bench.jmh.SoftmaxBench.softmax", "plain", "FLOAT64",
                "256x1000", 2, 0.1, "us/op", 0);
        assertEquals(Dtype.FLOAT64, f64.dtype());
        assertEquals(Op.SOFTMAX, f64.op());
        assertEquals(2000, f64.nsPerOp(), 1e-9);
        Measurement copy = JmhResults.measurement("org.softmax4j.bench.jmh.CopyBench.copyAllCores", null, "FLOAT32",
                "100x10", 5, 0, "ns/op", 0);
        assertEquals(Dtype.FLOAT32, copy.dtype());
        assertEquals(Measurement.MEMORY, copy.backend());
    }

    @Test
    void resultsOfThePerDtypeClassesStillRead() {
        Measurement old = JmhResults.measurement("org.softmax4j.bench.jmh.SoftmaxFloat64Bench.logSoftmax", "ejml", null,
                "4096x4096", 1, 0, "ms/op", Double.NaN);
        assertEquals(Dtype.FLOAT64, old.dtype());
        assertNull(JmhResults.measurement("org.example.OtherBench.softmax", "plain", "FLOAT32", "1x1", 1, 0, "ns/op",
                0));
    }
}
