package org.softmax4j.conformance.fuzz;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;

/**
 * Runs a reproducible pool of calls on a backend in a fresh JVM and prints each outcome's {@link Outcome#encode()},
 * one line per call, so that a test can compare the bits a backend gives under other JVM settings (interpreter only,
 * C1 only, another processor count) with its own.
 *
 * <p>Usage: {@code ReproducibilityProbe <backend class> <seed> <calls> <large>}: runs {@link #pool}, then
 * {@link #largePool} if {@code large} is {@code true};
 * the backend class needs a public no-argument constructor (as every {@link java.util.ServiceLoader} provider has).
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

    /**
     * @return a few large calls (a million-element softmax family, 512 x 1024 cross-entropies, products of 2^24
     * multiply-adds), so that size-dependent kernel choices (row-parallel or blocked kernels, a library's
     * multi-threaded twins) are reached
     */
    public static List<FuzzCase> largePool(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return List.of(
                CaseGenerator.large(Op.SOFTMAX, Dtype.FLOAT64, 256, 4096, 0, random),
                CaseGenerator.large(Op.LOG_SOFTMAX, Dtype.FLOAT32, 256, 4096, 0, random),
                CaseGenerator.large(Op.LOG_SUM_EXP, Dtype.FLOAT64, 1024, 1024, 0, random),
                CaseGenerator.large(Op.SOFTMAX_CROSS_ENTROPY, Dtype.FLOAT32, 512, 1024, 0, random),
                CaseGenerator.large(Op.SPARSE_SOFTMAX_CROSS_ENTROPY, Dtype.FLOAT64, 512, 1024, 0, random),
                CaseGenerator.large(Op.MATMUL, Dtype.FLOAT64, 256, 256, 256, random),
                CaseGenerator.large(Op.MATMUL_TRANS_A, Dtype.FLOAT32, 256, 256, 256, random),
                CaseGenerator.large(Op.MATMUL_TRANS_B, Dtype.FLOAT32, 256, 256, 256, random));
    }

    public static void main(String[] args) throws ReflectiveOperationException, IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ReproducibilityProbe <backend class> <seed> <calls> <large: true|false>");
        }
        SoftmaxOps ops = (SoftmaxOps) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        List<FuzzCase> pool = new ArrayList<>(pool(Long.parseLong(args[1]), Integer.parseInt(args[2])));
        if (Boolean.parseBoolean(args[3])) {
            pool.addAll(largePool(Long.parseLong(args[1])));
        }
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        for (FuzzCase c : pool) {
            out.write(CaseRunner.run(ops, c).encode());
            out.newLine();
        }
        out.flush();
    }
}
