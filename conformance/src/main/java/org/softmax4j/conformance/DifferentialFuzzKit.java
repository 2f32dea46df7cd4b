package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.fuzz.CaseGenerator;
import org.softmax4j.conformance.fuzz.CaseRunner;
import org.softmax4j.conformance.fuzz.Comparison;
import org.softmax4j.conformance.fuzz.Expectation;
import org.softmax4j.conformance.fuzz.Fuzz;
import org.softmax4j.conformance.fuzz.FuzzCase;
import org.softmax4j.conformance.fuzz.Outcome;

/**
 * Differential fuzzing of one backend: for every op, {@value #TRIES} random valid calls (shapes that break vector
 * loops, values mixing ordinary ranges with NaN, infinities, extremes, subnormals, ties and huge spreads, every
 * option, both dtypes, offsets, in-place use), each checked
 * <ul>
 *   <li>for clean array handling: every output element written, nothing outside the output regions touched, inputs
 *       unchanged;</li>
 *   <li>against {@link ExactReference} within {@link ErrorBounds}: always for small cases, and for a sample of the
 *       larger ones that keeps the 45-digit reference's cost per try bounded (see {@link #referenceFor});</li>
 *   <li>against every other backend on the class path ({@link Softmax#available()}) within twice the bound; when
 *       they disagree the exact reference decides which one fails (the other backend's own checks report it
 *       if it is the one off).</li>
 * </ul>
 * A failure is shrunk and reported with the run seed (see {@link Fuzz} for replaying). Subclass it with the backend
 * under test, one line:
 * <pre>{@code
 * class MyFuzzTest extends DifferentialFuzzKit {
 *     protected SoftmaxOps ops() { return new MySoftmaxOps(); }
 * }
 * }</pre>
 */
@DisplayNameGeneration(BackendDisplayNames.class)
public abstract class DifferentialFuzzKit {

    /** Tries per property (per op); {@code -Dsoftmax4j.fuzz.tries} overrides it. */
    public static final int TRIES = 10_000;
    /**
     * Time budget per property in seconds ({@code -Dsoftmax4j.fuzz.seconds} overrides it, 0 for none): 15 ops at
     * most 10 s and 8 in-place properties at most 2.5 s keep a backend's fuzz run under 3 minutes. Plain and EJML
     * finish their {@value #TRIES} tries well within it; a backend with a high cost per call (ND4J's native calls)
     * stops short, and the log line says how many tries it made.
     */
    public static final double SECONDS = 10;
    static final int REFERENCE_BUDGET = 8;

    /** @return the backend under test (one shared instance is fine: backends are thread-safe) */
    protected abstract SoftmaxOps ops();

    /** @return the other backends on the class path, which every result is compared with */
    protected List<SoftmaxOps> otherBackends() {
        String mine = ops().name();
        List<SoftmaxOps> others = new ArrayList<>();
        for (SoftmaxOps o : Softmax.available()) {
            if (!o.name().equals(mine)) {
                others.add(o);
            }
        }
        return others;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Op.class)
    @KitName("every op agrees with the exact reference and with every other backend on random calls")
    void matchesReferenceAndOtherBackends(Op op) {
        SoftmaxOps ops = ops();
        List<SoftmaxOps> others = otherBackends();
        AtomicLong referenceChecks = new AtomicLong();
        AtomicLong crossChecks = new AtomicLong();
        Fuzz.Run run = Fuzz.check(ops.name() + " " + op.jsonName(), TRIES, SECONDS,
                random -> CaseGenerator.generate(op, random),
                c -> {
                    Outcome mine = CaseRunner.run(ops, c);
                    Expectation exact = null;
                    if (referenceFor(c)) {
                        exact = Expectation.of(c);
                        if (exact != null) {
                            Comparison.againstExact(ops, c, exact, mine);
                            referenceChecks.incrementAndGet();
                        }
                    }
                    crossChecks.addAndGet(againstOthers(ops, c, exact, mine, others));
                });
        log(run + ", " + referenceChecks + " checked against the reference, " + crossChecks + " against "
                + names(others));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Op.class, names = {"SOFTMAX", "SOFTMAX_TEMPERATURE", "MASKED_SOFTMAX", "LOG_SOFTMAX",
        "SOFTMAX_BACKWARD", "LOG_SOFTMAX_BACKWARD", "SOFTMAX_CROSS_ENTROPY", "SPARSE_SOFTMAX_CROSS_ENTROPY"})
    @KitName("an output that is exactly an input's region gives the same bits as separate arrays")
    void inPlaceGivesTheSameBitsAsSeparateArrays(Op op) {
        SoftmaxOps ops = ops();
        Fuzz.Run run = Fuzz.check(ops.name() + " " + op.jsonName() + " in place", TRIES / 4, SECONDS / 4,
                random -> {
                    FuzzCase c = CaseGenerator.generate(op, random);
                    int inPlace = 1 + random.nextInt(op.inPlaceInputs());
                    FuzzCase.Builder b = c.toBuilder().placement(c.pad, inPlace);
                    if (c.options != null) {
                        b.options(c.options, c.withLoss, true);
                    }
                    return b.build();
                },
                c -> {
                    Outcome separate = CaseRunner.run(ops, c.toBuilder().placement(c.pad, 0).build());
                    Outcome inPlace = CaseRunner.run(ops, c);
                    String diff = separate.firstBitDifference(inPlace);
                    if (diff != null) {
                        throw new AssertionError(ops.name() + " " + c.op.jsonName() + " " + c.dtype.jsonName()
                                + ": in place differs from separate arrays at " + diff + " (separate vs in place)");
                    }
                });
        log(run.toString());
    }

    @Test
    @KitName("the fuzzer's generator is deterministic in its seed (failures can be replayed)")
    void generatorIsDeterministic() {
        for (Op op : Op.values()) {
            for (long seed = 0; seed < 50; seed++) {
                FuzzCase a = CaseGenerator.generate(op, new SplittableRandom(seed));
                FuzzCase b = CaseGenerator.generate(op, new SplittableRandom(seed));
                assertNotNull(a);
                if (!a.toString().equals(b.toString())) {
                    throw new AssertionError(op + " seed " + seed + ": two cases from one seed differ:\n" + a + "\n" + b);
                }
            }
        }
    }

    /**
     * Every backend agrees with every other on one case (within twice the bound); when two disagree the exact
     * reference decides which one fails. For the checks across all the backends of a build, which each run this kit
     * against the reference on their own (in this repository: conformance-all).
     *
     * @return the number of pairs compared
     */
    public static int allBackendsAgree(List<SoftmaxOps> backends, FuzzCase c) {
        List<Outcome> outcomes = new ArrayList<>();
        for (SoftmaxOps ops : backends) {
            outcomes.add(CaseRunner.run(ops, c));
        }
        int pairs = 0;
        for (int i = 0; i < backends.size(); i++) {
            pairs += againstOthers(backends.get(i), c, null, outcomes.get(i), backends.subList(i + 1, backends.size()),
                    outcomes.subList(i + 1, outcomes.size()), true);
        }
        return pairs;
    }

    private static int againstOthers(SoftmaxOps ops, FuzzCase c, Expectation exact, Outcome mine,
                                     List<SoftmaxOps> others) {
        List<Outcome> theirs = new ArrayList<>();
        for (SoftmaxOps other : others) {
            theirs.add(CaseRunner.run(other, c));
        }
        return againstOthers(ops, c, exact, mine, others, theirs, false);
    }

    private static int againstOthers(SoftmaxOps ops, FuzzCase c, Expectation exact, Outcome mine,
                                     List<SoftmaxOps> others, List<Outcome> outcomes, boolean strict) {
        for (int i = 0; i < others.size(); i++) {
            SoftmaxOps other = others.get(i);
            Outcome theirs = outcomes.get(i);
            try {
                Comparison.betweenBackends(c, ops, mine, other, theirs);
            } catch (AssertionError disagreement) {
                blame(ops, c, exact, mine, other, theirs, disagreement, strict);
            }
        }
        return others.size();
    }

    /**
     * Two backends disagree: the exact reference decides. If this backend is outside its bound, that is its failure
     * (thrown); if it is within and the other is not, the other backend fails too when {@code strict} (the check
     * across all backends), else this one passes and logs the case (the other backend's checks report it). Without a
     * reference for the case (non-finite inputs of an op whose contract leaves IEEE propagation open), the
     * disagreement itself fails.
     */
    private static void blame(SoftmaxOps ops, FuzzCase c, Expectation exact, Outcome mine, SoftmaxOps other,
                              Outcome theirs, AssertionError disagreement, boolean strict) {
        Expectation e = exact != null ? exact : Expectation.of(c);
        if (e == null) {
            throw disagreement;
        }
        Comparison.againstExact(ops, c, e, mine);
        try {
            Comparison.againstExact(other, c, e, theirs);
        } catch (AssertionError otherIsOff) {
            if (strict) {
                throw otherIsOff;
            }
            log("note: " + otherIsOff.getMessage() + " (" + other.name() + "'s own fuzz test reports it) in " + c);
            return;
        }
        // both within their bounds of the exact value but not within twice the bound of each other cannot happen
        // unless the bound of the comparison is wrong: report it
        throw disagreement;
    }

    /**
     * Whether to run the 45-digit reference on a case: always when it is cheap, else on a deterministic sample (by
     * the hash of the input) with rate {@code REFERENCE_BUDGET / cost}, so each try costs the reference about as much
     * as a row of {@value #REFERENCE_BUDGET} exponentials. Cost: rows x cols exponentials for the row ops, a twentieth
     * of that per product term for the Jacobian ({@code cols^2}) and the matrix products ({@code m k n}).
     */
    static boolean referenceFor(FuzzCase c) {
        double cost = switch (c.op) {
            case JACOBIAN -> (double) c.cols * c.cols / 20;
            case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B -> (double) c.rows * c.k * c.cols / 20;
            default -> c.size();
        };
        if (cost <= REFERENCE_BUDGET) {
            return true;
        }
        int rate = (int) Math.ceil(cost / REFERENCE_BUDGET);
        return Math.floorMod(Arrays.hashCode(c.a) * 31 + c.rows, rate) == 0;
    }

    private static String names(List<SoftmaxOps> others) {
        if (others.isEmpty()) {
            return "no other backend (none on the class path)";
        }
        StringBuilder s = new StringBuilder();
        for (SoftmaxOps o : others) {
            s.append(s.length() == 0 ? "" : ", ").append(o.name());
        }
        return s.toString();
    }

    /** One line per property run, so CI logs show tries, time and seed. */
    private static void log(String line) {
        System.out.println("[fuzz] " + line);
    }
}
