package org.softmax4j.conformance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.SoftmaxOps;

/**
 * The arguments of one call of an {@link Op} in one dtype: the dimensions by name, each array parameter with its
 * offset ({@code float[]} or {@code double[]} for real ones by the dtype, {@code int[]}, {@code boolean[]}; absent
 * means null), and the scalar options. {@link #invoke} calls the backend's overload of the dtype: the one invoker the
 * JSON evaluator, the fuzzer, the property groups and the bad-input group share. Mutable: callers build a call, change
 * one argument (the bad-input group) and invoke it.
 */
public final class OpCall {

    private final Op op;
    private final Dtype dtype;
    private final Map<String, Integer> dims = new LinkedHashMap<>();
    private final Map<String, Object> arrays = new LinkedHashMap<>();
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    /** The temperature of softmaxTemperature (rounded to float by the float32 overload). */
    public double temperature = 1;
    /** The eps of crossEntropy. */
    public double eps = SoftmaxOps.DEFAULT_EPSILON;
    /** The options of the cross-entropies with logits. */
    public CrossEntropyOptions options = CrossEntropyOptions.DEFAULT;
    /** The alpha and beta of the products (rounded to float by the float32 overloads). */
    public double alpha = 1;
    public double beta = 0;
    private double returned = Double.NaN;

    public OpCall(Op op, Dtype dtype) {
        this.op = op;
        this.dtype = dtype;
    }

    public Op op() {
        return op;
    }

    public Dtype dtype() {
        return dtype;
    }

    /** Calls the backend's overload of this dtype with these arguments; a cross-entropy's result is kept. */
    public void invoke(SoftmaxOps ops) {
        returned = Double.NaN;
        op.invoker(dtype).invoke(ops, this);
    }

    /** @return what the method returned (a cross-entropy's reduced loss), NaN for a void method or before a call */
    public double returned() {
        return returned;
    }

    void returned(double value) {
        returned = value;
    }

    // ------------------------------------------------------------------------------------------ dimensions

    public OpCall dim(String name, int value) {
        dims.put(name, value);
        return this;
    }

    /** @return the named dimension ({@code rows}, {@code cols}, {@code k}, {@code m}, {@code n}) */
    public int dim(String name) {
        Integer v = dims.get(name);
        if (v == null) {
            throw new IllegalStateException(op.jsonName() + " call without dimension " + name);
        }
        return v;
    }

    /** @return the dimensions by name, in argument order (a live view) */
    public Map<String, Integer> dims() {
        return dims;
    }

    // ------------------------------------------------------------------------------------------ arrays

    /** Sets array parameter {@code name} (null for null) at {@code offset}. */
    public OpCall array(String name, Object array, int offset) {
        arrays.put(name, array);
        offsets.put(name, offset);
        return this;
    }

    /** Changes the offset of a parameter, leaving its array. */
    public OpCall offset(String name, int offset) {
        offsets.put(name, offset);
        return this;
    }

    /** @return the array of parameter {@code name}, or null */
    public Object array(String name) {
        return arrays.get(name);
    }

    /** @return the arrays by name (a live view) */
    public Map<String, Object> arrays() {
        return arrays;
    }

    public double[] d(String name) {
        return (double[]) arrays.get(name);
    }

    public float[] f(String name) {
        return (float[]) arrays.get(name);
    }

    public int[] i(String name) {
        return (int[]) arrays.get(name);
    }

    public boolean[] z(String name) {
        return (boolean[]) arrays.get(name);
    }

    /** @return the offset of parameter {@code name} (0 if it was never set: an absent optional output) */
    public int off(String name) {
        return offsets.getOrDefault(name, 0);
    }

    /** @return a copy with every array cloned */
    public OpCall copy() {
        OpCall c = new OpCall(op, dtype);
        c.dims.putAll(dims);
        arrays.forEach((k, v) -> c.arrays.put(k, cloneArray(v)));
        c.offsets.putAll(offsets);
        c.temperature = temperature;
        c.eps = eps;
        c.options = options;
        c.alpha = alpha;
        c.beta = beta;
        return c;
    }

    /** @return a clone of a primitive array, or null */
    public static Object cloneArray(Object a) {
        if (a == null) {
            return null;
        }
        if (a instanceof double[] d) {
            return d.clone();
        }
        if (a instanceof float[] f) {
            return f.clone();
        }
        if (a instanceof int[] i) {
            return i.clone();
        }
        return ((boolean[]) a).clone();
    }

    /** @return element {@code i} of a primitive array as a double (a boolean as 1 or 0) */
    public static double element(Object a, int i) {
        if (a instanceof double[] d) {
            return d[i];
        }
        if (a instanceof float[] f) {
            return f[i];
        }
        if (a instanceof int[] n) {
            return n[i];
        }
        return ((boolean[]) a)[i] ? 1 : 0;
    }

    /** @return true if element {@code i} of two primitive arrays of one type has the same bits */
    public static boolean sameBits(Object a, Object b, int i) {
        if (a instanceof double[] d) {
            return Double.doubleToRawLongBits(d[i]) == Double.doubleToRawLongBits(((double[]) b)[i]);
        }
        if (a instanceof float[] f) {
            return Float.floatToRawIntBits(f[i]) == Float.floatToRawIntBits(((float[]) b)[i]);
        }
        if (a instanceof int[] n) {
            return n[i] == ((int[]) b)[i];
        }
        return ((boolean[]) a)[i] == ((boolean[]) b)[i];
    }

    /** @return the length of a primitive array */
    public static int length(Object a) {
        return a instanceof double[] d ? d.length : a instanceof float[] f ? f.length
                : a instanceof int[] i ? i.length : ((boolean[]) a).length;
    }

    @Override
    public String toString() {
        return dims + " offsets " + offsets + " T=" + temperature + " eps=" + eps + " " + options
                + (op.isProduct() ? " alpha=" + alpha + " beta=" + beta : "");
    }
}
