package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;

/** Two runs' rankings: the same order is found the same, a swapped pair is found and judged by its intervals. */
class RankingComparisonTest {

    private static final Shape SMALL = Shape.parse("100x10");
    private static final Shape LARGE = Shape.parse("256x1000");

    private static Measurement figure(Shape shape, String backend, double ns, double error) {
        return new Measurement(Op.SOFTMAX, Dtype.FLOAT32, shape, backend, ns, error, 0);
    }

    @Test
    void theSameOrderWithOtherTimesIsTheSameRanking() {
        List<Measurement> quick = List.of(figure(SMALL, "ejml", 9000, 100), figure(SMALL, "plain", 2000, 50),
                figure(SMALL, "nd4j", 40000, 900));
        List<Measurement> full = List.of(figure(SMALL, "plain", 1700, 10), figure(SMALL, "nd4j", 30000, 100),
                figure(SMALL, "ejml", 12000, 30));
        List<RankingComparison.Group> groups = RankingComparison.compare(quick, full);
        assertEquals(1, groups.size());
        assertTrue(groups.get(0).sameOrder());
        assertEquals(List.of(), groups.get(0).swaps());
        assertTrue(RankingComparison.render(groups, "quick", "full").contains("1 of 1 (op, dtype, shape) groups"
                + " ranked the same way; 0 pair(s)"));
    }

    @Test
    void plainsKernelsSideBySideAreNotRankedAmongTheBackends() {
        // the kernels' SIMD softmax ties plain's within noise in both runs, in the other order: not a swap of backends
        List<Measurement> quick = List.of(figure(LARGE, "plain", 101, 1), figure(LARGE, Measurement.PLAIN_SIMD, 99, 1),
                figure(LARGE, Measurement.PLAIN_SCALAR, 2000, 9), figure(LARGE, "ejml", 900, 9));
        List<Measurement> full = List.of(figure(LARGE, "plain", 99, 1), figure(LARGE, Measurement.PLAIN_SIMD, 101, 1),
                figure(LARGE, Measurement.PLAIN_SCALAR, 2100, 9), figure(LARGE, "ejml", 950, 9));
        List<RankingComparison.Group> groups = RankingComparison.compare(quick, full);
        assertEquals(1, groups.size());
        assertEquals(List.of("plain", "ejml"), groups.get(0).reference().stream().map(Measurement::backend).toList());
        assertTrue(groups.get(0).sameOrder());
    }

    @Test
    void aSwappedPairIsFoundAndJudgedByTheReferenceIntervals() {
        // full: a 1000 ± 10 < b 1100 ± 10 (separated); c 5000 ± 300 < d 5200 ± 300 (not separated)
        List<Measurement> full = List.of(figure(LARGE, "a", 1000, 10), figure(LARGE, "b", 1100, 10),
                figure(LARGE, "c", 5000, 300), figure(LARGE, "d", 5200, 300));
        // quick: b before a, d before c, and c before... nothing else moves
        List<Measurement> quick = List.of(figure(LARGE, "a", 1200, 500), figure(LARGE, "b", 1150, 500),
                figure(LARGE, "c", 5100, 20), figure(LARGE, "d", 4900, 20));
        RankingComparison.Group g = RankingComparison.compare(quick, full).get(0);
        assertFalse(g.sameOrder());
        List<RankingComparison.Swap> swaps = g.swaps();
        assertEquals(2, swaps.size());
        RankingComparison.Swap ab = swaps.get(0);
        assertEquals("a", ab.fast().backend());
        assertEquals("b", ab.slow().backend());
        assertTrue(ab.referenceSeparates());
        assertFalse(ab.candidateSeparates());
        RankingComparison.Swap cd = swaps.get(1);
        assertEquals("c", cd.fast().backend());
        assertFalse(cd.referenceSeparates());
        assertTrue(cd.candidateSeparates());
        String md = RankingComparison.render(List.of(g), "quick", "full");
        assertTrue(md.contains("0 of 1 (op, dtype, shape) groups ranked the same way; 2 pair(s) of backends ordered"
                + " differently, 1 of them separated by full"), md);
        assertTrue(md.contains("| softmax | float32 | 256x1000 | a | b | 1.100 | yes | 0.958 | no | no |"), md);
    }

    @Test
    void onlyBackendsAndGroupsMeasuredInBothRunsAreRanked() {
        List<Measurement> quick = List.of(figure(SMALL, "plain", 2000, 50), figure(SMALL, "ejml", 9000, 100),
                figure(LARGE, "plain", 90_000, 100), figure(LARGE, "ejml", 80_000, 100));
        // LARGE has one backend in the full run: nothing to rank; SMALL's nd4j is not in the quick run
        List<Measurement> full = List.of(figure(SMALL, "nd4j", 1000, 10), figure(SMALL, "plain", 1700, 10),
                figure(SMALL, "ejml", 12000, 30), figure(LARGE, "plain", 85_000, 100),
                new Measurement(Op.COPY_ONE_THREAD, Dtype.FLOAT32, SMALL, Measurement.MEMORY, 10, 1, 0));
        List<RankingComparison.Group> groups = RankingComparison.compare(quick, full);
        assertEquals(1, groups.size());
        assertEquals(List.of("plain", "ejml"), groups.get(0).reference().stream().map(Measurement::backend).toList());
        assertTrue(groups.get(0).sameOrder());
    }

    @Test
    void unknownIntervalsSeparateNothing() {
        assertFalse(RankingComparison.separated(figure(SMALL, "a", 1000, Double.NaN), figure(SMALL, "b", 9000, 1)));
        assertTrue(RankingComparison.separated(figure(SMALL, "a", 1000, 1), figure(SMALL, "b", 1003, 1)));
        assertFalse(RankingComparison.separated(figure(SMALL, "a", 1000, 1), figure(SMALL, "b", 1002, 1)));
    }

    private static Measurement unreliable(Shape shape, String backend, double ns, double error) {
        return new Measurement(Op.SOFTMAX, Dtype.FLOAT32, shape, backend, ns, error, 0, null,
                "iterations still speeding up");
    }

    @Test
    void aSwapWithAnUnreliableFigureIsCountedApartNeverAsAWrongRanking() {
        // full separates a < b and b < c; quick swaps both pairs, but its c was taken before warm-up converged
        List<Measurement> full = List.of(figure(LARGE, "a", 1000, 10), figure(LARGE, "b", 1100, 10),
                figure(LARGE, "c", 1300, 10));
        List<Measurement> quick = List.of(figure(LARGE, "a", 1150, 10), figure(LARGE, "b", 1050, 10),
                unreliable(LARGE, "c", 900, 500));
        RankingComparison.Group g = RankingComparison.compare(quick, full).get(0);
        List<RankingComparison.Swap> swaps = g.swaps();
        assertEquals(3, swaps.size()); // a-b, a-c, b-c
        RankingComparison.Swap ab = swaps.get(0);
        assertEquals("b", ab.slow().backend());
        assertFalse(ab.unreliable());
        assertTrue(ab.wrong());
        assertTrue(swaps.get(1).unreliable());
        assertFalse(swaps.get(1).wrong());
        assertTrue(swaps.get(2).referenceSeparates());
        assertFalse(swaps.get(2).wrong());
        String md = RankingComparison.render(List.of(g), "quick", "full");
        assertTrue(md.contains("0 of 1 (op, dtype, shape) groups ranked the same way; 3 pair(s) of backends ordered"
                + " differently, 1 of them separated by full (their difference is larger than the sum of its 99.9%"
                + " confidence half-widths) and 0 within its noise; 2 with a figure marked unreliable"), md);
        assertTrue(md.contains("| softmax | float32 | 256x1000 | b | c | 1.182 | yes | 0.857 | no | ⚠ yes |"), md);
    }
}
