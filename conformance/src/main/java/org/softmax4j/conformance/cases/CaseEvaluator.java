package org.softmax4j.conformance.cases;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;
import org.softmax4j.conformance.OpCall;
import org.softmax4j.conformance.ErrorBounds;
import org.softmax4j.conformance.Tolerance;
import org.softmax4j.conformance.fuzz.FuzzCase;
import org.softmax4j.conformance.fuzz.Scales;

/**
 * Runs one {@link ConformanceCase} in one dtype against a backend and judges the result: the one evaluator behind the
 * JUnit kit and the command-line runner.
 *
 * <p>Every array is placed at a non-zero offset inside a larger array. Input padding is NaN (an op that reads outside
 * its region is likely to show it); output padding holds a guard value that must survive bit for bit; the output
 * region itself is pre-filled with a canary that fails the comparison (NaN, or a finite value where NaN is expected),
 * so an op that leaves part of its output unwritten fails. After the call the inputs must be bit-for-bit unchanged.
 * A case that expects an exception must throw it before writing any output.
 *
 * <p>Values are compared with the case's {@link CaseTolerance}; where the op's stated bound has a {@code u * scale}
 * term, the scale is computed from the inputs as {@link Tolerance} describes (the magnitude of the terms the op
 * combines), matching {@code ExactReference}.
 */
public final class CaseEvaluator {

    private static final double INPUT_PAD = Double.NaN;
    private static final double OUTPUT_GUARD = -7.2529296875e29; // exactly representable in float32 too
    private static final double NAN_CANARY = 31415.92653589793;
    private static final int INT_GUARD = -987654;
    private static final int TAIL = 3;
    private static final int MAX_REPORTED = 5;


    private CaseEvaluator() {
    }

    /** @return the outcome of {@code c} in {@code dtype} on {@code ops}; never throws for a failing backend */
    public static CaseResult evaluate(SoftmaxOps ops, ConformanceCase c, Dtype dtype) {
        String name = c.displayName(ops.name(), dtype);
        try {
            return new Run(ops, c, dtype, name).execute();
        } catch (CaseError e) {
            return CaseResult.fail(name, "case error (" + c.source() + "): " + e.getMessage());
        }
    }

    /** A problem with the case itself (wrong input names or sizes), not with the backend. */
    private static final class CaseError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CaseError(String message) {
            super(message);
        }
    }

    /** One array argument at an offset inside a padded array. */
    private static final class Buf {
        final String name;
        final Object array;
        final int offset;
        final int length;
        Object snapshot;

        Buf(String name, Object array, int offset, int length) {
            this.name = name;
            this.array = array;
            this.offset = offset;
            this.length = length;
        }

        double get(int i) {
            return OpCall.element(array, offset + i);
        }

        double[] region() {
            double[] r = new double[length];
            for (int i = 0; i < length; i++) {
                r[i] = get(i);
            }
            return r;
        }

        void snapshot() {
            snapshot = OpCall.cloneArray(array);
        }

        /** @return the first index (array index) that differs bit for bit from the snapshot, or -1 */
        int firstChange() {
            int len = OpCall.length(array);
            for (int i = 0; i < len; i++) {
                if (!OpCall.sameBits(array, snapshot, i)) {
                    return i;
                }
            }
            return -1;
        }

        /** @return the first padding index (outside the region) whose bits changed, or -1 */
        int firstPaddingChange() {
            int len = OpCall.length(array);
            for (int i = 0; i < len; i++) {
                boolean inRegion = i >= offset && i < offset + length;
                if (!inRegion && !OpCall.sameBits(array, snapshot, i)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The state of one evaluation. */
    private static final class Run {
        final SoftmaxOps ops;
        final ConformanceCase c;
        final Dtype dtype;
        final boolean f64;
        final String name;
        final Map<String, Buf> inputs = new LinkedHashMap<>();
        final Map<String, Buf> outputs = new LinkedHashMap<>();
        int nextInputOffset = 3;
        int nextOutputOffset = 2;
        /** The value a cross-entropy op returned (NaN until it ran). */
        double returned = Double.NaN;

        Run(SoftmaxOps ops, ConformanceCase c, Dtype dtype, String name) {
            this.ops = ops;
            this.c = c;
            this.dtype = dtype;
            this.f64 = dtype == Dtype.FLOAT64;
            this.name = name;
        }

        CaseResult execute() {
            for (String in : c.inputs().keySet()) {
                if (!allowedInputs().contains(in)) {
                    throw new CaseError("input \"" + in + "\" is not an input of " + c.op() + "; expected "
                            + allowedInputs());
                }
            }
            for (String out : c.expected().keySet()) {
                if (!allowedOutputs().contains(out)) {
                    throw new CaseError("expected \"" + out + "\" is not an output of " + c.op() + "; expected "
                            + allowedOutputs());
                }
            }
            Throwable thrown = null;
            try {
                call();
            } catch (CaseError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                thrown = e;
            }
            List<String> problems = new ArrayList<>();
            for (Buf in : inputs.values()) {
                int i = in.firstChange();
                if (i >= 0) {
                    problems.add("input " + in.name + " was modified at array index " + i + " (region "
                            + in.offset + ".." + (in.offset + in.length) + ")");
                }
            }
            if (c.expectError() != null) {
                checkThrown(thrown, problems);
            } else if (thrown != null) {
                problems.add("threw " + describe(thrown));
            } else {
                for (Buf out : outputs.values()) {
                    int i = out.firstPaddingChange();
                    if (i >= 0) {
                        problems.add("output " + out.name + " was written outside its region at array index " + i
                                + " (region " + out.offset + ".." + (out.offset + out.length) + ")");
                    }
                }
                compareOutputs(problems);
            }
            return problems.isEmpty() ? CaseResult.pass(name) : CaseResult.fail(name, String.join("; ", problems));
        }

        private void checkThrown(Throwable thrown, List<String> problems) {
            if (thrown == null) {
                problems.add("expected " + c.expectError() + " but nothing was thrown");
                return;
            }
            if (!isA(thrown.getClass(), c.expectError())) {
                problems.add("expected " + c.expectError() + " but threw " + describe(thrown));
                return;
            }
            String msg = String.valueOf(thrown.getMessage());
            if (c.messageContains() != null && !msg.contains(c.messageContains())) {
                problems.add("the " + c.expectError() + " message should contain \"" + c.messageContains()
                        + "\": \"" + msg + "\"");
            }
            for (Buf out : outputs.values()) {
                int i = out.firstChange();
                if (i >= 0) {
                    problems.add("output " + out.name + " was written (array index " + i + ") before "
                            + c.expectError() + " was thrown");
                }
            }
        }

        private static boolean isA(Class<?> type, String simpleName) {
            for (Class<?> t = type; t != null; t = t.getSuperclass()) {
                if (t.getSimpleName().equals(simpleName) || t.getName().equals(simpleName)) {
                    return true;
                }
            }
            return false;
        }

        private static String describe(Throwable t) {
            StackTraceElement[] st = t.getStackTrace();
            return t + (st.length > 0 ? " at " + st[0] : "");
        }

        // ------------------------------------------------------------------------------------------ the calls

        private Op op() {
            try {
                return Op.named(c.op());
            } catch (IllegalArgumentException e) {
                throw new CaseError("unknown op " + c.op());
            }
        }

        private Set<String> allowedInputs() {
            Set<String> names = new LinkedHashSet<>();
            op().params().stream().filter(Op.Param::isInput).forEach(p -> names.add(p.key()));
            return names;
        }

        private Set<String> allowedOutputs() {
            Set<String> names = new LinkedHashSet<>();
            op().params().stream().filter(p -> p.isOutput() || p.role() == Op.Role.RETURNED)
                    .forEach(p -> names.add(p.key()));
            return names;
        }

        /** Builds every argument from the op's table entry and calls the backend through {@link OpCall}. */
        private void call() {
            Op op = op();
            OpCall call = new OpCall(op, dtype);
            switch (op.dims()) {
                case ROWS_COLS -> call.dim("rows", c.rows()).dim("cols", c.cols());
                case COLS -> call.dim("cols", c.cols());
                case TOP_K -> call.dim("rows", c.rows()).dim("cols", c.cols())
                        .dim("k", Values.toInt(required("k"), "options.k"));
                case PRODUCT -> call.dim("m", c.m()).dim("k", c.k()).dim("n", c.n());
            }
            // array sizes from the dimensions clamped at 0: a negative one is the backend's to reject
            OpCall sizes = new OpCall(op, dtype);
            call.dims().forEach((name, v) -> sizes.dim(name, Math.max(0, v)));
            if (op == Op.SOFTMAX_TEMPERATURE) {
                call.temperature = dtypeOption("temperature", null);
            }
            if (op == Op.CROSS_ENTROPY || op == Op.CROSS_ENTROPY_REDUCED) {
                call.eps = Values.toDouble(c.option("eps", Double.toString(SoftmaxOps.DEFAULT_EPSILON)),
                        "options.eps");
            }
            if (op.isProduct()) {
                call.alpha = dtypeOption("alpha", "1");
                call.beta = dtypeOption("beta", "0");
            }
            for (Op.Param p : op.params()) {
                if (p.role() == Op.Role.RETURNED) {
                    continue;
                }
                int size = p.size(sizes);
                Buf b = switch (p.role()) {
                    case IN -> switch (p.kind()) {
                        case REAL -> numeric(p.key(), size);
                        case BOOL -> booleans(p.key(), size);
                        case INT -> ints(p.key(), size);
                    };
                    case OUT -> p.kind() == Op.Kind.INT ? intOutput(p.key(), size) : output(p.key(), size);
                    case OPTIONAL_OUT -> optionalOutput(p.key(), size);
                    case IN_OUT -> productOutput(size, call.beta);
                    case RETURNED -> null;
                };
                if (b != null) {
                    call.array(p.name(), b.array, b.offset);
                }
            }
            snapshotAll();
            if (op.returnsValue()) {
                call.options = crossEntropyOptions();
            }
            call.invoke(ops);
            returned = call.returned();
        }

        private void snapshotAll() {
            inputs.values().forEach(Buf::snapshot);
            outputs.values().forEach(Buf::snapshot);
        }

        private String required(String option) {
            String v = c.options().get(option);
            if (v == null) {
                throw new CaseError(c.op() + " needs options." + option);
            }
            return v;
        }

        /** @return a scalar option rounded to the dtype (as the float32 overloads take it) */
        private double dtypeOption(String option, String fallback) {
            String v = fallback == null ? required(option) : c.option(option, fallback);
            return f64 ? Values.toDouble(v, "options." + option) : Values.toFloat(v, "options." + option);
        }

        private CrossEntropyOptions crossEntropyOptions() {
            CrossEntropyOptions o = CrossEntropyOptions.DEFAULT;
            String reduction = c.options().get("reduction");
            if (reduction != null) {
                o = o.withReduction(Reduction.valueOf(reduction.toUpperCase(Locale.ROOT)));
            }
            if (c.classWeights() != null) {
                o = o.withClassWeights(Values.doubles(c.classWeights(), "options.classWeights"));
            }
            String smoothing = c.options().get("labelSmoothing");
            if (smoothing != null) {
                o = o.withLabelSmoothing(Values.toDouble(smoothing, "options.labelSmoothing"));
            }
            String ignore = c.options().get("ignoreIndex");
            if (ignore != null) {
                o = o.withIgnoreIndex(Values.toInt(ignore, "options.ignoreIndex"));
            }
            return o;
        }

        // ------------------------------------------------------------------------------------------ buffers

        private List<String> inputTexts(String name, int size) {
            List<String> texts = c.inputs().get(name);
            if (texts == null) {
                if (size == 0) {
                    return List.of();
                }
                throw new CaseError(c.op() + " needs inputs." + name);
            }
            if (texts.size() != size) {
                throw new CaseError("inputs." + name + " has " + texts.size() + " values, expected " + size);
            }
            return texts;
        }

        private Buf numeric(String name, int size) {
            List<String> texts = inputTexts(name, size);
            int off = nextInputOffset;
            nextInputOffset += 2;
            int len = off + size + TAIL;
            Object array;
            if (f64) {
                double[] a = new double[len];
                Arrays.fill(a, INPUT_PAD);
                for (int i = 0; i < size; i++) {
                    a[off + i] = Values.toDouble(texts.get(i), "inputs." + name + "[" + i + "]");
                }
                array = a;
            } else {
                float[] a = new float[len];
                Arrays.fill(a, (float) INPUT_PAD);
                for (int i = 0; i < size; i++) {
                    a[off + i] = Values.toFloat(texts.get(i), "inputs." + name + "[" + i + "]");
                }
                array = a;
            }
            Buf b = new Buf(name, array, off, size);
            inputs.put(name, b);
            return b;
        }

        private Buf booleans(String name, int size) {
            List<String> texts = inputTexts(name, size);
            int off = nextInputOffset;
            nextInputOffset += 2;
            boolean[] a = new boolean[off + size + TAIL];
            Arrays.fill(a, true);
            for (int i = 0; i < size; i++) {
                a[off + i] = Values.toBoolean(texts.get(i), "inputs." + name + "[" + i + "]");
            }
            Buf b = new Buf(name, a, off, size);
            inputs.put(name, b);
            return b;
        }

        private Buf ints(String name, int size) {
            List<String> texts = inputTexts(name, size);
            int off = nextInputOffset;
            nextInputOffset += 2;
            int[] a = new int[off + size + TAIL];
            Arrays.fill(a, INT_GUARD);
            for (int i = 0; i < size; i++) {
                a[off + i] = Values.toInt(texts.get(i), "inputs." + name + "[" + i + "]");
            }
            Buf b = new Buf(name, a, off, size);
            inputs.put(name, b);
            return b;
        }

        /** An output: guard padding, and a region pre-filled with a canary that the expected value rejects. */
        private Buf output(String name, int size) {
            List<String> expected = c.expected().get(name);
            int off = nextOutputOffset;
            nextOutputOffset += 2;
            int len = off + size + TAIL;
            Object array;
            if (f64) {
                double[] a = new double[len];
                Arrays.fill(a, OUTPUT_GUARD);
                array = a;
            } else {
                float[] a = new float[len];
                Arrays.fill(a, (float) OUTPUT_GUARD);
                array = a;
            }
            if (expected != null && c.expectError() == null) {
                for (int i = 0; i < Math.min(size, expected.size()); i++) {
                    double canary = Double.isNaN(Values.toDouble(expected.get(i), "expected." + name))
                            ? NAN_CANARY : Double.NaN;
                    if (f64) {
                        ((double[]) array)[off + i] = canary;
                    } else {
                        ((float[]) array)[off + i] = (float) canary;
                    }
                }
            }
            Buf b = new Buf(name, array, off, size);
            outputs.put(name, b);
            return b;
        }

        /** An output that the op accepts as null: passed only when the case expects it (else the null path runs). */
        private Buf optionalOutput(String name, int size) {
            return c.expected().containsKey(name) || c.expectError() != null ? output(name, size) : null;
        }

        private Buf intOutput(String name, int size) {
            int off = nextOutputOffset;
            nextOutputOffset += 2;
            int[] a = new int[off + size + TAIL];
            Arrays.fill(a, INT_GUARD);
            Buf b = new Buf(name, a, off, size);
            outputs.put(name, b);
            return b;
        }

        /** C of a product: the given initial C, or (beta = 0, C not read) NaN, which the op must not propagate. */
        private Buf productOutput(int size, double beta) {
            List<String> initial = c.inputs().get("c");
            if (initial == null && beta != 0 && size > 0) {
                throw new CaseError(c.op() + " with beta != 0 needs inputs.c (the initial C)");
            }
            Buf out = output("c", size);
            for (int i = 0; i < size; i++) {
                double v = initial == null ? Double.NaN : Values.toDouble(initial.get(i), "inputs.c[" + i + "]");
                if (initial != null && initial.size() != size) {
                    throw new CaseError("inputs.c has " + initial.size() + " values, expected " + size);
                }
                if (f64) {
                    ((double[]) out.array)[out.offset + i] = v;
                } else {
                    ((float[]) out.array)[out.offset + i] = initial == null ? Float.NaN
                            : Values.toFloat(initial.get(i), "inputs.c[" + i + "]");
                }
            }
            return out;
        }

        // ------------------------------------------------------------------------------------------ comparison

        /** The case's own bound, else the op's for the accuracy class the backend declares (inputs give its span). */
        private Tolerance boundFor(String out) {
            if (c.tolerance().bound() != null) {
                return c.tolerance().bound();
            }
            return ErrorBounds.of(asFuzzCase(), out, dtype.accuracyOf(ops));
        }

        private void compareOutputs(List<String> problems) {
            for (Map.Entry<String, List<String>> e : c.expected().entrySet()) {
                String out = e.getKey();
                List<String> texts = e.getValue();
                Tolerance bound = boundFor(out);
                if (out.equals("value")) {
                    if (texts.size() != 1) {
                        throw new CaseError("expected.value must be one number, has " + texts.size());
                    }
                    compare(problems, bound, "value", texts, new double[] {returned}, scales("value", 1),
                            false);
                    continue;
                }
                Buf b = outputs.get(out);
                if (b == null) {
                    throw new CaseError("expected." + out + " has no output buffer");
                }
                if (texts.size() != b.length) {
                    throw new CaseError("expected." + out + " has " + texts.size() + " values, the output has "
                            + b.length);
                }
                boolean integral = b.array instanceof int[];
                compare(problems, bound, out, texts, b.region(), integral ? null : scales(out, b.length),
                        integral);
            }
        }

        private void compare(List<String> problems, Tolerance bound, String out, List<String> texts,
                             double[] actual, double[] scales, boolean integral) {
            int bad = 0;
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < actual.length; i++) {
                String text = texts.get(i);
                boolean ok;
                double exact;
                if (integral) {
                    exact = Values.toInt(text, "expected." + out + "[" + i + "]");
                    ok = exact == actual[i];
                } else {
                    exact = exactValue(text, out, i);
                    double scale = scales == null ? 0 : scales[i];
                    ok = c.tolerance().accepts(bound, dtype, exact, actual[i], scale);
                }
                if (!ok) {
                    if (bad < MAX_REPORTED) {
                        first.append(bad == 0 ? "" : "; ").append(describeMismatch(bound, out, i, text, exact,
                                actual[i], scales == null ? 0 : scales[i], integral));
                    }
                    bad++;
                }
            }
            if (bad > 0) {
                problems.add(out + ": " + bad + " of " + actual.length + " values out of bound: " + first
                        + (bad > MAX_REPORTED ? "; ..." : ""));
            }
        }

        /**
         * @return the expected value as a double: the decimal rounded to float64 (finer than any float32 ulp), but
         * rounded once to the dtype where that is what the comparison needs (bit-exact tolerances, and float32
         * values beyond the float32 range, which round to infinity)
         */
        private double exactValue(String text, String out, int i) {
            String where = "expected." + out + "[" + i + "]";
            double d = Values.toDouble(text, where);
            if (!f64) {
                float f = Values.toFloat(text, where);
                if (c.tolerance().isExact() || Float.isInfinite(f)) {
                    return f;
                }
            }
            return d;
        }

        private String describeMismatch(Tolerance bound, String out, int i, String text, double exact,
                                        double actual, double scale, boolean integral) {
            String where = out + "[" + i + "]" + position(out, i);
            if (integral) {
                return where + ": expected " + text + ", actual " + (long) actual;
            }
            StringBuilder sb = new StringBuilder(where).append(": expected ").append(text);
            sb.append(" (").append(dtype == Dtype.FLOAT64 ? Double.toString(exact) : Float.toString((float) exact))
                    .append(" in ").append(dtype.jsonName()).append("), actual ")
                    .append(f64 ? Double.toString(actual) : Float.toString((float) actual));
            if (Double.isFinite(exact) && Double.isFinite(actual)) {
                sb.append(String.format(Locale.ROOT, ", error %.3g ulp, allowed %.3g ulp (%s",
                        Tolerance.ulpError(dtype, exact, actual),
                        c.tolerance().allowance(bound, dtype, exact, scale) / dtype.ulp(exact),
                        c.tolerance()));
                if (bound.scaleUlps() != 0) {
                    sb.append(String.format(Locale.ROOT, ", scale %.3g", scale));
                }
                sb.append(')');
            }
            return sb.toString();
        }

        private String position(String out, int i) {
            int cols = c.cols();
            return switch (out) {
                case "y", "dx", "gradient" -> cols > 0 ? " (row " + i / cols + ", col " + i % cols + ")" : "";
                case "jacobian" -> " (i " + i / cols + ", j " + i % cols + ")";
                case "c" -> " (row " + i / c.n() + ", col " + i % c.n() + ")";
                case "out", "loss" -> " (row " + i + ")";
                default -> "";
            };
        }

        // ------------------------------------------------------------------------------------------ scales

        /**
         * The scale of each value of an output for the {@code u * scale} term of the bound: the magnitude of the
         * terms the op combines, from the (dtype-rounded) inputs, as the fuzzer computes it ({@link Scales}, the
         * formulas of {@code ExactReference}); 0 for well-conditioned ops and where the scale is not finite.
         */
        private double[] scales(String out, int size) {
            double[] all = Scales.of(asFuzzCase()).get(out);
            double[] s = new double[size];
            for (int i = 0; all != null && i < size; i++) {
                s[i] = finite(all[i]);
            }
            return s;
        }

        /** @return this case's inputs in this dtype as a fuzz case (for {@link Scales}) */
        private FuzzCase asFuzzCase() {
            Op op = op();
            FuzzCase.Builder b = FuzzCase.builder(op, dtype);
            if (op.isProduct()) {
                b.shape(c.m(), c.n(), c.k());
                List<String> c0 = c.inputs().get("c");
                double[] initial = c0 == null ? null : new double[c0.size()];
                for (int i = 0; initial != null && i < initial.length; i++) {
                    initial[i] = Values.toDouble(c0.get(i), "inputs.c");
                }
                b.c(initial).alphaBeta(dtypeOption("alpha", "1"), dtypeOption("beta", "0"));
            } else {
                b.shape(c.rows(), c.cols(), 0);
            }
            List<String> reals = op.realInputs();
            if (!reals.isEmpty()) {
                b.a(inputs.get(reals.get(0)).region());
            }
            if (reals.size() > 1) {
                b.b(inputs.get(reals.get(1)).region());
            }
            if (op == Op.SOFTMAX_TEMPERATURE) {
                b.temperature(dtypeOption("temperature", null));
            }
            Buf mask = inputs.get("mask");
            if (mask != null) {
                double[] v = mask.region();
                boolean[] m = new boolean[v.length];
                for (int i = 0; i < m.length; i++) {
                    m[i] = v[i] != 0;
                }
                b.mask(m);
            }
            Buf classes = inputs.get("classes");
            if (classes != null) {
                double[] v = classes.region();
                int[] t = new int[v.length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (int) v[i];
                }
                b.classes(t);
            }
            if (op.returnsValue()) {
                b.options(crossEntropyOptions(), true, true);
            }
            return b.build();
        }

        /** A non-finite scale (special values in the row) adds nothing: those results are compared exactly. */
        private static double finite(double scale) {
            return Double.isFinite(scale) ? scale : 0;
        }
    }
}
