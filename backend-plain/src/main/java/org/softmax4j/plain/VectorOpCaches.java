package org.softmax4j.plain;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;

/**
 * Runs every lane-wise operator and reduction of {@link VectorOperators} once on each vector type of the SIMD kernels
 * (float, double, int and long lanes of the preferred shape), in the interpreter, before any kernel runs, so that the
 * Vector API's per-operator caches of fallback functions are full before C2 compiles a kernel.
 *
 * <p>Why: each lane-wise operation looks its fallback function up in a cache ({@code VectorOperators.ImplCache.find},
 * one per vector type and kind of operator) and makes the function on a miss. {@code find} is hot at start-up, and C2
 * compiles it with the function makers it has seen so far; an operator first used after that misses in the compiled
 * {@code find}, fails its type check and records a {@code class_check} trap in {@code find}'s profile (a
 * {@code -XX:+LogCompilation} log showed them half a second into a JMH fork). That profile is shared by every caller,
 * and C2 adds its trap count into a compilation once for every operation it inlines: a kernel with 35 operations and a
 * {@code find} with 3 traps reaches C2's limit of 100 such traps per compilation. From there C2 compiles the kernel's
 * remaining virtual calls with a slow path, so its vectors are boxed and some stores are not intrinsified
 * ({@code -XX:+PrintIntrinsics} prints "missing constant: vclass=DecodeN"). On JDK 17 this happened in about one JVM
 * run in 17 of the 100x10 cross-entropy benchmarks (14 of 236 JMH forks): 26,432 to 86,912 bytes allocated per call and
 * 2 to 8 times the time, for the whole run. With the caches full, {@code find} never misses in compiled code.
 *
 * <p>Operators a lane type does not support throw {@link UnsupportedOperationException} and are skipped. The cost
 * (80-160 ms here, in the interpreter: most of it making the fallback functions) is paid once per JVM, when the first
 * SIMD kernel class is loaded.
 */
final class VectorOpCaches {

    /** The (lane type, operator) pairs that ran, as "float ADD": the caches' entries this class filled. */
    private static final Set<String> FILLED = Collections.unmodifiableSet(fillAll());

    private VectorOpCaches() {
    }

    /**
     * Fills the caches (on the first call, through class initialisation; later calls do nothing more).
     *
     * @return the (lane type, operator) pairs that ran, as "float ADD"
     */
    static Set<String> fill() {
        return FILLED;
    }

    private static Set<String> fillAll() {
        List<Vector<?>> ones = List.of( // the preferred shape, as the kernels' species
                FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 1f),
                DoubleVector.broadcast(DoubleVector.SPECIES_PREFERRED, 1.0),
                IntVector.broadcast(IntVector.SPECIES_PREFERRED, 1),
                LongVector.broadcast(LongVector.SPECIES_PREFERRED, 1L));
        Set<String> filled = new TreeSet<>();
        for (VectorOperators.Operator op : operators()) {
            for (Vector<?> v : ones) {
                if (run(op, v)) {
                    filled.add(v.elementType() + " " + op.name());
                }
            }
        }
        return filled;
    }

    /** Runs {@code op} on {@code v} in every form that has a cache: whether the lane type has {@code op}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean run(VectorOperators.Operator op, Vector v) {
        try {
            if (op instanceof VectorOperators.Ternary t) {
                v.lanewise(t, v, v);
            } else if (op instanceof VectorOperators.Associative a) {
                v.lanewise(a, v);
                v.reduceLanesToLong(a);
                v.reduceLanesToLong(a, v.compare(VectorOperators.EQ, v));
            } else if (op instanceof VectorOperators.Binary b) {
                v.lanewise(b, v);
                v.lanewise(b, 1L); // shifts by a scalar have their own cache
            } else if (op instanceof VectorOperators.Unary u) {
                v.lanewise(u);
            } else {
                return false; // a conversion or a comparison: no cache
            }
            return true;
        } catch (RuntimeException e) {
            // an operator this lane type does not have (UnsupportedOperationException); anything else a later JDK
            // might throw only leaves that entry to be filled on first use: this must never keep the kernels from
            // loading (PlainSoftmaxOps would then fall back to the scalar ones)
            return false;
        }
    }

    /** The public operator constants of {@link VectorOperators}. */
    private static List<VectorOperators.Operator> operators() {
        List<VectorOperators.Operator> ops = new ArrayList<>();
        for (Field f : VectorOperators.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && VectorOperators.Operator.class.isAssignableFrom(f.getType())) {
                try {
                    ops.add((VectorOperators.Operator) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError("a public field of VectorOperators: " + f, e);
                }
            }
        }
        return ops;
    }
}
