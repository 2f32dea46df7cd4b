package org.softmax4j.conformance.fuzz;

import java.util.Locale;

import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;

/**
 * One call of one op, fully determined: dtype, shape, inputs (held as doubles that are exact in the dtype), options
 * and where the arrays sit (a common offset {@link #pad}, and whether the main output aliases an input). Immutable by
 * convention: nobody writes into the arrays after construction.
 *
 * <p>Shape fields: row ops use {@code rows x cols}; {@link Op#JACOBIAN} uses {@code cols} only; {@link Op#TOP_K}
 * uses {@link #k}; the matrix products use {@code m = rows}, {@code k}, {@code n = cols}.
 */
public final class FuzzCase {

    public final Op op;
    public final Dtype dtype;
    public final int rows;
    public final int cols;
    public final int k;
    /** The first input: x, y, logp, probabilities, logits, or A. */
    public final double[] a;
    /** The second input: dy, dlogp, labels, or B; else null. */
    public final double[] b;
    /** The matrix products' C before the call (read when beta != 0); else null. */
    public final double[] c;
    public final boolean[] mask;
    public final int[] classes;
    public final double temperature;
    public final double eps;
    public final double alpha;
    public final double beta;
    public final CrossEntropyOptions options;
    public final boolean withLoss;
    public final boolean withGradient;
    public final boolean withValues;
    /** The offset of every array; the same number of canary elements follows each region. */
    public final int pad;
    /** 0: separate output; 1: the main output is the first input's region; 2: the second input's. */
    public final int inPlace;

    private FuzzCase(Builder s) {
        op = s.op;
        dtype = s.dtype;
        rows = s.rows;
        cols = s.cols;
        k = s.k;
        a = s.a;
        b = s.b;
        c = s.c;
        mask = s.mask;
        classes = s.classes;
        temperature = s.temperature;
        eps = s.eps;
        alpha = s.alpha;
        beta = s.beta;
        options = s.options;
        withLoss = s.withLoss;
        withGradient = s.withGradient;
        withValues = s.withValues;
        pad = s.pad;
        inPlace = s.inPlace;
    }

    public static Builder builder(Op op, Dtype dtype) {
        return new Builder(op, dtype);
    }

    public Builder toBuilder() {
        Builder s = new Builder(op, dtype);
        s.rows = rows;
        s.cols = cols;
        s.k = k;
        s.a = a;
        s.b = b;
        s.c = c;
        s.mask = mask;
        s.classes = classes;
        s.temperature = temperature;
        s.eps = eps;
        s.alpha = alpha;
        s.beta = beta;
        s.options = options;
        s.withLoss = withLoss;
        s.withGradient = withGradient;
        s.withValues = withValues;
        s.pad = pad;
        s.inPlace = inPlace;
        return s;
    }

    /** @return the number of input elements, a rough cost of the call */
    public long size() {
        return (a == null ? 0 : a.length) + (b == null ? 0 : b.length) + (c == null ? 0 : c.length);
    }

    /** @return a one-line description with every value, for failure messages and replay */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(op.jsonName()).append(' ').append(dtype.jsonName());
        switch (op) {
            case JACOBIAN -> s.append(" cols=").append(cols);
            case MATMUL, MATMUL_TRANS_A, MATMUL_TRANS_B -> s.append(" m=").append(rows).append(" k=").append(k).append(" n=").append(cols)
                    .append(" alpha=").append(num(alpha)).append(" beta=").append(num(beta));
            case TOP_K -> s.append(" rows=").append(rows).append(" cols=").append(cols).append(" k=").append(k)
                    .append(" values=").append(withValues);
            default -> s.append(" rows=").append(rows).append(" cols=").append(cols);
        }
        if (op == Op.SOFTMAX_TEMPERATURE) {
            s.append(" temperature=").append(num(temperature));
        }
        if (op == Op.CROSS_ENTROPY || op == Op.CROSS_ENTROPY_REDUCED) {
            s.append(" eps=").append(num(eps));
        }
        if (options != null) {
            s.append(" reduction=").append(options.reduction())
                    .append(" classWeights=").append(array(options.classWeights()))
                    .append(" labelSmoothing=").append(num(options.labelSmoothing()))
                    .append(" ignoreIndex=").append(options.ignoreIndex())
                    .append(" loss=").append(withLoss).append(" gradient=").append(withGradient);
        }
        if (pad != 0 || inPlace != 0) {
            s.append(" pad=").append(pad).append(" inPlace=").append(inPlace);
        }
        s.append("\n  a=").append(array(a));
        if (b != null) {
            s.append("\n  b=").append(array(b));
        }
        if (c != null) {
            s.append("\n  c=").append(array(c));
        }
        if (mask != null) {
            s.append("\n  mask=").append(array(mask));
        }
        if (classes != null) {
            s.append("\n  classes=").append(array(classes));
        }
        return s.toString();
    }

    /** @return the value exactly, in Java syntax ({@code 1.0E-7}, {@code -Infinity}, {@code NaN}, {@code -0.0}) */
    static String num(double v) {
        return Double.toString(v);
    }

    /** Arrays longer than this are abbreviated in messages (the JSON of a fixed case has them in full). */
    private static final int SHOWN = 48;

    static String array(double[] v) {
        if (v == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (v.length > SHOWN && i == SHOWN - 8) {
                s.append(", ... (").append(v.length).append(" values)");
                i = v.length - 8;
            }
            s.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return s.append(']').toString();
    }

    static String array(boolean[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (v.length > SHOWN && i == SHOWN - 8) {
                s.append(", ... (").append(v.length).append(" values)");
                i = v.length - 8;
            }
            s.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return s.append(']').toString();
    }

    static String array(int[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (v.length > SHOWN && i == SHOWN - 8) {
                s.append(", ... (").append(v.length).append(" values)");
                i = v.length - 8;
            }
            s.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return s.append(']').toString();
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Mutable twin of {@link FuzzCase}, for the generator and the shrinker. */
    public static final class Builder {
        final Op op;
        final Dtype dtype;
        int rows;
        int cols;
        int k;
        double[] a;
        double[] b;
        double[] c;
        boolean[] mask;
        int[] classes;
        double temperature = 1;
        double eps = 1e-7;
        double alpha = 1;
        double beta;
        CrossEntropyOptions options;
        boolean withLoss;
        boolean withGradient;
        boolean withValues;
        int pad;
        int inPlace;

        private Builder(Op op, Dtype dtype) {
            this.op = op;
            this.dtype = dtype;
        }

        public Builder shape(int rows, int cols, int k) {
            this.rows = rows;
            this.cols = cols;
            this.k = k;
            return this;
        }

        public Builder a(double[] v) {
            a = v;
            return this;
        }

        public Builder b(double[] v) {
            b = v;
            return this;
        }

        public Builder c(double[] v) {
            c = v;
            return this;
        }

        public Builder mask(boolean[] v) {
            mask = v;
            return this;
        }

        public Builder classes(int[] v) {
            classes = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public Builder alphaBeta(double alpha, double beta) {
            this.alpha = alpha;
            this.beta = beta;
            return this;
        }

        public Builder options(CrossEntropyOptions v, boolean withLoss, boolean withGradient) {
            options = v;
            this.withLoss = withLoss;
            this.withGradient = withGradient;
            return this;
        }

        public Builder withValues(boolean v) {
            withValues = v;
            return this;
        }

        public Builder placement(int pad, int inPlace) {
            this.pad = pad;
            this.inPlace = inPlace;
            return this;
        }

        public FuzzCase build() {
            return new FuzzCase(this);
        }
    }
}
