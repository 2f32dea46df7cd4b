package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.fuzz.CaseRunner;
import org.softmax4j.conformance.fuzz.FuzzCase;
import org.softmax4j.conformance.fuzz.Outcome;
import org.softmax4j.conformance.fuzz.ReproducibilityProbe;

/**
 * The same call gives the same bits: repeated in one JVM (interleaved with other shapes, before and after the JIT
 * has compiled the kernels), and in fresh JVMs that run the kernels in the interpreter only ({@code -Xint}), in C1
 * only ({@code -XX:TieredStopAtLevel=1}), or believe they have 1 or 8 processors (thread pools, OpenMP and BLAS
 * threads sized accordingly). Every result is compared bitwise (NaN payloads aside) with this JVM's warmed-up result.
 * The pool has {@value #POOL} random calls; the repeat test and the processor-count runs add a few large ones (a
 * million-element softmax, products of 2^24 multiply-adds) that reach the size thresholds of multi-threaded kernels.
 */
public abstract class ReproducibilityTests {

    /** Calls in the pool; every op in turn, random shapes, dtypes, options, offsets and in-place use. */
    static final int POOL = 300;
    static final long SEED = 0xB175_EAC7L;
    /** Time budget of the repeats and of the warm-up, for backends with a high cost per call (ND4J). */
    static final double SECONDS = 15;
    /** Backends already warmed up in this JVM (the JIT keeps compiled kernels; warming once is enough). */
    private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

    /** @return the backend under test */
    protected abstract SoftmaxOps ops();

    @Test
    @KitName("repeated calls, interleaved with other shapes and across JIT warm-up, give identical bits")
    void repeatedCallsGiveIdenticalBits() {
        SoftmaxOps ops = ops();
        // enough repeats for C2 to compile the kernels of every op (20 calls per small case), fewer for the large
        repeat(ops, ReproducibilityProbe.pool(SEED, POOL), 20);
        repeat(ops, ReproducibilityProbe.largePool(SEED), 3);
    }

    /** Repeats the pool {@code rounds} times, or as many as {@value #SECONDS} seconds allow (at least twice). */
    private static void repeat(SoftmaxOps ops, List<FuzzCase> pool, int rounds) {
        List<Outcome> first = new ArrayList<>();
        for (FuzzCase c : pool) {
            first.add(CaseRunner.run(ops, c));
        }
        long deadline = System.nanoTime() + (long) (SECONDS * 1e9);
        for (int round = 0; round < rounds && (round < 2 || System.nanoTime() < deadline); round++) {
            for (int i = 0; i < pool.size(); i++) {
                int index = (i * 7 + round) % pool.size();
                String diff = first.get(index).firstBitDifference(CaseRunner.run(ops, pool.get(index)));
                if (diff != null) {
                    throw new AssertionError(ops.name() + " round " + round + ": " + diff
                            + " (first call vs repeat) in\n  " + pool.get(index));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-Xint", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1",
        "-XX:ActiveProcessorCount=8"})
    @KitName("a fresh JVM with other JIT or processor settings gives the bits of this warmed-up JVM")
    void freshJvmGivesTheSameBits(String jvmFlag) throws IOException, InterruptedException {
        SoftmaxOps ops = ops();
        // the large calls matter for thread counts; in the interpreter they would take half a minute
        boolean large = jvmFlag.startsWith("-XX:ActiveProcessorCount");
        List<FuzzCase> pool = new ArrayList<>(ReproducibilityProbe.pool(SEED, POOL));
        if (large) {
            pool.addAll(ReproducibilityProbe.largePool(SEED));
        }
        if (WARMED.add(ops.name())) {
            long deadline = System.nanoTime() + (long) (SECONDS * 1e9);
            for (int warm = 0; warm < 10 && System.nanoTime() < deadline; warm++) {
                for (FuzzCase c : pool) {
                    CaseRunner.run(ops, c);
                }
            }
        }
        List<String> child = runProbe(ops, jvmFlag, large);
        assertEquals(pool.size(), child.size(), () -> "probe output lines under " + jvmFlag);
        for (int i = 0; i < pool.size(); i++) {
            String mine = CaseRunner.run(ops, pool.get(i)).encode();
            if (!mine.equals(child.get(i))) {
                throw new AssertionError(ops.name() + " under " + jvmFlag + ": call " + i + " differs from this JVM at "
                        + firstDifference(mine, child.get(i)) + " in\n  " + pool.get(i));
            }
        }
    }

    /** Runs {@link ReproducibilityProbe} in a child JVM with this JVM's class path and module flags plus one flag. */
    private static List<String> runProbe(SoftmaxOps ops, String jvmFlag, boolean large)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // keep what the kernels may need (modules, native access, system properties); drop agents and debuggers
            if (arg.startsWith("--add-") || arg.startsWith("--enable-") || arg.startsWith("-D")
                    || arg.startsWith("-Xmx") || arg.startsWith("-Xss")) {
                command.add(arg);
            }
        }
        command.add(jvmFlag);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ReproducibilityProbe.class.getName());
        command.add(ops.getClass().getName());
        command.add(Long.toString(SEED));
        command.add(Integer.toString(POOL));
        command.add(Boolean.toString(large));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (jvmFlag.equals("-XX:ActiveProcessorCount=1")) {
            // native backends size their own thread pools
            builder.environment().put("OMP_NUM_THREADS", "1");
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        }
        File errors = Files.createTempFile("softmax4j-probe", ".err").toFile();
        builder.redirectError(errors);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        boolean done = process.waitFor(5, TimeUnit.MINUTES);
        String stderr = Files.readString(errors.toPath());
        Files.delete(errors.toPath());
        assertTrue(done, () -> "the probe JVM (" + jvmFlag + ") did not finish within 5 minutes");
        assertEquals(0, process.exitValue(), () -> "the probe JVM (" + String.join(" ", command) + ") failed:\n"
                + stderr);
        return lines;
    }

    /** @return the first output element whose encoding differs, as "name[index]: bits vs bits" */
    static String firstDifference(String mine, String theirs) {
        String[] a = mine.split(";", -1);
        String[] b = theirs.split(";", -1);
        for (int g = 0; g < Math.min(a.length, b.length); g++) {
            if (!a[g].equals(b[g])) {
                String name = a[g].substring(0, a[g].indexOf('='));
                String[] va = a[g].substring(name.length() + 1).split(",", -1);
                String[] vb = b[g].substring(b[g].indexOf('=') + 1).split(",", -1);
                for (int i = 0; i < Math.min(va.length, vb.length); i++) {
                    if (!va[i].equals(vb[i])) {
                        return va[i].startsWith("#") ? name + " block " + va[i].substring(1, va[i].indexOf(':'))
                                + " (1024 values hashed)" : name + "[" + i + "]: " + value(va[i]) + " here vs "
                                + value(vb[i]) + " there";
                    }
                }
                return name + ": " + va.length + " vs " + vb.length + " values";
            }
        }
        return "the list of outputs";
    }

    private static String value(String token) {
        try {
            return Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(token, 16))) + " (" + token + ")";
        } catch (NumberFormatException e) {
            return token;
        }
    }
}
