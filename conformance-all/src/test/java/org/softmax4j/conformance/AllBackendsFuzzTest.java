package org.softmax4j.conformance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.fuzz.CaseGenerator;
import org.softmax4j.conformance.fuzz.Fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential fuzz across every backend of this repository: on the fuzzer's random calls every backend agrees
 * with every other within twice the bound, and when two disagree the exact reference names the one that is off. Each
 * backend's module runs {@link DifferentialFuzzKit} against the reference itself; this module has them all on its
 * class path (with -Pnd4j, nd4j too).
 */
class AllBackendsFuzzTest {

    private static List<SoftmaxOps> backends;

    @BeforeAll
    static void backends() {
        backends = Softmax.available();
        assertTrue(backends.size() >= 2, () -> "needs two backends to compare, found " + backends);
    }

    @ParameterizedTest(name = "[all backends] {0}")
    @EnumSource(Op.class)
    void everyBackendAgreesWithEveryOther(Op op) {
        AtomicLong pairs = new AtomicLong();
        Fuzz.Run run = Fuzz.check("all backends " + op.jsonName(), DifferentialFuzzKit.TRIES,
                DifferentialFuzzKit.SECONDS, random -> CaseGenerator.generate(op, random),
                c -> pairs.addAndGet(DifferentialFuzzKit.allBackendsAgree(backends, c)));
        System.out.println("[fuzz] " + run + ", " + pairs + " pairs compared among "
                + backends.stream().map(SoftmaxOps::name).toList());
    }
}
