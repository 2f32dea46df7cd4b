package org.softmax4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.softmax4j.bench.Op;

/**
 * plain's kernels side by side ({@link Float32OpsBench}) run only when one of their ops is selected, and then always
 * with softmax, the reference of their targets; other groups run exactly the selected ops.
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
}
