package org.softmax4j.conformance.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small seeded property runner: {@code tries} random cases from one run seed, each checked; on the first failure
 * the case is shrunk (greedily, while a smaller variant still fails, within a time budget) and an
 * {@link AssertionError} reports the run seed, the try, the shrunk case with its failure, and the original case.
 *
 * <p>Replay: {@code -Dsoftmax4j.fuzz.seed=<seed>} makes a run deterministic (the same seed gives the same cases in
 * the same order on every machine). {@code -Dsoftmax4j.fuzz.tries=<n>} overrides the number of tries of every
 * property (to fuzz longer locally, or to replay quickly up to the failing try); a property also stops when its time
 * budget is spent ({@code -Dsoftmax4j.fuzz.seconds=<s>}, 0 for none), and its log line says so. Without a seed each
 * run draws a new one, so CI explores new cases on every build and prints the seed of any failure.
 */
public final class Fuzz {

    public static final String SEED_PROPERTY = "softmax4j.fuzz.seed";
    public static final String TRIES_PROPERTY = "softmax4j.fuzz.tries";
    /** Seconds a property may run before it stops short of its tries (0: no limit). */
    public static final String SECONDS_PROPERTY = "softmax4j.fuzz.seconds";
    private static final long SHRINK_NANOS = 20_000_000_000L;
    private static final int SHRINK_STEPS = 2000;

    private Fuzz() {
    }

    /** What a passing run did, for the log. */
    public record Run(String property, long seed, int tries, int planned, long nanos) {
        @Override
        public String toString() {
            return String.format("%s: %d tries in %.1f s (seed %d)%s", property, tries, nanos / 1e9, seed,
                    tries < planned ? " - time budget reached before the " + planned + " planned" : "");
        }
    }

    /** @return the run seed: {@value #SEED_PROPERTY} if set, else a fresh one */
    public static long seed() {
        String s = System.getProperty(SEED_PROPERTY);
        return s == null || s.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(s.trim());
    }

    /** @return {@value #TRIES_PROPERTY} if set, else {@code tries} */
    public static int tries(int tries) {
        return Integer.getInteger(TRIES_PROPERTY, tries);
    }

    /**
     * Checks {@code property} on {@code tries} generated cases, or as many as {@code seconds} allow.
     *
     * @param generator makes a case from a random source (deterministic in it)
     * @param check     throws (any {@link Throwable} but an {@link Error} other than {@link AssertionError} and
     *                  {@link StackOverflowError}) when the case fails
     */
    public static Run check(String property, int tries, double seconds, Function<SplittableRandom, FuzzCase> generator,
                            Consumer<FuzzCase> check) {
        long seed = seed();
        int n = tries(tries);
        double budget = Double.parseDouble(System.getProperty(SECONDS_PROPERTY, Double.toString(seconds)));
        long deadline = budget > 0 ? System.nanoTime() + (long) (budget * 1e9) : Long.MAX_VALUE;
        long start = System.nanoTime();
        SplittableRandom runRandom = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            if (System.nanoTime() > deadline) {
                return new Run(property, seed, i, n, System.nanoTime() - start);
            }
            SplittableRandom tryRandom = runRandom.split();
            FuzzCase c = generator.apply(tryRandom);
            Throwable failure = failure(check, c);
            if (failure != null) {
                throw report(property, seed, i, c, failure, check);
            }
        }
        return new Run(property, seed, n, n, System.nanoTime() - start);
    }

    /** @return the failure of {@code check} on {@code c}, or null if it passes */
    static Throwable failure(Consumer<FuzzCase> check, FuzzCase c) {
        try {
            check.accept(c);
            return null;
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            return e;
        }
    }

    private static AssertionError report(String property, long seed, int attempt, FuzzCase original,
                                         Throwable originalFailure, Consumer<FuzzCase> check) {
        FuzzCase shrunk = original;
        Throwable shrunkFailure = originalFailure;
        long deadline = System.nanoTime() + SHRINK_NANOS;
        int steps = 0;
        boolean progress = true;
        while (progress && steps < SHRINK_STEPS && System.nanoTime() < deadline) {
            progress = false;
            List<FuzzCase> candidates = Shrinker.candidates(shrunk);
            for (FuzzCase candidate : candidates) {
                if (++steps > SHRINK_STEPS || System.nanoTime() > deadline) {
                    break;
                }
                Throwable f = failure(check, candidate);
                if (f != null) {
                    shrunk = candidate;
                    shrunkFailure = f;
                    progress = true;
                    break;
                }
            }
        }
        String message = String.format("%s failed at try %d (replay: -D%s=%d -D%s=%d)%n"
                        + "shrunk case (%d shrink steps):%n  %s%n  failure: %s%n"
                        + "original case:%n  %s%n  failure: %s%n"
                        + "as a fixed case: %s",
                property, attempt, SEED_PROPERTY, seed, TRIES_PROPERTY, attempt + 1, steps, shrunk, text(shrunkFailure),
                original, text(originalFailure), CaseJson.toJson("fuzz-" + Long.toHexString(seed) + "-" + attempt, shrunk));
        AssertionError error = new AssertionError(message, shrunkFailure);
        if (shrunkFailure != originalFailure) {
            error.addSuppressed(originalFailure);
        }
        return error;
    }

    private static String text(Throwable t) {
        return t instanceof AssertionError ? t.getMessage() : t.toString();
    }
}
