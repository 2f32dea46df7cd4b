package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up check tells steady figures from ones taken while the JIT was still at work, and says why. */
class WarmupCheckTest {

    private static final double MS_200 = 200e6;

    private static void assertProblem(String expectedPart, String problem) {
        assertTrue(problem != null && problem.contains(expectedPart),
                () -> "expected a problem containing '" + expectedPart + "', got " + problem);
    }

    @Test
    void steadyIterationsPass() {
        assertNull(WarmupCheck.problem("plain", List.of(new double[] {1000, 1040, 990}, new double[] {1010, 1000}),
                0, MS_200));
    }

    @Test
    void aMonotoneTrendIsCaughtEvenWithinTheSpread() {
        // 1000 -> 850: 15% faster over three iterations, spread 18% (below the spread limit)
        assertProblem("still speeding up (-15%",
                WarmupCheck.problem("plain", List.of(new double[] {1000, 920, 850}), 0, MS_200));
        assertProblem("still slowing down (+15%",
                WarmupCheck.problem("ejml", List.of(new double[] {850, 920, 977.5}), 0, MS_200));
        // small monotone steps are noise
        assertNull(WarmupCheck.problem("plain", List.of(new double[] {1000, 990, 980}), 0, MS_200));
    }

    @Test
    void aWideSpreadIsCaughtInAnyFork() {
        assertProblem("iterations spread 50% (3,000 / 2,000 ns)",
                WarmupCheck.problem("plain", List.of(new double[] {1000, 1010}, new double[] {3000, 2000}), 0,
                        MS_200));
    }

    @Test
    void allocationInAnAllocationFreeBackendIsCaught() {
        // the quick run: 33,696 B per softmax call at 100x10, about 2 us a call
        assertProblem("allocates 33,696 B per call where plain allocates nothing",
                WarmupCheck.problem("plain", List.of(new double[] {2000, 2010, 1990}), 33_696, MS_200));
        // nd4j makes INDArray views per call: expected, not a sign
        assertNull(WarmupCheck.problem("nd4j", List.of(new double[] {2000, 2010, 1990}), 33_696, MS_200));
    }

    @Test
    void jmhsOwnAllocationOnSlowCallsIsNotASign() {
        // 10 ms a call: 20 calls per 200 ms iteration share JMH's ~6 KB per iteration, 300 B each
        assertNull(WarmupCheck.problem("plain", List.of(new double[] {10e6, 10.1e6, 9.9e6}), 300, MS_200));
        // but 300 B on each of 100,000 fast calls is the op's own
        assertProblem("allocates 300 B per call",
                WarmupCheck.problem("plain", List.of(new double[] {2000, 2010, 1990}), 300, MS_200));
        // a few bytes a call are JMH's, whatever the call count
        assertNull(WarmupCheck.problem("plain", List.of(new double[] {2000, 2010, 1990}), 0.05, MS_200));
    }
}
