package org.softmax4j;

/**
 * The shape checks of the view overloads of {@link SoftmaxOps}: each names the op and the shapes of both operands,
 * e.g. {@code "matmul: a is 3x4, b is 5x6: inner sizes differ"}. The region checks are the array SPI's (a view is
 * valid when made); these checks say how the operands fit together.
 */
final class Shapes {

    private Shapes() {
    }

    private static IllegalArgumentException mismatch(String op, String what) {
        return new IllegalArgumentException(op + ": " + what);
    }

    private static <T extends Shaped> T view(String name, T v) {
        return Validate.notNull(name, v);
    }

    /** Checks that {@code b} has the shape of {@code a} (element-wise ops). */
    static void same(String op, String aName, Shaped a, String bName, Shaped b) {
        view(aName, a);
        view(bName, b);
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw mismatch(op, aName + " is " + a.shape() + ", " + bName + " is " + b.shape()
                    + ": expected the same shape");
        }
    }

    /** Checks that {@code out} is a {@code rows x 1} column: one value per row of {@code x}. */
    static void perRow(String op, String xName, Shaped x, String outName, Shaped out) {
        view(xName, x);
        view(outName, out);
        if (out.rows() != x.rows() || out.cols() != 1) {
            throw mismatch(op, xName + " is " + x.shape() + ", " + outName + " is " + out.shape() + ": expected "
                    + outName + " " + x.rows() + "x1 (one value per row)");
        }
    }

    /** Checks the optional outputs of a fused loss: {@code loss} one value per row, {@code gradient} as the logits. */
    static void lossOutputs(String op, Shaped logits, Shaped loss, Shaped gradient) {
        if (loss != null) {
            perRow(op, "logits", logits, "loss", loss);
        }
        if (gradient != null) {
            same(op, "logits", logits, "gradient", gradient);
        }
    }

    /** Checks that the labels have one class per row of the logits. */
    static void labels(String op, Shaped logits, String labelsName, ClassLabels labels) {
        view("logits", logits);
        Validate.notNull(labelsName, labels);
        if (labels.rows() != logits.rows()) {
            throw mismatch(op, "logits is " + logits.shape() + ", " + labelsName + " has " + labels.rows()
                    + " rows: expected " + logits.rows() + " (one per row)");
        }
    }

    /** Checks that {@code values} (when not null) and {@code indices} are {@code rows x k} for the rows of {@code x}. */
    static void topK(Shaped x, int k, Shaped values, Shaped indices) {
        view("x", x);
        view("indices", indices);
        Validate.topK(k, x.cols());
        if (values != null) {
            topKOutput(x, k, "values", values);
        }
        topKOutput(x, k, "indices", indices);
    }

    private static void topKOutput(Shaped x, int k, String name, Shaped out) {
        if (out.rows() != x.rows() || out.cols() != k) {
            throw mismatch("topK", "x is " + x.shape() + ", " + name + " is " + out.shape() + ": expected " + name
                    + " " + x.rows() + "x" + k + " (k = " + k + " per row)");
        }
    }

    /** Checks {@code y} is a {@code 1 x C} vector and {@code jacobian} is {@code C x C}. */
    static void jacobian(Shaped y, Shaped jacobian) {
        view("y", y);
        view("jacobian", jacobian);
        if (y.rows() != 1) {
            throw mismatch("jacobian", "y is " + y.shape() + ": expected one row (1x" + y.cols() + ")");
        }
        if (jacobian.rows() != y.cols() || jacobian.cols() != y.cols()) {
            throw mismatch("jacobian", "y is " + y.shape() + ", jacobian is " + jacobian.shape() + ": expected "
                    + y.cols() + "x" + y.cols());
        }
    }

    /**
     * Checks the operands of {@code C = op(A) op(B)}: {@code op(A)} is {@code m x k}, {@code op(B)} {@code k x n} and
     * {@code C} {@code m x n}, where {@code op} transposes when asked.
     *
     * @return {@code k}
     */
    static int product(String op, Shaped a, boolean transA, Shaped b, boolean transB, Shaped c) {
        view("a", a);
        view("b", b);
        view("c", c);
        int m = transA ? a.cols() : a.rows();
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (ka != kb) {
            throw mismatch(op, "a is " + a.shape() + ", b is " + b.shape() + ": inner sizes differ ("
                    + (transA ? "rows of a " : "cols of a ") + ka + ", " + (transB ? "cols of b " : "rows of b ")
                    + kb + ")");
        }
        if (c.rows() != m || c.cols() != n) {
            throw mismatch(op, "a is " + a.shape() + ", b is " + b.shape() + ", c is " + c.shape() + ": expected c "
                    + m + "x" + n);
        }
        return ka;
    }
}
