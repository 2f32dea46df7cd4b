package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;

/** The targets section computes each ratio from the right pair of measurements and judges it against its goal. */
class TargetsTableTest {

    private static Measurement m(Op op, String shape, String backend, double ns) {
        return new Measurement(op, Dtype.FLOAT32, shape == null ? null : Shape.parse(shape), backend, ns, 1, 0);
    }

    private static String row(String table, String start) {
        return table.lines().filter(l -> l.startsWith("| " + start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + start + " in\n" + table));
    }

    @Test
    void ratiosAndVerdicts() {
        List<Measurement> all = new ArrayList<>();
        all.add(m(Op.SOFTMAX, "4096x4096", "plain", 10e6));
        all.add(m(Op.SOFTMAX, "4096x4096", "ejml", 300e6));
        all.add(m(Op.SOFTMAX, "4096x4096", Measurement.ND4J_NATIVE, 70e6));
        all.add(m(Op.COPY_ALL_CORES, "4096x4096", Measurement.MEMORY, 4e6));
        all.add(m(Op.SOFTMAX, "256x1000", "plain", 200e3));
        all.add(m(Op.SOFTMAX, "256x1000", Measurement.ND4J_NATIVE, 700e3));
        all.add(m(Op.SOFTMAX, "100x10", "plain", 1900));
        all.add(m(Op.SPARSE_CROSS_ENTROPY, "100x10", "plain", 3800));
        all.add(m(Op.SPARSE_CROSS_ENTROPY, "100x10", Measurement.ND4J_NATIVE, 200e3));
        all.add(m(Op.MATMUL, null, "plain", 30e3));
        all.add(m(Op.MATMUL, null, Measurement.ND4J_NATIVE, 50e3));
        String t = TargetsTable.render(all);

        assertEquals("| 4096x4096 softmax, plain: ND4J native op time / its time | >= 6x | 7.00x | yes |",
                row(t, "4096x4096 softmax, plain: ND4J"));
        assertEquals("| 4096x4096 softmax, plain: its time / an all-cores copy of the same bytes | <= 3x | 2.50x | yes |",
                row(t, "4096x4096 softmax, plain: its time"));
        assertEquals("| 256x1000 softmax: ND4J native op / plain | >= 4x | 3.50x | no |", row(t, "256x1000 softmax"));
        assertTrue(t.lines().noneMatch(l -> l.startsWith("| 64x32000 softmax")), () -> "a row without figures:\n" + t);
        assertEquals("| 100x10 softmax, plain, per call | <= 2 µs | 1.90 µs | yes |", row(t, "100x10 softmax"));
        assertEquals("| 100x10 fused sparse cross-entropy + gradient / softmax, plain | <= 1.2x | 2.00x | no |",
                row(t, "100x10 fused"));
        assertEquals("| 100x10 sparse cross-entropy: ND4J native loss + gradient ops / plain | >= 10x | 52.63x | yes |",
                row(t, "100x10 sparse"));
        assertEquals("| matmul 100x784 * 784x10: plain / ND4J BLAS | <= 0.5x | 0.60x | no |", row(t, "matmul"));
    }

    @Test
    void plainsKernelsAgainstTheirScalarTwinsAndTheSimdSoftmaxOfTheSameRun() {
        List<Measurement> all = new ArrayList<>();
        all.add(m(Op.SOFTMAX, "256x1000", "plain", 50e3)); // the backends' softmax: not the kernels' reference
        all.add(m(Op.SOFTMAX, "256x1000", Measurement.PLAIN_SIMD, 100e3));
        all.add(m(Op.SOFTMAX, "256x1000", Measurement.PLAIN_SCALAR, 2000e3));
        all.add(m(Op.MASKED_SOFTMAX, "256x1000", Measurement.PLAIN_SIMD, 120e3));
        all.add(m(Op.MASKED_SOFTMAX, "256x1000", Measurement.PLAIN_SCALAR, 1800e3));
        all.add(m(Op.TOP_K5, "256x1000", Measurement.PLAIN_SIMD, 160e3));
        all.add(m(Op.TOP_K5, "256x1000", Measurement.PLAIN_SCALAR, 480e3));
        all.add(m(Op.DENSE_CROSS_ENTROPY, "256x1000", Measurement.PLAIN_SIMD, 140e3));
        all.add(m(Op.ARGMAX, "100x10", Measurement.PLAIN_SIMD, 1e3)); // not the targets' shape
        String t = TargetsTable.render(all);

        assertEquals("| 256x1000 maskedSoftmax, plain: scalar kernel / SIMD kernel | >= 4x | 15.00x | yes |",
                row(t, "256x1000 maskedSoftmax, plain: scalar"));
        assertEquals("| 256x1000 maskedSoftmax, plain: SIMD kernel / SIMD softmax | <= 1.5x | 1.20x | yes |",
                row(t, "256x1000 maskedSoftmax, plain: SIMD"));
        assertEquals("| 256x1000 topK5, plain: scalar kernel / SIMD kernel | >= 4x | 3.00x | no |",
                row(t, "256x1000 topK5, plain: scalar"));
        assertEquals("| 256x1000 topK5, plain: SIMD kernel / SIMD softmax | <= 1.5x | 1.60x | no |",
                row(t, "256x1000 topK5, plain: SIMD"));
        assertEquals("| 256x1000 denseCrossEntropy, plain: SIMD kernel / SIMD softmax | <= 1.5x | 1.40x | yes |",
                row(t, "256x1000 denseCrossEntropy, plain: SIMD"));
        assertTrue(t.lines().noneMatch(l -> l.startsWith("| 256x1000 denseCrossEntropy, plain: scalar")
                        || l.contains("argmax") || l.contains("softmax, plain: scalar")),
                () -> "a row without its figures, or softmax held to itself:\n" + t);
    }

    @Test
    void theNd4jBackendIsNotHeldToPlainsTargetsAgainstNd4jsOwnOp() {
        List<Measurement> all = new ArrayList<>();
        all.add(m(Op.SOFTMAX, "4096x4096", "nd4j", 60e6));
        all.add(m(Op.SOFTMAX, "4096x4096", Measurement.ND4J_INDARRAY, 50e6));
        all.add(m(Op.SOFTMAX, "4096x4096", Measurement.ND4J_NATIVE, 35e6));
        all.add(m(Op.COPY_ALL_CORES, "4096x4096", Measurement.MEMORY, 4e6));
        String t = TargetsTable.render(all);
        assertTrue(t.lines().noneMatch(l -> l.contains("ND4J native op time / its time") || l.contains("all-cores copy")),
                () -> "plain's targets judged on nd4j:\n" + t);
        assertEquals("| 4096x4096 softmax: nd4j backend (arrays) / nd4j native op | <= 2.5x | 1.71x | yes |",
                row(t, "4096x4096 softmax: nd4j backend"));
    }

    @Test
    void nd4jEntryPointsAgainstNd4jsOwnOpPerDtype() {
        List<Measurement> all = new ArrayList<>();
        all.add(m(Op.SOFTMAX, "100x10", "plain", 1900));
        all.add(m(Op.LOG_SOFTMAX, "256x1000", Measurement.ND4J_NATIVE, 100e3));
        all.add(m(Op.LOG_SOFTMAX, "256x1000", Measurement.ND4J_INDARRAY, 210e3));
        all.add(m(Op.LOG_SOFTMAX, "256x1000", "nd4j", 240e3));
        all.add(m(Op.SOFTMAX, "100x10", Measurement.ND4J_NATIVE, 10e3));
        all.add(m(Op.SOFTMAX, "100x10", Measurement.ND4J_INDARRAY, 39e3));
        all.add(m(Op.SOFTMAX, "100x10", "nd4j", 51e3));
        Shape big = Shape.parse("4096x4096");
        all.add(new Measurement(Op.SOFTMAX, Dtype.FLOAT64, big, Measurement.ND4J_NATIVE, 50e6, 1, 0));
        all.add(new Measurement(Op.SOFTMAX, Dtype.FLOAT64, big, Measurement.ND4J_INDARRAY, 140e6, 1, 0));
        all.add(new Measurement(Op.SOFTMAX, Dtype.FLOAT64, big, "nd4j", 160e6, 1, 0));
        String t = TargetsTable.render(all);

        assertEquals("| 256x1000 logSoftmax: nd4j INDArray / nd4j native op | <= 2x | 2.10x | no |",
                row(t, "256x1000 logSoftmax: nd4j INDArray"));
        assertEquals("| 256x1000 logSoftmax: nd4j backend (arrays) / nd4j native op | <= 2.5x | 2.40x | yes |",
                row(t, "256x1000 logSoftmax: nd4j backend"));
        assertEquals("| 100x10 softmax: nd4j INDArray / nd4j native op | <= 4x | 3.90x | yes |",
                row(t, "100x10 softmax: nd4j INDArray"));
        assertEquals("| 100x10 softmax: nd4j backend (arrays) / nd4j native op | <= 5x | 5.10x | no |",
                row(t, "100x10 softmax: nd4j backend"));
        assertEquals("| float64 4096x4096 softmax: nd4j INDArray / nd4j native op | <= 3x | 2.80x | yes |",
                row(t, "float64 4096x4096 softmax: nd4j INDArray"));
        assertEquals("| float64 4096x4096 softmax: nd4j backend (arrays) / nd4j native op | <= 3x | 3.20x | no |",
                row(t, "float64 4096x4096 softmax: nd4j backend"));
        // the float32 rows never pair a float64 figure
        assertTrue(t.lines().noneMatch(l -> l.startsWith("| 4096x4096 softmax: nd4j")), t);
    }

    @Test
    void targetsThatCannotBeMeasuredInTheRunAreLeftOut() {
        // a run without nd4j: no ND4J native op figures, so no target that compares with them
        String t = TargetsTable.render(List.of(m(Op.SOFTMAX, "100x10", "plain", 1900),
                m(Op.SPARSE_CROSS_ENTROPY, "100x10", "plain", 2000), m(Op.MATMUL, null, "plain", 30e3)));
        assertTrue(t.lines().noneMatch(l -> l.contains("ND4J") && l.startsWith("| ")), t);
        assertTrue(t.lines().noneMatch(l -> l.contains("not measured")), t);
        assertEquals("| 100x10 fused sparse cross-entropy + gradient / softmax, plain | <= 1.2x | 1.05x | yes |",
                row(t, "100x10 fused"));
    }

    @Test
    void aRatioOfAnUnconvergedFigureIsNotJudged() {
        Measurement unsteady = new Measurement(Op.SPARSE_CROSS_ENTROPY, Dtype.FLOAT32, Shape.parse("100x10"), "plain",
                38_000, 1, 33_696, "4 x 500 ms", "allocates 33,696 B per call where plain allocates nothing once"
                + " compiled");
        String t = TargetsTable.render(List.of(m(Op.SOFTMAX, "100x10", "plain", 1900), unsteady));
        assertEquals("| 100x10 fused sparse cross-entropy + gradient / softmax, plain | <= 1.2x | 20.00x | not judged"
                + " (" + ReportWriter.UNRELIABLE + " figure) |", row(t, "100x10 fused"));
    }

    @Test
    void plainsFloat64AgainstItsFloat32OnTheSameOpAndShape() {
        Shape shape = Shape.parse("4096x4096");
        String t = TargetsTable.render(List.of(
                new Measurement(Op.SOFTMAX, Dtype.FLOAT64, shape, "plain", 26e6, 1, 0),
                new Measurement(Op.SOFTMAX, Dtype.FLOAT32, shape, "plain", 10e6, 1, 0),
                new Measurement(Op.LOG_SOFTMAX, Dtype.FLOAT64, shape, "plain", 24e6, 1, 0),
                new Measurement(Op.LOG_SOFTMAX, Dtype.FLOAT32, shape, "plain", 10e6, 1, 0),
                new Measurement(Op.SPARSE_CROSS_ENTROPY, Dtype.FLOAT64, shape, "plain", 24e6, 1, 0),
                new Measurement(Op.SPARSE_CROSS_ENTROPY, Dtype.FLOAT32, shape, "ejml", 1e6, 1, 0)));
        assertEquals("| float64 4096x4096 softmax, plain: float64 / float32 | <= 2.5x | 2.60x | no |",
                row(t, "float64 4096x4096 softmax"));
        assertEquals("| float64 4096x4096 logSoftmax, plain: float64 / float32 | <= 2.5x | 2.40x | yes |",
                row(t, "float64 4096x4096 logSoftmax"));
        assertTrue(t.lines().noneMatch(l -> l.startsWith("| float64 4096x4096 sparse")),
                () -> "a row against another backend's float32:\n" + t);
    }

    @Test
    void noSectionWithoutTheFiguresOfATarget() {
        assertTrue(TargetsTable.render(List.of(m(Op.SOFTMAX, "100x10", "ejml", 5000))).isEmpty());
    }

    @Test
    void aRunOfNd4jAloneInFloat64HasItsTargets() {
        Shape shape = Shape.parse("256x1000");
        String t = TargetsTable.render(List.of(
                new Measurement(Op.LOG_SOFTMAX, Dtype.FLOAT64, shape, Measurement.ND4J_NATIVE, 1e6, 1, 0),
                new Measurement(Op.LOG_SOFTMAX, Dtype.FLOAT64, shape, "nd4j", 1.5e6, 1, 0)));
        assertTrue(t.startsWith("## Performance targets"), t);
        assertEquals("| float64 256x1000 logSoftmax: nd4j backend (arrays) / nd4j native op | <= 3x | 1.50x | yes |",
                row(t, "float64 256x1000 logSoftmax"));
    }
}
