package org.softmax4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * Bad arguments to every public method of {@link SoftmaxOps}, table-driven. For each method (both dtypes) a valid call
 * is built (offset 1 in arrays one longer than needed at each end), checked to work, and then changed in one way:
 * a null array, a negative or overflowing size, an array too short, a negative offset or one past the end, an output
 * partially overlapping an input (and exactly aliasing one where the Javadoc forbids it), and each method's own bad
 * options. Each must throw the documented exception with a message naming the argument (and the expected and actual
 * values where they apply), and leave every array bit for bit as it was (outputs are filled with a {@link Canary}).
 * Where the Javadoc allows in-place use, the aliased call must work and equal the call with separate arrays.
 */
public abstract class BadInputTests {

    /** @return the backend under test */
    protected abstract SoftmaxOps ops();

    /** One method-specific bad case. */
    private record Extra(String label, Consumer<OpCall> change, Class<? extends Throwable> type, String... fragments) {
    }

    /** A method under test: an op of the table in one dtype, with its own bad cases. */
    private record Method(Op op, Dtype dtype, List<Extra> extras) {
        String signature() {
            return op.signature(dtype);
        }

        List<Op.Param> params() {
            return op.params().stream().filter(p -> p.role() != Op.Role.RETURNED).toList();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static List<Extra> temperatures() {
        List<Extra> e = new ArrayList<>();
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            e.add(new Extra("temperature " + t, a -> a.temperature = t, IllegalArgumentException.class,
                    "temperature", String.valueOf(t)));
        }
        return e;
    }

    private static List<Extra> epsilons() {
        List<Extra> e = new ArrayList<>();
        for (double v : new double[] {-1, 0.5, Double.NaN}) {
            e.add(new Extra("eps " + v, a -> a.eps = v, IllegalArgumentException.class, "eps", String.valueOf(v)));
        }
        return e;
    }

    /** The bad options common to both cross-entropies with logits. */
    private static List<Extra> lossOptions() {
        List<Extra> e = new ArrayList<>();
        e.add(new Extra("cols 0", a -> a.dim("cols", 0), IllegalArgumentException.class, "cols", "0"));
        e.add(new Extra("class weights of length cols + 1",
                a -> a.options = CrossEntropyOptions.DEFAULT.withClassWeights(1, 1, 1, 1),
                IllegalArgumentException.class, "classWeights.length", "3", "4"));
        e.add(new Extra("class weights of length cols - 1",
                a -> a.options = CrossEntropyOptions.DEFAULT.withClassWeights(1, 1),
                IllegalArgumentException.class, "classWeights.length", "3", "2"));
        return e;
    }

    private static List<Extra> sparseClasses() {
        List<Extra> e = new ArrayList<>(lossOptions());
        e.add(new Extra("class = cols in row 1", a -> a.i("classes")[a.off("classes") + 1] = 3,
                IllegalArgumentException.class, "row 1", "actual 3"));
        e.add(new Extra("class -1 in row 1", a -> a.i("classes")[a.off("classes") + 1] = -1,
                IllegalArgumentException.class, "row 1", "actual -1"));
        e.add(new Extra("class -100 with ignore index 5", a -> {
            a.i("classes")[a.off("classes") + 1] = -100;
            a.options = CrossEntropyOptions.DEFAULT.withIgnoreIndex(5);
        }, IllegalArgumentException.class, "row 1", "actual -100"));
        return e;
    }

    /** A masked class may carry no target: a positive (or negative) label there, or a masked target class. */
    private static List<Extra> maskedLabels() {
        List<Extra> e = new ArrayList<>(lossOptions());
        e.add(new Extra("positive label on a masked class in row 1", a -> a.z("mask")[a.off("mask") + 3 + 2] = false,
                IllegalArgumentException.class, "labels[", "row 1, class 2", "mask[" + (OFFSET + 5) + "] is false"));
        e.add(new Extra("negative label on a masked class in row 0", a -> {
            a.z("mask")[a.off("mask") + 1] = false;
            if (a.dtype() == Dtype.FLOAT64) {
                a.d("labels")[a.off("labels") + 1] = -0.5;
            } else {
                a.f("labels")[a.off("labels") + 1] = -0.5f;
            }
        }, IllegalArgumentException.class, "row 0, class 1", "actual -0.5"));
        return e;
    }

    private static List<Extra> maskedClasses() {
        List<Extra> e = new ArrayList<>(sparseClasses());
        e.add(new Extra("target class masked in row 1", a -> {
            a.i("classes")[a.off("classes") + 1] = 1;
            a.z("mask")[a.off("mask") + 3 + 1] = false;
        }, IllegalArgumentException.class, "classes[" + (OFFSET + 1) + "] (row 1)", "actual 1", "is false"));
        e.add(new Extra("fully masked row 0 with a target", a -> Arrays.fill(a.z("mask"), a.off("mask"),
                a.off("mask") + 3, false), IllegalArgumentException.class, "(row 0)", "is false"));
        return e;
    }

    private static List<Extra> topKs() {
        List<Extra> e = new ArrayList<>();
        e.add(new Extra("k = cols + 1", a -> a.dim("k", 4), IllegalArgumentException.class, "k", "4", "[0, 3]"));
        return e;
    }

    private static List<Extra> argmaxCols() {
        return List.of(new Extra("cols 0 with rows 2", a -> a.dim("cols", 0), IllegalArgumentException.class,
                "cols", "0"));
    }

    // --------------------------------------------------------------------------------------------- the table

    /** Every offset-taking method of the SPI in one dtype: the op table's, with each op's own bad cases. */
    private static List<Method> methods(Dtype dtype) {
        List<Method> m = new ArrayList<>();
        for (Op op : Op.values()) {
            m.add(new Method(op, dtype, extras(op)));
        }
        return m;
    }

    /** The bad options of each op, beyond the bad arrays, sizes and offsets every op gets. */
    private static List<Extra> extras(Op op) {
        return switch (op) {
            case SOFTMAX_TEMPERATURE -> temperatures();
            case CROSS_ENTROPY -> concat(epsilons(), List.of(new Extra("cols 0", a -> a.dim("cols", 0),
                    IllegalArgumentException.class, "cols", "0")));
            case SOFTMAX_CROSS_ENTROPY -> lossOptions();
            case SPARSE_SOFTMAX_CROSS_ENTROPY -> sparseClasses();
            case CROSS_ENTROPY_REDUCED -> concat(epsilons(), List.of(new Extra("cols 0", a -> a.dim("cols", 0),
                    IllegalArgumentException.class, "cols", "0"), new Extra("reduction null", a -> a.options = null,
                    NullPointerException.class, "reduction")));
            case MASKED_SOFTMAX_CROSS_ENTROPY -> maskedLabels();
            case MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY -> maskedClasses();
            case ARGMAX -> argmaxCols();
            case TOP_K -> topKs();
            default -> List.of();
        };
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    // --------------------------------------------------------------------------------------------- building calls

    private static final int OFFSET = 1;

    /** A valid call: each array at offset 1, one spare element after; outputs canaries, inputs valid values. */
    private static OpCall valid(Method method, Dtype dtype) {
        OpCall a = new OpCall(method.op(), dtype);
        method.op().dims().sample().forEach(a::dim);
        a.temperature = 0.5;
        a.eps = 1e-7;
        a.alpha = 1.5;
        a.beta = 0.5;
        SplittableRandom random = new SplittableRandom(method.signature().hashCode());
        for (Op.Param p : method.params()) {
            int n = OFFSET + p.size(a) + 1;
            a.array(p.name(), p.isOutput() ? canaryArray(p.kind(), dtype, n) : input(p, dtype, n, a, random), OFFSET);
        }
        return a;
    }

    private static Object canaryArray(Op.Kind kind, Dtype dtype, int n) {
        return switch (kind) {
            case REAL -> dtype == Dtype.FLOAT64 ? fill(new double[n], Canary.DOUBLE) : fill(new float[n], Canary.FLOAT);
            case INT -> {
                int[] i = new int[n];
                Arrays.fill(i, Canary.INT);
                yield i;
            }
            case BOOL -> new boolean[n];
        };
    }

    private static double[] fill(double[] a, double v) {
        Arrays.fill(a, v);
        return a;
    }

    private static float[] fill(float[] a, float v) {
        Arrays.fill(a, v);
        return a;
    }

    private static Object input(Op.Param p, Dtype dtype, int n, OpCall a, SplittableRandom random) {
        return switch (p.kind()) {
            case REAL -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = dtype.round(random.nextDouble(0.05, 1)); // valid as logits, probabilities and labels
                }
                yield dtype == Dtype.FLOAT64 ? v : RandomInputs.toFloat(v);
            }
            case INT -> {
                int[] c = new int[n];
                for (int i = 0; i < n; i++) {
                    c[i] = i % a.dim("cols");
                }
                yield c;
            }
            case BOOL -> {
                boolean[] z = new boolean[n];
                Arrays.fill(z, true);
                yield z;
            }
        };
    }

    private static Object shorter(Object a) {
        int n = OpCall.length(a) - 3; // offset 1 + count - 1: one element short
        if (a instanceof double[] d) {
            return Arrays.copyOf(d, n);
        }
        if (a instanceof float[] f) {
            return Arrays.copyOf(f, n);
        }
        if (a instanceof int[] i) {
            return Arrays.copyOf(i, n);
        }
        return Arrays.copyOf((boolean[]) a, n);
    }

    /** Calls with {@code a}; expects {@code type} whose message holds every fragment; then checks every array. */
    private Executable rejected(Method method, OpCall a, Class<? extends Throwable> type, String... fragments) {
        return () -> {
            Canary canary = new Canary();
            a.arrays().forEach(canary::watch);
            Throwable thrown = assertThrows(type, () -> a.invoke(ops()),
                    () -> ops().name() + " " + method.signature() + " with " + a + ": expected " + type.getSimpleName());
            String message = String.valueOf(thrown.getMessage());
            for (String f : fragments) {
                assertTrue(message.contains(f), () -> ops().name() + " " + method.signature() + ": message \""
                        + message + "\" should contain \"" + f + "\"");
            }
            canary.assertUnchanged(() -> ops().name() + " " + method.signature() + " with " + a);
        };
    }

    @TestFactory
    Stream<DynamicNode> everyMethodRejectsEveryBadArgument() {
        List<DynamicNode> containers = new ArrayList<>();
        for (Dtype dtype : Dtype.values()) {
            for (Method method : methods(dtype)) {
                containers.add(dynamicContainer(method.signature() + " " + dtype.jsonName(), cases(method, dtype)));
            }
        }
        return containers.stream();
    }

    private List<DynamicNode> cases(Method method, Dtype dtype) {
        List<DynamicNode> tests = new ArrayList<>();
        String sig = method.signature() + " " + dtype.jsonName() + ": ";
        tests.add(dynamicTest(sig + "the valid call works", () -> valid(method, dtype).invoke(ops())));
        for (Op.Param p : method.params()) {
            if (p.role() != Op.Role.OPTIONAL_OUT) {
                OpCall a = valid(method, dtype);
                a.arrays().put(p.name(), null);
                tests.add(dynamicTest(sig + p.name() + " null", rejected(method, a, NullPointerException.class,
                        p.name())));
            }
            OpCall shortArray = valid(method, dtype);
            Object s = shorter(shortArray.array(p.name()));
            shortArray.arrays().put(p.name(), s);
            tests.add(dynamicTest(sig + p.name() + " one element short", rejected(method, shortArray,
                    IllegalArgumentException.class, p.name(), "expected", "actual " + OpCall.length(s))));
            OpCall negative = valid(method, dtype);
            negative.offset(p.name(), -1);
            tests.add(dynamicTest(sig + p.name() + "Offset -1", rejected(method, negative,
                    IllegalArgumentException.class, p.name() + "Offset", "-1")));
            OpCall past = valid(method, dtype);
            int len = OpCall.length(past.array(p.name()));
            past.offset(p.name(), len + 1);
            tests.add(dynamicTest(sig + p.name() + "Offset past the end", rejected(method, past,
                    IllegalArgumentException.class, p.name(), "actual " + len)));
        }
        for (String dim : method.op().dims().sample().keySet()) {
            OpCall a = valid(method, dtype);
            a.dim(dim, -1);
            tests.add(dynamicTest(sig + dim + " -1", rejected(method, a, IllegalArgumentException.class, dim,
                    "expected", "-1")));
        }
        List<String> dims = new ArrayList<>(method.op().dims().sample().keySet());
        OpCall overflow = valid(method, dtype);
        overflow.dim(dims.get(0), 65536);
        if (dims.size() > 1) {
            overflow.dim(dims.get(1), 65536);
        }
        tests.add(dynamicTest(sig + "sizes 65536 x 65536 overflow int", rejected(method, overflow,
                IllegalArgumentException.class, " * ", "65536", "expected")));
        for (String[] pair : method.op().noOverlap()) {
            tests.add(dynamicTest(sig + pair[0] + " partially overlapping " + pair[1],
                    rejected(method, aliased(method, dtype, pair[0], pair[1], 1), IllegalArgumentException.class,
                            pair[0], pair[1], "overlaps")));
            tests.add(dynamicTest(sig + pair[0] + " the same region as " + pair[1] + " (not allowed here)",
                    rejected(method, aliased(method, dtype, pair[0], pair[1], 0), IllegalArgumentException.class,
                            pair[0], pair[1], "overlaps")));
        }
        for (String[] pair : method.op().inPlace()) {
            tests.add(dynamicTest(sig + pair[0] + " partially overlapping " + pair[1],
                    rejected(method, aliased(method, dtype, pair[0], pair[1], 1), IllegalArgumentException.class,
                            pair[0], pair[1], "overlaps")));
            tests.add(dynamicTest(sig + pair[0] + " in place over " + pair[1] + " equals separate arrays",
                    () -> inPlace(method, dtype, pair[0], pair[1])));
        }
        for (Extra e : method.extras()) {
            OpCall a = valid(method, dtype);
            e.change().accept(a);
            tests.add(dynamicTest(sig + e.label(), rejected(method, a, e.type(), e.fragments())));
        }
        return tests;
    }

    /**
     * A call whose output {@code out} shares the array of input {@code in}, starting {@code shift} elements after it;
     * the shared array holds the input's values and is long enough for both regions.
     */
    private static OpCall aliased(Method method, Dtype dtype, String out, String in, int shift) {
        OpCall a = valid(method, dtype);
        Object input = a.array(in);
        int outEnd = OFFSET + shift + sizeOf(method, a, out);
        int need = Math.max(OpCall.length(input), outEnd + 1);
        Object shared = input instanceof double[] d ? Arrays.copyOf(d, need) : Arrays.copyOf((float[]) input, need);
        a.arrays().put(in, shared);
        a.array(out, shared, OFFSET + shift);
        return a;
    }

    private static int sizeOf(Method method, OpCall a, String name) {
        return method.op().param(name).size(a);
    }

    /** The in-place call must give bit for bit what the call with a separate output gives. */
    private void inPlace(Method method, Dtype dtype, String out, String in) {
        OpCall separate = valid(method, dtype);
        OpCall aliased = separate.copy();
        separate.invoke(ops());
        aliased.arrays().put(out, aliased.array(in));
        aliased.invoke(ops());
        int n = sizeOf(method, separate, out);
        Object expected = separate.array(out);
        Object actual = aliased.array(in);
        if (expected instanceof double[] e) {
            assertArrayEquals(Arrays.copyOfRange(e, OFFSET, OFFSET + n),
                    Arrays.copyOfRange((double[]) actual, OFFSET, OFFSET + n),
                    () -> ops().name() + " " + method.signature() + ": " + out + " in place over " + in);
        } else {
            assertArrayEquals(Arrays.copyOfRange((float[]) expected, OFFSET, OFFSET + n),
                    Arrays.copyOfRange((float[]) actual, OFFSET, OFFSET + n),
                    () -> ops().name() + " " + method.signature() + ": " + out + " in place over " + in);
        }
    }

    // ------------------------------------------------------------------------------- convenience methods, options

    /** A call of a convenience method or an options builder that must be rejected; arrays in the canary. */
    private record Convenience(String label, Class<? extends Throwable> type, ConvenienceCall call, String... fragments) {
    }

    @FunctionalInterface
    private interface ConvenienceCall {
        void invoke(SoftmaxOps ops, Canary canary);
    }

    private static List<Convenience> conveniences() {
        double[] d3 = {0.2, 0.3, 0.5};
        float[] f3 = {0.2f, 0.3f, 0.5f};
        double[] d2 = {0.2, 0.3};
        float[] f2 = {0.2f, 0.3f};
        Class<NullPointerException> npe = NullPointerException.class;
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        List<Convenience> c = new ArrayList<>();
        c.add(new Convenience("softmax(double...) null", npe, (o, k) -> o.softmax((double[]) null), "x"));
        c.add(new Convenience("softmax(float...) null", npe, (o, k) -> o.softmax((float[]) null), "x"));
        c.add(new Convenience("softmax(rows, cols, double[]) x short", iae,
                (o, k) -> o.softmax(2, 2, k.watch("x", d3.clone())), "x", "actual 3"));
        c.add(new Convenience("softmax(rows, cols, float[]) x short", iae,
                (o, k) -> o.softmax(2, 2, k.watch("x", f3.clone())), "x", "actual 3"));
        c.add(new Convenience("softmax(rows, cols, double[]) rows -1", iae,
                (o, k) -> o.softmax(-1, 2, k.watch("x", d3.clone())), "rows", "-1"));
        c.add(new Convenience("softmax(rows, cols, float[]) cols -1", iae,
                (o, k) -> o.softmax(1, -1, k.watch("x", f3.clone())), "cols", "-1"));
        c.add(new Convenience("softmax(double[], temperature) null", npe, (o, k) -> o.softmax((double[]) null, 1.0), "x"));
        c.add(new Convenience("softmax(float[], temperature) null", npe, (o, k) -> o.softmax((float[]) null, 1.0f), "x"));
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            c.add(new Convenience("softmax(double[], T = " + t + ")", iae,
                    (o, k) -> o.softmax(k.watch("x", d3.clone()), t), "temperature"));
            c.add(new Convenience("softmax(float[], T = " + t + ")", iae,
                    (o, k) -> o.softmax(k.watch("x", f3.clone()), (float) t), "temperature"));
        }
        c.add(new Convenience("maskedSoftmax(double[], mask) mask short", iae,
                (o, k) -> o.maskedSoftmax(k.watch("x", d3.clone()), new boolean[2]), "mask", "actual 2"));
        c.add(new Convenience("maskedSoftmax(float[], mask) mask null", npe,
                (o, k) -> o.maskedSoftmax(k.watch("x", f3.clone()), null), "mask"));
        c.add(new Convenience("logSoftmax(double...) null", npe, (o, k) -> o.logSoftmax((double[]) null), "x"));
        c.add(new Convenience("logSoftmax(float...) null", npe, (o, k) -> o.logSoftmax((float[]) null), "x"));
        c.add(new Convenience("logSoftmax(rows, cols, double[]) x short", iae,
                (o, k) -> o.logSoftmax(2, 2, k.watch("x", d3.clone())), "x", "actual 3"));
        c.add(new Convenience("logSoftmax(rows, cols, float[]) x null", npe,
                (o, k) -> o.logSoftmax(2, 2, (float[]) null), "x"));
        c.add(new Convenience("logSumExp(double...) null", npe, (o, k) -> o.logSumExp((double[]) null), "x"));
        c.add(new Convenience("logSumExp(float...) null", npe, (o, k) -> o.logSumExp((float[]) null), "x"));
        c.add(new Convenience("softmaxBackward(double[], double[]) dy short", iae,
                (o, k) -> o.softmaxBackward(k.watch("y", d3.clone()), k.watch("dy", d2.clone())), "dy", "actual 2"));
        c.add(new Convenience("softmaxBackward(float[], float[]) y null", npe,
                (o, k) -> o.softmaxBackward(null, f3.clone()), "y"));
        c.add(new Convenience("logSoftmaxBackward(double[], double[]) dlogp null", npe,
                (o, k) -> o.logSoftmaxBackward(k.watch("logp", d3.clone()), null), "dlogp"));
        c.add(new Convenience("logSoftmaxBackward(float[], float[]) dlogp short", iae,
                (o, k) -> o.logSoftmaxBackward(k.watch("logp", f3.clone()), k.watch("dlogp", f2.clone())), "dlogp",
                "actual 2"));
        c.add(new Convenience("jacobian(double...) null", npe, (o, k) -> o.jacobian((double[]) null), "y"));
        c.add(new Convenience("jacobian(float...) null", npe, (o, k) -> o.jacobian((float[]) null), "y"));
        c.add(new Convenience("jacobian(double...) of 65536 overflows int", iae,
                (o, k) -> o.jacobian(new double[65536]), "cols * cols", "65536"));
        c.add(new Convenience("crossEntropy(double[], double[]) labels short", iae,
                (o, k) -> o.crossEntropy(k.watch("p", d3.clone()), k.watch("labels", d2.clone())), "labels",
                "actual 2"));
        c.add(new Convenience("crossEntropy(float[], float[]) probabilities null", npe,
                (o, k) -> o.crossEntropy(null, f3.clone()), "probabilities"));
        c.add(new Convenience("crossEntropy(double[], double[]) empty", iae,
                (o, k) -> o.crossEntropy(new double[0], new double[0]), "probabilities: expected at least one entry",
                "an empty array"));
        c.add(new Convenience("softmaxCrossEntropyWithLogits(double[], labels, gradient) gradient short", iae,
                (o, k) -> o.softmaxCrossEntropyWithLogits(k.watch("logits", d3.clone()), k.watch("labels", d3.clone()),
                        k.doubles("gradient", 2)), "gradient", "actual 2"));
        c.add(new Convenience("softmaxCrossEntropyWithLogits(float[], labels, gradient) labels short", iae,
                (o, k) -> o.softmaxCrossEntropyWithLogits(k.watch("logits", f3.clone()), k.watch("labels", f2.clone()),
                        k.floats("gradient", 3)), "labels", "actual 2"));
        c.add(new Convenience("softmaxCrossEntropyWithLogits(double[], labels, gradient) logits null", npe,
                (o, k) -> o.softmaxCrossEntropyWithLogits(null, d3.clone(), k.doubles("gradient", 3)), "logits"));
        c.add(new Convenience("sparseSoftmaxCrossEntropyWithLogits(double[], label 3, gradient)", iae,
                (o, k) -> o.sparseSoftmaxCrossEntropyWithLogits(k.watch("logits", d3.clone()), 3,
                        k.doubles("gradient", 3)), "label: expected a class in [0, 3)", "actual 3"));
        c.add(new Convenience("sparseSoftmaxCrossEntropyWithLogits(float[], label -1, gradient)", iae,
                (o, k) -> o.sparseSoftmaxCrossEntropyWithLogits(k.watch("logits", f3.clone()), -1,
                        k.floats("gradient", 3)), "label: expected a class in [0, 3)", "actual -1"));
        c.add(new Convenience("sparseSoftmaxCrossEntropyWithLogits(float[], label, gradient) gradient short", iae,
                (o, k) -> o.sparseSoftmaxCrossEntropyWithLogits(k.watch("logits", f3.clone()), 1,
                        k.floats("gradient", 2)), "gradient", "actual 2"));
        c.add(new Convenience("sparseSoftmaxCrossEntropyWithLogits(rows, cols, double[], classes, options, gradient)"
                + " classes short", iae,
                (o, k) -> o.sparseSoftmaxCrossEntropyWithLogits(2, 3, k.watch("logits", new double[6]),
                        k.watch("classes", new int[1]), CrossEntropyOptions.DEFAULT, k.doubles("gradient", 6)),
                "classes", "actual 1"));
        c.add(new Convenience("sparseSoftmaxCrossEntropyWithLogits(rows, cols, float[], classes, options, gradient)"
                + " classes null", npe,
                (o, k) -> o.sparseSoftmaxCrossEntropyWithLogits(2, 3, k.watch("logits", new float[6]),
                        null, null, k.floats("gradient", 6)), "classes"));
        c.add(new Convenience("softmaxCrossEntropyWithLogits(rows, cols, double[], labels, options, gradient)"
                + " weights of length 2", iae,
                (o, k) -> o.softmaxCrossEntropyWithLogits(2, 3, k.watch("logits", new double[6]),
                        k.watch("labels", new double[6]), CrossEntropyOptions.DEFAULT.withClassWeights(1, 2),
                        k.doubles("gradient", 6)), "classWeights.length", "2"));
        c.add(new Convenience("softmaxCrossEntropyWithLogits(rows, cols, float[], labels, options, gradient)"
                + " cols 0", iae,
                (o, k) -> o.softmaxCrossEntropyWithLogits(2, 0, k.watch("logits", new float[6]),
                        k.watch("labels", new float[6]), CrossEntropyOptions.DEFAULT, k.floats("gradient", 6)),
                "cols", "0"));
        c.add(new Convenience("argmax(double...) empty", iae, (o, k) -> o.argmax(new double[0]),
                "x: expected at least one entry", "an empty array"));
        c.add(new Convenience("argmax(float...) null", npe, (o, k) -> o.argmax((float[]) null), "x"));
        c.add(new Convenience("topK(double[], k = -1)", iae, (o, k) -> o.topK(k.watch("x", d3.clone()), -1), "k",
                "-1"));
        c.add(new Convenience("topK(float[], k = cols + 1)", iae, (o, k) -> o.topK(k.watch("x", f3.clone()), 4), "k",
                "4"));
        c.add(new Convenience("topK(double[], k) null", npe, (o, k) -> o.topK((double[]) null, 1), "x"));
        // the options builder rejects bad smoothing and weights before any op sees them
        for (double e : new double[] {-0.1, 1.1, Double.NaN}) {
            c.add(new Convenience("CrossEntropyOptions.withLabelSmoothing(" + e + ")", iae,
                    (o, k) -> CrossEntropyOptions.DEFAULT.withLabelSmoothing(e), "labelSmoothing", String.valueOf(e)));
        }
        for (double w : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            c.add(new Convenience("CrossEntropyOptions.withClassWeights(1, " + w + ")", iae,
                    (o, k) -> CrossEntropyOptions.DEFAULT.withClassWeights(1, w), "classWeights[1]", String.valueOf(w)));
        }
        c.add(new Convenience("CrossEntropyOptions.withReduction(null)", npe,
                (o, k) -> CrossEntropyOptions.DEFAULT.withReduction(null), "reduction"));
        return c;
    }

    @TestFactory
    Stream<DynamicNode> convenienceMethodsAndOptionsRejectBadArguments() {
        return conveniences().stream().map(c -> dynamicTest(c.label(), () -> {
            Canary canary = new Canary();
            Throwable thrown = assertThrows(c.type(), () -> c.call().invoke(ops(), canary),
                    () -> ops().name() + " " + c.label() + ": expected " + c.type().getSimpleName());
            String message = String.valueOf(thrown.getMessage());
            for (String f : c.fragments()) {
                assertTrue(message.contains(f), () -> ops().name() + " " + c.label() + ": message \"" + message
                        + "\" should contain \"" + f + "\"");
            }
            canary.assertUnchanged(() -> ops().name() + " " + c.label());
        }));
    }
}
