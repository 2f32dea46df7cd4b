package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;

/** plain's kernels side by side get a table of their own, and stay out of the comparison of backends. */
class ReportWriterTest {

    private static final Shape SHAPE = Shape.parse("256x1000");

    private static Measurement m(Op op, String backend, double ns) {
        return new Measurement(op, Dtype.FLOAT32, SHAPE, backend, ns, 1000, 0);
    }

    @Test
    void kernelsHaveTheirOwnTableAndAreNotBackends() {
        List<Measurement> all = List.of(m(Op.SOFTMAX, "plain", 90e3), m(Op.SOFTMAX, "ejml", 900e3),
                m(Op.SOFTMAX, Measurement.PLAIN_SIMD, 100e3), m(Op.SOFTMAX, Measurement.PLAIN_SCALAR, 2000e3),
                m(Op.MASKED_SOFTMAX, Measurement.PLAIN_SIMD, 120e3),
                m(Op.MASKED_SOFTMAX, Measurement.PLAIN_SCALAR, 1800e3),
                m(Op.ARGMAX, Measurement.PLAIN_SIMD, 40e3));
        RunInfo info = new RunInfo("now", "cpu", 2, 1, 0, "jdk", "os", "cmd", "settings", List.of(), List.of(), null);
        String md = ReportWriter.render(info, all, List.of(), List.of(), null);

        String rowOps = md.substring(md.indexOf("## Row ops, float32"), md.indexOf("## plain's float32 kernels"));
        assertTrue(rowOps.contains("| softmax | 256x1000 | plain | 90,000 |"), rowOps);
        assertTrue(rowOps.contains("| softmax | 256x1000 | ejml |"), rowOps);
        // plain's 90 µs is the fastest backend (1.00), ejml 10x: the kernels' figures are not among them
        assertTrue(rowOps.contains("| 10.00 |"), rowOps);
        assertTrue(!rowOps.contains(Measurement.PLAIN_SIMD) && !rowOps.contains(Measurement.PLAIN_SCALAR), rowOps);
        String kernels = md.substring(md.indexOf("## plain's float32 kernels"));
        assertTrue(kernels.contains("| maskedSoftmax | 256x1000 | 1,800 | 120 | 1.00 | 15.0x | 1.20x | 0 | ok |"),
                kernels);
        assertTrue(kernels.contains("| softmax | 256x1000 | 2,000 | 100 | 1.00 | 20.0x | 1.00x | 0 | ok |"), kernels);
        assertTrue(kernels.contains("| argmax | 256x1000 | n/a | 40.0 | 1.00 | n/a | 0.40x | 0 | ok |"), kernels);
    }
}
