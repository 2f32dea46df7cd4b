package org.softmax4j.conformance;

import static org.softmax4j.conformance.RandomInputs.toDouble;
import static org.softmax4j.conformance.RandomInputs.toFloat;

import java.util.Map;
import java.util.function.Consumer;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * Calls a backend's op in one dtype on double inputs (exactly representable in that dtype) and returns the outputs
 * widened to double, so one test body serves float32 and float64. Offsets are 0 and outputs freshly allocated; every
 * call goes through the op table's invoker ({@link Op}, {@link OpCall}).
 */
public final class OpsInDtype {

    /** The per-row losses, the returned value and the gradient of a cross-entropy with logits. */
    public record LossOut(double[] loss, double reduced, double[] gradient) {
    }

    /** The values and indices of a top-k. */
    public record TopK(double[] values, int[] indices) {
    }

    private final SoftmaxOps ops;
    private final Dtype dtype;

    public OpsInDtype(SoftmaxOps ops, Dtype dtype) {
        this.ops = ops;
        this.dtype = dtype;
    }

    /**
     * Calls {@code op} through {@link OpCall}: every input converted to the dtype (a copy), every output freshly
     * allocated (optional ones only {@code withOptional}), offsets 0.
     *
     * @param dims   the dimensions in the op's order ({@link Op.Dims})
     * @param inputs the inputs by name (real ones as doubles exact in the dtype), and the products' initial C
     */
    private OpCall call(Op op, int[] dims, Map<String, Object> inputs, boolean withOptional, Consumer<OpCall> options) {
        OpCall c = new OpCall(op, dtype);
        int d = 0;
        for (String name : op.dims().sample().keySet()) {
            c.dim(name, dims[d++]);
        }
        options.accept(c);
        for (Op.Param p : op.params()) {
            Object given = inputs.get(p.name());
            if (p.isInput() && given != null) {
                c.array(p.name(), given instanceof double[] v ? inDtype(v) : OpCall.cloneArray(given), 0);
            } else if (p.role() == Op.Role.OUT || p.role() == Op.Role.OPTIONAL_OUT && withOptional) {
                int n = p.size(c);
                c.array(p.name(), p.kind() == Op.Kind.INT ? new int[n] : dtype == Dtype.FLOAT32 ? new float[n]
                        : new double[n], 0);
            }
        }
        c.invoke(ops);
        return c;
    }

    private OpCall call(Op op, int[] dims, Map<String, Object> inputs) {
        return call(op, dims, inputs, true, c -> { });
    }

    private Object inDtype(double[] v) {
        return dtype == Dtype.FLOAT32 ? toFloat(v) : v.clone();
    }

    /** @return a real output widened to double */
    private static double[] real(OpCall c, String name) {
        Object a = c.array(name);
        return a instanceof float[] f ? toDouble(f) : (double[]) a;
    }

    private static int[] dims(int... d) {
        return d;
    }

    public double[] softmax(int rows, int cols, double[] x) {
        return real(call(Op.SOFTMAX, dims(rows, cols), Map.of("x", x)), "y");
    }

    public double[] softmax(int rows, int cols, double temperature, double[] x) {
        return real(call(Op.SOFTMAX_TEMPERATURE, dims(rows, cols), Map.of("x", x), true,
                c -> c.temperature = temperature), "y");
    }

    public double[] maskedSoftmax(int rows, int cols, double[] x, boolean[] mask) {
        return real(call(Op.MASKED_SOFTMAX, dims(rows, cols), Map.of("x", x, "mask", mask)), "y");
    }

    public double[] logSoftmax(int rows, int cols, double[] x) {
        return real(call(Op.LOG_SOFTMAX, dims(rows, cols), Map.of("x", x)), "y");
    }

    public double[] logSumExp(int rows, int cols, double[] x) {
        return real(call(Op.LOG_SUM_EXP, dims(rows, cols), Map.of("x", x)), "out");
    }

    public double[] maskedLogSoftmax(int rows, int cols, double[] x, boolean[] mask) {
        return real(call(Op.MASKED_LOG_SOFTMAX, dims(rows, cols), Map.of("x", x, "mask", mask)), "y");
    }

    public double[] maskedLogSumExp(int rows, int cols, double[] x, boolean[] mask) {
        return real(call(Op.MASKED_LOG_SUM_EXP, dims(rows, cols), Map.of("x", x, "mask", mask)), "out");
    }

    public LossOut maskedSparseSoftmaxCrossEntropy(int rows, int cols, double[] logits, boolean[] mask, int[] classes,
                                                   CrossEntropyOptions options) {
        OpCall c = call(Op.MASKED_SPARSE_SOFTMAX_CROSS_ENTROPY, dims(rows, cols), Map.of("logits", logits, "mask",
                mask, "classes", classes), true, o -> o.options = options);
        return new LossOut(real(c, "loss"), c.returned(), real(c, "gradient"));
    }

    public LossOut maskedSoftmaxCrossEntropy(int rows, int cols, double[] logits, boolean[] mask, double[] labels,
                                             CrossEntropyOptions options) {
        OpCall c = call(Op.MASKED_SOFTMAX_CROSS_ENTROPY, dims(rows, cols), Map.of("logits", logits, "mask", mask,
                "labels", labels), true, o -> o.options = options);
        return new LossOut(real(c, "loss"), c.returned(), real(c, "gradient"));
    }

    public double[] softmaxBackward(int rows, int cols, double[] y, double[] dy) {
        return real(call(Op.SOFTMAX_BACKWARD, dims(rows, cols), Map.of("y", y, "dy", dy)), "dx");
    }

    public double[] logSoftmaxBackward(int rows, int cols, double[] logp, double[] dlogp) {
        return real(call(Op.LOG_SOFTMAX_BACKWARD, dims(rows, cols), Map.of("logp", logp, "dlogp", dlogp)), "dx");
    }

    public double[] jacobian(int cols, double[] y) {
        return real(call(Op.JACOBIAN, dims(cols), Map.of("y", y)), "jacobian");
    }

    public double[] crossEntropy(int rows, int cols, double[] p, double[] labels, double eps) {
        return real(call(Op.CROSS_ENTROPY, dims(rows, cols), Map.of("probabilities", p, "labels", labels), true,
                c -> c.eps = eps), "loss");
    }

    public LossOut softmaxCrossEntropy(int rows, int cols, double[] logits, double[] labels,
                                       CrossEntropyOptions options) {
        OpCall c = call(Op.SOFTMAX_CROSS_ENTROPY, dims(rows, cols), Map.of("logits", logits, "labels", labels), true,
                o -> o.options = options);
        return new LossOut(real(c, "loss"), c.returned(), real(c, "gradient"));
    }

    /** The reduced value alone (no loss, no gradient array), as a finite-difference probe calls it. */
    public double softmaxCrossEntropyValue(int rows, int cols, double[] logits, double[] labels,
                                           CrossEntropyOptions options) {
        return call(Op.SOFTMAX_CROSS_ENTROPY, dims(rows, cols), Map.of("logits", logits, "labels", labels), false,
                o -> o.options = options).returned();
    }

    public LossOut sparseSoftmaxCrossEntropy(int rows, int cols, double[] logits, int[] classes,
                                             CrossEntropyOptions options) {
        OpCall c = call(Op.SPARSE_SOFTMAX_CROSS_ENTROPY, dims(rows, cols), Map.of("logits", logits, "classes",
                classes), true, o -> o.options = options);
        return new LossOut(real(c, "loss"), c.returned(), real(c, "gradient"));
    }

    public double sparseSoftmaxCrossEntropyValue(int rows, int cols, double[] logits, int[] classes,
                                                 CrossEntropyOptions options) {
        return call(Op.SPARSE_SOFTMAX_CROSS_ENTROPY, dims(rows, cols), Map.of("logits", logits, "classes", classes),
                false, o -> o.options = options).returned();
    }

    public int[] argmax(int rows, int cols, double[] x) {
        return call(Op.ARGMAX, dims(rows, cols), Map.of("x", x)).i("out");
    }

    public TopK topK(int rows, int cols, int k, double[] x) {
        OpCall c = call(Op.TOP_K, dims(rows, cols, k), Map.of("x", x));
        return new TopK(real(c, "values"), c.i("indices"));
    }

    /** {@code alpha op(A) op(B) + beta C} by {@code product} (matmul, matmulTransA or matmulTransB). */
    public double[] matmul(Op product, int m, int k, int n, double alpha, double[] a, double[] b, double beta,
                           double[] c) {
        return real(call(product, dims(m, k, n), Map.of("a", a, "b", b, "c", c), true,
                o -> {
                    o.alpha = alpha;
                    o.beta = beta;
                }), "c");
    }
}
