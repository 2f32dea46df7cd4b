package org.softmax4j.conformance.fuzz;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.softmax4j.SoftmaxOps;

/**
 * Runs a reproducible pool of calls on a backend in a fresh JVM and prints each outcome's {@link Outcome#encode()},
 * one line per call, so that a test can compare the bits a backend gives under other JVM settings (interpreter only,
 * C1 only, another processor count) with its own.
 *
 * <p>Usage: {@code ReproducibilityProbe <backend class> <seed> <calls>}; the backend class needs a public no-argument
 * constructor (as every {@link java.util.ServiceLoader} provider has).
 */
public final class ReproducibilityProbe {

    private ReproducibilityProbe() {
    }

    /** @return the pool of calls for a seed: every op in turn, random dtypes, shapes, options and placements */
    public static List<FuzzCase> pool(long seed, int calls) {
        SplittableRandom random = new SplittableRandom(seed);
        Op[] ops = Op.values();
        List<FuzzCase> pool = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            pool.add(CaseGenerator.generate(ops[i % ops.length], random));
        }
        return pool;
    }

    public static void main(String[] args) throws ReflectiveOperationException, IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ReproducibilityProbe <backend class> <seed> <calls>");
        }
        SoftmaxOps ops = (SoftmaxOps) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        List<FuzzCase> pool = pool(Long.parseLong(args[1]), Integer.parseInt(args[2]));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        for (FuzzCase c : pool) {
            out.write(CaseRunner.run(ops, c).encode());
            out.newLine();
        }
        out.flush();
    }
}
