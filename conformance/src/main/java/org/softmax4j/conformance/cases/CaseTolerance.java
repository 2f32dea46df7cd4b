package org.softmax4j.conformance.cases;

import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.ErrorBounds;
import org.softmax4j.conformance.Op;
import org.softmax4j.conformance.Tolerance;

/**
 * The tolerance of a JSON case: a {@link Tolerance} (null: the op's stated bound {@link ErrorBounds#of}) plus an
 * optional relative allowance for expected values printed with fewer digits than they have (12-digit textbook
 * values), so that {@code |actual - exact| <= bound + relative * |exact|}.
 *
 * @param bound    the bound, or null for the op's stated bound ({@link Op#bound}, {@link ErrorBounds}) at the
 *                 case's size
 * @param relative the extra allowance relative to the expected value; 0 for none
 */
public record CaseTolerance(Tolerance bound, double relative) {

    /** The op's stated bound, nothing added. */
    public static final CaseTolerance DEFAULT = new CaseTolerance(null, 0);

    /** @return the bound that applies to {@code op} over rows of {@code cols} classes (inner size for products) */
    public Tolerance boundFor(Op op, int cols) {
        return bound != null ? bound : op.bound(cols);
    }

    /** @return true if this tolerance demands bit-exact results */
    public boolean isExact() {
        return bound != null && bound.equals(Tolerance.EXACT) && relative == 0;
    }

    /** @return true if {@code actual} is acceptable for {@code exact} under {@code b} plus the relative allowance */
    public boolean accepts(Tolerance b, Dtype dtype, double exact, double actual, double scale) {
        if (b.accepts(dtype, exact, actual, scale)) {
            return true;
        }
        if (relative == 0 || !Double.isFinite(exact) || !Double.isFinite(actual)) {
            return false;
        }
        return Math.abs(actual - exact) <= allowance(b, dtype, exact, scale);
    }

    /** @return the largest accepted {@code |actual - exact|} for a finite {@code exact} (for messages) */
    public double allowance(Tolerance b, Dtype dtype, double exact, double scale) {
        return b.allowance(dtype, exact, scale) + relative * Math.abs(exact);
    }

    /** @return the JSON form: "exact", or {"ulps": .., "scaleUlps": .., "relative": ..} with absent parts omitted */
    @Override
    public String toString() {
        if (isExact()) {
            return "exact";
        }
        String b = bound == null ? "the op's stated bound" : bound.toString();
        return relative == 0 ? b : b + " + " + relative + " relative";
    }
}
