package org.softmax4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

/**
 * plain's kernels side by side ({@link Float32OpsBench}) run only when one of their ops is selected, and then always
 * with softmax, the reference of their targets; other groups run exactly the selected ops. When they are asked for
 * and cannot run, the run says why instead of leaving their table out in silence.
 */
class KernelsSelectionTest {

    private static final List<Op> KERNELS_GROUP = List.of(Op.MASKED_SOFTMAX, Op.TOP_K5, Op.SOFTMAX,
            Op.DENSE_CROSS_ENTROPY);

    @Test
    void kernelOpsBringTheirSoftmax() {
        assertEquals(List.of(Op.TOP_K5, Op.SOFTMAX),
                BenchRunner.selectedOps(KERNELS_GROUP, EnumSet.of(Op.TOP_K5), true));
        assertEquals(List.of(Op.MASKED_SOFTMAX, Op.SOFTMAX, Op.DENSE_CROSS_ENTROPY),
                BenchRunner.selectedOps(KERNELS_GROUP, EnumSet.of(Op.MASKED_SOFTMAX, Op.DENSE_CROSS_ENTROPY), true));
        assertEquals(KERNELS_GROUP, BenchRunner.selectedOps(KERNELS_GROUP, EnumSet.allOf(Op.class), true));
    }

    @Test
    void rowOpsAloneDoNotRunTheKernels() {
        assertEquals(List.of(), BenchRunner.selectedOps(KERNELS_GROUP, EnumSet.of(Op.SOFTMAX, Op.DENSE_CROSS_ENTROPY),
                true));
        assertEquals(List.of(Op.SOFTMAX),
                BenchRunner.selectedOps(List.of(Op.SOFTMAX, Op.LOG_SOFTMAX), EnumSet.of(Op.SOFTMAX), false));
    }

    private static BenchPlan plan(List<String> backends, Set<Op> ops, Set<String> shapes, Set<Dtype> dtypes) {
        return BenchPlan.quick(backends, ops, shapes, dtypes);
    }

    @Test
    void askedForAndNotRunnableTheyAreSkippedWithTheReason() {
        Set<String> shapes = Set.of("100x10", "256x1000");
        BenchPlan asked = plan(List.of("plain", "ejml"), EnumSet.allOf(Op.class), shapes, EnumSet.allOf(Dtype.class));
        assertNull(BenchRunner.kernelsSkipped(asked, true));
        String noModule = BenchRunner.kernelsSkipped(asked, false);
        assertTrue(noModule.contains("--add-modules jdk.incubator.vector"), noModule);
        String noForks = BenchRunner.kernelsSkipped(asked.withTiming(0, 1, 100, 1, 100, 0), true);
        assertTrue(noForks.contains("--forks is 0"), noForks);
        String noShape = BenchRunner.kernelsSkipped(plan(List.of("plain"), EnumSet.of(Op.TOP_K5), Set.of("100x10"),
                EnumSet.of(Dtype.FLOAT32)), true);
        assertTrue(noShape.contains("256x1000"), noShape);
    }

    @Test
    void notAskedForTheyAreNotSkipped() {
        Set<String> shapes = Set.of("256x1000");
        assertNull(BenchRunner.kernelsSkipped(plan(List.of("ejml"), EnumSet.allOf(Op.class), shapes,
                EnumSet.allOf(Dtype.class)), false));
        assertNull(BenchRunner.kernelsSkipped(plan(List.of("plain"), EnumSet.of(Op.SOFTMAX, Op.DENSE_CROSS_ENTROPY),
                shapes, EnumSet.allOf(Dtype.class)), false));
        assertNull(BenchRunner.kernelsSkipped(plan(List.of("plain"), EnumSet.allOf(Op.class), shapes,
                EnumSet.of(Dtype.FLOAT64)), false));
    }
}
