package org.softmax4j.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.softmax4j.SoftmaxOps;

/**
 * The kit's one table of the ops of {@link SoftmaxOps}: per op its name (as the JSON cases and reports spell it), its
 * dimensions, its array parameters (name, element kind, size, input or output, optional), which outputs may be
 * exactly an input's region and which must not overlap one, its error bound, and the call of its float64 and float32
 * overloads. The JSON evaluator, the fuzzer, the property and accuracy groups ({@link OpsInDtype}) and the bad-input
 * group all call the backend through {@link OpCall#invoke}.
 *
 * <p>Adding an op to the kit: its entry here gives it, with no other change, the JSON cases (input and output names,
 * sizes, offsets, canaries, the default bound), the command-line runner, every bad-array, bad-size, bad-offset,
 * overlap and in-place check of the bad-input group, the int-overflow checks of the huge-input group, and the fuzzer's
 * placement, canaries and in-place runs. What the op's math needs besides: its exact value in {@link ExactReference}
 * and one line mapping it in {@code fuzz.Expectation}, how to draw its inputs in {@code fuzz.CaseGenerator}, and, only
 * where they apply, its scale in {@code fuzz.Scales} (a bound with a scale term), its scalar options in
 * {@code fuzz.CaseJson} and its own bad options in {@link BadInputTests}.
 */
public enum Op {
    SOFTMAX("softmax", "softmax(rows, cols, T[] x, xOffset, y, yOffset)", Dims.ROWS_COLS, ErrorBounds::rowOp,
            List.of(in("x", Op::rc), out("y", Op::rc)), List.<String[]>of(pair("y", "x")), List.of(),
            (o, c) -> o.softmax(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.d("y"), c.off("y")),
            (o, c) -> o.softmax(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.f("y"), c.off("y"))),
    SOFTMAX_TEMPERATURE("softmaxTemperature", "softmax(rows, cols, temperature, T[] x, xOffset, y, yOffset)",
            Dims.ROWS_COLS, ErrorBounds::rowOp,
            List.of(in("x", Op::rc), out("y", Op::rc)), List.<String[]>of(pair("y", "x")), List.of(),
            (o, c) -> o.softmax(c.dim("rows"), c.dim("cols"), c.temperature, c.d("x"), c.off("x"), c.d("y"),
                    c.off("y")),
            (o, c) -> o.softmax(c.dim("rows"), c.dim("cols"), (float) c.temperature, c.f("x"), c.off("x"), c.f("y"),
                    c.off("y"))),
    MASKED_SOFTMAX("maskedSoftmax", "maskedSoftmax(rows, cols, T[] x, xOffset, mask, maskOffset, y, yOffset)",
            Dims.ROWS_COLS, ErrorBounds::rowOp,
            List.of(in("x", Op::rc), new Param("mask", Kind.BOOL, Op::rc, Role.IN), out("y", Op::rc)),
            List.<String[]>of(pair("y", "x")), List.of(),
            (o, c) -> o.maskedSoftmax(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.z("mask"), c.off("mask"),
                    c.d("y"), c.off("y")),
            (o, c) -> o.maskedSoftmax(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.z("mask"), c.off("mask"),
                    c.f("y"), c.off("y"))),
    LOG_SOFTMAX("logSoftmax", "logSoftmax(rows, cols, T[] x, xOffset, y, yOffset)", Dims.ROWS_COLS,
            ErrorBounds::rowOp,
            List.of(in("x", Op::rc), out("y", Op::rc)), List.<String[]>of(pair("y", "x")), List.of(),
            (o, c) -> o.logSoftmax(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.d("y"), c.off("y")),
            (o, c) -> o.logSoftmax(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.f("y"), c.off("y"))),
    LOG_SUM_EXP("logSumExp", "logSumExp(rows, cols, T[] x, xOffset, out, outOffset)", Dims.ROWS_COLS,
            ErrorBounds::cancelling,
            List.of(in("x", Op::rc), out("out", Op::rows)), List.of(), List.<String[]>of(pair("out", "x")),
            (o, c) -> o.logSumExp(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.d("out"), c.off("out")),
            (o, c) -> o.logSumExp(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.f("out"), c.off("out"))),
    MASKED_LOG_SOFTMAX("maskedLogSoftmax",
            "maskedLogSoftmax(rows, cols, T[] x, xOffset, mask, maskOffset, y, yOffset)", Dims.ROWS_COLS,
            ErrorBounds::rowOp,
            List.of(in("x", Op::rc), mask(), out("y", Op::rc)), List.<String[]>of(pair("y", "x")), List.of(),
            (o, c) -> o.maskedLogSoftmax(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.z("mask"),
                    c.off("mask"), c.d("y"), c.off("y")),
            (o, c) -> o.maskedLogSoftmax(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.z("mask"),
                    c.off("mask"), c.f("y"), c.off("y"))),
    MASKED_LOG_SUM_EXP("maskedLogSumExp",
            "maskedLogSumExp(rows, cols, T[] x, xOffset, mask, maskOffset, out, outOffset)", Dims.ROWS_COLS,
            ErrorBounds::cancelling,
            List.of(in("x", Op::rc), mask(), out("out", Op::rows)), List.of(), List.<String[]>of(pair("out", "x")),
            (o, c) -> o.maskedLogSumExp(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.z("mask"),
                    c.off("mask"), c.d("out"), c.off("out")),
            (o, c) -> o.maskedLogSumExp(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.z("mask"),
                    c.off("mask"), c.f("out"), c.off("out"))),
    SOFTMAX_BACKWARD("softmaxBackward", "softmaxBackward(rows, cols, T[] y, yOffset, dy, dyOffset, dx, dxOffset)",
            Dims.ROWS_COLS, ErrorBounds::cancelling,
            List.of(in("y", Op::rc), in("dy", Op::rc), out("dx", Op::rc)),
            List.<String[]>of(pair("dx", "y"), pair("dx", "dy")),
            List.of(),
            (o, c) -> o.softmaxBackward(c.dim("rows"), c.dim("cols"), c.d("y"), c.off("y"), c.d("dy"), c.off("dy"),
                    c.d("dx"), c.off("dx")),
            (o, c) -> o.softmaxBackward(c.dim("rows"), c.dim("cols"), c.f("y"), c.off("y"), c.f("dy"), c.off("dy"),
                    c.f("dx"), c.off("dx"))),
    LOG_SOFTMAX_BACKWARD("logSoftmaxBackward",
            "logSoftmaxBackward(rows, cols, T[] logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset)", Dims.ROWS_COLS,
            ErrorBounds::cancelling,
            List.of(in("logp", Op::rc), in("dlogp", Op::rc), out("dx", Op::rc)),
            List.<String[]>of(pair("dx", "logp"), pair("dx", "dlogp")), List.of(),
            (o, c) -> o.logSoftmaxBackward(c.dim("rows"), c.dim("cols"), c.d("logp"), c.off("logp"), c.d("dlogp"),
                    c.off("dlogp"), c.d("dx"), c.off("dx")),
            (o, c) -> o.logSoftmaxBackward(c.dim("rows"), c.dim("cols"), c.f("logp"), c.off("logp"), c.f("dlogp"),
                    c.off("dlogp"), c.f("dx"), c.off("dx"))),
    JACOBIAN("jacobian", "jacobian(cols, T[] y, yOffset, jacobian, jacobianOffset)", Dims.COLS, ErrorBounds::rowOp,
            List.of(in("y", c -> c.dim("cols")), out("jacobian", c -> c.dim("cols") * c.dim("cols"))), List.of(),
            List.<String[]>of(pair("jacobian", "y")),
            (o, c) -> o.jacobian(c.dim("cols"), c.d("y"), c.off("y"), c.d("jacobian"), c.off("jacobian")),
            (o, c) -> o.jacobian(c.dim("cols"), c.f("y"), c.off("y"), c.f("jacobian"), c.off("jacobian"))),
    CROSS_ENTROPY("crossEntropy",
            "crossEntropy(rows, cols, T[] probabilities, offset, labels, offset, eps, loss, offset)", Dims.ROWS_COLS,
            ErrorBounds::rowOp,
            List.of(in("probabilities", Op::rc), in("labels", Op::rc), out("loss", Op::rows)), List.of(),
            List.<String[]>of(pair("loss", "probabilities"), pair("loss", "labels")),
            (o, c) -> o.crossEntropy(c.dim("rows"), c.dim("cols"), c.d("probabilities"), c.off("probabilities"),
                    c.d("labels"), c.off("labels"), c.eps, c.d("loss"), c.off("loss")),
            (o, c) -> o.crossEntropy(c.dim("rows"), c.dim("cols"), c.f("probabilities"), c.off("probabilities"),
                    c.f("labels"), c.off("labels"), c.eps, c.f("loss"), c.off("loss"))),
    SOFTMAX_CROSS_ENTROPY("softmaxCrossEntropyWithLogits", "softmaxCrossEntropyWithLogits(rows, cols, T[] logits, "
            + "offset, labels, offset, options, loss, offset, gradient, offset)", Dims.ROWS_COLS,
            ErrorBounds::cancelling,
            List.of(in("logits", Op::rc), in("labels", Op::rc), optionalOut("loss", Op::rows),
                    optionalOut("gradient", Op::rc), value()),
            List.<String[]>of(pair("gradient", "logits")),
            List.<String[]>of(pair("loss", "logits"), pair("loss", "labels"), pair("gradient", "labels"),
                    pair("loss", "gradient")),
            (o, c) -> c.returned(o.softmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.d("logits"),
                    c.off("logits"), c.d("labels"), c.off("labels"), c.options, c.d("loss"), c.off("loss"),
                    c.d("gradient"), c.off("gradient"))),
            (o, c) -> c.returned(o.softmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.f("logits"),
                    c.off("logits"), c.f("labels"), c.off("labels"), c.options, c.f("loss"), c.off("loss"),
                    c.f("gradient"), c.off("gradient")))),
    SPARSE_SOFTMAX_CROSS_ENTROPY("sparseSoftmaxCrossEntropyWithLogits", "sparseSoftmaxCrossEntropyWithLogits(rows, "
            + "cols, T[] logits, offset, classes, offset, options, loss, offset, gradient, offset)", Dims.ROWS_COLS,
            ErrorBounds::cancelling,
            List.of(in("logits", Op::rc), new Param("classes", Kind.INT, Op::rows, Role.IN),
                    optionalOut("loss", Op::rows), optionalOut("gradient", Op::rc), value()),
            List.<String[]>of(pair("gradient", "logits")),
            List.<String[]>of(pair("loss", "logits"), pair("loss", "gradient")),
            (o, c) -> c.returned(o.sparseSoftmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.d("logits"),
                    c.off("logits"), c.i("classes"), c.off("classes"), c.options, c.d("loss"), c.off("loss"),
                    c.d("gradient"), c.off("gradient"))),
            (o, c) -> c.returned(o.sparseSoftmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.f("logits"),
                    c.off("logits"), c.i("classes"), c.off("classes"), c.options, c.f("loss"), c.off("loss"),
                    c.f("gradient"), c.off("gradient")))),
    /** The reduced overload of {@code crossEntropy}: the reduction is {@code OpCall.options.reduction()}. */
    CROSS_ENTROPY_REDUCED("crossEntropyReduced",
            "crossEntropy(rows, cols, T[] probabilities, offset, labels, offset, eps, reduction, loss, offset)",
            Dims.ROWS_COLS, ErrorBounds::rowOp,
            List.of(in("probabilities", Op::rc), in("labels", Op::rc), optionalOut("loss", Op::rows), value()),
            List.of(), List.<String[]>of(pair("loss", "probabilities"), pair("loss", "labels")),
            (o, c) -> c.returned(o.crossEntropy(c.dim("rows"), c.dim("cols"), c.d("probabilities"),
                    c.off("probabilities"), c.d("labels"), c.off("labels"), c.eps, reduction(c), c.d("loss"),
                    c.off("loss"))),
            (o, c) -> c.returned(o.crossEntropy(c.dim("rows"), c.dim("cols"), c.f("probabilities"),
                    c.off("probabilities"), c.f("labels"), c.off("labels"), c.eps, reduction(c), c.f("loss"),
                    c.off("loss")))),
    /** The masked overload of {@code softmaxCrossEntropyWithLogits}. */
    MASKED_SOFTMAX_CROSS_ENTROPY("maskedSoftmaxCrossEntropyWithLogits", "softmaxCrossEntropyWithLogits(rows, cols, "
            + "T[] logits, offset, mask, offset, labels, offset, options, loss, offset, gradient, offset)",
            Dims.ROWS_COLS, ErrorBounds::cancelling,
            List.of(in("logits", Op::rc), mask(), in("labels", Op::rc), optionalOut("loss", Op::rows),
                    optionalOut("gradient", Op::rc), value()),
            List.<String[]>of(pair("gradient", "logits")),
            List.<String[]>of(pair("loss", "logits"), pair("loss", "labels"), pair("gradient", "labels"),
                    pair("loss", "gradient")),
            (o, c) -> c.returned(o.softmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.d("logits"),
                    c.off("logits"), c.z("mask"), c.off("mask"), c.d("labels"), c.off("labels"), c.options,
                    c.d("loss"), c.off("loss"), c.d("gradient"), c.off("gradient"))),
            (o, c) -> c.returned(o.softmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.f("logits"),
                    c.off("logits"), c.z("mask"), c.off("mask"), c.f("labels"), c.off("labels"), c.options,
                    c.f("loss"), c.off("loss"), c.f("gradient"), c.off("gradient")))),
    /** The masked overload of {@code sparseSoftmaxCrossEntropyWithLogits}. */
    MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY("maskedSparseSoftmaxCrossEntropyWithLogits",
            "sparseSoftmaxCrossEntropyWithLogits(rows, cols, T[] logits, offset, mask, offset, classes, offset, "
            + "options, loss, offset, gradient, offset)", Dims.ROWS_COLS, ErrorBounds::cancelling,
            List.of(in("logits", Op::rc), mask(), new Param("classes", Kind.INT, Op::rows, Role.IN),
                    optionalOut("loss", Op::rows), optionalOut("gradient", Op::rc), value()),
            List.<String[]>of(pair("gradient", "logits")),
            List.<String[]>of(pair("loss", "logits"), pair("loss", "gradient")),
            (o, c) -> c.returned(o.sparseSoftmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.d("logits"),
                    c.off("logits"), c.z("mask"), c.off("mask"), c.i("classes"), c.off("classes"), c.options,
                    c.d("loss"), c.off("loss"), c.d("gradient"), c.off("gradient"))),
            (o, c) -> c.returned(o.sparseSoftmaxCrossEntropyWithLogits(c.dim("rows"), c.dim("cols"), c.f("logits"),
                    c.off("logits"), c.z("mask"), c.off("mask"), c.i("classes"), c.off("classes"), c.options,
                    c.f("loss"), c.off("loss"), c.f("gradient"), c.off("gradient")))),
    ARGMAX("argmax", "argmax(rows, cols, T[] x, xOffset, out, outOffset)", Dims.ROWS_COLS, ErrorBounds::exact,
            List.of(in("x", Op::rc), new Param("out", Kind.INT, Op::rows, Role.OUT, "indices")), List.of(),
            List.of(),
            (o, c) -> o.argmax(c.dim("rows"), c.dim("cols"), c.d("x"), c.off("x"), c.i("out"), c.off("out")),
            (o, c) -> o.argmax(c.dim("rows"), c.dim("cols"), c.f("x"), c.off("x"), c.i("out"), c.off("out"))),
    TOP_K("topK", "topK(rows, cols, k, T[] x, xOffset, values, valuesOffset, indices, indicesOffset)", Dims.TOP_K,
            ErrorBounds::exact,
            List.of(in("x", Op::rc), optionalOut("values", c -> c.dim("rows") * c.dim("k")),
                    new Param("indices", Kind.INT, c -> c.dim("rows") * c.dim("k"), Role.OUT)),
            List.of(), List.<String[]>of(pair("values", "x")),
            (o, c) -> o.topK(c.dim("rows"), c.dim("cols"), c.dim("k"), c.d("x"), c.off("x"), c.d("values"),
                    c.off("values"), c.i("indices"), c.off("indices")),
            (o, c) -> o.topK(c.dim("rows"), c.dim("cols"), c.dim("k"), c.f("x"), c.off("x"), c.f("values"),
                    c.off("values"), c.i("indices"), c.off("indices"))),
    MATMUL("matmul", "matmul(m, k, n, alpha, T[] a, aOffset, b, bOffset, beta, c, cOffset)", Dims.PRODUCT,
            ErrorBounds::product,
            List.of(in("a", c -> c.dim("m") * c.dim("k")), in("b", c -> c.dim("k") * c.dim("n")),
                    new Param("c", Kind.REAL, c -> c.dim("m") * c.dim("n"), Role.IN_OUT)),
            List.of(), List.<String[]>of(pair("c", "a"), pair("c", "b")),
            (o, c) -> o.matmul(c.dim("m"), c.dim("k"), c.dim("n"), c.alpha, c.d("a"), c.off("a"), c.d("b"),
                    c.off("b"), c.beta, c.d("c"), c.off("c")),
            (o, c) -> o.matmul(c.dim("m"), c.dim("k"), c.dim("n"), (float) c.alpha, c.f("a"), c.off("a"), c.f("b"),
                    c.off("b"), (float) c.beta, c.f("c"), c.off("c"))),
    MATMUL_TRANS_A("matmulTransA", "matmulTransA(m, k, n, alpha, T[] a, aOffset, b, bOffset, beta, c, cOffset)",
            Dims.PRODUCT, ErrorBounds::product,
            List.of(in("a", c -> c.dim("k") * c.dim("m")), in("b", c -> c.dim("k") * c.dim("n")),
                    new Param("c", Kind.REAL, c -> c.dim("m") * c.dim("n"), Role.IN_OUT)),
            List.of(), List.<String[]>of(pair("c", "a"), pair("c", "b")),
            (o, c) -> o.matmulTransA(c.dim("m"), c.dim("k"), c.dim("n"), c.alpha, c.d("a"), c.off("a"), c.d("b"),
                    c.off("b"), c.beta, c.d("c"), c.off("c")),
            (o, c) -> o.matmulTransA(c.dim("m"), c.dim("k"), c.dim("n"), (float) c.alpha, c.f("a"), c.off("a"),
                    c.f("b"), c.off("b"), (float) c.beta, c.f("c"), c.off("c"))),
    MATMUL_TRANS_B("matmulTransB", "matmulTransB(m, k, n, alpha, T[] a, aOffset, b, bOffset, beta, c, cOffset)",
            Dims.PRODUCT, ErrorBounds::product,
            List.of(in("a", c -> c.dim("m") * c.dim("k")), in("b", c -> c.dim("n") * c.dim("k")),
                    new Param("c", Kind.REAL, c -> c.dim("m") * c.dim("n"), Role.IN_OUT)),
            List.of(), List.<String[]>of(pair("c", "a"), pair("c", "b")),
            (o, c) -> o.matmulTransB(c.dim("m"), c.dim("k"), c.dim("n"), c.alpha, c.d("a"), c.off("a"), c.d("b"),
                    c.off("b"), c.beta, c.d("c"), c.off("c")),
            (o, c) -> o.matmulTransB(c.dim("m"), c.dim("k"), c.dim("n"), (float) c.alpha, c.f("a"), c.off("a"),
                    c.f("b"), c.off("b"), (float) c.beta, c.f("c"), c.off("c")));

    /** The element kind of an array parameter. */
    public enum Kind { REAL, INT, BOOL }

    /** What a parameter is to the call. */
    public enum Role {
        /** read only */
        IN,
        /** written; never null */
        OUT,
        /** written when not null (the API accepts null) */
        OPTIONAL_OUT,
        /** read (when the op needs it, e.g. beta != 0) and written: the C of the products */
        IN_OUT,
        /** not an array: the number the method returns (JSON "value") */
        RETURNED
    }

    /**
     * The dimension arguments of an op, in order, each with the value of a small valid call (the bad-input group
     * changes one at a time). Products: {@code A} is {@code m x k} ({@code k x m} for matmulTransA), {@code B} is
     * {@code k x n} ({@code n x k} for matmulTransB).
     */
    public enum Dims {
        ROWS_COLS("rows", 2, "cols", 3),
        COLS("cols", 3),
        TOP_K("rows", 2, "cols", 3, "k", 2),
        PRODUCT("m", 2, "k", 3, "n", 2);

        private final Map<String, Integer> sample = new LinkedHashMap<>();

        Dims(Object... namesAndValues) {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                sample.put((String) namesAndValues[i], (Integer) namesAndValues[i + 1]);
            }
        }

        /** @return the dimension names in argument order, each with a small valid value */
        public Map<String, Integer> sample() {
            return new LinkedHashMap<>(sample);
        }
    }

    /**
     * An array parameter (or the returned value) of an op.
     *
     * @param name the argument's name in the SPI (and in its error messages)
     * @param key  the name the JSON cases and the fuzzer's outcomes give it (the same, but argmax's "indices")
     */
    public record Param(String name, Kind kind, ToIntFunction<OpCall> size, Role role, String key) {

        public Param(String name, Kind kind, ToIntFunction<OpCall> size, Role role) {
            this(name, kind, size, role, name);
        }

        public boolean isInput() {
            return role == Role.IN || role == Role.IN_OUT;
        }

        public boolean isOutput() {
            return role == Role.OUT || role == Role.OPTIONAL_OUT || role == Role.IN_OUT;
        }

        /** @return the element count of this parameter in the call */
        public int size(OpCall c) {
            return size.applyAsInt(c);
        }
    }

    /** One overload's call: the backend and the arguments. */
    @FunctionalInterface
    public interface Invoker {
        void invoke(SoftmaxOps ops, OpCall call);
    }

    private final String jsonName;
    private final String signature;
    private final Dims dims;
    private final IntFunction<Tolerance> bound;
    private final List<Param> params;
    private final List<String[]> inPlace;
    private final List<String[]> noOverlap;
    private final Invoker float64;
    private final Invoker float32;

    Op(String jsonName, String signature, Dims dims, IntFunction<Tolerance> bound, List<Param> params,
       List<String[]> inPlace, List<String[]> noOverlap, Invoker float64, Invoker float32) {
        this.jsonName = jsonName;
        this.signature = signature;
        this.dims = dims;
        this.bound = bound;
        this.params = params;
        this.inPlace = inPlace;
        this.noOverlap = noOverlap;
        this.float64 = float64;
        this.float32 = float32;
    }

    /** @return the op's name as the JSON cases, {@link ErrorBounds} and the reports spell it */
    public String jsonName() {
        return jsonName;
    }

    /** @return the SPI method's signature with {@code T[]} replaced by the dtype's array type */
    public String signature(Dtype dtype) {
        return signature.replace("T[]", dtype == Dtype.FLOAT64 ? "double[]" : "float[]");
    }

    public Dims dims() {
        return dims;
    }

    /**
     * @param size the classes per row ({@code cols}), or the inner dimension {@code k} of a product
     * @return the error bound of the op's real outputs
     */
    public Tolerance bound(int size) {
        return bound.apply(size);
    }

    /** @return the parameters in argument order, the returned value last */
    public List<Param> params() {
        return params;
    }

    /** @return the parameter of that SPI name or JSON key, or null */
    public Param param(String name) {
        for (Param p : params) {
            if (p.name().equals(name) || p.key().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** @return the (output, input) pairs the Javadoc lets share one region exactly */
    public List<String[]> inPlace() {
        return inPlace;
    }

    /** @return the (output, input) pairs that must not overlap at all */
    public List<String[]> noOverlap() {
        return noOverlap;
    }

    /** @return the inputs the main output may be exactly (0: none; 1: the first; 2: either of the first two) */
    public int inPlaceInputs() {
        return inPlace.size();
    }

    /** @return the output that may be in place over an input (y, dx, gradient), or null */
    public String mainOutput() {
        return inPlace.isEmpty() ? null : inPlace.get(0)[0];
    }

    /** @return true for the three matrix products, whose shape is {@code m x k} times {@code k x n} */
    public boolean isProduct() {
        return dims == Dims.PRODUCT;
    }

    /**
     * @return where element {@code (i, l)} of {@code op(A)} ({@code m x k}) is in {@code A} as this product stores it
     *         ({@code k x m} for matmulTransA)
     */
    public int aIndex(int i, int l, int m, int k) {
        return this == MATMUL_TRANS_A ? l * m + i : i * k + l;
    }

    /**
     * @return where element {@code (l, j)} of {@code op(B)} ({@code k x n}) is in {@code B} as this product stores it
     *         ({@code n x k} for matmulTransB)
     */
    public int bIndex(int l, int j, int k, int n) {
        return this == MATMUL_TRANS_B ? j * k + l : l * n + j;
    }

    /** @return the stored shape of this product's {@code A}, {@code {rows, cols}} */
    public int[] aShape(int m, int k) {
        return this == MATMUL_TRANS_A ? new int[] {k, m} : new int[] {m, k};
    }

    /** @return the stored shape of this product's {@code B}, {@code {rows, cols}} */
    public int[] bShape(int k, int n) {
        return this == MATMUL_TRANS_B ? new int[] {n, k} : new int[] {k, n};
    }

    /** @return true if the method returns a number (the reduced loss) */
    public boolean returnsValue() {
        return param("value") != null;
    }

    /** @return the names of the real (float32/float64) inputs in argument order */
    public List<String> realInputs() {
        List<String> names = new ArrayList<>();
        for (Param p : params) {
            if (p.role() == Role.IN && p.kind() == Kind.REAL) {
                names.add(p.name());
            }
        }
        return names;
    }

    Invoker invoker(Dtype dtype) {
        return dtype == Dtype.FLOAT64 ? float64 : float32;
    }

    /** @return the op of that JSON name */
    public static Op named(String jsonName) {
        for (Op op : values()) {
            if (op.jsonName.equals(jsonName)) {
                return op;
            }
        }
        throw new IllegalArgumentException("op: expected a SoftmaxOps op name, actual \"" + jsonName + "\"");
    }

    // ------------------------------------------------------------------------------------------ table helpers

    private static Param in(String name, ToIntFunction<OpCall> size) {
        return new Param(name, Kind.REAL, size, Role.IN);
    }

    private static Param out(String name, ToIntFunction<OpCall> size) {
        return new Param(name, Kind.REAL, size, Role.OUT);
    }

    private static Param optionalOut(String name, ToIntFunction<OpCall> size) {
        return new Param(name, Kind.REAL, size, Role.OPTIONAL_OUT);
    }

    /** The reduction of {@code crossEntropyReduced}: its options' (null options: a null reduction, for bad input). */
    private static org.softmax4j.Reduction reduction(OpCall c) {
        return c.options == null ? null : c.options.reduction();
    }

    private static Param mask() {
        return new Param("mask", Kind.BOOL, Op::rc, Role.IN);
    }

    /** @return true for the ops with a mask (true = the entry or class takes part) */
    public boolean isMasked() {
        return param("mask") != null;
    }

    private static Param value() {
        return new Param("value", Kind.REAL, c -> 1, Role.RETURNED);
    }

    private static String[] pair(String out, String in) {
        return new String[] {out, in};
    }

    private static int rc(OpCall c) {
        return c.dim("rows") * c.dim("cols");
    }

    private static int rows(OpCall c) {
        return c.dim("rows");
    }
}
